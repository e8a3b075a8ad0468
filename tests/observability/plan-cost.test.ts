/**
 * Observability in the offline plan's estimate (tools/plan/cost/estimate.ts) and timeline (the bake
 * per wave, tools/plan/timeline/timeline.ts), from the shared prod and dev plans.
 */
import { strict as assert } from "assert";
import { stackPlan } from "../plan/helpers";

describe("observability in the plan: cost and timeline", function () {
    this.timeout(60_000);

    it("estimates the add-on's logs from an assumption and lists alarms, dashboard, Container Insights and SNS unpriced", async () => {
        const { result } = await stackPlan("prod");
        const lines = result.cost!.regions.find((r) => r.region === "ap-northeast-2")!.lines;
        const logs = lines.filter((l) => l.what.startsWith("/aws/containerinsights/prod-ap-northeast-2/") && l.driver === "CloudWatch Logs ingestion");
        assert.equal(logs.length, 4);
        assert.ok(logs.every((l) => l.quantity === 5 && l.assumptions?.includes("containerInsightsLogGbPerMonth")));
        const unpriced = lines.filter((l) => l.driver === "CloudWatch observability" || l.driver === "SNS").map((l) => [l.item, l.quantity, l.missing !== undefined]);
        assert.deepEqual(unpriced, [
            ["cloudwatch.containerInsights.cluster", 1, true],
            ["cloudwatch.alarm.standard", 4, true],
            ["cloudwatch.alarm.metricsInsights", 2, true],
            ["cloudwatch.alarm.composite", 1, true],
            ["cloudwatch.dashboard", 1, true],
            ["sns.notifications", 1, true],
        ]);
        assert.ok(!result.cost!.regions.find((r) => r.region === "ap-northeast-1")!.lines.some((l) => l.item === "cloudwatch.dashboard"), "one dashboard per environment");
        const dev = (await stackPlan("dev")).result.cost!;
        assert.ok(!dev.regions.flatMap((r) => r.lines).some((l) => l.driver === "CloudWatch observability" || l.driver === "SNS"));
    });

    it("adds each wave's bake to the rollout timeline (15 min per wave in prod, none in dev)", async () => {
        const prod = (await stackPlan("prod")).result.timeline!.rollout;
        const bakes = prod.steps.filter((s) => s.what.endsWith(": bake"));
        assert.deepEqual(bakes.map((s) => [s.what, s.end - s.start]), [["canary: bake", 900], ["rest: bake", 900]]);
        const health = prod.steps.find((s) => s.what === "canary: health checks")!;
        assert.equal(bakes[0].start, health.end, "the bake follows the health checks");
        const dev = (await stackPlan("dev")).result.timeline!.rollout;
        assert.ok(!dev.steps.some((s) => s.what.endsWith(": bake")));
    });
});
