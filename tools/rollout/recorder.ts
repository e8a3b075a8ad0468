/**
 * The rollout's record keeping, apart from the operations: the report, its progress lines (secrets
 * redacted), how a failed operation maps onto the run's status and its regions, and the end of the
 * run. The orchestrator and every wave gate (gates/) report through one `RunRecorder`, so a gate
 * reports in the same form as the rest of the run.
 */
import { errorText } from "../error-text";
import type { OpMap } from "@pulumi/pulumi/automation";
import { redactDeep, redactText } from "../../stacks/secrets";
import type { OperationLog } from "./events";
import { EXIT_BY_STATUS, Failure, Mode, RegionReport, RegionStatus, RolloutReport, RunStatus, StepName, StepRecord, WaveReport, newReport } from "./report";
import { FailureKind } from "./stack-ops";

/** How one region ends in a halted run: its status and its own reason. */
export interface RegionEnd {
    readonly status: RegionStatus;
    readonly message: string;
}

/** A stack operation's outcome, timed. */
export type OpResult<T> = { ok: true; value: T; seconds: number } | { ok: false; error: unknown; kind: FailureKind; seconds: number };

/** The message for a locked stack: what happened and what to do, with no retry. */
export function lockedMessage(stack: string): string {
    return `stack ${stack} is locked by another update (Pulumi ConcurrentUpdateError); not retrying. ` +
        `Wait for that update to finish and run again. If no update is running (a crashed or killed run), ` +
        `clear the lock with \`pulumi cancel --stack ${stack}\`.`;
}

/** The best one-paragraph reason: the engine's error diagnostics, else the error's own text. */
export function failureMessage(error: unknown, diagnostics: readonly string[] = []): string {
    if (diagnostics.length > 0) return [...new Set(diagnostics)].join("\n");
    return errorText(error);
}

export class RunRecorder {
    readonly report: RolloutReport;
    /** Secret plaintexts the config held (sealed there): redacted from every line and the report. */
    secrets: readonly string[] = [];

    constructor(private readonly options: {
        readonly mode: Mode;
        readonly stack: string;
        readonly refresh: boolean;
        readonly policyPacks: readonly string[];
        /** Epoch milliseconds. */
        readonly now: () => number;
        /** Where progress lines go (already redacted). */
        readonly out: (line: string) => void;
    }) {
        this.report = newReport({ mode: options.mode, stack: options.stack, startedAt: new Date(options.now()), refresh: options.refresh, policyPacks: options.policyPacks });
    }

    /** Every progress line goes out through here, secrets redacted. */
    log(line: string): void {
        this.options.out(redactText(line, this.secrets));
    }

    /** A warning: a progress line and a line in the report. */
    warn(message: string): void {
        this.log(`Warning: ${message}`);
        this.report.warnings.push(message);
    }

    /** The report so far, secrets redacted: what may be written. */
    get current(): RolloutReport {
        return redactDeep(this.report, this.secrets);
    }

    get finished(): boolean {
        return this.report.finishedAt !== undefined;
    }

    now(): number {
        return this.options.now();
    }

    secondsSince(started: number): number {
        return Math.round(this.options.now() - started) / 1000;
    }

    region(region: string): RegionReport {
        return this.report.regions[region];
    }

    finish(status: Exclude<RunStatus, "running">, failure?: Failure): void {
        if (this.report.finishedAt) return;
        this.report.status = status;
        this.report.exitCode = EXIT_BY_STATUS[status];
        if (failure && !this.report.failure) this.report.failure = failure;
        const finished = this.options.now();
        this.report.finishedAt = new Date(finished).toISOString();
        this.report.seconds = Math.round(finished - Date.parse(this.report.startedAt)) / 1000;
        for (const r of Object.values(this.report.regions)) {
            if (r.status === "pending") r.status = status === "cancelled" ? "cancelled" : "skipped";
        }
        for (const w of this.report.waves) {
            if (w.status === "pending") w.status = status === "cancelled" ? "cancelled" : "skipped";
        }
    }

    /**
     * Ends the run where a step stopped it (an operation, or a wave gate's own verdict): each region in
     * `regions` gets its status and its own reason, the wave is failed (cancelled), `line` goes out,
     * and the run finishes with `status` and `failure`.
     */
    halt(status: Exclude<RunStatus, "running" | "succeeded">, failure: Failure, wave: WaveReport | undefined,
        regions: Readonly<Record<string, RegionEnd>> = {}, line?: string): void {
        for (const [region, end] of Object.entries(regions)) {
            const r = this.report.regions[region];
            if (!r) continue;
            r.status = end.status;
            r.failure = { step: failure.step, message: end.message, wave: wave?.name, region };
        }
        if (wave) wave.status = status === "cancelled" ? "cancelled" : "failed";
        if (line !== undefined) this.log(line);
        this.finish(status, failure);
    }

    /** Maps a failed operation onto the run's status, the report's failure and the affected regions. */
    fail(result: Extract<OpResult<unknown>, { ok: false }>, step: StepName, log: OperationLog | undefined,
        regions: readonly string[], wave?: WaveReport): void {
        const stack = this.report.stack;
        let status: Exclude<RunStatus, "running">;
        let message: string;
        switch (result.kind) {
            case "cancelled":
                status = "cancelled";
                message = `cancelled during ${step} (interrupt received)`;
                break;
            case "locked":
                status = "locked";
                message = lockedMessage(stack);
                break;
            case "stack-not-found":
                status = "invalid";
                message = failureMessage(result.error);
                break;
            default:
                status = "failed";
                message = failureMessage(result.error, log?.errors.map((e) => e.message));
        }
        // The regions the engine blamed, if it named any of ours; else all the operation covered.
        const blamed = status === "failed" && log ? log.failedRegions().filter((r) => regions.includes(r)) : [];
        const culprits = blamed.length > 0 ? blamed : [...regions];
        const ends: Record<string, RegionEnd> = {};
        for (const region of regions) {
            if (!this.report.regions[region]) continue;
            if (status === "cancelled") {
                ends[region] = { status: "cancelled", message };
            } else if (status !== "failed") {
                // Locked or unknown stack: the operation never started, nothing changed here.
                ends[region] = { status: "skipped", message };
            } else if (culprits.includes(region)) {
                const own = log?.errors.filter((e) => e.region === region).map((e) => e.message) ?? [];
                ends[region] = { status: "failed", message: own.length > 0 ? failureMessage(undefined, own) : message };
            } else {
                ends[region] = {
                    status: step === "up" ? "failed" : "skipped",
                    message: `the ${step} of this wave failed in ${culprits.join(", ")}${step === "up" ? "; this region's changes may be partly applied" : ""}`,
                };
            }
        }
        const region = culprits.length === 1 && status === "failed" ? culprits[0] : undefined;
        this.halt(status, { step, message, wave: wave?.name, region }, wave, ends,
            `${status === "cancelled" ? "Cancelled" : "Failed"}: ${step}${wave ? ` of wave ${wave.name}` : ""}${region !== undefined ? ` in ${region}` : ""}: ${message}`);
    }

    /** A check that is not a stack operation failed (its message says why): the same mapping as `fail`. */
    failCheck(step: StepName, message: string, regions: readonly string[], wave: WaveReport, seconds: number): void {
        this.fail({ ok: false, error: new Error(message), kind: "failed", seconds }, step, undefined, regions, wave);
    }

    record(target: StepRecord[], step: StepName, result: OpResult<unknown>): void {
        target.push({
            step,
            status: result.ok ? "succeeded" : result.kind === "cancelled" ? "cancelled" : "failed",
            seconds: result.seconds,
            ...(result.ok ? {} : { message: failureMessage(result.error) }),
        });
    }

    mandatoryViolations(log: OperationLog): string[] {
        return log.policyViolations.filter((v) => v.level === "mandatory").map((v) => `${v.policyPack}/${v.policy}: ${v.message}`);
    }

    collectPolicy(log: OperationLog): void {
        this.report.policyViolations.push(...log.policyViolations);
        for (const v of log.policyViolations) {
            this.log(`[${v.region ?? "stack"}] policy  ${v.level.padEnd(8)} ${v.policyPack}/${v.policy}: ${v.message}`);
        }
    }

    mergeStackChanges(log: OperationLog): void {
        const add = log.changes(undefined);
        const into: OpMap = this.report.stackChanges ?? {};
        for (const [op, n] of Object.entries(add)) into[op as keyof OpMap] = (into[op as keyof OpMap] ?? 0) + (n ?? 0);
        this.report.stackChanges = into;
    }

    resourcesOf(log: OperationLog, region: string): RegionReport["resources"] {
        return log.changedSteps(region).map(({ urn, type, name, op, status, seconds }) => ({ urn, type, name, op, status, seconds }));
    }
}
