/**
 * The shape of a wave: an explicit sequence of gates (gates/index.ts), run in order by the
 * orchestrator. A gate is a small unit in its own file. It reads what it needs from the
 * `WaveContext`, records its step(s) in `wave.steps` and, when it stops the rollout, the failure,
 * through the one `RunRecorder` (recorder.ts), and answers with a `GateOutcome`:
 * - `passed`: it ran and the wave goes on;
 * - `skipped`: nothing for it to do in this wave (it recorded nothing), the wave goes on;
 * - `halted`: it stopped the rollout and has finished the report (status, failure, regions);
 *   no later gate and no later wave runs.
 *
 * Adding a gate: a file here exporting a `WaveGate`, and one line in `WAVE_GATES` (gates/index.ts).
 */
import type { EngineEvent, OutputMap } from "@pulumi/pulumi/automation";
import type { RolloutPlan } from "../config";
import type { OperationLog } from "../events";
import type { RolloutDeps, RolloutOptions } from "../orchestrator";
import type { OpResult, RunRecorder } from "../recorder";
import type { StepName, WaveReport } from "../report";
import type { RegionVersion } from "../upgrade-gate";

export type GateOutcome = "passed" | "skipped" | "halted";

export interface WaveGate {
    /** The step it records (report.ts StepName). */
    readonly name: StepName;
    run(ctx: WaveContext): Promise<GateOutcome>;
}

/** What one wave's gates share: the plan, the wave, the orchestrator's services, and what earlier gates found. */
export interface WaveContext {
    readonly plan: RolloutPlan;
    readonly wave: WaveReport;
    /** 0-based position of the wave, and how many waves the rollout has. */
    readonly index: number;
    readonly waveCount: number;
    /** The regions the program registers in this wave's operations (registration.ts). */
    readonly registered: readonly string[];
    /** The wave's `--target` URNs (waves.ts). */
    readonly target: readonly string[];
    /** The wave's traffic `--target` globs (waves.ts trafficTargets): its regions' alias records and health checks. */
    readonly trafficTarget: readonly string[];
    /** The stack outputs read before the first wave (regions deployed before the rollout). */
    readonly deployedOutputs: OutputMap;
    /** Each region's configured and deployed Kubernetes version, read before the first wave. */
    readonly versions: readonly RegionVersion[];
    readonly options: RolloutOptions;
    readonly deps: RolloutDeps;
    /** Aborted on interrupt: pass it to every wait, probe and operation. */
    readonly signal: AbortSignal;
    readonly rec: RunRecorder;
    /** True once an interrupt arrived. */
    interrupted(): boolean;
    /** An operation log whose steps become progress lines. */
    newLog(operation: string): OperationLog;
    /** Waits `ms`, or less when the signal aborts (then resolves false). */
    sleep(ms: number, signal?: AbortSignal): Promise<boolean>;
    /** Runs a stack operation (interruptible, timed, never throws). */
    op<T>(label: string, run: (onEvent: (e: EngineEvent) => void) => Promise<T>, log: OperationLog): Promise<OpResult<T>>;
    /** Handed on by earlier gates: the stack outputs after the wave's update (the up gate). */
    outputs?: OutputMap;
}

/**
 * Runs the gates in order until one halts. True when every gate passed or skipped. A gate that
 * says `halted` without finishing the report is a bug: the run is failed rather than carried on.
 */
export async function runGates(gates: readonly WaveGate[], ctx: WaveContext): Promise<boolean> {
    for (const gate of gates) {
        const outcome = await gate.run(ctx);
        if (outcome === "halted") {
            if (!ctx.rec.finished) {
                ctx.wave.status = "failed";
                ctx.rec.finish("failed", { step: gate.name, message: `the ${gate.name} gate halted without a reason (a bug)`, wave: ctx.wave.name });
            }
            return false;
        }
        if (ctx.rec.finished) return false;
    }
    return true;
}
