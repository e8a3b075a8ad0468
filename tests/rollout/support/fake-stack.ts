/**
 * A scripted fake of `RolloutStack` for the orchestrator tests: it records every call (with its
 * targets and options) and answers from per-operation scripts, feeding engine events through the
 * request's `onEvent` as the Automation API would.
 */
import type { EngineEvent, OpMap, OpType, OutputMap } from "@pulumi/pulumi/automation";
import { cliConfig, validRaw } from "../../support/fixtures";
import {
    ChangeOutcome, DriftRequest, OperationOptions, PreviewRequest, RolloutStack, StackConfigValues, StackOperationError, UpRequest,
} from "../../../tools/rollout/stack-ops";

export { PROJECT } from "../../../stacks/errors";
import { PROJECT } from "../../../stacks/errors";
export const REGIONAL = "eks-platform:index:RegionalPlatform";

export type OpName = "preview" | "up" | "refresh" | "previewRefresh";

export interface Call {
    readonly op: OpName | "outputs" | "cancel" | "config";
    readonly target?: readonly string[];
    readonly request?: PreviewRequest | UpRequest | DriftRequest | OperationOptions;
}

/** What one call does: emit events, then resolve with a summary or reject. */
export type Script = (request: any, call: number) => Promise<ChangeOutcome | void> | ChangeOutcome | void;

export class FakeStack implements RolloutStack {
    readonly project = PROJECT;
    readonly calls: Call[] = [];
    scripts: Partial<Record<OpName, Script>> = {};
    outputsValue: OutputMap = {};
    outputsError?: Error;
    configError?: Error;
    cancelled = 0;

    constructor(readonly name: string, public configValues: Record<string, string>) {}

    /** Plaintexts the fake's config sealed (see StackConfigValues). */
    secrets: string[] = [];

    async config(): Promise<StackConfigValues> {
        this.calls.push({ op: "config" });
        if (this.configError) throw this.configError;
        return { values: this.configValues, secrets: this.secrets };
    }

    private async perform(op: OpName, request: any): Promise<ChangeOutcome> {
        const n = this.calls.filter((c) => c.op === op).length;
        this.calls.push({ op, target: request.target, request });
        const result = await this.scripts[op]?.(request, n);
        return result ?? { changeSummary: {} };
    }

    preview(r: PreviewRequest) { return this.perform("preview", r); }
    up(r: UpRequest) { return this.perform("up", r); }
    refresh(r: OperationOptions) { return this.perform("refresh", r); }
    previewRefresh(r: DriftRequest) { return this.perform("previewRefresh", r); }

    async outputs(): Promise<OutputMap> {
        this.calls.push({ op: "outputs" });
        if (this.outputsError) throw this.outputsError;
        return this.outputsValue;
    }

    async cancel(): Promise<void> {
        this.calls.push({ op: "cancel" });
        this.cancelled++;
    }

    opsCalled(): string[] {
        return this.calls.filter((c) => c.op !== "config").map((c) => c.op);
    }
}

/** Config as `pulumi config --json` gives it: strings as-is, structured values as JSON text. */
export function stackConfig(options: {
    environment?: string;
    regions: string[];
    rollout?: unknown;
    apps?: unknown[];
    observability?: unknown;
    /** eks-platform:dns. @default none */
    dns?: unknown;
}): Record<string, string> {
    // A complete, valid stack config (the rollout validates the whole config, as the program does).
    const raw: Record<string, unknown> = {
        ...validRaw(),
        environment: options.environment ?? "prod",
        regions: options.regions.map((region, i) => ({ region, vpcCidr: `10.${40 + i}.0.0/16` })),
        rollout: options.rollout,
        observability: options.observability,
        dns: options.dns,
        // Tests name only what they care about; the rest of each app is filled in validly.
        apps: options.apps?.map((a) => ({
            namespace: (a as Record<string, unknown>).name, image: "nginxinc/nginx-unprivileged:1.27.3-alpine", containerPort: 8080, ...(a as object),
        })),
    };
    const values: Record<string, string> = { ...cliConfig(raw), "aws:region": "ap-northeast-2" };
    return values;
}

export function childUrn(stack: string, env: string, region: string, type: string, suffix: string): string {
    return `urn:pulumi:${stack}::${PROJECT}::${REGIONAL}$${type}::${env}-${region}-${suffix}`;
}

/** The pre and outputs events of one resource step (planning for previews). */
export function stepEvents(urn: string, type: string, op: OpType, planning = false, old?: { readonly retainOnDelete?: boolean }): EngineEvent[] {
    const metadata = { op, urn, type, provider: "", ...(old ? { old: { type, urn, custom: true, delete: false, id: "", parent: "", protect: false, provider: "", inputs: {}, outputs: {}, initErrors: [], ...old } } : {}) };
    return [
        { sequence: 0, timestamp: 0, resourcePreEvent: { metadata, planning } },
        { sequence: 0, timestamp: 0, resOutputsEvent: { metadata, planning } },
    ];
}

export function failedStepEvents(urn: string, type: string, op: OpType, message: string): EngineEvent[] {
    const metadata = { op, urn, type, provider: "" };
    return [
        { sequence: 0, timestamp: 0, resourcePreEvent: { metadata } },
        { sequence: 0, timestamp: 0, diagnosticEvent: { urn, message: `<{%reset%}>${message}<{%reset%}>`, color: "raw", severity: "error" } },
        { sequence: 0, timestamp: 0, resOpFailedEvent: { metadata, status: 1, steps: 1 } },
    ];
}

export function emit(request: { onEvent: (e: EngineEvent) => void }, events: EngineEvent[]): void {
    for (const e of events) request.onEvent(e);
}

/** Stack outputs shaped like index.ts exports them (kubeconfig secret inside `regions`). */
export function regionOutputs(
    regions: string[],
    apps: Record<string, { hostname: string; healthPath?: string; url?: string; host?: string; protocol?: string; scheme?: string }> | undefined = undefined,
): OutputMap {
    const value: Record<string, unknown> = {};
    for (const r of regions) {
        value[r] = {
            vpcId: `vpc-${r}`,
            clusterName: `prod-${r}`,
            clusterEndpoint: `https://${r}.eks.example`,
            kubeconfig: "apiVersion: v1\nusers:\n- name: admin\n  user:\n    token: SECRET-TOKEN",
            ...(apps ? { apps } : {}),
        };
    }
    return { regions: { value, secret: false } };
}

export function lockedError(): StackOperationError {
    return new StackOperationError("locked", "stack prod is locked by another update",
        "stderr: error: the stack is currently locked by 1 lock(s).");
}

export function changes(map: OpMap): ChangeOutcome {
    return { changeSummary: map };
}

/** Rejects when the request's signal aborts (what the Automation API does after SIGINT), recording when. */
export function untilAborted(request: OperationOptions, onAbort?: () => void): Promise<never> {
    return new Promise((_, reject) => {
        request.signal.addEventListener("abort", () => {
            onAbort?.();
            reject(new StackOperationError("cancelled", "cancelled"));
        }, { once: true });
    });
}

/** The endpoint preflight's connector for fake stacks, whose endpoints are not real hosts: all reachable. */
export const reachAll = async (): Promise<void> => undefined;
