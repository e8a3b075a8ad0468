/**
 * The modelled deploy timeline: the schedule and critical path on a hand-made graph, and on the
 * program's real graph (dev and prod through index.ts, dependencies captured by the harness).
 */
import * as assert from "assert";
import type { ResourceRecord } from "../../tools/harness/records";
import { buildGraph, schedule } from "../../tools/plan/timeline/graph";
import { DURATIONS } from "../../tools/plan/timeline/durations";
import { rolloutTimeline, timelines, upgradeTimeline } from "../../tools/plan/timeline/timeline";
import { assemble } from "../../tools/plan/plan";
import { MERMAID_MAX_TEXT, barsWithinLimit, chartTime, clock, timelineMarkdown } from "../../tools/plan/timeline/render";
import { platformConfig, loadStack } from "../../tools/plan/stack-config";
import { PROJECT_DIR } from "../../tools/harness/program";
import { stackRun } from "../support/fixtures";

function rec(name: string, over: Partial<ResourceRecord> = {}): ResourceRecord {
    return {
        type: "test:index:Thing", name, key: `test:index:Thing::${name}`, inputs: {}, state: {}, custom: true,
        providers: {}, dependsOn: [], dependencies: [], protect: false, ...over,
    };
}
const k = (n: string) => `test:index:Thing::${n}`;

describe("timeline: schedule and critical path on a hand-made graph", () => {
    //   a(10) -> b(5) -> d(1)
    //   a(10) -> c(20) -> d(1)      longest: a, c, d = 31
    //   e(3) is a component parent of f(2), e waits for b: f starts at 15
    const records = [
        rec("a"),
        rec("b", { dependencies: [k("a")] }),
        rec("c", { dependencies: [k("a")] }),
        rec("d", { dependencies: [k("b"), k("c")] }),
        rec("e", { custom: false, dependencies: [k("b")] }),
        rec("f", { parent: k("e") }),
    ];
    const secs: Record<string, number> = { a: 10, b: 5, c: 20, d: 1, e: 0, f: 2 };
    const s = schedule(buildGraph(records, (r) => secs[r.name]));

    it("starts each node when its last wait ends and finds the longest chain", () => {
        assert.strictEqual(s.total, 31);
        assert.deepStrictEqual(s.criticalPath, [k("a"), k("c"), k("d")]);
        assert.deepStrictEqual([s.nodes.get(k("d"))!.start, s.nodes.get(k("d"))!.end], [30, 31]);
    });

    it("makes a child wait for its parent component's own waits", () => {
        assert.strictEqual(s.nodes.get(k("e"))!.end, 15);
        assert.deepStrictEqual([s.nodes.get(k("f"))!.start, s.nodes.get(k("f"))!.end], [15, 17]);
    });

    it("waits for the provider a resource is registered with", () => {
        const g = schedule(buildGraph([rec("p", { dependencies: [k("a")] }), rec("a"), rec("x", { provider: k("p") })], (r) => ({ a: 7, p: 0, x: 1 } as any)[r.name]));
        assert.strictEqual(g.nodes.get(k("x"))!.start, 7);
    });

    it("rejects a cycle", () => {
        assert.throws(() => schedule(buildGraph([rec("a", { dependencies: [k("b")] }), rec("b", { dependencies: [k("a")] })], () => 1)), /cycle/);
    });

    it("writes chart times as HH:MM:SS of the day, and keeps a chart of thousands of bars within Mermaid's 50,000 characters", () => {
        assert.deepStrictEqual([0, 59, 61, 3_600 + 5, 86_399].map(chartTime), ["00:00:00", "00:00:59", "00:01:01", "01:00:05", "23:59:59"]);
        // 200 apps: some 1,600 bars in a region's chart.
        const bars = Array.from({ length: 1600 }, (_, i) => ({ key: `k${i}`, label: `prod-ap-northeast-2-app-${i}-deployment-with-a-long-name`, start: i, end: i + 30 + (i % 97), critical: i % 400 === 0 }));
        const shown = barsWithinLimit(bars as any, "first pulumi up ap-northeast-2", "ap-northeast-2");
        assert.ok(shown.length < bars.length && shown.length > 100, String(shown.length));
        assert.ok(bars.filter((b) => b.critical).every((b) => shown.includes(b as any)), "the critical path stays");
        const md = timelineMarkdown("big", { firstUpSeconds: 2000, regions: [{ region: "ap-northeast-2", seconds: 2000, floor: { seconds: 1000, parts: [] }, criticalPath: [], bars }],
            upgrade: [], rollout: { best: 0, worst: 0, steps: [] }, sources: [] } as any);
        const charts = md.split("```mermaid").slice(1).map((c) => c.split("```")[0]);
        assert.ok(charts.every((c) => c.length <= MERMAID_MAX_TEXT), charts.map((c) => c.length).join(", "));
        assert.match(md, /The chart shows the critical path and the \d+ longest other bars of 1600: all of them would exceed the 50,000 characters Mermaid renders/);
        assert.strictEqual(barsWithinLimit(bars.slice(0, 10) as any, "t", "s").length, 10, "a chart that fits is whole");
    });

    it("formats durations as m:ss and h:mm:ss", () => {
        assert.strictEqual(clock(65), "1:05");
        assert.strictEqual(clock(3725), "1:02:05");
    });
});

describe("timeline: upgrade and rollout models", () => {
    it("upgrades the control plane, then the networking add-ons, then node groups batch by batch, then the add-ons on the nodes", () => {
        const u = upgradeTimeline([
            rec("cp", { type: "eks:index:Cluster", custom: false }),
            rec("cni", { type: "aws:eks/addon:Addon", inputs: { addonName: "vpc-cni" } }),
            rec("dns", { type: "aws:eks/addon:Addon", inputs: { addonName: "coredns" } }),
            rec("ng", { type: "aws:eks/nodeGroup:NodeGroup", inputs: { scalingConfig: { desiredSize: 3 }, updateConfig: { maxUnavailable: 2 } } }),
        ]);
        const cp = DURATIONS["eks:index:Cluster"].update!;
        const addon = DURATIONS["aws:eks/addon:Addon"].update!;
        assert.strictEqual(u.seconds, cp + addon + 2 * 300 + addon, "3 nodes, 2 at a time: 2 batches of 5 min, between the two add-on phases");
        assert.deepStrictEqual(u.steps.map((x) => x.what), ["control plane cp", "add-on vpc-cni", "node group ng", "add-on coredns"]);
        assert.strictEqual(u.steps[3].start, cp + addon + 2 * 300);
    });
});

for (const stack of ["dev", "prod"] as const) {
    describe(`timeline: the ${stack} stack's real graph`, () => {
        let t: ReturnType<typeof timelines>;
        before(async () => {
            const run = await stackRun(stack);
            const platform = platformConfig(loadStack(PROJECT_DIR, stack));
            t = timelines(platform, run.records, assemble(stack, platform, run).regionOf);
        });

        it("puts the control plane, the nodes, the controller and the ALB on each region's critical path, in that order", () => {
            for (const r of t.regions) {
                const types = r.criticalPath.map((b) => b.key.split("::")[0]);
                const at = (type: string) => types.indexOf(type);
                assert.ok(at("eks:index:Cluster") >= 0 && at("eks:index:Cluster") < at("aws:eks/nodeGroup:NodeGroup"), types.join(" > "));
                assert.ok(at("aws:eks/nodeGroup:NodeGroup") < at("kubernetes:helm.sh/v3:Release"), types.join(" > "));
                // The ALB: an Ingress's, or a Gateway's followed by the route that attaches to it.
                const last = types.slice(-2).join(" > ");
                assert.ok(types[types.length - 1] === "kubernetes:networking.k8s.io/v1:Ingress"
                    || last === "kubernetes:gateway.networking.k8s.io/v1:Gateway > kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", types.join(" > "));
            }
        });

        it("lets node roles start at once, while node groups wait for the CNI add-on and the NAT routes", async () => {
            const records = (await stackRun(stack)).records;
            for (const g of records.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup")) {
                const deps = g.dependencies ?? [];
                assert.ok(deps.some((d) => d.startsWith("aws:eks/addon:Addon::") && d.endsWith("-cluster-vpc-cni")), g.key);
                assert.ok(deps.some((d) => d.startsWith("aws:ec2/route:Route::") && d.includes("-private-")), g.key);
            }
            for (const role of records.filter((r) => r.type === "aws:iam/role:Role" && r.name.endsWith("-nodes-node-role"))) {
                const s = t.regions.flatMap((x) => x.bars).find((b) => b.key === role.key)!;
                assert.strictEqual(s.start, 0, `${role.key} starts at ${s.start}`);
            }
        });

        it("models the first pulumi up within 10% of the sequential floor", () => {
            for (const r of t.regions) {
                assert.ok(r.seconds >= r.floor.seconds, `${r.seconds} below the floor ${r.floor.seconds}`);
                assert.ok(r.seconds <= r.floor.seconds * 1.1, `${r.region}: ${r.seconds} s is more than 10% over the floor ${r.floor.seconds} s`);
                // The floor is the issue's: control plane, nodes, one controller release, an ALB; nothing else
                // (a higher floor would make the 10% target easier than it is).
                assert.deepStrictEqual(r.floor.parts.map((p) => p.what), ["control plane", "nodes", "load balancer controller", "an ALB (Ingress or Gateway)"]);
                assert.strictEqual(r.floor.seconds, 600 + 240 + 90 + 180);
            }
        });

        it("writes a deterministic Mermaid gantt with every region, the upgrade and the waves", () => {
            const md = timelineMarkdown(stack, t);
            assert.strictEqual(md, timelineMarkdown(stack, t));
            assert.ok(md.includes("```mermaid\ngantt"));
            // Wall-clock times, read and drawn in the viewer's zone alike: the same chart everywhere
            // (dateFormat X put 0 at 09:00:00 in Seoul).
            assert.ok(md.includes("    dateFormat HH:mm:ss\n    axisFormat %H:%M:%S"));
            assert.doesNotMatch(md, /dateFormat X/);
            assert.ok(md.split("\n").filter((l) => / :(crit, )?t\d+, /.test(l)).every((l) => / :(crit, )?t\d+, \d\d:\d\d:\d\d, \d+s$/.test(l)));
            for (const r of t.regions) assert.ok(md.includes(`## First \`pulumi up\` of ${r.region}`));
            assert.strictEqual((md.match(/## Kubernetes version upgrade/g) ?? []).length, t.regions.length);
            assert.ok(md.includes(":crit, "));
        });
    });
}

describe("timeline: the sandbox stack (EKS Auto Mode)", () => {
    it("leaves the load balancer controller out of the floor (Auto Mode runs none), so the model is not below it", async () => {
        const run = await stackRun("sandbox");
        const platform = platformConfig(loadStack(PROJECT_DIR, "sandbox"));
        const t = timelines(platform, run.records, assemble("sandbox", platform, run).regionOf);
        for (const r of t.regions) {
            assert.strictEqual(r.floor.parts.find((p) => p.what === "load balancer controller")!.seconds, 0);
            assert.ok(r.seconds >= r.floor.seconds, `${r.region}: ${r.seconds} s below the floor ${r.floor.seconds} s`);
        }
    });
});

describe("timeline: rollout by waves", () => {
    it("adds gates, updates, health checks and the pause between waves (prod: canary, pause, rest)", () => {
        const platform = platformConfig(loadStack(PROJECT_DIR, "prod"));
        const r = rolloutTimeline(platform, new Map([["ap-northeast-2", 1000], ["ap-northeast-1", 1200]]));
        const h = platform.rollout.healthCheck;
        // two gates of 60 s, the two updates, one best-case check each, one bake each (rollout.bakeMinutes), one pause
        const bake = (platform.rollout.bakeMinutes ?? 0) * 60;
        assert.strictEqual(r.best, 60 + 1000 + 1 + bake + platform.rollout.pauseSeconds + 60 + 1200 + 1 + bake);
        assert.strictEqual(r.worst - r.best, 2 * ((h.retries + 1) * h.timeoutSeconds + h.retries * h.intervalSeconds - 1));
    });
});
