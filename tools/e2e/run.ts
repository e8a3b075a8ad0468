/**
 * One e2e run, or one sweep, against injected AWS, stacks, plan, Kubernetes and HTTP (cli.ts wires
 * the real ones; tests/e2e the fakes). Order (docs/e2e.md):
 *
 *   refusals first, nothing created: credentials, account, lock, resources of this project in the
 *   region not created by this run, a stack an earlier run left here, the plan (config valid), the
 *   cost ceiling and the confirmation;
 *   then: lock, create the stack, the rollout (tools/rollout's Rollout, mode up), the live checks;
 *   and always (after a failure, the time limit or an interrupt too), unless --keep: destroy, remove
 *   the stack, sweep, release the lock, write the report.
 *
 * A first interrupt (or the time limit) cancels what runs and goes on to destroy; a second one stops
 * the destroy too (the CLI saves the state), leaving the stack for `--sweep`.
 */
import * as fs from "fs";
import * as path from "path";
import type { OutputMap } from "@pulumi/pulumi/automation";
import type { Timelines } from "../plan/timeline/timeline";
import type { CostEstimate } from "../plan/cost/estimate";
import type { AccountApi } from "../rollout/account";
import type { EksClusterApi } from "../rollout/eks-api";
import { HttpProbeSettings, Prober } from "../rollout/health";
import { Rollout } from "../rollout/orchestrator";
import type { Connector } from "../rollout/preflight";
import type { RolloutReport } from "../rollout/report";
import { DEFAULT_KUBERNETES_VERSION } from "../../facts/eks-versions";
import type { E2eOptions } from "./args";
import type { ClusterInfo, E2eAws, LockRecord } from "./aws";
import { CheckResult, driftCheck, eksChecks, httpCheck, kubeChecks, Expectations } from "./checks";
import type { KubeReader } from "./kube";
import { acquireLock, heldMessage, isStale, releaseLock } from "./lock";
import { E2E_TAG, PROJECT_TAG, clusterNameOf, runIdOfStackFile, stackFileName } from "./names";
import { E2eReport, E2eStatus, EXIT_OF, StepTiming, newE2eReport, ratio, resourceTimings } from "./report";
import type { E2eStack } from "./stack";
import { e2eStackFile, minimumNodes } from "./stack-config";
import { leftoverLine, sweep } from "./sweep";
import { stackFileRegions } from "./leftover-stack";

/** What the plan gives the run (tools/plan: the offline plan of the e2e stack file). */
export interface PlanInfo {
    readonly ok: boolean;
    /** Why not, when not ok. */
    readonly error?: string;
    readonly timeline?: Timelines;
    readonly cost?: CostEstimate;
    /** Where the estimate's prices come from (prices.ts), when not the checked-in table as is. */
    readonly pricesNote?: string;
}

export interface E2eDeps {
    readonly aws: E2eAws;
    readonly stacks: { create(runId: string): Promise<E2eStack>; open(runId: string): Promise<E2eStack> };
    readonly plan: (runId: string) => Promise<PlanInfo>;
    /** A Kubernetes reader for a cluster DescribeCluster described. */
    readonly kube: (cluster: ClusterInfo, region: string) => KubeReader;
    readonly probe: Prober;
    /** The rollout's EKS API (versions, insights). */
    readonly eks?: EksClusterApi;
    readonly connect?: Connector;
    /** The rollout's account guard (tools/rollout/account.ts). @default the run's own STS answer, IAM not asked */
    readonly account?: AccountApi;
    /** Passed to the rollout: how long an interrupted operation may take to notice by itself. @default 3000 */
    readonly interruptGraceMs?: number;
    /** The Pulumi project directory: where the stack file is written. */
    readonly projectDir: string;
    /** The Pulumi project name (Pulumi.yaml), the value of the platform's `project` tag. */
    readonly project: string;
    readonly newRunId: () => string;
    readonly now: () => number;
    readonly sleep: (ms: number, signal?: AbortSignal) => Promise<boolean>;
    readonly log: (line: string) => void;
    /** Asks a yes/no question; undefined when nobody can answer (no terminal). */
    readonly confirm?: (question: string) => Promise<boolean>;
    /** Aborted on the first interrupt. */
    readonly interrupted: AbortSignal;
    /** Aborted on the second interrupt. */
    readonly forced: AbortSignal;
    /** Sweep scan rounds and the wait between them. @default 3 rounds, 60 s */
    readonly sweepRounds?: number;
    readonly sweepWaitMs?: number;
    /** The HTTP check's retries (ALB DNS names take minutes to resolve). @default 10 s timeout, 30 retries, 10 s apart */
    readonly http?: HttpProbeSettings;
}

/** Time allowed for destroy and sweep after the time limit, in the lock's expiry and the cost estimate. */
export const DESTROY_ALLOWANCE_MINUTES = 45;

class Refused extends Error {}

export async function runE2e(o: E2eOptions, d: E2eDeps): Promise<E2eReport> {
    return o.sweep ? runSweep(o, d) : runOnce(o, d);
}

function finish(d: E2eDeps, r: E2eReport, status: Exclude<E2eStatus, "running">, failure?: string): E2eReport {
    r.status = status;
    r.exitCode = EXIT_OF[status];
    if (failure && !r.failure) r.failure = failure;
    r.finishedAt = new Date(d.now()).toISOString();
    return r;
}

async function timed<T>(d: E2eDeps, r: E2eReport, step: string, run: () => Promise<T>, model?: number, note?: string): Promise<T> {
    const started = d.now();
    const record = (status: StepTiming["status"]) => {
        const seconds = Math.round(d.now() - started) / 1000;
        r.steps.push({ step, status, seconds, ...(model !== undefined ? { modelledSeconds: model, ratio: ratio(seconds, model) } : {}), ...(note ? { note } : {}) });
    };
    try {
        const v = await run();
        record("succeeded");
        return v;
    } catch (e) {
        record(d.interrupted.aborted ? "cancelled" : "failed");
        throw e;
    }
}

/** Who is calling, or a refusal that says how to give credentials. */
async function caller(o: E2eOptions, d: E2eDeps): Promise<string> {
    let identity;
    try {
        identity = await d.aws.callerIdentity();
    } catch (e) {
        throw new Refused(`no usable AWS credentials (${(e as Error).message}); sign in to the sandbox account ` +
            "(aws sso login --profile <p> and AWS_PROFILE=<p>, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) and run again");
    }
    if (identity.account !== o.account) {
        throw new Refused(`--account ${o.account} is not the account of these credentials (${identity.account}, ${identity.arn}); ` +
            "switch to the sandbox account's credentials, or correct --account");
    }
    return identity.arn;
}

/** Refuses an account holding resources of this project that no e2e run made, or an earlier run's leftovers. */
async function accountGuard(o: E2eOptions, d: E2eDeps): Promise<void> {
    const ours = await d.aws.taggedResources(o.region, PROJECT_TAG, [d.project]);
    const foreign = ours.filter((x) => !x.tags[E2E_TAG]);
    if (foreign.length > 0) {
        throw new Refused(`account ${o.account} holds ${foreign.length} ${d.project} resource(s) in ${o.region} that npm run e2e did not create ` +
            `(e.g. ${foreign.slice(0, 3).map((x) => x.id).join(", ")}); run it in a sandbox account that holds no stack of this project`);
    }
    const earlier = [...new Set(ours.map((x) => x.tags[E2E_TAG]))];
    if (earlier.length > 0) {
        throw new Refused(`resources of earlier e2e run(s) ${earlier.join(", ")} are still in ${o.region}; ` +
            `remove them first: npm run e2e -- --account ${o.account} --region ${o.region} --sweep`);
    }
    const files = fs.readdirSync(d.projectDir).filter((f) => runIdOfStackFile(f));
    if (files.length > 0) {
        throw new Refused(`stack file(s) ${files.join(", ")} of an earlier e2e run are in ${d.projectDir}: that run may have left its stack; ` +
            `run npm run e2e -- --account ${o.account} --sweep first`);
    }
}

/**
 * The run's cost: the monthly estimate over the run's hours (time limit plus the destroy allowance).
 * Items without a price count at their upper bound where the plan has one (tools/plan/cost/bounds.ts:
 * `upperMonthlyUsd`); only items with neither leave the ceiling unproven.
 */
function estimateRun(o: E2eOptions, cost: CostEstimate): NonNullable<E2eReport["estimate"]> {
    const runHours = Math.round(((o.timeLimitMinutes + DESTROY_ALLOWANCE_MINUTES) / 60) * 100) / 100;
    const monthly = cost.upperMonthlyUsd ?? cost.monthlyUsd;
    return {
        monthlyUsd: monthly,
        upperBound: cost.missing.length > 0 && cost.upperMonthlyUsd !== undefined,
        runHours,
        runUsd: Math.round((monthly / cost.hoursPerMonth) * runHours * 100) / 100,
        maxCostUsd: o.maxCostUsd,
        unpriced: cost.upperMonthlyUsd !== undefined ? [] : cost.missing.filter((m) => m.boundUsd === undefined).map((m) => `${m.item} in ${m.region}`),
    };
}

async function runOnce(o: E2eOptions, d: E2eDeps): Promise<E2eReport> {
    const r = newE2eReport({ mode: "run", account: o.account, region: o.region, compute: o.compute, startedAt: new Date(d.now()) });
    const runId = d.newRunId();
    r.runId = runId;
    const file = path.join(d.projectDir, stackFileName(runId));
    let wroteFile = false;
    let arn: string;
    let plan: PlanInfo;
    // ---- refusals: nothing created yet -------------------------------------------------------------
    try {
        arn = await caller(o, d);
        const lock = await d.aws.getLock();
        if (lock) {
            throw new Refused(isStale(lock, d.now())
                ? `a stale e2e lock from run ${lock.runId} (expired ${lock.expiresAt}) is in the account: that run was killed before its cleanup; ` +
                  `run npm run e2e -- --account ${o.account} --region ${lock.region} --sweep, which removes what it left and the lock`
                : heldMessage(lock, o.lockRegion, false));
        }
        await accountGuard(o, d);
        fs.writeFileSync(file, e2eStackFile({ runId, account: o.account, region: o.region, computeMode: o.computeMode, apiCidrs: o.apiCidrs }));
        wroteFile = true;
        plan = await timed(d, r, "plan (offline)", () => d.plan(runId));
        if (!plan.ok || !plan.cost || !plan.timeline) throw new Refused(`the e2e stack does not plan: ${plan.error ?? "no estimate"}`);
        const estimate = estimateRun(o, plan.cost);
        r.estimate = estimate;
        r.prices = pricesRead(plan.cost, plan.pricesNote);
        d.log(`Run ${runId}: stack ${runId} in ${o.account}/${o.region}, compute ${o.compute}; modelled first deploy ${Math.round(plan.timeline.firstUpSeconds / 60)} min.`);
        d.log(`Estimated cost: $${estimate.runUsd.toFixed(2)} for at most ${estimate.runHours} h (time limit ${o.timeLimitMinutes} min + destroy), ` +
            `from $${estimate.monthlyUsd.toFixed(2)}/month${estimate.upperBound ? " (an upper bound: unpriced items at their bounds)" : ""}; ceiling $${o.maxCostUsd.toFixed(2)}.`);
        if (estimate.unpriced.length > 0 && o.acceptUnpriced) {
            r.notes.push(`--accept-unpriced: the estimate is a lower bound; no price for ${estimate.unpriced.join(", ")}`);
        } else if (estimate.unpriced.length > 0) {
            throw new Refused(`the cost ceiling cannot be shown to hold: no price for ${estimate.unpriced.join(", ")}; ` +
                "add them to facts/data/prices.json (npm run prices -- --refresh), choose a region the table prices (e.g. ap-northeast-1), or pass --accept-unpriced");
        }
        if (estimate.runUsd > o.maxCostUsd) {
            throw new Refused(`the estimated cost $${estimate.runUsd.toFixed(2)} exceeds --max-cost $${o.maxCostUsd.toFixed(2)}; raise --max-cost or lower --time-limit`);
        }
        if (!o.yes) {
            if (!d.confirm) throw new Refused("nobody to confirm (no terminal): pass --yes to create the stack without asking");
            if (!(await d.confirm(`Create ${runId} in account ${o.account} (${o.region}), at most ~$${estimate.runUsd.toFixed(2)}? [y/N] `))) {
                throw new Refused("not confirmed: nothing was created");
            }
        }
        const now = d.now();
        const record: LockRecord = {
            runId, stack: runId, region: o.region, caller: arn, purpose: "run",
            startedAt: new Date(now).toISOString(),
            expiresAt: new Date(now + (o.timeLimitMinutes + DESTROY_ALLOWANCE_MINUTES) * 60_000).toISOString(),
        };
        const got = await acquireLock(d.aws, record, { now, lockRegion: o.lockRegion });
        if (got.kind === "held") throw new Refused(got.message);
    } catch (e) {
        if (wroteFile) fs.rmSync(file, { force: true });
        if (e instanceof Refused) {
            d.log(`Refused: ${e.message}`);
            return finish(d, r, "refused", e.message);
        }
        throw e;
    }

    // ---- the run: from here on everything ends in destroy, sweep, unlock ---------------------------------
    const work = new AbortController();
    const onInterrupt = () => work.abort();
    d.interrupted.addEventListener("abort", onInterrupt, { once: true });
    if (d.interrupted.aborted) work.abort();
    const limit = setTimeout(() => {
        r.notes.push(`time limit of ${o.timeLimitMinutes} min reached: the run was stopped and destroyed`);
        d.log(`Time limit of ${o.timeLimitMinutes} min reached: stopping, then destroying.`);
        work.abort();
    }, o.timeLimitMinutes * 60_000);
    limit.unref();
    let stack: E2eStack | undefined;
    let failure: string | undefined;
    let rolloutReport: RolloutReport | undefined;
    try {
        stack = await timed(d, r, "create stack", () => d.stacks.create(runId));
        const rollout = new Rollout({
            stack: stack.rollout, signal: work.signal, log: (l) => d.log(`  ${l}`), now: d.now, sleep: d.sleep, probe: d.probe, eks: d.eks, connect: d.connect, interruptGraceMs: d.interruptGraceMs,
            // The rollout's account guard: STS and IAM as npm run rollout asks them (cli.ts), or, without one, the run's own STS answer.
            account: d.account ?? {
                callerIdentity: () => d.aws.callerIdentity(),
                assumedIdentity: async () => { throw new Error("an e2e stack assumes no role"); },
                roleExists: async () => { throw new Error("IAM is not asked without deps.account"); },
            },
        }, { mode: "up" });
        rolloutReport = await timed(d, r, "rollout (npm run rollout engine, up)", () => rollout.run(), plan!.timeline!.rollout.best,
            "modelled: the rollout's best case (preview gate, first deploy, health checks)");
        const region = rolloutReport.regions[o.region];
        r.rollout = { status: rolloutReport.status, seconds: rolloutReport.seconds, failure: rolloutReport.failure?.message };
        const modelUp = plan!.timeline!.regions.find((x) => x.region === o.region)?.seconds;
        if (region?.durations.preview !== undefined) {
            r.steps.push(stepOf("  preview gate", region.durations.preview, plan!.timeline!.rollout.steps.find((s) => s.what.endsWith("preview gate"))));
        }
        if (region?.durations.up !== undefined) {
            r.steps.push({ step: "  first deploy (pulumi up)", status: "succeeded", seconds: region.durations.up, modelledSeconds: modelUp, ratio: ratio(region.durations.up, modelUp) });
        }
        if (region?.durations.health !== undefined) r.steps.push({ step: "  rollout health checks", status: "succeeded", seconds: region.durations.health });
        r.resources = resourceTimings(plan!.timeline!, o.region, rolloutReport);
        if (rolloutReport.status !== "succeeded") {
            failure = `the rollout ${rolloutReport.status}${rolloutReport.failure ? `: ${rolloutReport.failure.step}: ${rolloutReport.failure.message.split("\n")[0]}` : ""}`;
        } else {
            const outputs = await stack.rollout.outputs();
            r.checks = await timed(d, r, "live checks", () => liveChecks(o, d, runId, stack!, outputs, work.signal));
            const failed = r.checks.filter((c) => !c.ok);
            if (failed.length > 0) failure = `${failed.length} check(s) failed: ${failed.map((c) => c.name).join(", ")}`;
        }
    } catch (e) {
        failure = work.signal.aborted ? `interrupted: ${(e as Error).message}` : (e as Error).message;
    } finally {
        clearTimeout(limit);
        d.interrupted.removeEventListener("abort", onInterrupt);
    }
    if (failure) d.log(`Failed: ${failure}`);

    // ---- cleanup ---------------------------------------------------------------------------------------------
    let destroyed = false;
    if (o.keep) {
        r.notes.push(`--keep: stack ${runId} is still up in ${o.region}; remove it with npm run e2e -- --account ${o.account} --region ${o.region} --sweep`);
        d.log(r.notes[r.notes.length - 1]);
    } else if (stack) {
        destroyed = await destroyStack(d, r, stack, runId, file);
    } else {
        fs.rmSync(file, { force: true });
        destroyed = true;
    }
    if (!o.keep) {
        const swept = await timed(d, r, "sweep (leftovers)", () => sweep(d.aws, [o.region], false, {
            rounds: d.sweepRounds, waitMs: d.sweepWaitMs, sleep: (ms) => d.sleep(ms, d.forced), log: d.log,
        }, [runId]));
        r.leftovers = [...swept.leftovers];
        r.pendingKeys = [...swept.pendingKeys];
        for (const l of r.leftovers) d.log(`Leftover: ${leftoverLine(l)}`);
        if (r.pendingKeys.length) d.log(`${r.pendingKeys.length} KMS key(s) pending deletion: fine (destroy schedules it; a key cannot be deleted at once).`);
    }
    if (await releaseLock(d.aws, runId).catch(() => false)) d.log("Lock released.");
    if (d.interrupted.aborted) return finish(d, r, "cancelled", failure ?? "interrupted");
    if (failure) return finish(d, r, "failed", failure);
    if (!destroyed && !o.keep) return finish(d, r, "failed", "destroy did not complete");
    if (r.leftovers.length > 0) {
        return finish(d, r, "leftovers", `${r.leftovers.length} leftover(s) after destroy: run npm run e2e -- --account ${o.account} --region ${o.region} --sweep`);
    }
    return finish(d, r, "passed");
}

function stepOf(step: string, seconds: number, model: { start: number; end: number } | undefined): StepTiming {
    const m = model ? model.end - model.start : undefined;
    return { step, status: "succeeded", seconds, ...(m !== undefined ? { modelledSeconds: m, ratio: ratio(seconds, m) } : {}) };
}

function pricesRead(cost: CostEstimate, note?: string): NonNullable<E2eReport["prices"]> {
    const seen = new Map<string, { item: string; region: string; unitUsd?: number; unit: string }>();
    for (const l of cost.regions.flatMap((x) => x.lines)) seen.set(`${l.item}@${l.region}`, { item: l.item, region: l.region, unitUsd: l.unitUsd, unit: l.unit });
    return {
        table: "facts/data/prices.json (the ledger's price table the plan reads)",
        read: cost.priceTable.read,
        items: [...seen.values()],
        note: note ?? "The checked-in table, not refreshed by the run.",
    };
}

async function liveChecks(o: E2eOptions, d: E2eDeps, runId: string, stack: E2eStack, outputs: OutputMap, signal: AbortSignal): Promise<CheckResult[]> {
    const x: Expectations = {
        region: o.region, cluster: clusterNameOf(runId, o.region), kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
        computeMode: o.computeMode, apiCidrs: o.apiCidrs, minNodes: minimumNodes(o.computeMode),
    };
    const out = await eksChecks(d.aws, x);
    const cluster = await d.aws.describeCluster(o.region, x.cluster);
    if (cluster?.endpoint) {
        try {
            out.push(...await kubeChecks(d.kube(cluster, o.region), x));
        } catch (e) {
            out.push({ name: "Kubernetes API", ok: false, message: (e as Error).message });
        }
    } else {
        out.push({ name: "Kubernetes API", ok: false, message: "DescribeCluster gave no endpoint" });
    }
    out.push(await httpCheck(outputs, o.region, d.probe, d.http ?? { timeoutMs: 10_000, retries: 30, intervalMs: 10_000 }, signal));
    try {
        out.push(await driftCheck(stack.rollout, signal));
    } catch (e) {
        out.push({ name: "no drift (second preview)", ok: false, message: (e as Error).message.split("\n")[0] });
    }
    return out;
}

/** Destroys and removes the stack and its file; false (and the stack left for --sweep) when it could not. */
async function destroyStack(d: E2eDeps, r: E2eReport, stack: E2eStack, runId: string, file: string): Promise<boolean> {
    d.log(`Destroying ${runId}${d.interrupted.aborted ? " (interrupt again to stop the destroy too, leaving it for --sweep)" : ""}.`);
    try {
        await timed(d, r, "destroy", () => stack.destroy({ signal: d.forced, onEvent: () => undefined }));
        await timed(d, r, "remove stack", () => stack.remove());
        fs.rmSync(file, { force: true });
        return true;
    } catch (e) {
        const message = `destroy of ${runId} did not complete (${(e as Error).message.split("\n")[0]}); the stack and ${path.basename(file)} are kept: ` +
            "run npm run e2e -- --sweep to finish it";
        r.notes.push(message);
        d.log(message);
        return false;
    }
}

// ---- --sweep ---------------------------------------------------------------------------------------------------

async function runSweep(o: E2eOptions, d: E2eDeps): Promise<E2eReport> {
    const r = newE2eReport({ mode: "sweep", account: o.account, region: o.region, compute: o.compute, startedAt: new Date(d.now()) });
    const sweepId = `sweep-${new Date(d.now()).toISOString()}`;
    try {
        const arn = await caller(o, d);
        const now = d.now();
        const got = await acquireLock(d.aws, {
            runId: sweepId, stack: "-", region: o.region, caller: arn, purpose: "sweep",
            startedAt: new Date(now).toISOString(), expiresAt: new Date(now + DESTROY_ALLOWANCE_MINUTES * 60_000).toISOString(),
        }, { now, lockRegion: o.lockRegion, breakLock: o.breakLock });
        if (got.kind === "held") throw new Refused(got.message);
        if (got.tookOver) r.notes.push(`took over the lock of ${got.tookOver.runId} (${isStale(got.tookOver, now) ? "expired" : "--break-lock"})`);
    } catch (e) {
        if (e instanceof Refused) {
            d.log(`Refused: ${e.message}`);
            return finish(d, r, "refused", e.message);
        }
        throw e;
    }
    const regions = new Set([o.region]);
    try {
        // Stacks earlier runs left (their stack files): destroy and remove them first; the state knows everything.
        for (const f of fs.readdirSync(d.projectDir)) {
            const runId = runIdOfStackFile(f);
            if (!runId) continue;
            const file = path.join(d.projectDir, f);
            const left = stackFileRegions(d.projectDir, runId);
            for (const region of left) regions.add(region);
            d.log(`Stack ${runId} (${left.join(", ") || "region unknown"}) was left by an earlier run: destroying it.`);
            try {
                const stack = await timed(d, r, `open stack ${runId}`, () => d.stacks.open(runId));
                await destroyStack(d, r, stack, runId, file);
            } catch (e) {
                // No such stack in the backend (removed already): the file alone is left.
                d.log(`  ${runId}: ${(e as Error).message.split("\n")[0]}; removing its stack file`);
                fs.rmSync(file, { force: true });
            }
        }
        const swept = await timed(d, r, "sweep (remove leftovers)", () => sweep(d.aws, [...regions], true, {
            rounds: d.sweepRounds, waitMs: d.sweepWaitMs, sleep: (ms) => d.sleep(ms, d.interrupted), log: d.log,
        }));
        r.leftovers = [...swept.leftovers];
        r.removed = [...swept.removed];
        r.pendingKeys = [...swept.pendingKeys];
        for (const e of swept.errors) r.notes.push(`could not remove ${e.id}: ${e.message}`);
        for (const l of r.leftovers) d.log(`Still there: ${leftoverLine(l)}`);
    } finally {
        await releaseLock(d.aws, sweepId).catch(() => false);
    }
    d.log(`Sweep: ${r.removed.length} removed, ${r.leftovers.length} left, ${r.pendingKeys.length} KMS key(s) pending deletion (fine).`);
    if (d.interrupted.aborted) return finish(d, r, "cancelled", "interrupted");
    return r.leftovers.length > 0 ? finish(d, r, "leftovers", `${r.leftovers.length} leftover(s) the sweep could not remove (listed)`) : finish(d, r, "passed");
}
