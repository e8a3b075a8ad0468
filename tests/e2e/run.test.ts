import { strict as assert } from "assert";
import * as fs from "fs";
import type { E2eOptions } from "../../tools/e2e/args";
import { parseE2eArgs } from "../../tools/e2e/args";
import { E2E_TAG } from "../../tools/e2e/names";
import { renderE2eMarkdown } from "../../tools/e2e/report";
import { runE2e } from "../../tools/e2e/run";
import { ACCOUNT, FakeAws, REGION, fakeKubeApi, harness, kubeState, planInfo } from "./support/fakes";

function options(extra: string[] = []): E2eOptions {
    const p = parseE2eArgs(["--account", ACCOUNT, "--region", REGION, "--yes", ...extra]);
    assert.equal(p.kind, "run");
    return (p as Extract<typeof p, { kind: "run" }>).options;
}

describe("npm run e2e: a run against fakes (AWS, stack, Kubernetes API)", () => {
    const state = kubeState();
    let api: Awaited<ReturnType<typeof fakeKubeApi>>;
    before(async () => { api = await fakeKubeApi(state); });
    after(() => api.close());
    afterEach(() => Object.assign(state, kubeState()));

    it("creates, rolls out, checks, destroys, sweeps, unlocks and reports real durations next to the model", async () => {
        const h = harness(api.url);
        const r = await runE2e(options(), h.deps);
        assert.equal(r.status, "passed", r.failure);
        assert.equal(r.exitCode, 0);
        const stack = h.stacks[0];
        assert.equal(stack.runId, "e2e-000001");
        assert.deepEqual(stack.rollout.opsCalled(), ["outputs", "preview", "up", "outputs", "outputs", "preview"], "rollout: deployed outputs, gate and update, outputs, then the drift preview");
        assert.equal(stack.destroyed, 1);
        assert.equal(stack.removed, 1);
        assert.equal(h.aws.lock, undefined, "lock released");
        assert.ok(h.aws.calls.includes("PutParameter e2e-000001"));
        assert.deepEqual(fs.readdirSync(h.dir), ["Pulumi.yaml"], "the stack file is removed with the stack");
        const names = r.checks.map((c) => c.name);
        for (const n of ["cluster ACTIVE", "cluster version", "endpoint access", "control-plane logging", "secrets encryption", "add-on coredns",
            "node group system", "nodes Ready", "deployment kube-system/aws-load-balancer-controller", "deployment e2e-hello/hello",
            "app pods ready", "ingress address", "app over HTTP", "no drift (second preview)"]) {
            assert.ok(names.includes(n), `check ${n} ran (ran: ${names.join(", ")})`);
        }
        assert.ok(r.checks.every((c) => c.ok));
        assert.ok(api.requests.some((q) => q.path === "/api/v1/nodes" && q.auth === "Bearer k8s-aws-v1.fake"), "the Kubernetes API was called with the token");
        const rollout = r.steps.find((s) => s.step.startsWith("rollout"))!;
        assert.equal(rollout.modelledSeconds, 1256);
        assert.equal(rollout.ratio, Math.round((rollout.seconds / 1256) * 100) / 100);
        assert.ok(r.steps.some((s) => s.step === "destroy") && r.steps.some((s) => s.step === "sweep (leftovers)"));
        assert.deepEqual(r.pendingKeys.map((k) => k.id), [`arn:aws:kms:${REGION}:${ACCOUNT}:key/k1`], "the KMS key pending deletion is fine, not a leftover");
        assert.deepEqual(r.leftovers, []);
        assert.equal(r.estimate?.runUsd, Math.round((300 / 730) * 2.25 * 100) / 100, "90 min limit + 45 min destroy allowance at $300/month");
        assert.equal(r.prices?.read, "2026-11-29");
        const md = renderE2eMarkdown(r);
        assert.match(md, /\| rollout \(npm run rollout engine, up\) \| succeeded \| \d+:\d\d \| 20:56 \|/);
        assert.match(md, new RegExp(`Checks: ${r.checks.length}/${r.checks.length} passed`));
        // The modelled critical path's control plane, next to its duration from the engine's events.
        assert.equal(r.resources[0].step, `Cluster e2e-000001-${REGION}-cluster-eks`);
        assert.equal(r.resources[0].status, "succeeded");
        assert.equal(r.resources[0].modelledSeconds, 600);
        assert.equal(r.resources[0].ratio, Math.round((r.resources[0].seconds / 600) * 100) / 100);
    });

    it("a failed check still destroys, sweeps and unlocks, and fails the run", async () => {
        state.appReadyPods = 1;
        const h = harness(api.url);
        const r = await runE2e(options(), h.deps);
        assert.equal(r.status, "failed");
        assert.equal(r.exitCode, 1);
        assert.match(r.failure!, /check\(s\) failed: .*deployment e2e-hello\/hello.*app pods ready/);
        assert.equal(h.stacks[0].destroyed, 1);
        assert.equal(h.aws.lock, undefined);
        assert.deepEqual(fs.readdirSync(h.dir), ["Pulumi.yaml"]);
    });

    it("a leftover the sweep finds fails the run and is listed; --sweep removes it", async () => {
        const h = harness(api.url);
        h.deps.stacks.create = async (runId) => {
            const { FakeE2eStack } = await import("./support/fakes");
            const s = new FakeE2eStack(runId, h.aws);
            s.destroyLeaves = [`arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/k8s-${runId}/1`];
            h.stacks.push(s);
            return s;
        };
        const r = await runE2e(options(), h.deps);
        assert.equal(r.status, "leftovers");
        assert.equal(r.exitCode, 4);
        assert.deepEqual(r.leftovers.map((l) => [l.kind, l.runId]), [["load-balancer", "e2e-000001"]]);
        assert.match(h.lines.join("\n"), /Leftover: ap-northeast-1 load-balancer k8s-e2e-000001/);

        // A new run refuses the account while the leftover is there, before creating anything.
        const again = await runE2e(options(), h.deps);
        assert.equal(again.status, "refused");
        assert.match(again.failure!, /earlier e2e run\(s\) e2e-000001 .*--sweep/);
        assert.equal(h.stacks.length, 1);

        const s = await runE2e(options(["--sweep"]), h.deps);
        assert.equal(s.status, "passed", s.failure);
        assert.deepEqual(s.removed.map((l) => l.kind), ["load-balancer"]);
        assert.equal(h.aws.resources.filter((x) => x.kind === "load-balancer").length, 0);
        assert.equal(h.aws.lock, undefined, "the sweep releases its lock");
    });

    it("an interrupted run destroys; interrupted again it leaves the stack, which --sweep destroys", async () => {
        const h = harness(api.url);
        h.deps.stacks.create = async (runId) => {
            const { FakeE2eStack } = await import("./support/fakes");
            const s = new FakeE2eStack(runId, h.aws);
            const { untilAborted } = await import("../rollout/support/fake-stack");
            s.rollout.scripts.up = (req) => {
                h.aws.deploy(runId); // half-created when the interrupt comes
                setImmediate(() => h.interrupt.abort());
                return untilAborted(req);
            };
            s.destroyBlocks = true;
            h.stacks.push(s);
            return s;
        };
        const run = runE2e(options(), h.deps);
        // The second interrupt comes during the destroy.
        const waitDestroy = setInterval(() => { if (h.stacks[0]?.destroyed) { clearInterval(waitDestroy); h.force.abort(); } }, 1);
        const r = await run;
        assert.equal(r.status, "cancelled");
        assert.equal(r.exitCode, 130);
        assert.equal(h.stacks[0].destroyed, 1);
        assert.equal(h.stacks[0].removed, 0);
        assert.deepEqual(fs.readdirSync(h.dir).sort(), ["Pulumi.e2e-000001.yaml", "Pulumi.yaml"], "the stack file stays for --sweep");
        assert.equal(h.aws.lock, undefined, "the lock is released even so");
        assert.ok(h.aws.resources.some((x) => x.tags[E2E_TAG] === "e2e-000001" && x.kind === "load-balancer"));

        const fresh = harness(api.url, {}, h.aws, h.dir);
        fresh.stacks.push(h.stacks[0]);
        const s = await runE2e(options(["--sweep"]), fresh.deps);
        assert.equal(s.status, "passed", s.failure);
        assert.equal(h.stacks[0].destroyed, 2, "the sweep destroyed the stack the run left");
        assert.equal(h.stacks[0].removed, 1);
        assert.deepEqual(fs.readdirSync(h.dir), ["Pulumi.yaml"]);
        assert.deepEqual(h.aws.resources.filter((x) => !x.id.includes(":key/")), []);
    });
});

describe("npm run e2e: refused before anything is created", () => {
    const noKube = "http://127.0.0.1:9";

    function assertNothingCreated(h: ReturnType<typeof harness>): void {
        assert.equal(h.stacks.length, 0, "no stack created");
        assert.ok(!h.aws.calls.some((c) => c.startsWith("PutParameter")), "no lock taken");
        assert.deepEqual(fs.readdirSync(h.dir), ["Pulumi.yaml"], "no stack file left");
    }

    it("a wrong account", async () => {
        const aws = new FakeAws();
        aws.account = "999988887777";
        const h = harness(noKube, {}, aws);
        const r = await runE2e(options(), h.deps);
        assert.equal(r.status, "refused");
        assert.equal(r.exitCode, 2);
        assert.match(r.failure!, /--account 111122223333 is not the account of these credentials \(999988887777/);
        assertNothingCreated(h);
    });

    it("no credentials", async () => {
        const aws = new FakeAws();
        aws.credentialsError = new Error("Could not load credentials from any providers");
        const h = harness(noKube, {}, aws);
        const r = await runE2e(options(), h.deps);
        assert.match(r.failure!, /no usable AWS credentials .*aws sso login/);
        assertNothingCreated(h);
    });

    it("a second run while one holds the lock, and a stale lock (sweep first)", async () => {
        const aws = new FakeAws();
        aws.lock = { runId: "e2e-abcdef", stack: "e2e-abcdef", region: REGION, startedAt: "2026-12-04T23:50:00Z", expiresAt: "2026-12-05T02:05:00Z", caller: "arn:x", purpose: "run" };
        const h = harness(noKube, {}, aws);
        const r = await runE2e(options(), h.deps);
        assert.match(r.failure!, /run e2e-abcdef .* holds the e2e lock since 2026-12-04T23:50:00Z, until 2026-12-05T02:05:00Z .*Wait for it to finish/);
        assertNothingCreated(h);
        aws.lock = { ...aws.lock, expiresAt: "2026-12-04T23:59:00Z" };
        const stale = await runE2e(options(), h.deps);
        assert.match(stale.failure!, /stale e2e lock from run e2e-abcdef .*--sweep/);
        assert.equal(aws.lock?.runId, "e2e-abcdef", "a run never takes over a lock");
    });

    it("an account holding this project's resources that no e2e run made", async () => {
        const aws = new FakeAws();
        aws.resources.push({ kind: "tagged", id: "arn:aws:eks:ap-northeast-1:111122223333:cluster/prod-ap-northeast-1", tags: { project: "eks-platform" } });
        const h = harness(noKube, {}, aws);
        const r = await runE2e(options(), h.deps);
        assert.match(r.failure!, /holds 1 eks-platform resource\(s\) in ap-northeast-1 that npm run e2e did not create .*cluster\/prod-ap-northeast-1.*sandbox/);
        assertNothingCreated(h);
    });

    it("an estimate over --max-cost, an unpriced item, and no --yes without a terminal", async () => {
        const h = harness(noKube, { plan: async () => planInfo(3000) });
        const r = await runE2e(options(["--max-cost", "2"]), h.deps);
        assert.match(r.failure!, /estimated cost \$9\.25 exceeds --max-cost \$2\.00/);
        assertNothingCreated(h);
        const h2 = harness(noKube, { plan: async () => planInfo(300, [{ region: REGION, item: "alb.lcu", what: "ALB" }]) });
        assert.match((await runE2e(options(), h2.deps)).failure!, /no price for alb\.lcu in ap-northeast-1.*--accept-unpriced/);
        assertNothingCreated(h2);
        const bounded = harness(noKube, { plan: async () => ({ ...planInfo(300, [{ region: REGION, item: "alb.lcu", what: "ALB", boundUsd: 10 }]), cost: { ...planInfo().cost!, upperMonthlyUsd: 3100, missing: [{ region: REGION, item: "alb.lcu", what: "ALB", boundUsd: 10 }] } }) });
        const b = await runE2e(options(["--max-cost", "2"]), bounded.deps);
        assert.match(b.failure!, /estimated cost \$9\.55 exceeds --max-cost/, "an unpriced item with a bound counts at its upper bound");
        assert.equal(b.estimate?.upperBound, true);
        const accepted = await runE2e(options(["--accept-unpriced", "--keep"]), h2.deps);
        // Past the cost guard: the stack was created and rolled out; only the live checks fail here (no Kubernetes API).
        assert.equal(h2.stacks.length, 1, "a stack was created");
        assert.equal(accepted.status, "failed");
        assert.match(accepted.failure ?? "", /check\(s\) failed: Kubernetes API/);
        assert.match(accepted.notes.join("\n"), /lower bound; no price for alb\.lcu/);
        const h3 = harness(noKube, { confirm: undefined });
        const p = parseE2eArgs(["--account", ACCOUNT]);
        assert.equal(p.kind, "run");
        assert.match((await runE2e((p as any).options, h3.deps)).failure!, /pass --yes/);
        assertNothingCreated(h3);
        const h4 = harness(noKube, { confirm: async () => false });
        assert.match((await runE2e((p as any).options, h4.deps)).failure!, /not confirmed/);
        assertNothingCreated(h4);
    });

    it("bad command lines: each says what to do", () => {
        const err = (argv: string[], modes?: string[]) => {
            const p = parseE2eArgs(argv, modes);
            assert.equal(p.kind, "error", argv.join(" "));
            return (p as { message: string }).message;
        };
        assert.match(err([]), /--account is required: the 12-digit id/);
        assert.match(err(["--account", "12345"]), /not a 12-digit AWS account id/);
        assert.match(err(["--account", ACCOUNT, "--region", "mars-east-1"]), /not a region the stack schema allows .*ap-northeast-1/);
        assert.match(err(["--account", ACCOUNT, "--compute", "fargate"]), /expected one of managed, karpenter, auto/);
        assert.match(err(["--account", ACCOUNT, "--compute", "auto"], ["managed-node-groups", "karpenter"]), /--compute auto: not built yet/);
        assert.match(err(["--account", ACCOUNT, "--break-lock"]), /--break-lock goes with --sweep only/);
        assert.match(err(["--account", ACCOUNT, "--api-cidr", "10.0.0.1"]), /not an IPv4 CIDR/);
        assert.match(err(["--account", ACCOUNT, "--time-limit", "0"]), /--time-limit "0": expected a number above 0/);
        const auto = parseE2eArgs(["--account", ACCOUNT, "--compute", "auto"], ["managed-node-groups", "karpenter", "auto-mode"]);
        assert.equal(auto.kind === "run" && auto.options.computeMode, "auto-mode", "accepted once a mode naming auto exists");
    });
});

describe("npm run e2e: the time limit, --keep and the command", () => {
    const state = kubeState();
    let api: Awaited<ReturnType<typeof fakeKubeApi>>;
    before(async () => { api = await fakeKubeApi(state); });
    after(() => api.close());

    it("the time limit stops the rollout and destroys", async () => {
        const h = harness(api.url);
        h.deps.stacks.create = async (runId) => {
            const { FakeE2eStack } = await import("./support/fakes");
            const { untilAborted } = await import("../rollout/support/fake-stack");
            const s = new FakeE2eStack(runId, h.aws);
            s.rollout.scripts.up = (req) => untilAborted(req); // an update that never ends by itself
            h.stacks.push(s);
            return s;
        };
        const r = await runE2e(options(["--time-limit", "0.0005"]), h.deps); // 30 ms
        assert.equal(r.status, "failed");
        assert.match(r.notes.join("\n"), /time limit of 0.0005 min reached/);
        assert.match(r.failure!, /the rollout cancelled/);
        assert.equal(h.stacks[0].destroyed, 1);
        assert.equal(h.aws.lock, undefined);
    });

    it("--keep leaves the stack up, says how to remove it, and a later run refuses the account until --sweep", async () => {
        const h = harness(api.url);
        const r = await runE2e(options(["--keep"]), h.deps);
        assert.equal(r.status, "passed", r.failure);
        assert.equal(h.stacks[0].destroyed, 0);
        assert.match(r.notes.join("\n"), /--keep: stack e2e-000001 is still up .*--sweep/);
        assert.ok(!r.steps.some((s) => s.step.startsWith("sweep")));
        assert.ok(fs.existsSync(`${h.dir}/Pulumi.e2e-000001.yaml`));
        assert.equal((await runE2e(options(), h.deps)).status, "refused");
        assert.equal((await runE2e(options(["--sweep"]), h.deps)).status, "passed");
        assert.equal(h.stacks[0].destroyed, 1);
    });

    it("the command: usage errors exit 2 before anything; a run writes both reports; SIGINT interrupts", async () => {
        const { EventEmitter } = await import("events");
        const { main } = await import("../../tools/e2e/cli");
        const os = await import("os");
        const lines: string[] = [];
        assert.equal(await main(["--account", "12"], { out: (l) => lines.push(l) }), 2);
        assert.match(lines.join("\n"), /not a 12-digit AWS account id[\s\S]*Usage: npm run e2e/);
        const out = fs.mkdtempSync(`${os.tmpdir()}/e2e-out-`);
        const h = harness(api.url);
        const signals = new EventEmitter();
        h.deps.stacks.create = async (runId) => {
            const { FakeE2eStack } = await import("./support/fakes");
            const { untilAborted } = await import("../rollout/support/fake-stack");
            const s = new FakeE2eStack(runId, h.aws);
            s.rollout.scripts.up = (req) => { setImmediate(() => signals.emit("SIGINT", "SIGINT")); return untilAborted(req); };
            h.stacks.push(s);
            return s;
        };
        const { interrupted, forced, ...deps } = h.deps;
        void interrupted; void forced;
        const code = await main(["--account", ACCOUNT, "--region", REGION, "--yes", "--out", out], {
            deps: {
                ...deps, eks: { clusterVersion: async () => undefined, upgradeInsights: async () => [] },
                account: { callerIdentity: () => h.aws.callerIdentity(), assumedIdentity: async () => { throw new Error("none"); }, roleExists: async () => true },
            },
            signals: signals as any, out: (l) => lines.push(l),
        });
        assert.equal(code, 130, lines.join("\n"));
        assert.equal(h.stacks[0].destroyed, 1, "interrupted once: still destroyed");
        assert.match(lines.join("\n"), /SIGINT received: stopping what runs, then destroying/);
        const json = JSON.parse(fs.readFileSync(`${out}/e2e-report.json`, "utf8"));
        assert.equal(json.status, "cancelled");
        assert.match(fs.readFileSync(`${out}/e2e-report.md`, "utf8"), /^# npm run e2e: cancelled \(e2e-000001\)/);
        assert.equal(signals.listenerCount("SIGINT"), 0, "signal handlers removed");
    });
});
