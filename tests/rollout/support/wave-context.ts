/**
 * A `WaveContext` for testing one gate on its own: the real `RunRecorder` and a fake stack, a plan
 * built from a stack config like the orchestrator's, no Rollout around it.
 */
import type { OutputMap } from "@pulumi/pulumi/automation";
import { rolloutPlanFromConfig } from "../../../tools/rollout/config";
import { OperationLog } from "../../../tools/rollout/events";
import type { WaveContext } from "../../../tools/rollout/gates/gate";
import type { RolloutDeps, RolloutOptions } from "../../../tools/rollout/orchestrator";
import { RunRecorder } from "../../../tools/rollout/recorder";
import { StackOperationError } from "../../../tools/rollout/stack-ops";
import type { RegionVersion } from "../../../tools/rollout/upgrade-gate";
import { regionOfUrn, trafficTargets, waveTargets } from "../../../tools/rollout/waves";
import { FakeStack, reachAll, stackConfig } from "./fake-stack";

export interface GateHarness {
    readonly ctx: WaveContext;
    readonly rec: RunRecorder;
    readonly stack: FakeStack;
    readonly lines: string[];
}

/** The first wave of a stack with these regions (default waves: the first region alone). */
export function waveContext(options: {
    regions: string[];
    rollout?: unknown;
    apps?: unknown[];
    observability?: unknown;
    dns?: unknown;
    waveIndex?: number;
    deployedOutputs?: OutputMap;
    versions?: RegionVersion[];
    deps?: Partial<RolloutDeps>;
    options?: Partial<RolloutOptions>;
    /** @default advances the fake clock by `ms` at once */
    sleep?: (ms: number, signal?: AbortSignal) => Promise<boolean>;
    /** Already interrupted. @default false */
    interrupted?: boolean;
}): GateHarness {
    const stack = new FakeStack("prod", stackConfig({ regions: options.regions, rollout: options.rollout, apps: options.apps, observability: options.observability, dns: options.dns }));
    const plan = rolloutPlanFromConfig(stack.configValues, "prod");
    const lines: string[] = [];
    let t = 1_000_000;
    const now = () => t++;
    const rec = new RunRecorder({ mode: "up", stack: "prod", refresh: false, policyPacks: [], now, out: (l) => lines.push(l) });
    rec.report.waves = plan.waves.map((w) => ({ name: w.name, regions: [...w.regions], status: "running", steps: [] }));
    for (const w of plan.waves) for (const region of w.regions) {
        rec.report.regions[region] = { region, wave: w.name, status: "pending", resources: [], durations: {}, health: [] };
    }
    const index = options.waveIndex ?? 0;
    const wave = rec.report.waves[index];
    const signal = new AbortController().signal;
    const deps: RolloutDeps = { stack, signal, log: (l) => lines.push(l), connect: reachAll, ...options.deps };
    const ctx: WaveContext = {
        plan, wave, index, waveCount: plan.waves.length, registered: plan.regions,
        target: waveTargets({ stack: "prod", project: stack.project, environment: plan.environment }, wave.regions, plan.dns, plan.createsSpotRole),
        trafficTarget: trafficTargets({ stack: "prod", project: stack.project, environment: plan.environment }, wave.regions),
        deployedOutputs: options.deployedOutputs ?? {}, versions: options.versions ?? [],
        options: { mode: "up", ...options.options }, deps, signal, rec,
        interrupted: () => options.interrupted ?? false,
        newLog: () => new OperationLog({ regionOf: (urn) => regionOfUrn(urn, plan, plan.regions), now }),
        sleep: options.sleep ?? (async (ms) => { t += ms; return true; }),
        async op(_label, run, log) {
            try {
                return { ok: true, value: await run((e) => log.handle(e)), seconds: 0 };
            } catch (error) {
                return { ok: false, error, kind: error instanceof StackOperationError ? error.kind : "failed", seconds: 0 };
            }
        },
    };
    return { ctx, rec, stack, lines };
}
