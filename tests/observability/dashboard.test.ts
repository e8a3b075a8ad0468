/**
 * The environment's dashboard (components/dashboard-plan.ts): its body, where the program puts it,
 * and the plan's picture of it (architecture.md, tools/plan/mermaid.ts).
 */
import { strict as assert } from "assert";
import { dashboardBody } from "../../components/dashboard-plan";
import { albAlarms, clusterAlarms, metricAlarmNames } from "../../components/observability-plan";
import { THRESHOLD_DEFAULTS } from "../../stacks/observability-schema";
import { json, ofType, stackRun } from "../support/fixtures";
import { stackPlan } from "../plan/helpers";

const regions = [
    { region: "ap-northeast-2", cluster: "prod-ap-northeast-2", albGroups: ["public"] },
    { region: "ap-northeast-1", cluster: "prod-ap-northeast-1", albGroups: [] },
];

describe("observability dashboard", function () {
    this.timeout(60_000);

    it("puts every region's composite alarm at the top, then one row per region with its own alarms and metrics", () => {
        const { widgets } = dashboardBody({ environment: "prod", partition: "aws", accountId: "123456789012", regions });
        const top = widgets.filter((w) => w.y === 0);
        assert.deepEqual(top.map((w) => w.properties.alarms), [[
            "arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:prod-ap-northeast-2-region-healthy",
            "arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:prod-ap-northeast-1-region-healthy",
        ]]);
        const rows = [...new Set(widgets.filter((w) => w.y > 0).map((w) => w.y))];
        assert.equal(rows.length, 2);
        const row1 = widgets.filter((w) => w.y === rows[0]);
        assert.ok(row1.filter((w) => w.type === "metric").every((w) => w.properties.region === "ap-northeast-2"));
        assert.equal((row1.find((w) => w.type === "alarm")!.properties.alarms as string[]).length, 6);
        assert.equal((widgets.filter((w) => w.y === rows[1]).find((w) => w.type === "alarm")!.properties.alarms as string[]).length, 3, "no ALB alarms without an internet-facing app");
        assert.ok(widgets.every((w) => w.x + w.width <= 24), "the grid is 24 wide");
    });

    it("is one dashboard for prod, with the first region (so the canary wave puts it up); none in dev", async () => {
        const prod = ofType((await stackRun("prod")).records, "aws:cloudwatch/dashboard:Dashboard");
        assert.deepEqual(prod.map((d) => [d.name, d.inputs.dashboardName]), [["prod-ap-northeast-2-dashboard", "eks-platform-prod"]]);
        assert.equal(json(prod[0].inputs.dashboardBody).widgets[0].properties.alarms.length, 2);
        assert.equal(ofType((await stackRun("dev")).records, "aws:cloudwatch/dashboard:Dashboard").length, 0);
    });

    it("the offline plan pictures it widget by widget in architecture.md", async () => {
        const { result } = await stackPlan("prod");
        const md = result.files["architecture.md"];
        assert.match(md, /## Dashboard `eks-platform-prod`/);
        assert.match(md, /\| top \| alarm: prod: region health .*\| ap-northeast-2, ap-northeast-1 \| 2 alarm\(s\): prod-ap-northeast-2-region-healthy, prod-ap-northeast-1-region-healthy \|/);
        assert.match(md, /\| 2 \| metric: ap-northeast-1: nodes \| ap-northeast-1 \| ContainerInsights cluster_node_count; ContainerInsights cluster_failed_node_count \|/);
        const dev = (await stackPlan("dev")).result.files["architecture.md"];
        assert.ok(!dev.includes("## Dashboard"));
    });

    it("shows a region's alarms by the names the alarms are created with", () => {
        const lb = "app/k8s-prod-public/0123456789abcdef";
        const created = [
            ...clusterAlarms("prod", "ap-northeast-2", "prod-ap-northeast-2", THRESHOLD_DEFAULTS),
            ...["public", "internal"].flatMap((g) => albAlarms("prod", "ap-northeast-2", g, lb, { alb5xxRatio: 0.02, p99LatencySeconds: 1.5, unhealthyTargets: 1 })),
        ].map((a) => a.alarmName);
        assert.deepEqual(metricAlarmNames("prod", "ap-northeast-2", ["public", "internal"]), created);
        const shown = dashboardBody({ environment: "prod", partition: "aws", accountId: "123456789012", regions: [{ ...regions[0], albGroups: ["public", "internal"] }] })
            .widgets.find((w) => w.type === "alarm" && w.y > 0)!.properties.alarms as string[];
        assert.deepEqual(shown, created.map((n) => `arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:${n}`));
    });
});
