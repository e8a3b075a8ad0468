/**
 * The rollout itself, against the small `RolloutStack` interface: read the stack's config, then
 * - `preview`: preview the whole stack; fail on errors and mandatory policy violations;
 * - `drift`: a refresh in preview mode expecting no changes;
 * - `up`: optionally refresh the stack, then wave by wave: a targeted preview (the gate), a targeted
 *   update of the wave's regions, the stack outputs, and health checks per region. The first failure
 *   stops the rollout: no later wave starts, and the report says which region and step failed and why.
 *
 * Cancellation: when `signal` aborts, nothing new starts and the running operation is cancelled: the
 * Automation API sends the CLI one SIGINT, on which it finishes in-flight resource operations, saves
 * the state and exits. A second SIGINT would make the CLI terminate at once (pkg/backend
 * cancellationScope), and a terminal's Ctrl-C already reaches the CLI, which shares our process group.
 * So the abort is passed on only if the engine has not announced within `interruptGraceMs` that it
 * is cancelling on its own.
 */
import type { EngineEvent, OpMap, OutputMap } from "@pulumi/pulumi/automation";
import { ConfigError } from "../../stacks/errors";
import { redactDeep, redactText } from "../../stacks/secrets";
import { RolloutPlan, rolloutPlanFromConfig } from "./config";
import { OperationLog, hasChanges } from "./events";
import { EXIT_BY_STATUS } from "./report";
import { checkRegionHealth, Prober } from "./health";
import { formatStepLine, formatWaveTable, isWorthALine } from "./progress";
import {
    Failure, Mode, RegionReport, RolloutReport, RunStatus, StepName, StepRecord, WaveReport, newReport, safeRegionOutputs,
} from "./report";
import { sleep as defaultSleep } from "./sleep";
import { FailureKind, RolloutStack, StackOperationError } from "./stack-ops";
import { Connector, PREFLIGHT_TIMEOUT_MS, checkEndpoints, unreachableMessage } from "./preflight";
import { deployedRegions, registeredRegions, regionDeletions, unconfiguredDeployed } from "./registration";
import type { EksClusterApi } from "./eks-api";
import { RegionVersion, insightGate, readDeployedVersions, regionOutput, versionChange, versionRefusal } from "./upgrade-gate";
import { UrnScope, regionOfUrn, waveTargets } from "./waves";

export interface RolloutOptions {
    readonly mode: Mode;
    /** up: refresh the whole stack before the first wave; preview: refresh before previewing. @default false */
    readonly refresh?: boolean;
    /** @default [] */
    readonly policyPacks?: readonly string[];
    /** @default [] */
    readonly policyPackConfigs?: readonly string[];
    /** up: go ahead despite ERROR upgrade insights or an unreadable insights API (warned). @default false */
    readonly ignoreInsights?: boolean;
}

export interface RolloutDeps {
    readonly stack: RolloutStack;
    /** Aborted on SIGINT/SIGTERM. */
    readonly signal: AbortSignal;
    /** Where progress lines go. */
    readonly log: (line: string) => void;
    /** Epoch milliseconds. @default Date.now */
    readonly now?: () => number;
    /** @default a timer that an abort cuts short */
    readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<boolean>;
    /** HTTP health probe. @default probeHttp */
    readonly probe?: Prober;
    /**
     * After an interrupt, how long to wait for the engine to report that it is cancelling by itself
     * before sending it the interrupt (see the file comment). @default 3000
     */
    readonly interruptGraceMs?: number;
    /** Opens a TCP connection for the endpoint preflight (preflight.ts). @default connectTcp */
    readonly connect?: Connector;
    /**
     * EKS, for the clusters' real Kubernetes versions and their upgrade insights (upgrade-gate.ts).
     * Without it the versions come from the stack outputs, and a wave that changes a version fails
     * closed at the insights gate unless `ignoreInsights`. @default none
     */
    readonly eks?: EksClusterApi;
}

type OpResult<T> = { ok: true; value: T; seconds: number } | { ok: false; error: unknown; kind: FailureKind; seconds: number };

/** The message for a locked stack: what happened and what to do, with no retry. */
export function lockedMessage(stack: string): string {
    return `stack ${stack} is locked by another update (Pulumi ConcurrentUpdateError); not retrying. ` +
        `Wait for that update to finish and run again. If no update is running (a crashed or killed run), ` +
        `clear the lock with \`pulumi cancel --stack ${stack}\`.`;
}

/** The best one-paragraph reason: the engine's error diagnostics, else the error's own text. */
export function failureMessage(error: unknown, diagnostics: readonly string[] = []): string {
    if (diagnostics.length > 0) return [...new Set(diagnostics)].join("\n");
    if (error instanceof StackOperationError) return error.message;
    if (error instanceof Error) return error.message;
    return String(error);
}

export class Rollout {
    private readonly now: () => number;
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<boolean>;
    private readonly report: RolloutReport;
    private inFlight?: string;
    private inFlightLog?: OperationLog;
    /** Passed to every operation, sleep and probe; aborted by `onInterrupt`. */
    private readonly abort = new AbortController();
    private interrupted = false;
    /** The stack outputs before the first wave: deployed regions and their endpoints. */
    private deployedOutputs: OutputMap = {};
    /** Secret plaintexts the config held (sealed there): redacted from every line and the report. */
    private secrets: readonly string[] = [];

    constructor(private readonly deps: RolloutDeps, private readonly options: RolloutOptions) {
        this.now = deps.now ?? Date.now;
        this.sleep = deps.sleep ?? defaultSleep;
        this.report = newReport({
            mode: options.mode,
            stack: deps.stack.name,
            startedAt: new Date(this.now()),
            refresh: options.refresh ?? false,
            policyPacks: options.policyPacks ?? [],
        });
        this.report.project = deps.stack.project;
        if (deps.signal.aborted) this.onInterrupt();
        else deps.signal.addEventListener("abort", () => this.onInterrupt(), { once: true });
    }

    /** Every progress line goes out through here, secrets redacted. */
    private log(line: string): void {
        this.deps.log(redactText(line, this.secrets));
    }

    private get signal(): AbortSignal {
        return this.abort.signal;
    }

    private onInterrupt(): void {
        if (this.interrupted) return;
        this.interrupted = true;
        const label = this.inFlight;
        if (!label) {
            this.log("Interrupt received: no further step will start.");
            this.abort.abort();
            return;
        }
        this.log(`Interrupt received: no further step will start; cancelling ${label}.`);
        // Real time, not `now`: this is a wall-clock wait whatever clock the report uses.
        const deadline = Date.now() + (this.deps.interruptGraceMs ?? 3000);
        const check = () => {
            if (this.inFlight !== label) return this.abort.abort(); // settled: abort whatever comes next (sleeps, probes)
            if (this.inFlightLog?.engineCancelling) {
                this.log("The CLI received the interrupt itself and is cancelling; not interrupting it again.");
                return;
            }
            if (Date.now() >= deadline) return this.abort.abort();
            setTimeout(check, Math.max(1, Math.min(100, deadline - Date.now()))).unref();
        };
        check();
    }

    /** The report so far (complete once `run` resolves), secrets redacted: what may be written. */
    get current(): RolloutReport {
        return redactDeep(this.report, this.secrets);
    }

    /** The stack operation running now, if any. */
    get running(): string | undefined {
        return this.inFlight;
    }

    async run(): Promise<RolloutReport> {
        const plan = await this.loadPlan();
        if (!plan) return this.current;
        this.initRegions(plan);
        switch (this.options.mode) {
            case "preview": await this.runPreview(plan); break;
            case "drift": await this.runDrift(plan); break;
            case "up": await this.runUp(plan); break;
        }
        return this.current;
    }

    /**
     * A second SIGINT/SIGTERM: the CLI is about to be killed mid-update, which would leave the
     * backend's lock (or Pulumi Cloud's in-progress update) behind and make the next run fail as
     * locked. Asks the backend to cancel our own update (`pulumi cancel`), waiting at most `timeoutMs`.
     */
    async forceCancel(timeoutMs = 30_000): Promise<boolean> {
        if (!this.inFlight) return false;
        this.log(`Forced stop during ${this.inFlight}: cancelling the stack's in-progress update in the backend (pulumi cancel).`);
        let cancelled = false;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
            this.deps.stack.cancel().then(() => { cancelled = true; }, (e) => this.log(`pulumi cancel failed: ${failureMessage(e)}`)),
            new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs); }),
        ]);
        clearTimeout(timer);
        this.report.warnings.push(`forced stop during ${this.inFlight}: ` + (cancelled
            ? "the backend's in-progress update was cancelled (pulumi cancel); resources being changed at that moment may need a refresh"
            : `pulumi cancel did not complete; if the next run reports the stack locked, run \`pulumi cancel --stack ${this.report.stack}\``));
        this.finish("cancelled", this.report.failure ?? { step: this.inFlightStep(), message: "forced stop (second interrupt)" });
        return cancelled;
    }

    private inFlightStep(): StepName {
        const op = this.inFlight?.split(" ")[0];
        return (["refresh", "preview", "up", "outputs", "drift"].includes(op ?? "") ? op : "up") as StepName;
    }

    // ---- config -------------------------------------------------------------------------------

    private async loadPlan(): Promise<RolloutPlan | undefined> {
        const started = this.now();
        let values: Record<string, string>;
        try {
            const config = await this.deps.stack.config();
            values = config.values;
            this.secrets = config.secrets;
        } catch (e) {
            const kind = e instanceof StackOperationError ? e.kind : "failed";
            this.finish(kind === "stack-not-found" ? "invalid" : "failed", { step: "config", message: failureMessage(e) });
            return undefined;
        }
        try {
            const plan = rolloutPlanFromConfig(values, this.deps.stack.name);
            this.report.stackSteps.push({ step: "config", status: "succeeded", seconds: this.secondsSince(started) });
            return plan;
        } catch (e) {
            if (!(e instanceof ConfigError)) throw e;
            this.log(e.message);
            this.report.stackSteps.push({ step: "config", status: "failed", seconds: this.secondsSince(started), message: e.message });
            this.finish("invalid", { step: "config", message: e.message });
            return undefined;
        }
    }

    private initRegions(plan: RolloutPlan): void {
        // Waves run only in `up`; previews and drift checks cover every region at once.
        if (this.options.mode === "up") {
            this.report.waves = plan.waves.map((w) => ({ name: w.name, regions: [...w.regions], status: "pending", steps: [] }));
        }
        for (const w of plan.waves) {
            for (const region of w.regions) {
                this.report.regions[region] = { region, wave: w.name, status: "pending", resources: [], durations: {}, health: [] };
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private secondsSince(started: number): number {
        return Math.round(this.now() - started) / 1000;
    }

    private scope(plan: RolloutPlan): UrnScope {
        return { stack: this.deps.stack.name, project: this.deps.stack.project, environment: plan.environment };
    }

    private newLog(plan: RolloutPlan, operation: string): OperationLog {
        return new OperationLog({
            regionOf: (urn) => regionOfUrn(urn, plan, plan.regions),
            now: this.now,
            onStep: (step) => { if (isWorthALine(step)) this.log(formatStepLine(operation, step)); },
        });
    }

    private async op<T>(label: string, run: (onEvent: (e: EngineEvent) => void) => Promise<T>, log: OperationLog): Promise<OpResult<T>> {
        const started = this.now();
        if (this.interrupted) return { ok: false, error: new Error("interrupted before it started"), kind: "cancelled", seconds: 0 };
        this.inFlight = label;
        this.inFlightLog = log;
        try {
            const value = await run((e) => log.handle(e));
            return { ok: true, value, seconds: this.secondsSince(started) };
        } catch (error) {
            const kind: FailureKind = this.interrupted ? "cancelled" : error instanceof StackOperationError ? error.kind : "failed";
            return { ok: false, error, kind, seconds: this.secondsSince(started) };
        } finally {
            this.inFlight = undefined;
            this.inFlightLog = undefined;
            if (this.interrupted) this.abort.abort();
        }
    }

    private finish(status: Exclude<RunStatus, "running">, failure?: Failure): void {
        if (this.report.finishedAt) return;
        this.report.status = status;
        this.report.exitCode = EXIT_BY_STATUS[status];
        if (failure && !this.report.failure) this.report.failure = failure;
        const finished = this.now();
        this.report.finishedAt = new Date(finished).toISOString();
        this.report.seconds = Math.round(finished - Date.parse(this.report.startedAt)) / 1000;
        for (const r of Object.values(this.report.regions)) {
            if (r.status === "pending") r.status = status === "cancelled" ? "cancelled" : "skipped";
        }
        for (const w of this.report.waves) {
            if (w.status === "pending") w.status = status === "cancelled" ? "cancelled" : "skipped";
        }
    }

    /** Maps a failed operation onto the run's status, the report's failure and the affected regions. */
    private fail(result: Extract<OpResult<unknown>, { ok: false }>, step: StepName, log: OperationLog | undefined,
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
        for (const region of regions) {
            const r = this.report.regions[region];
            if (!r) continue;
            if (status === "cancelled") {
                r.status = "cancelled";
                r.failure = { step, message, wave: wave?.name, region };
            } else if (status !== "failed") {
                // Locked or unknown stack: the operation never started, nothing changed here.
                r.status = "skipped";
                r.failure = { step, message, wave: wave?.name, region };
            } else if (culprits.includes(region)) {
                const own = log?.errors.filter((e) => e.region === region).map((e) => e.message) ?? [];
                r.status = "failed";
                r.failure = { step, message: own.length > 0 ? failureMessage(undefined, own) : message, wave: wave?.name, region };
            } else {
                r.status = step === "up" ? "failed" : "skipped";
                r.failure = { step, message: `the ${step} of this wave failed in ${culprits.join(", ")}${step === "up" ? "; this region's changes may be partly applied" : ""}`, wave: wave?.name, region };
            }
        }
        if (wave) wave.status = status === "cancelled" ? "cancelled" : "failed";
        this.log(`${status === "cancelled" ? "Cancelled" : "Failed"}: ${step}${wave ? ` of wave ${wave.name}` : ""}` +
            `${culprits.length === 1 && status === "failed" ? ` in ${culprits[0]}` : ""}: ${message}`);
        this.finish(status, { step, message, wave: wave?.name, region: culprits.length === 1 && status === "failed" ? culprits[0] : undefined });
    }

    private record(target: StepRecord[], step: StepName, result: OpResult<unknown>): void {
        target.push({
            step,
            status: result.ok ? "succeeded" : result.kind === "cancelled" ? "cancelled" : "failed",
            seconds: result.seconds,
            ...(result.ok ? {} : { message: failureMessage(result.error) }),
        });
    }

    private mandatoryViolations(log: OperationLog): string[] {
        return log.policyViolations.filter((v) => v.level === "mandatory").map((v) => `${v.policyPack}/${v.policy}: ${v.message}`);
    }

    private collectPolicy(log: OperationLog): void {
        this.report.policyViolations.push(...log.policyViolations);
        for (const v of log.policyViolations) {
            this.log(`[${v.region ?? "stack"}] policy  ${v.level.padEnd(8)} ${v.policyPack}/${v.policy}: ${v.message}`);
        }
    }

    private mergeStackChanges(log: OperationLog): void {
        const add = log.changes(undefined);
        const into: OpMap = this.report.stackChanges ?? {};
        for (const [op, n] of Object.entries(add)) into[op as keyof OpMap] = (into[op as keyof OpMap] ?? 0) + (n ?? 0);
        this.report.stackChanges = into;
    }

    private resourcesOf(log: OperationLog, region: string): RegionReport["resources"] {
        return log.changedSteps(region).map(({ urn, type, name, op, status, seconds }) => ({ urn, type, name, op, status, seconds }));
    }

    // ---- preview ------------------------------------------------------------------------------

    private async runPreview(plan: RolloutPlan): Promise<void> {
        const { stack } = this.deps;
        const signal = this.signal;
        this.log(`Previewing stack ${stack.name} (all regions: ${plan.regions.join(", ")})`);
        const log = this.newLog(plan, "preview");
        const result = await this.op("preview", (onEvent) => stack.preview({
            signal, onEvent, refresh: this.options.refresh ?? false,
            policyPacks: this.options.policyPacks ?? [], policyPackConfigs: this.options.policyPackConfigs ?? [],
        }), log);
        this.record(this.report.stackSteps, "preview", result);
        this.collectPolicy(log);
        this.mergeStackChanges(log);
        for (const region of plan.regions) {
            const r = this.report.regions[region];
            r.planned = log.changes(region);
            r.resources = this.resourcesOf(log, region);
            r.durations.preview = result.seconds;
        }
        if (!result.ok) return this.fail(result, "preview", log, plan.regions);
        const blocking = [...this.mandatoryViolations(log), ...log.errors.map((e) => e.message)];
        if (blocking.length > 0) {
            return this.fail({ ok: false, error: new Error(blocking.join("\n")), kind: "failed", seconds: result.seconds }, "preview", log, plan.regions);
        }
        for (const region of plan.regions) this.report.regions[region].status = "previewed";
        for (const line of formatWaveTable({ name: "preview", regions: plan.regions, status: "succeeded", steps: [], seconds: result.seconds },
            0, 1, plan.regions.map((r) => this.report.regions[r]))) this.log(line);
        this.finish("succeeded");
    }

    // ---- drift --------------------------------------------------------------------------------

    private async runDrift(plan: RolloutPlan): Promise<void> {
        const { stack } = this.deps;
        const signal = this.signal;
        this.log(`Checking stack ${stack.name} for drift (refresh in preview mode, expecting no changes)`);
        const log = this.newLog(plan, "drift");
        const result = await this.op("drift", (onEvent) => stack.previewRefresh({ signal, onEvent, expectNoChanges: true }), log);
        this.record(this.report.stackSteps, "drift", result);
        this.mergeStackChanges(log);
        let drifted = false;
        for (const region of plan.regions) {
            const r = this.report.regions[region];
            r.changes = log.changes(region);
            r.resources = this.resourcesOf(log, region);
            r.durations.preview = result.seconds;
            r.status = r.resources.length > 0 ? "drifted" : "in-sync";
            drifted ||= r.resources.length > 0;
        }
        const stackDrift = log.changedSteps().filter((s) => s.region === undefined);
        if (!result.ok && result.kind !== "changes-not-expected") return this.fail(result, "drift", log, plan.regions);
        const engineSaysDrift = !result.ok || hasChanges(result.value.changeSummary);
        if (engineSaysDrift && !drifted && stackDrift.length === 0) {
            this.report.warnings.push("the engine reported changes, but no resource event named them; see the CLI output");
        }
        if (drifted || stackDrift.length > 0 || engineSaysDrift) {
            const where = plan.regions.filter((r) => this.report.regions[r].status === "drifted");
            this.log(`Drift found${where.length > 0 ? ` in ${where.join(", ")}` : ""}: ${log.changedSteps().length} resource(s) differ from the stack's state.`);
            this.finish("drift", { step: "drift", message: `resources differ from the stack's state${where.length > 0 ? ` in ${where.join(", ")}` : ""}` });
        } else {
            this.log("No drift: every resource matches the stack's state.");
            this.finish("succeeded");
        }
    }

    // ---- up -----------------------------------------------------------------------------------

    private async runUp(plan: RolloutPlan): Promise<void> {
        const { stack } = this.deps;
        const signal = this.signal;
        const waves = this.report.waves;
        this.log(`Rolling out stack ${stack.name} in ${waves.length} wave(s): ${waves.map((w) => `${w.name} [${w.regions.join(", ")}]`).join(" -> ")}`);

        if (this.options.refresh) {
            const log = this.newLog(plan, "refresh");
            const result = await this.op("refresh", (onEvent) => stack.refresh({ signal, onEvent }), log);
            this.record(this.report.stackSteps, "refresh", result);
            if (!result.ok) return this.fail(result, "refresh", log, []);
        }

        const deployed = await this.deployedRegions(plan);
        if (!deployed) return;
        const versions = await this.checkVersions(plan, deployed.outputs);
        if (!versions) return;

        for (let i = 0; i < waves.length; i++) {
            const wave = waves[i];
            if (this.interrupted) return this.finish("cancelled", { step: "pause", message: "cancelled before the wave started", wave: wave.name });
            if (i > 0 && plan.pauseSeconds > 0) {
                this.log(`Pausing ${plan.pauseSeconds}s before wave ${wave.name}`);
                const started = this.now();
                const completed = await this.sleep(plan.pauseSeconds * 1000, signal);
                wave.steps.push({ step: "pause", status: completed ? "succeeded" : "cancelled", seconds: this.secondsSince(started) });
                if (!completed || this.interrupted) return this.finish("cancelled", { step: "pause", message: "cancelled during the pause before the wave", wave: wave.name });
            }
            const ok = await this.insightsGate(wave, versions) && await this.runWave(plan, wave, i, deployed.regions);
            for (const line of formatWaveTable(wave, i, waves.length, wave.regions.map((r) => this.report.regions[r]))) this.log(line);
            if (!ok) return;
        }
        this.finish("succeeded");
    }

    /**
     * The regions deployed before the rollout (stack outputs, returned too), or undefined when the rollout must
     * not start: the outputs cannot be read, or a deployed region is no longer configured.
     */
    private async deployedRegions(plan: RolloutPlan): Promise<{ regions: string[]; outputs: OutputMap } | undefined> {
        const result = await this.op<OutputMap>("outputs", () => this.deps.stack.outputs(), this.newLog(plan, "outputs"));
        this.record(this.report.stackSteps, "outputs", result);
        if (!result.ok) {
            this.fail(result, "outputs", undefined, []);
            return undefined;
        }
        this.deployedOutputs = result.value;
        const deployed = deployedRegions(result.value);
        const orphans = unconfiguredDeployed(deployed, plan.regions);
        if (orphans.message) {
            this.log(`Refused: ${orphans.message}`);
            this.finish("invalid", { step: "config", message: orphans.message });
            return undefined;
        }
        this.log(`Deployed regions (stack outputs): ${deployed.length > 0 ? deployed.join(", ") : "none"}`);
        return { regions: deployed, outputs: result.value };
    }

    /**
     * Kubernetes versions, before anything changes: each region's deployed version (EKS's answer, else
     * the stack outputs) against eks-platform:kubernetesVersion. A downgrade, a jump of more than one
     * minor version, or a state EKS has moved past (not refreshed) stops the rollout (upgrade-gate.ts).
     */
    private async checkVersions(plan: RolloutPlan, outputs: OutputMap): Promise<RegionVersion[] | undefined> {
        const started = this.now();
        const { versions, warnings } = await readDeployedVersions({
            regions: plan.regions, configured: plan.kubernetesVersion, clusterNameOf: (r) => plan.clusterNames[r], outputs, eks: this.deps.eks,
        });
        for (const w of warnings) this.log(`Warning: ${w}`);
        this.report.warnings.push(...warnings);
        for (const v of versions) {
            this.report.regions[v.region].kubernetes = { configured: v.configured, deployed: v.deployed, source: v.source };
            const change = versionChange(v.configured, v.deployed);
            this.log(`[${v.region}] Kubernetes ${change === "new" ? `${v.configured} (new cluster)` : `${v.deployed} (${v.source}) -> ${v.configured}: ${change}`}`);
        }
        const refused = versions.map((v) => ({ v, why: versionRefusal(v, this.options.refresh ?? false) })).filter((x) => x.why !== undefined);
        const message = refused.map((x) => x.why).join("\n");
        this.report.stackSteps.push({ step: "versions", status: refused.length > 0 ? "failed" : "succeeded", seconds: this.secondsSince(started), ...(message ? { message } : {}) });
        if (refused.length === 0) return versions;
        for (const { v, why } of refused) this.report.regions[v.region].failure = { step: "versions", message: why!, region: v.region };
        this.log(`Refused before any change: ${message}`);
        this.finish("invalid", { step: "versions", message, region: refused.length === 1 ? refused[0].v.region : undefined });
        return undefined;
    }

    /**
     * Before a wave whose update changes a region's Kubernetes version: that cluster's EKS upgrade
     * insights. An ERROR insight (or an API that cannot be asked: fail closed) halts the wave unless
     * `ignoreInsights`, which goes ahead with a warning in the report. True when the wave may start.
     */
    private async insightsGate(wave: WaveReport, versions: readonly RegionVersion[]): Promise<boolean> {
        const upgrading = versions.filter((v) => wave.regions.includes(v.region) && versionChange(v.configured, v.deployed) === "upgrade");
        if (upgrading.length === 0) return true;
        const started = this.now();
        const ignore = this.options.ignoreInsights ?? false;
        const results = await Promise.all(upgrading.map((version) => insightGate({ version, eks: this.deps.eks, ignore })));
        for (const [i, r] of results.entries()) {
            const region = this.report.regions[r.region];
            region.kubernetes = { ...region.kubernetes!, insights: [...r.lines] };
            const v = upgrading[i];
            this.log(`[${r.region}] upgrade insights for ${v.deployed} -> ${v.configured}: ${r.lines.length === 0 ? "nothing failing" : `${r.ok ? "" : "BLOCKING "}${r.lines.length} line(s)`}`);
            for (const l of r.lines) this.log(`[${r.region}]   ${l}`);
            for (const w of r.warnings) this.log(`Warning: ${w}`);
            this.report.warnings.push(...r.warnings);
        }
        const failed = results.filter((r) => !r.ok);
        wave.steps.push({ step: "insights", status: failed.length > 0 ? "failed" : "succeeded", seconds: this.secondsSince(started) });
        if (failed.length === 0) return true;
        const message = failed.map((r) => `${r.region}: ${r.lines.join("; ")}`).join("\n") +
            "\nFix what the insights name (EKS console, cluster Upgrade insights), or rerun with --ignore-insights to go ahead.";
        for (const region of wave.regions) {
            const r = this.report.regions[region];
            const own = failed.find((f) => f.region === region);
            r.status = own ? "failed" : "skipped";
            r.failure = { step: "insights", message: own ? own.lines.join("; ") : `the upgrade insights of this wave failed in ${failed.map((f) => f.region).join(", ")}`, wave: wave.name, region };
        }
        wave.status = "failed";
        this.log(`Failed: upgrade insights before wave ${wave.name}: ${message}`);
        this.finish("failed", { step: "insights", message, wave: wave.name, region: failed.length === 1 ? failed[0].region : undefined });
        return false;
    }

    /**
     * TCP 443 to the API endpoint of every cluster of the wave that exists (preflight.ts). False, with
     * the wave failed, when one is unreachable.
     */
    private async preflight(plan: RolloutPlan, wave: WaveReport): Promise<boolean> {
        const endpoints = wave.regions
            .map((region) => ({ region, endpoint: regionOutput(this.deployedOutputs, region, "clusterEndpoint") }))
            .filter((e): e is { region: string; endpoint: string } => e.endpoint !== undefined && e.endpoint !== "");
        if (endpoints.length === 0) return true;
        const started = this.now();
        const checks = await checkEndpoints(endpoints, this.deps.connect);
        for (const c of checks) this.log(`[${c.region}] preflight ${c.ok ? "ok  " : "FAIL"} TCP ${c.target}: ${c.message}`);
        const failed = checks.filter((c) => !c.ok);
        wave.steps.push({ step: "preflight", status: failed.length === 0 ? "succeeded" : "failed", seconds: this.secondsSince(started) });
        if (failed.length === 0) return true;
        const message = failed.map((c) => unreachableMessage(c, plan.regions.indexOf(c.region), PREFLIGHT_TIMEOUT_MS)).join("\n");
        this.fail({ ok: false, error: new Error(message), kind: "failed", seconds: this.secondsSince(started) },
            "preflight", undefined, failed.map((c) => c.region), wave);
        return false;
    }

    /** One wave: gate preview, targeted update, outputs, health. False when the rollout must stop. */
    private async runWave(plan: RolloutPlan, wave: WaveReport, index: number, deployed: readonly string[]): Promise<boolean> {
        const { stack } = this.deps;
        const signal = this.signal;
        const started = this.now();
        const target = waveTargets(this.scope(plan), wave.regions);
        // What the program registers: deployed regions and this and earlier waves' (registration.ts).
        const regions = registeredRegions(plan.regions, plan.waves, index, deployed);
        const policy = { policyPacks: this.options.policyPacks ?? [], policyPackConfigs: this.options.policyPackConfigs ?? [] };
        wave.status = "running";
        this.log(`== Wave ${index + 1}/${this.report.waves.length} "${wave.name}": ${wave.regions.join(", ")} (program registers ${regions.join(", ")})`);
        const done = (ok: boolean) => {
            wave.seconds = this.secondsSince(started);
            return ok;
        };

        // 0. The runner must reach the endpoints of the wave's existing clusters.
        if (!(await this.preflight(plan, wave))) return done(false);

        // 1. Gate: the wave's own preview must pass before anything in it changes.
        const previewLog = this.newLog(plan, "preview");
        const preview = await this.op(`preview ${wave.name}`, (onEvent) => stack.preview({ target, regions, signal, onEvent, ...policy }), previewLog);
        this.record(wave.steps, "preview", preview);
        this.collectPolicy(previewLog);
        for (const region of wave.regions) {
            this.report.regions[region].planned = previewLog.changes(region);
            this.report.regions[region].durations.preview = preview.seconds;
        }
        if (!preview.ok) {
            this.fail(preview, "preview", previewLog, wave.regions, wave);
            return done(false);
        }
        const blocking = [
            ...this.mandatoryViolations(previewLog), ...previewLog.errors.map((e) => e.message),
            ...regionDeletions(previewLog.changedSteps(), wave.regions).map((d) => `refused: the plan deletes a region's resources: ${d}`),
        ];
        if (blocking.length > 0) {
            this.fail({ ok: false, error: new Error(blocking.join("\n")), kind: "failed", seconds: preview.seconds },
                "preview", previewLog, wave.regions, wave);
            return done(false);
        }

        // 2. The targeted update of the wave's regions.
        const upLog = this.newLog(plan, "up");
        const up = await this.op(`up ${wave.name}`, (onEvent) => stack.up({
            target, regions, signal, onEvent, ...policy,
            message: `rollout wave ${index + 1}/${this.report.waves.length} "${wave.name}": ${wave.regions.join(", ")}`,
        }), upLog);
        this.record(wave.steps, "up", up);
        this.collectPolicy(upLog);
        this.mergeStackChanges(upLog);
        for (const region of wave.regions) {
            const r = this.report.regions[region];
            r.changes = upLog.changes(region);
            r.resources = this.resourcesOf(upLog, region);
            r.durations.up = up.seconds;
        }
        const outside = upLog.changedSteps().filter((s) => s.region !== undefined && !wave.regions.includes(s.region));
        if (outside.length > 0) {
            this.report.warnings.push(`wave ${wave.name} changed resources outside its regions: ${outside.map((s) => s.urn).join(", ")}`);
        }
        if (!up.ok) {
            this.fail(up, "up", upLog, wave.regions, wave);
            return done(false);
        }

        // 3. The outputs the health checks read (the engine always updates the Stack's outputs).
        const outputs = await this.op<OutputMap>(`outputs ${wave.name}`, () => stack.outputs(), upLog);
        this.record(wave.steps, "outputs", outputs);
        if (!outputs.ok) {
            this.fail(outputs, "outputs", undefined, wave.regions, wave);
            return done(false);
        }

        // 4. Health, every region of the wave (in parallel), all reported even if one fails.
        const healthStarted = this.now();
        const hc = plan.healthCheck;
        await Promise.all(wave.regions.map(async (region) => {
            const t0 = this.now();
            const r = this.report.regions[region];
            r.outputs = safeRegionOutputs(outputs.value, region);
            r.health = await checkRegionHealth({
                outputs: outputs.value, region, apps: plan.apps, scope: hc.http, signal, probe: this.deps.probe,
                karpenter: plan.karpenterRegions.includes(region),
                settings: { timeoutMs: hc.timeoutSeconds * 1000, retries: hc.retries, intervalMs: hc.intervalSeconds * 1000 },
            });
            r.durations.health = this.secondsSince(t0);
            for (const h of r.health) this.log(`[${region}] health  ${h.ok ? "ok  " : "FAIL"} ${h.target}: ${h.message}`);
            const failed = r.health.filter((h) => !h.ok);
            if (failed.length === 0) {
                r.status = "succeeded";
            } else if (this.interrupted) {
                r.status = "cancelled";
            } else {
                r.status = "failed";
                r.failure = { step: "health", message: failed.map((h) => `${h.target}: ${h.message}`).join("; "), wave: wave.name, region };
            }
        }));
        const healthSeconds = this.secondsSince(healthStarted);
        if (this.interrupted) {
            wave.steps.push({ step: "health", status: "cancelled", seconds: healthSeconds });
            wave.status = "cancelled";
            this.finish("cancelled", { step: "health", message: "cancelled during the health checks", wave: wave.name });
            return done(false);
        }
        const unhealthy = wave.regions.filter((region) => this.report.regions[region].status === "failed");
        wave.steps.push({ step: "health", status: unhealthy.length === 0 ? "succeeded" : "failed", seconds: healthSeconds });
        if (unhealthy.length > 0) {
            wave.status = "failed";
            const first = this.report.regions[unhealthy[0]].failure!;
            this.log(`Failed: health of wave ${wave.name} in ${unhealthy.join(", ")}: ${first.message}`);
            this.finish("failed", { step: "health", message: first.message, wave: wave.name, region: unhealthy.length === 1 ? unhealthy[0] : undefined });
            return done(false);
        }
        wave.status = "succeeded";
        return done(true);
    }
}
