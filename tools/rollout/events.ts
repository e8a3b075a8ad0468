/**
 * Turns a stack operation's engine events into per-resource steps, per-region change counts, error
 * diagnostics and policy violations.
 *
 * Engine facts relied on (pulumi/pulumi pkg/engine, events.go and plan/update actions): every step
 * sends a ResourcePreEvent, then a ResourceOutputsEvent on success or a ResourceOperationFailed
 * event on failure; previews send both with `planning: true`. In a refresh the pre-event's op is
 * `refresh` and the outputs event carries the result (`same`, `update` or `delete`), so the op of
 * the last event for a resource is the one that counts.
 */
import type { EngineEvent, OpMap, OpType, PolicyEvent, SummaryEvent } from "@pulumi/pulumi/automation";
import { parseUrn } from "../urn";

/** Ops that change nothing: not shown as progress lines and not counted as drift. */
export const NO_CHANGE_OPS: readonly OpType[] = ["same", "read", "refresh"];

/** The steps of one replacement; a resource that went through any of them counts as `replace`. */
const REPLACE_OPS: readonly OpType[] = ["replace", "create-replacement", "delete-replaced", "read-replacement", "discard-replaced"];

export interface ResourceStep {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** Undefined for stack-level resources (the Stack itself, providers outside any region). */
    readonly region?: string;
    op: OpType;
    status: "running" | "done" | "failed";
    /** From the pre-event to the outputs (or failure) event, by this process's clock. */
    seconds?: number;
    readonly planning: boolean;
    /**
     * The resource's state says `retainOnDelete` (the step's old state, StepEventStateMetadata): a delete
     * drops it from the state and leaves it in the cloud (pulumi/pulumi step.go `DeleteStep.Apply`).
     */
    readonly retained?: boolean;
}

export interface Diagnostic {
    readonly severity: string;
    readonly message: string;
    readonly urn?: string;
    readonly region?: string;
}

export interface PolicyViolation {
    readonly policyPack: string;
    readonly policy: string;
    /** `mandatory` fails the operation; `advisory` is reported only. */
    readonly level: "mandatory" | "advisory";
    readonly message: string;
    readonly urn?: string;
    readonly region?: string;
}

/** Removes ANSI escapes and Pulumi's `<{%reset%}>` colour tags from an engine message. */
export function plainText(message: string): string {
    // eslint-disable-next-line no-control-regex
    return message.replace(/\u001b\[[0-9;]*m/g, "").replace(/<\{%[a-z-]*%\}>/gi, "").trim();
}

export class OperationLog {
    private readonly byUrn = new Map<string, ResourceStep & { started: number }>();
    readonly errors: Diagnostic[] = [];
    readonly policyViolations: PolicyViolation[] = [];
    summary?: SummaryEvent;
    /**
     * The engine announced it is cancelling ("^C received; cancelling" / "SIGTERM received;
     * cancelling"): the CLI got the interrupt itself, e.g. a terminal's Ctrl-C sent to the whole
     * process group. Another SIGINT would make it terminate immediately instead.
     */
    engineCancelling = false;

    constructor(private readonly options: {
        readonly regionOf: (urn: string) => string | undefined;
        /** Milliseconds, monotonic enough for durations. */
        readonly now: () => number;
        /** Called when a resource step completes or fails. */
        readonly onStep?: (step: ResourceStep) => void;
    }) {}

    handle(event: EngineEvent): void {
        if (event.resourcePreEvent) {
            const m = event.resourcePreEvent.metadata;
            const parsed = parseUrn(m.urn);
            this.byUrn.set(m.urn, {
                urn: m.urn,
                type: m.type,
                name: parsed?.name ?? m.urn,
                region: this.options.regionOf(m.urn),
                op: m.op,
                status: "running",
                planning: event.resourcePreEvent.planning === true,
                ...(m.old?.retainOnDelete === true ? { retained: true } : {}),
                started: this.options.now(),
            });
        } else if (event.resOutputsEvent) {
            this.finish(event.resOutputsEvent.metadata.urn, event.resOutputsEvent.metadata.op, event.resOutputsEvent.metadata.type, "done",
                event.resOutputsEvent.planning === true);
        } else if (event.resOpFailedEvent) {
            this.finish(event.resOpFailedEvent.metadata.urn, event.resOpFailedEvent.metadata.op, event.resOpFailedEvent.metadata.type, "failed", false);
        } else if (event.diagnosticEvent) {
            const d = event.diagnosticEvent;
            if (d.severity === "error" && !d.ephemeral) {
                this.errors.push({
                    severity: d.severity,
                    message: plainText(d.message),
                    urn: d.urn || undefined,
                    region: d.urn ? this.options.regionOf(d.urn) : undefined,
                });
            }
        } else if (event.policyEvent) {
            this.policyViolations.push(this.violation(event.policyEvent));
        } else if (event.summaryEvent) {
            this.summary = event.summaryEvent;
        } else if (event.stdoutEvent && /received; cancelling/.test(event.stdoutEvent.message)) {
            this.engineCancelling = true;
        }
    }

    private violation(p: PolicyEvent): PolicyViolation {
        return {
            policyPack: p.policyPackName,
            policy: p.policyName,
            level: p.enforcementLevel === "mandatory" ? "mandatory" : "advisory",
            message: plainText(p.message),
            urn: p.resourceUrn || undefined,
            region: p.resourceUrn ? this.options.regionOf(p.resourceUrn) : undefined,
        };
    }

    private finish(urn: string, op: OpType, type: string, status: "done" | "failed", planning: boolean): void {
        const now = this.options.now();
        let step = this.byUrn.get(urn);
        if (!step) {
            // An outputs event without a pre-event (e.g. the root stack's outputs): record it anyway.
            step = { urn, type, name: parseUrn(urn)?.name ?? urn, region: this.options.regionOf(urn), op, status: "running", planning, started: now };
            this.byUrn.set(urn, step);
        }
        step.op = REPLACE_OPS.includes(op) || REPLACE_OPS.includes(step.op) ? "replace" : op;
        step.status = status;
        step.seconds = (now - step.started) / 1000;
        // The line shows the step's own op (a replacement reports its create and delete steps).
        this.options.onStep?.({ ...this.publicStep(step), op });
    }

    private publicStep(s: ResourceStep & { started: number }): ResourceStep {
        const { started: _started, ...rest } = s;
        return rest;
    }

    steps(): ResourceStep[] {
        return [...this.byUrn.values()].map((s) => this.publicStep(s));
    }

    /** Resource count per op for one region, or for stack-level resources when `region` is undefined. */
    changes(region: string | undefined): OpMap {
        const out: OpMap = {};
        for (const s of this.byUrn.values()) {
            if (s.region !== region) continue;
            out[s.op] = (out[s.op] ?? 0) + 1;
        }
        return out;
    }

    /** Steps that change something (not same, read or refresh), for one region or all. */
    changedSteps(region?: string): ResourceStep[] {
        return this.steps().filter((s) => !NO_CHANGE_OPS.includes(s.op) && (region === undefined || s.region === region));
    }

    /** Regions with a failed step, an error diagnostic or a mandatory policy violation. */
    failedRegions(): string[] {
        const out = new Set<string>();
        for (const s of this.byUrn.values()) if (s.status === "failed" && s.region) out.add(s.region);
        for (const e of this.errors) if (e.region) out.add(e.region);
        for (const v of this.policyViolations) if (v.level === "mandatory" && v.region) out.add(v.region);
        return [...out];
    }
}

/** Whether a change summary counts any op that changes something. */
export function hasChanges(changes: OpMap): boolean {
    return Object.entries(changes).some(([op, n]) => !NO_CHANGE_OPS.includes(op as OpType) && (n ?? 0) > 0);
}
