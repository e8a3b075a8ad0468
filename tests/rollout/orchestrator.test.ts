import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EXIT } from "../../tools/rollout/exit-codes";
import type { HealthResult } from "../../tools/rollout/health";
import { Rollout, RolloutOptions } from "../../tools/rollout/orchestrator";
import { writeJsonReport } from "../../tools/rollout/report";
import { StackOperationError, UpRequest } from "../../tools/rollout/stack-ops";
import {
    FakeStack, REGIONAL, changes, reachAll, childUrn, emit, failedStepEvents, lockedError, regionOutputs, stackConfig, stepEvents, untilAborted,
} from "./support/fake-stack";

const R1 = "ap-northeast-2";
const R2 = "ap-northeast-1";
const R3 = "us-west-2";

function componentUrn(region: string, stack = "prod"): string {
    return `urn:pulumi:${stack}::eks-platform::${REGIONAL}::prod-${region}`;
}
function subtree(region: string, stack = "prod"): string {
    return `urn:pulumi:${stack}::eks-platform::${REGIONAL}$**::prod-${region}-**`;
}

interface Harness {
    readonly stack: FakeStack;
    readonly lines: string[];
    readonly controller: AbortController;
    readonly sleeps: number[];
    run(options?: Partial<RolloutOptions>, extra?: { probe?: any; interruptGraceMs?: number }): Promise<ReturnType<Rollout["run"]> extends Promise<infer R> ? R : never>;
    rollout?: Rollout;
}

function harness(config: Record<string, string>, stackName = "prod"): Harness {
    const stack = new FakeStack(stackName, config);
    const h: Harness = {
        stack,
        lines: [],
        controller: new AbortController(),
        sleeps: [],
        async run(options = {}, extra = {}) {
            h.rollout = new Rollout({
                stack,
                signal: h.controller.signal,
                log: (l) => h.lines.push(l),
                sleep: async (ms, signal) => { h.sleeps.push(ms); return !signal?.aborted; },
                probe: extra.probe,
                interruptGraceMs: extra.interruptGraceMs ?? 20,
                connect: reachAll,
            }, { mode: "up", ...options });
            return h.rollout.run();
        },
    };
    return h;
}

const threeRegions = () => stackConfig({ regions: [R1, R2, R3] });

describe("rollout orchestrator: waves", () => {
    it("runs the default waves in order: the first region alone, then the rest, each previewed before updated", async () => {
        const h = harness(threeRegions());
        h.stack.outputsValue = regionOutputs([R1, R2, R3]);
        const report = await h.run();
        assert.equal(report.status, "succeeded");
        assert.equal(report.exitCode, EXIT.OK);
        assert.deepEqual(h.stack.opsCalled(), ["outputs", "preview", "up", "outputs", "preview", "up", "outputs"]);
        assert.deepEqual(report.waves.map((w) => [w.name, w.regions, w.status]), [
            ["canary", [R1], "succeeded"],
            ["rest", [R2, R3], "succeeded"],
        ]);
        assert.deepEqual(Object.values(report.regions).map((r) => [r.region, r.wave, r.status]), [
            [R1, "canary", "succeeded"], [R2, "rest", "succeeded"], [R3, "rest", "succeeded"],
        ]);
    });

    it("targets each wave's regional components and everything under them, and nothing else", async () => {
        const h = harness(stackConfig({ regions: [R1, R2, R3], rollout: { waves: [{ name: "one", regions: [R2] }, { name: "two", regions: [R3, R1] }] } }), "acme/prod");
        h.stack.outputsValue = regionOutputs([R1, R2, R3]);
        await h.run();
        const targeted = h.stack.calls.filter((c) => c.op === "preview" || c.op === "up").map((c) => [c.op, c.target]);
        const one = [componentUrn(R2), subtree(R2)];
        const two = [componentUrn(R3), subtree(R3), componentUrn(R1), subtree(R1)];
        assert.deepEqual(targeted, [["preview", one], ["up", one], ["preview", two], ["up", two]]);
        const up = h.stack.calls.find((c) => c.op === "up")!.request as UpRequest;
        assert.equal((up as any).targetDependents, undefined, "no target dependents: other regions stay untouched");
        assert.match(up.message!, /rollout wave 1\/2 "one": ap-northeast-1/);
    });

    it("pauses between waves for pauseSeconds, not before the first", async () => {
        const h = harness(stackConfig({ regions: [R1, R2, R3], rollout: { pauseSeconds: 90 } }));
        h.stack.outputsValue = regionOutputs([R1, R2, R3]);
        const report = await h.run();
        assert.deepEqual(h.sleeps, [90_000]);
        assert.deepEqual(report.waves[1].steps.map((s) => s.step), ["pause", "preflight", "preview", "up", "outputs", "health"]);
    });

    it("refreshes the whole stack once before the first wave with --refresh", async () => {
        const h = harness(threeRegions());
        h.stack.outputsValue = regionOutputs([R1, R2, R3]);
        const report = await h.run({ refresh: true });
        assert.deepEqual(h.stack.opsCalled().slice(0, 4), ["refresh", "outputs", "preview", "up"]);
        assert.equal(h.stack.calls.filter((c) => c.op === "refresh").length, 1);
        assert.deepEqual(report.stackSteps.map((s) => [s.step, s.status]), [["config", "succeeded"], ["refresh", "succeeded"], ["outputs", "succeeded"], ["versions", "succeeded"]]);
    });

    it("passes policy packs to every preview gate and update", async () => {
        const h = harness(threeRegions());
        h.stack.outputsValue = regionOutputs([R1, R2, R3]);
        await h.run({ policyPacks: ["policies/aws"], policyPackConfigs: ["policies/aws.json"] });
        for (const c of h.stack.calls.filter((x) => x.op === "preview" || x.op === "up")) {
            assert.deepEqual((c.request as any).policyPacks, ["policies/aws"]);
            assert.deepEqual((c.request as any).policyPackConfigs, ["policies/aws.json"]);
        }
    });
});

describe("rollout orchestrator: halting on the first failure", () => {
    it("stops after a failed update: no later wave starts; the report names the region, step and error", async () => {
        const h = harness(threeRegions());
        const vpc = childUrn("prod", "prod", R1, "aws:ec2/vpc:Vpc", "vpc");
        h.stack.scripts.up = (req) => {
            emit(req, failedStepEvents(vpc, "aws:ec2/vpc:Vpc", "update", "updating VPC: UnauthorizedOperation: not allowed"));
            throw new StackOperationError("failed", "pulumi exited with code 255");
        };
        const report = await h.run();
        assert.equal(report.status, "failed");
        assert.equal(report.exitCode, EXIT.FAILED);
        assert.deepEqual(h.stack.opsCalled(), ["outputs", "preview", "up"], "the second wave never starts");
        assert.deepEqual(report.failure, { step: "up", wave: "canary", region: R1, message: "updating VPC: UnauthorizedOperation: not allowed" });
        assert.equal(report.regions[R1].status, "failed");
        assert.deepEqual(report.regions[R1].resources.map((r) => [r.name, r.op, r.status]), [[`prod-${R1}-vpc`, "update", "failed"]]);
        assert.equal(report.regions[R2].status, "skipped");
        assert.equal(report.waves[1].status, "skipped");
        assert.ok(h.lines.some((l) => l.startsWith(`[${R1}] up      update   aws:ec2/vpc:Vpc prod-${R1}-vpc`) && l.endsWith("FAILED")), h.lines.join("\n"));
    });

    it("stops when a wave's preview gate fails, before updating anything in it", async () => {
        const h = harness(threeRegions());
        h.stack.outputsValue = regionOutputs([R1, R2, R3]);
        h.stack.scripts.preview = (req, n) => {
            if (n === 1) {
                emit(req, [{ sequence: 0, timestamp: 0, diagnosticEvent: { message: "TypeError: cannot read 'x'", color: "raw", severity: "error" } }]);
                throw new StackOperationError("failed", "pulumi exited with code 255");
            }
        };
        const report = await h.run();
        assert.deepEqual(h.stack.opsCalled(), ["outputs", "preview", "up", "outputs", "preview"]);
        assert.equal(report.status, "failed");
        assert.equal(report.failure?.step, "preview");
        assert.equal(report.failure?.wave, "rest");
        assert.equal(report.failure?.message, "TypeError: cannot read 'x'");
        assert.equal(report.regions[R1].status, "succeeded");
        assert.deepEqual([report.regions[R2].status, report.regions[R3].status], ["failed", "failed"]);
    });

    it("fails a preview gate on a mandatory policy violation even if the CLI succeeded, but not on an advisory one", async () => {
        const h = harness(threeRegions());
        const bucket = childUrn("prod", "prod", R1, "aws:s3/bucket:Bucket", "logs");
        h.stack.scripts.preview = (req) => emit(req, [
            { sequence: 0, timestamp: 0, policyEvent: { resourceUrn: bucket, message: "tags missing", color: "", policyName: "tags", policyPackName: "aws", policyPackVersion: "1", policyPackVersionTag: "1", enforcementLevel: "warning" } },
            { sequence: 0, timestamp: 0, policyEvent: { resourceUrn: bucket, message: "bucket is public", color: "", policyName: "no-public", policyPackName: "aws", policyPackVersion: "1", policyPackVersionTag: "1", enforcementLevel: "mandatory" } },
        ]);
        const report = await h.run();
        assert.deepEqual(h.stack.opsCalled(), ["outputs", "preview"]);
        assert.equal(report.status, "failed");
        assert.equal(report.failure?.region, R1);
        assert.equal(report.failure?.message, "aws/no-public: bucket is public");
        assert.deepEqual(report.policyViolations.map((v) => [v.policy, v.level, v.region]), [["tags", "advisory", R1], ["no-public", "mandatory", R1]]);
    });

    it("stops when a region fails its HTTP health check, naming the request and the reason", async () => {
        const apps = [{ name: "web", healthPath: "/healthz" }];
        const h = harness(stackConfig({ regions: [R1, R2], apps }));
        h.stack.outputsValue = regionOutputs([R1, R2], { web: { hostname: "k8s-web.elb.example", healthPath: "/healthz" } });
        const probed: string[] = [];
        const probe = async (t: any): Promise<HealthResult> => {
            probed.push(`${t.connectHost}${t.path}`);
            return { check: "http", target: `GET ${t.url}`, app: t.app, ok: false, attempts: 3, status: 503, message: "HTTP 503 (expected 2xx), after 3 attempts" };
        };
        const report = await h.run({}, { probe });
        assert.deepEqual(probed, ["k8s-web.elb.example/healthz"]);
        assert.deepEqual(h.stack.opsCalled(), ["outputs", "preview", "up", "outputs"]);
        assert.equal(report.status, "failed");
        assert.deepEqual([report.failure?.step, report.failure?.region, report.failure?.wave], ["health", R1, "canary"]);
        assert.match(report.failure!.message, /GET http:\/\/k8s-web\.elb\.example\/healthz: HTTP 503/);
        assert.equal(report.regions[R2].status, "skipped");
    });

    it("stops when the stack outputs lack a region's cluster endpoint or an app's hostname", async () => {
        const h = harness(stackConfig({ regions: [R1, R2], apps: [{ name: "api" }] }));
        h.stack.outputsValue = regionOutputs([R1, R2]); // no `apps` at all
        const report = await h.run({}, { probe: async () => assert.fail("no HTTP check without a hostname") });
        assert.equal(report.failure?.step, "health");
        assert.match(report.failure!.message, /regions\.ap-northeast-2\.apps\.api\.hostname: missing or empty/);
        assert.deepEqual(h.stack.opsCalled(), ["outputs", "preview", "up", "outputs"]);
    });
});

describe("rollout orchestrator: locks, drift, cancellation", () => {
    it("reports a locked stack with its own exit code and a clear message, without retrying", async () => {
        const h = harness(threeRegions());
        h.stack.scripts.up = () => { throw lockedError(); };
        const report = await h.run();
        assert.equal(report.status, "locked");
        assert.equal(report.exitCode, EXIT.LOCKED);
        assert.equal(h.stack.calls.filter((c) => c.op === "up").length, 1, "no retry");
        assert.match(report.failure!.message, /stack prod is locked by another update.*not retrying.*pulumi cancel --stack prod/s);
        assert.deepEqual(Object.values(report.regions).map((r) => r.status), ["skipped", "skipped", "skipped"]);
        assert.notEqual(EXIT.LOCKED, EXIT.FAILED);
    });

    it("exits with the drift code when the refresh preview expects no changes and finds some, naming the drifted resources", async () => {
        const h = harness(threeRegions());
        const sg = childUrn("prod", "prod", R2, "aws:ec2/securityGroup:SecurityGroup", "nodes-sg");
        h.stack.scripts.previewRefresh = (req) => {
            assert.equal(req.expectNoChanges, true);
            emit(req, [
                { sequence: 0, timestamp: 0, resourcePreEvent: { metadata: { op: "refresh", urn: sg, type: "aws:ec2/securityGroup:SecurityGroup", provider: "" }, planning: true } },
                { sequence: 0, timestamp: 0, resOutputsEvent: { metadata: { op: "update", urn: sg, type: "aws:ec2/securityGroup:SecurityGroup", provider: "" }, planning: true } },
                ...stepEvents(childUrn("prod", "prod", R1, "aws:ec2/vpc:Vpc", "vpc"), "aws:ec2/vpc:Vpc", "same", true),
            ]);
            throw new StackOperationError("changes-not-expected", "the refresh found changes (drift)");
        };
        const report = await h.run({ mode: "drift" });
        assert.deepEqual(h.stack.opsCalled(), ["previewRefresh"]);
        assert.equal(report.status, "drift");
        assert.equal(report.exitCode, EXIT.DRIFT);
        assert.deepEqual(Object.values(report.regions).map((r) => [r.region, r.status]), [[R1, "in-sync"], [R2, "drifted"], [R3, "in-sync"]]);
        assert.deepEqual(report.regions[R2].resources.map((r) => [r.name, r.op]), [[`prod-${R2}-nodes-sg`, "update"]]);
    });

    it("exits 0 from --drift when nothing drifted, and 1 (not 3) when the refresh itself fails", async () => {
        const clean = harness(threeRegions());
        clean.stack.scripts.previewRefresh = (req) => { emit(req, stepEvents(componentUrn(R1), REGIONAL, "same", true)); return changes({ same: 40 }); };
        const ok = await clean.run({ mode: "drift" });
        assert.equal(ok.exitCode, EXIT.OK);
        assert.deepEqual(Object.values(ok.regions).map((r) => r.status), ["in-sync", "in-sync", "in-sync"]);

        const broken = harness(threeRegions());
        broken.stack.scripts.previewRefresh = () => { throw new StackOperationError("failed", "error: could not load plugin"); };
        const failed = await broken.run({ mode: "drift" });
        assert.equal(failed.exitCode, EXIT.FAILED);
    });

    it("counts a refresh summary with updates as drift even without resource events", async () => {
        const h = harness(threeRegions());
        h.stack.scripts.previewRefresh = () => changes({ same: 39, update: 1 });
        const report = await h.run({ mode: "drift" });
        assert.equal(report.exitCode, EXIT.DRIFT);
        assert.equal(report.warnings.length, 1);
    });

    it("cancels the running update on interrupt: the signal reaches the operation, no later wave starts, exit 130", async () => {
        const h = harness(threeRegions());
        let abortedDuringUp = false;
        h.stack.scripts.up = (req) => {
            setTimeout(() => h.controller.abort(), 5);
            return untilAborted(req, () => { abortedDuringUp = true; });
        };
        const report = await h.run();
        assert.equal(abortedDuringUp, true);
        assert.equal(report.status, "cancelled");
        assert.equal(report.exitCode, EXIT.CANCELLED);
        assert.deepEqual(h.stack.opsCalled(), ["outputs", "preview", "up"]);
        assert.equal(report.regions[R1].status, "cancelled");
        assert.deepEqual(report.failure?.step, "up");
        assert.equal(report.waves[1].status, "cancelled");
    });

    it("does not interrupt the CLI a second time when it reports cancelling by itself (terminal Ctrl-C)", async () => {
        const h = harness(threeRegions());
        let signalAbortedWhileRunning: boolean | undefined;
        h.stack.scripts.up = (req: UpRequest) => new Promise((_, reject) => {
            setTimeout(() => {
                h.controller.abort(); // our process got SIGINT ...
                req.onEvent({ sequence: 1, timestamp: 0, stdoutEvent: { message: "^C received; cancelling. If you would like to terminate immediately, press ^C again.", color: "always" } });
            }, 5);
            setTimeout(() => { // ... and so did the CLI, which winds down by itself
                signalAbortedWhileRunning = req.signal.aborted;
                reject(new StackOperationError("failed", "error: update canceled"));
            }, 80);
        });
        const report = await h.run({}, { interruptGraceMs: 30 });
        assert.equal(signalAbortedWhileRunning, false);
        assert.equal(report.status, "cancelled");
        assert.deepEqual(h.stack.opsCalled(), ["outputs", "preview", "up"]);
    });

    it("cancels during the pause between waves without starting the next wave", async () => {
        const h = harness(stackConfig({ regions: [R1, R2], rollout: { pauseSeconds: 600 } }));
        h.stack.outputsValue = regionOutputs([R1, R2]);
        const rollout = new Rollout({
            stack: h.stack, signal: h.controller.signal, log: () => undefined, connect: reachAll,
            sleep: (_ms, signal) => new Promise((resolve) => {
                setTimeout(() => h.controller.abort(), 5);
                signal?.addEventListener("abort", () => resolve(false));
            }),
        }, { mode: "up" });
        const report = await rollout.run();
        assert.equal(report.exitCode, EXIT.CANCELLED);
        assert.deepEqual(h.stack.opsCalled(), ["outputs", "preview", "up", "outputs"]);
        assert.equal(report.regions[R1].status, "succeeded");
        assert.equal(report.regions[R2].status, "cancelled");
    });

    it("on a forced stop asks the backend to cancel the update in flight, and only then", async () => {
        const h = harness(threeRegions());
        let release!: () => void;
        let upCalled!: () => void;
        const upStarted = new Promise<void>((resolve) => { upCalled = resolve; });
        h.stack.scripts.up = () => { upCalled(); return new Promise<void>((resolve) => { release = resolve; }); };
        const running = h.run();
        await upStarted; // the update is in flight (not a guess at how long the steps before it take)
        assert.equal(h.rollout!.running, "up canary");
        assert.equal(await h.rollout!.forceCancel(1000), true);
        assert.equal(h.stack.cancelled, 1);
        assert.equal(h.rollout!.current.exitCode, EXIT.CANCELLED);
        assert.match(h.rollout!.current.warnings[0], /forced stop during up canary/);
        release();
        await running;
        assert.equal(await h.rollout!.forceCancel(1000), false, "nothing in flight: no pulumi cancel");
        assert.equal(h.stack.cancelled, 1);
    });
});

describe("rollout orchestrator: preview mode and config", () => {
    it("previews the whole stack untargeted with policy packs and reports planned changes per region", async () => {
        const h = harness(threeRegions());
        h.stack.scripts.preview = (req) => {
            emit(req, [
                ...stepEvents(childUrn("prod", "prod", R1, "aws:eks/cluster:Cluster", "cluster"), "aws:eks/cluster:Cluster", "update", true),
                ...stepEvents(childUrn("prod", "prod", R3, "aws:ec2/vpc:Vpc", "vpc"), "aws:ec2/vpc:Vpc", "create", true),
                ...stepEvents(childUrn("prod", "prod", R3, "aws:ec2/subnet:Subnet", "a"), "aws:ec2/subnet:Subnet", "same", true),
            ]);
            return changes({ update: 1, create: 1, same: 1 });
        };
        const report = await h.run({ mode: "preview", policyPacks: ["p"], refresh: true });
        assert.equal(report.exitCode, EXIT.OK);
        const call = h.stack.calls.find((c) => c.op === "preview")!;
        assert.equal(call.target, undefined, "preview covers all regions");
        assert.deepEqual((call.request as any).policyPacks, ["p"]);
        assert.equal((call.request as any).refresh, true);
        assert.deepEqual(h.stack.opsCalled(), ["preview"], "a preview changes nothing");
        assert.deepEqual(report.regions[R1].planned, { update: 1 });
        assert.deepEqual(report.regions[R3].planned, { create: 1, same: 1 });
        assert.deepEqual(Object.values(report.regions).map((r) => r.status), ["previewed", "previewed", "previewed"]);
    });

    it("fails preview mode on a preview error with exit 1", async () => {
        const h = harness(threeRegions());
        h.stack.scripts.preview = () => { throw new StackOperationError("failed", "error: program failed"); };
        const report = await h.run({ mode: "preview" });
        assert.equal(report.exitCode, EXIT.FAILED);
        assert.equal(report.failure?.message, "error: program failed");
    });

    it("reads the rollout config through the stack and rejects an invalid one with exit 2, naming the key", async () => {
        const h = harness(stackConfig({ regions: [R1, R2], rollout: { waves: [{ regions: [R1] }, { regions: [R2, "eu-west-1"] }] } }));
        const report = await h.run();
        assert.equal(report.status, "invalid");
        assert.equal(report.exitCode, EXIT.USAGE);
        assert.deepEqual(h.stack.calls.map((c) => c.op), ["config"], "nothing runs with an invalid config");
        assert.match(report.failure!.message, /eks-platform:rollout\.waves\[1\]\.regions\[1\] = "eu-west-1": is not one of this stack's regions/);
    });
});

describe("rollout report", () => {
    it("holds per region: status, changes, durations, health results and outputs without secrets", async () => {
        const h = harness(stackConfig({ regions: [R1, R2], apps: [{ name: "web", healthPath: "/healthz" }] }));
        h.stack.outputsValue = {
            ...regionOutputs([R1, R2], { web: { hostname: "web.elb.example", healthPath: "/healthz", host: "web.example.com", protocol: "https", url: "https://web.elb.example/healthz" } }),
            adminPassword: { value: "hunter2", secret: true },
        };
        h.stack.scripts.up = (req, n) => {
            const region = n === 0 ? R1 : R2;
            emit(req, [
                ...stepEvents(childUrn("prod", "prod", region, "aws:eks/cluster:Cluster", "cluster"), "aws:eks/cluster:Cluster", "update"),
                ...stepEvents(childUrn("prod", "prod", region, "aws:ec2/vpc:Vpc", "vpc"), "aws:ec2/vpc:Vpc", "same"),
            ]);
            return changes({ update: 1, same: 1 });
        };
        const probe = async (t: any): Promise<HealthResult> => ({ check: "http", target: `GET ${t.url}`, app: t.app, ok: true, attempts: 1, status: 200, message: "HTTP 200 after 1 attempt" });
        const report = await h.run({}, { probe });
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-report-"));
        const file = path.join(tmp, "out", "report.json");
        writeJsonReport(file, report);
        const text = fs.readFileSync(file, "utf8");
        fs.rmSync(tmp, { recursive: true, force: true });
        assert.doesNotMatch(text, /SECRET-TOKEN|kubeconfig|hunter2/);
        const json = JSON.parse(text);
        assert.equal(json.reportVersion, 1);
        assert.equal(json.mode, "up");
        assert.equal(json.stack, "prod");
        assert.equal(json.status, "succeeded");
        assert.equal(json.exitCode, 0);
        const r1 = json.regions[R1];
        assert.equal(r1.status, "succeeded");
        assert.deepEqual(r1.changes, { update: 1, same: 1 });
        assert.deepEqual(r1.resources.map((r: any) => [r.name, r.op]), [[`prod-${R1}-cluster`, "update"]]);
        for (const k of ["preview", "up", "health"]) assert.equal(typeof r1.durations[k], "number", k);
        assert.deepEqual(r1.health.map((x: any) => [x.check, x.target, x.ok]), [
            ["output", `regions.${R1}.clusterEndpoint`, true],
            ["output", `regions.${R1}.apps.web.hostname`, true],
            ["http", "GET https://web.example.com/healthz via web.elb.example", true],
        ]);
        assert.deepEqual(r1.outputs, {
            vpcId: `vpc-${R1}`, clusterName: `prod-${R1}`, clusterEndpoint: `https://${R1}.eks.example`,
            apps: { web: { hostname: "web.elb.example", healthPath: "/healthz", host: "web.example.com", protocol: "https", url: "https://web.elb.example/healthz" } },
        });
        assert.deepEqual(json.waves.map((w: any) => w.steps.map((s: any) => s.step)), [
            ["preflight", "preview", "up", "outputs", "health"], ["preflight", "preview", "up", "outputs", "health"],
        ]);
        assert.ok(h.lines.some((l) => /^Wave 1\/2 "canary": succeeded in/.test(l)), "a summary table per wave");
        assert.ok(h.lines.some((l) => l.includes(`${R1}  succeeded`) && l.includes("~1 =1") && l.includes("3/3 ok")), h.lines.join("\n"));
    });
});
