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
import { computeModeChanges, computeModeRefusal } from "./compute-mode-gate";
import type { EngineEvent, OutputMap } from "@pulumi/pulumi/automation";
import { ConfigError } from "../../stacks/errors";
import { RolloutPlan, rolloutPlanFromConfig } from "./config";
import { OperationLog, hasChanges } from "./events";
import type { Prober } from "./health";
import { formatStepLine, formatWaveTable, isWorthALine } from "./progress";
import { OpResult, RunRecorder, failureMessage } from "./recorder";
import { Mode, RolloutReport, StepName, WaveReport } from "./report";
import { sleep as defaultSleep } from "./sleep";
import { FailureKind, RolloutStack, StackOperationError } from "./stack-ops";
import type { Connector } from "./preflight";
import { deployedRegions, registeredRegions, unconfiguredDeployed } from "./registration";
import type { EksClusterApi } from "./eks-api";
import { AccountApi, AwsCredentialsRef, checkAccount, checkSpotRole } from "./account";
import { assumeRoleSessionName } from "../../components/aws-provider";
import type { AlarmApi } from "./alarms-api";
import { RegionVersion, readDeployedVersions, versionChange, versionRefusal } from "./upgrade-gate";
import { UrnScope, regionOfUrn, trafficTargets, waveTargets } from "./waves";
import { WaveContext, WaveGate, runGates } from "./gates/gate";
import { WAVE_GATES } from "./gates";

export { failureMessage, lockedMessage } from "./recorder";

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
    /** up: no bake after the waves' health checks (a warning in the report). @default false */
    readonly skipBake?: boolean;
    /** up: start a wave although its regions' alarms stand in ALARM (a warning in the report). @default false */
    readonly ignorePreexistingAlarms?: boolean;
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
    /** CloudWatch, for the bake and the standing-alarm check (alarms-api.ts). @default none: both fail closed when they have alarms to read */
    readonly alarms?: AlarmApi;
    /** The gates every wave runs, in order (gates/index.ts). @default WAVE_GATES */
    readonly gates?: readonly WaveGate[];
    /**
     * STS, for the account guard (account.ts): the account the credentials change is printed first and
     * must be eks-platform:accountId. `npm run rollout` always passes one. @default none (no check)
     */
    readonly account?: AccountApi;
    /**
     * Set to the assumed role's credentials once the account guard has assumed eks-platform:assumeRoleArn,
     * so that the EKS and CloudWatch clients (`eks`, `alarms`) ask the account the stack changes. @default none
     */
    readonly awsCredentials?: AwsCredentialsRef;
}

export class Rollout {
    private readonly now: () => number;
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<boolean>;
    /** The report and its progress lines (recorder.ts), shared with the wave gates. */
    private readonly rec: RunRecorder;
    private readonly report: RolloutReport;
    private inFlight?: string;
    private inFlightLog?: OperationLog;
    /** Passed to every operation, sleep and probe; aborted by `onInterrupt`. */
    private readonly abort = new AbortController();
    private interrupted = false;
    /** The stack outputs before the first wave: deployed regions and their endpoints. */
    private deployedOutputs: OutputMap = {};

    constructor(private readonly deps: RolloutDeps, private readonly options: RolloutOptions) {
        this.now = deps.now ?? Date.now;
        this.sleep = deps.sleep ?? defaultSleep;
        this.rec = new RunRecorder({
            mode: options.mode,
            stack: deps.stack.name,
            now: this.now,
            refresh: options.refresh ?? false,
            policyPacks: options.policyPacks ?? [],
            out: deps.log,
        });
        this.report = this.rec.report;
        this.report.project = deps.stack.project;
        if (deps.signal.aborted) this.onInterrupt();
        else deps.signal.addEventListener("abort", () => this.onInterrupt(), { once: true });
    }

    /** Every progress line goes out through here, secrets redacted. */
    private log(line: string): void {
        this.rec.log(line);
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
        return this.rec.current;
    }

    /** The stack operation running now, if any. */
    get running(): string | undefined {
        return this.inFlight;
    }

    async run(): Promise<RolloutReport> {
        const plan = await this.loadPlan();
        if (!plan) return this.current;
        this.initRegions(plan);
        if (!(await this.checkAccount(plan))) return this.current;
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
        this.rec.finish("cancelled", this.report.failure ?? { step: this.inFlightStep(), message: "forced stop (second interrupt)" });
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
            this.rec.secrets = config.secrets;
        } catch (e) {
            const kind = e instanceof StackOperationError ? e.kind : "failed";
            this.rec.finish(kind === "stack-not-found" ? "invalid" : "failed", { step: "config", message: failureMessage(e) });
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
            this.rec.finish("invalid", { step: "config", message: e.message });
            return undefined;
        }
    }

    /** The account guard, before any stack operation: false (run over, exit 2) on a mismatch. */
    private async checkAccount(plan: RolloutPlan): Promise<boolean> {
        if (!this.deps.account) return true;
        const started = this.now();
        const target = {
            stack: plan.stack, environment: plan.environment, accountId: plan.accountId, assumeRoleArn: plan.assumeRoleArn,
            spotRoleRegions: plan.spotRoleRegions, createsSpotRole: plan.createsSpotRole,
        };
        const result = await checkAccount(target, this.deps.account);
        for (const line of result.lines) this.log(line);
        let refusal = result.ok ? undefined : result.message;
        if (result.ok) {
            // The account's prerequisites: the Spot service-linked role, where Karpenter may launch Spot.
            // Only an update launches anything, so a preview or drift check is warned, not refused.
            const spot = await checkSpotRole(target, this.deps.account);
            if (spot.ok) {
                if (spot.line) this.log(spot.line);
            } else if (spot.warningOnly || this.options.mode !== "up") {
                this.rec.warn(spot.message);
            } else {
                refusal = spot.message;
            }
        }
        if (refusal === undefined) {
            if (target.assumeRoleArn && this.deps.account.roleCredentials) {
                this.deps.awsCredentials?.use(this.deps.account.roleCredentials(target.assumeRoleArn, assumeRoleSessionName(target.environment)));
            }
            this.report.stackSteps.push({ step: "account", status: "succeeded", seconds: this.secondsSince(started) });
            return true;
        }
        this.log(`error: ${refusal}`);
        this.report.stackSteps.push({ step: "account", status: "failed", seconds: this.secondsSince(started), message: refusal });
        this.rec.finish("invalid", { step: "account", message: refusal });
        return false;
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
        return this.rec.secondsSince(started);
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
        this.rec.record(this.report.stackSteps, "preview", result);
        this.rec.collectPolicy(log);
        this.rec.mergeStackChanges(log);
        for (const region of plan.regions) {
            const r = this.report.regions[region];
            r.planned = log.changes(region);
            r.resources = this.rec.resourcesOf(log, region);
            r.durations.preview = result.seconds;
        }
        if (!result.ok) return this.rec.fail(result, "preview", log, plan.regions);
        const blocking = [...this.rec.mandatoryViolations(log), ...log.errors.map((e) => e.message)];
        if (blocking.length > 0) {
            return this.rec.fail({ ok: false, error: new Error(blocking.join("\n")), kind: "failed", seconds: result.seconds }, "preview", log, plan.regions);
        }
        for (const region of plan.regions) this.report.regions[region].status = "previewed";
        for (const line of formatWaveTable({ name: "preview", regions: plan.regions, status: "succeeded", steps: [], seconds: result.seconds },
            0, 1, plan.regions.map((r) => this.report.regions[r]))) this.log(line);
        this.rec.finish("succeeded");
    }

    // ---- drift --------------------------------------------------------------------------------

    private async runDrift(plan: RolloutPlan): Promise<void> {
        const { stack } = this.deps;
        const signal = this.signal;
        this.log(`Checking stack ${stack.name} for drift (refresh in preview mode, expecting no changes)`);
        const log = this.newLog(plan, "drift");
        const result = await this.op("drift", (onEvent) => stack.previewRefresh({ signal, onEvent, expectNoChanges: true }), log);
        this.rec.record(this.report.stackSteps, "drift", result);
        this.rec.mergeStackChanges(log);
        let drifted = false;
        for (const region of plan.regions) {
            const r = this.report.regions[region];
            r.changes = log.changes(region);
            r.resources = this.rec.resourcesOf(log, region);
            r.durations.preview = result.seconds;
            r.status = r.resources.length > 0 ? "drifted" : "in-sync";
            drifted ||= r.resources.length > 0;
        }
        const stackDrift = log.changedSteps().filter((s) => s.region === undefined);
        if (!result.ok && result.kind !== "changes-not-expected") return this.rec.fail(result, "drift", log, plan.regions);
        const engineSaysDrift = !result.ok || hasChanges(result.value.changeSummary);
        if (engineSaysDrift && !drifted && stackDrift.length === 0) {
            this.report.warnings.push("the engine reported changes, but no resource event named them; see the CLI output");
        }
        if (drifted || stackDrift.length > 0 || engineSaysDrift) {
            const where = plan.regions.filter((r) => this.report.regions[r].status === "drifted");
            this.log(`Drift found${where.length > 0 ? ` in ${where.join(", ")}` : ""}: ${log.changedSteps().length} resource(s) differ from the stack's state.`);
            this.rec.finish("drift", { step: "drift", message: `resources differ from the stack's state${where.length > 0 ? ` in ${where.join(", ")}` : ""}` });
        } else {
            this.log("No drift: every resource matches the stack's state.");
            this.rec.finish("succeeded");
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
            this.rec.record(this.report.stackSteps, "refresh", result);
            if (!result.ok) return this.rec.fail(result, "refresh", log, []);
        }

        const deployed = await this.deployedRegions(plan);
        if (!deployed) return;
        const versions = await this.checkVersions(plan, deployed.outputs);
        if (!versions) return;
        if (!this.checkComputeModes(plan, deployed.outputs)) return;

        for (let i = 0; i < waves.length; i++) {
            const wave = waves[i];
            if (this.interrupted) return this.rec.finish("cancelled", { step: "pause", message: "cancelled before the wave started", wave: wave.name });
            if (i > 0 && plan.pauseSeconds > 0) {
                this.log(`Pausing ${plan.pauseSeconds}s before wave ${wave.name}`);
                const started = this.now();
                const completed = await this.sleep(plan.pauseSeconds * 1000, signal);
                wave.steps.push({ step: "pause", status: completed ? "succeeded" : "cancelled", seconds: this.secondsSince(started) });
                if (!completed || this.interrupted) return this.rec.finish("cancelled", { step: "pause", message: "cancelled during the pause before the wave", wave: wave.name });
            }
            const ok = await this.runWave(plan, wave, i, deployed.regions, versions);
            for (const line of formatWaveTable(wave, i, waves.length, wave.regions.map((r) => this.report.regions[r]))) this.log(line);
            if (!ok) return;
        }
        this.rec.finish("succeeded");
    }

    /**
     * The regions deployed before the rollout (stack outputs, returned too), or undefined when the rollout must
     * not start: the outputs cannot be read, or a deployed region is no longer configured.
     */
    private async deployedRegions(plan: RolloutPlan): Promise<{ regions: string[]; outputs: OutputMap } | undefined> {
        const result = await this.op<OutputMap>("outputs", () => this.deps.stack.outputs(), this.newLog(plan, "outputs"));
        this.rec.record(this.report.stackSteps, "outputs", result);
        if (!result.ok) {
            this.rec.fail(result, "outputs", undefined, []);
            return undefined;
        }
        this.deployedOutputs = result.value;
        const deployed = deployedRegions(result.value);
        const orphans = unconfiguredDeployed(deployed, plan.regions);
        if (orphans.message) {
            this.log(`Refused: ${orphans.message}`);
            this.rec.finish("invalid", { step: "config", message: orphans.message });
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
        this.rec.finish("invalid", { step: "versions", message, region: refused.length === 1 ? refused[0].v.region : undefined });
        return undefined;
    }

    /** Compute mode changes, before anything changes (compute-mode-gate.ts): refused unless acknowledged. */
    private checkComputeModes(plan: RolloutPlan, outputs: OutputMap): boolean {
        const changes = computeModeChanges(outputs, plan.computeModes);
        for (const c of changes) this.log(`[${c.region}] computeMode ${c.from} -> ${c.to}${plan.acknowledgeComputeModeChange ? " (acknowledged)" : ""}`);
        const message = computeModeRefusal(changes, plan.acknowledgeComputeModeChange);
        if (!message) return true;
        this.report.stackSteps.push({ step: "compute-mode", status: "failed", seconds: 0, message });
        this.log(`Refused before any change: ${message}`);
        this.rec.finish("invalid", { step: "compute-mode", message, region: changes.length === 1 ? changes[0].region : undefined });
        return false;
    }

    /** One wave: its gates in order (gates/index.ts). False when the rollout must stop. */
    private async runWave(plan: RolloutPlan, wave: WaveReport, index: number, deployed: readonly string[], versions: readonly RegionVersion[]): Promise<boolean> {
        const started = this.now();
        // What the program registers: deployed regions and this and earlier waves' (registration.ts).
        const registered = registeredRegions(plan.regions, plan.waves, index, deployed);
        wave.status = "running";
        this.log(`== Wave ${index + 1}/${this.report.waves.length} "${wave.name}": ${wave.regions.join(", ")} (program registers ${registered.join(", ")})`);
        const ctx: WaveContext = {
            plan, wave, index, waveCount: this.report.waves.length, registered,
            target: waveTargets(this.scope(plan), wave.regions, plan.dns, plan.createsSpotRole),
            trafficTarget: trafficTargets(this.scope(plan), wave.regions),
            deployedOutputs: this.deployedOutputs, versions,
            options: this.options, deps: this.deps, signal: this.signal, rec: this.rec,
            interrupted: () => this.interrupted,
            newLog: (operation) => this.newLog(plan, operation),
            op: (label, run, log) => this.op(label, run, log),
            sleep: (ms, signal) => this.sleep(ms, signal),
        };
        const ok = await runGates(this.deps.gates ?? WAVE_GATES, ctx);
        if (ok) wave.status = "succeeded";
        wave.seconds = this.secondsSince(started);
        return ok;
    }
}
