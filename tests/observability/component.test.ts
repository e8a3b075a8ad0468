/**
 * The observability of a region in the real program (shared prod and dev runs) and its pure plan
 * (components/observability-plan.ts).
 */
import { strict as assert } from "assert";
import { THRESHOLD_DEFAULTS } from "../../stacks/observability-schema";
import {
    albAlarms, clusterAlarms, loadBalancerDimension, observabilityAddonConfiguration, observabilityKeyPolicy, regionHealthyRule,
} from "../../components/observability-plan";
import { dashboardBody } from "../../components/dashboard-plan";
import { T, json, ofType, one, stackRun } from "../support/fixtures";

const R1 = "ap-northeast-2";
const P = `prod-${R1}-observability`;

describe("observability in the prod stack (shared run)", function () {
    this.timeout(60_000);

    it("installs amazon-cloudwatch-observability with its own Pod Identity role for amazon-cloudwatch/cloudwatch-agent", async () => {
        const { records } = await stackRun("prod");
        const addon = one(records, "aws:eks/addon:Addon", `${P}-addon`);
        assert.equal(addon.inputs.addonName, "amazon-cloudwatch-observability");
        assert.equal(addon.inputs.clusterName, `prod-${R1}`);
        assert.deepEqual(addon.inputs.podIdentityAssociations, [{ roleArn: addon.inputs.podIdentityAssociations[0].roleArn, serviceAccount: "cloudwatch-agent" }]);
        assert.deepEqual(json(addon.inputs.configurationValues), observabilityAddonConfiguration());
        const trust = json(one(records, "aws:iam/role:Role", `${P}-agent-role`).inputs.assumeRolePolicy);
        assert.equal(trust.Statement[0].Condition.StringEquals["aws:RequestTag/kubernetes-namespace"], "amazon-cloudwatch");
        assert.equal(trust.Statement[0].Condition.StringEquals["aws:RequestTag/kubernetes-service-account"], "cloudwatch-agent");
        const attached = ofType(records, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.name.startsWith(`${P}-agent`)).map((a) => a.inputs.policyArn).sort();
        assert.deepEqual(attached, ["arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess", "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"]);
        assert.ok((addon.dependencies ?? []).some((d: string) => d.includes(`${P}-application-logs`)), "the log groups exist before the agent writes");
        for (const role of ["agent-policy", "agent-xray"]) {
            assert.ok(addon.dependsOn.includes(`aws:iam/rolePolicyAttachment:RolePolicyAttachment::${P}-${role}`), `the agent's role holds its policies before it starts: ${addon.dependsOn.join(", ")}`);
        }
    });

    it("creates the four Container Insights log groups with the environment's retention and the region's KMS key", async () => {
        const { records } = await stackRun("prod");
        const groups = ofType(records, "aws:cloudwatch/logGroup:LogGroup").filter((g) => g.name.startsWith(P));
        assert.deepEqual(groups.map((g) => g.inputs.name).sort(), ["application", "dataplane", "host", "performance"].map((k) => `/aws/containerinsights/prod-${R1}/${k}`));
        const cp = ofType(records, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.name === `prod-${R1}-cluster-control-plane-logs`)!;
        for (const g of groups) {
            assert.equal(g.inputs.retentionInDays, cp.inputs.retentionInDays);
            assert.equal(g.inputs.kmsKeyId, one(records, T.kmsKey, `${P}-key`).state.arn, "the region's observability key");
        }
    });

    it("encrypts one alarm topic per region with a customer key CloudWatch may use, subscribed as configured", async () => {
        const { records } = await stackRun("prod");
        const topics = ofType(records, "aws:sns/topic:Topic");
        assert.deepEqual(topics.map((t) => t.name).sort(), [`prod-ap-northeast-1-observability-alarms`, `${P}-alarms`]);
        const key = one(records, "aws:kms/key:Key", `${P}-key`);
        assert.equal(topics[0].inputs.kmsMasterKeyId !== undefined, true);
        const policy = json(key.inputs.policy);
        assert.ok(policy.Statement.some((s: any) => s.Principal.Service === "cloudwatch.amazonaws.com" && s.Action.includes("kms:GenerateDataKey*")));
        const subs = ofType(records, "aws:sns/topicSubscription:TopicSubscription").filter((s) => s.name.startsWith(P));
        assert.deepEqual(subs.map((s) => [s.inputs.protocol, s.inputs.endpoint]), [["email", "platform-oncall@example.com"]]);
    });

    it("alarms on nodes, pod restarts, API 5xx and the public ALB, and one composite per region over all of them that notifies", async () => {
        const { records } = await stackRun("prod");
        const alarms = ofType(records, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.name.startsWith(P));
        const names = alarms.map((a) => a.inputs.name).sort();
        assert.deepEqual(names, ["api-5xx", "nodes-not-ready", "pod-restarts", "public-alb-5xx", "public-alb-p99", "public-alb-unhealthy"].map((n) => `prod-${R1}-${n}`));
        const p99 = alarms.find((a) => a.inputs.name.endsWith("public-alb-p99"))!;
        assert.match(p99.inputs.dimensions.LoadBalancer, /^app\/k8s-prod-public\/[0-9a-f]{16}$/, "found through the controller's tags");
        assert.ok(alarms.every((a) => a.inputs.alarmActions === undefined), "children notify nothing: the composite does");
        const composite = one(records, "aws:cloudwatch/compositeAlarm:CompositeAlarm", `${P}-region-healthy`);
        assert.equal(composite.inputs.alarmName, `prod-${R1}-region-healthy`);
        assert.deepEqual(composite.inputs.alarmRule.split(" OR ").sort(), names.map((n) => `ALARM("${n}")`));
        assert.equal(composite.inputs.alarmActions.length, 1);
    });

    it("registers none of it in dev, where observability is off by default", async () => {
        const { records } = await stackRun("dev");
        assert.equal(ofType(records, "eks-platform:index:RegionObservability").length, 0);
        assert.ok(!ofType(records, "aws:eks/addon:Addon").some((a) => a.inputs.addonName === "amazon-cloudwatch-observability"));
    });
});

describe("observability plan (pure)", () => {
    it("alarms carry the thresholds; must-report signals keep missing data, sparse ALB counts do not breach", () => {
        const t = { ...THRESHOLD_DEFAULTS, nodesNotReady: 2 };
        const c = clusterAlarms("prod", R1, "prod-x", t);
        assert.equal(c.find((a) => a.role === "nodes-not-ready")!.threshold, 2);
        assert.equal(c.find((a) => a.role === "nodes-not-ready")!.treatMissingData, "missing");
        assert.match(c.find((a) => a.role === "pod-restarts")!.queries![0].expression!, /WHERE ClusterName = 'prod-x' AND Namespace != 'kube-system' AND Namespace != 'amazon-cloudwatch'/);
        const a = albAlarms("prod", R1, "public", "app/k8s-prod-public/0123456789abcdef", { alb5xxRatio: 0.02, p99LatencySeconds: 1.5, unhealthyTargets: 1 });
        assert.ok(a.every((x) => x.treatMissingData === "notBreaching"));
        assert.equal(a[0].threshold, 0.02);
        assert.equal(a[0].queries!.filter((q) => q.returnData).length, 1);
        assert.ok(a[0].queries!.length <= 10, "an alarm takes at most 10 metrics");
        assert.equal(a[1].metric!.extendedStatistic, "p99");
    });

    it("counts pod restarts as the sum of the agent's per-scrape increases over the window, as one series", () => {
        // The agent reports each scrape's increase in restarts (podstore.go addStatus): a crash loop shows
        // about 1 per scrape, so only a SUM over the window can reach the threshold; GROUP BY would make a
        // multi-series alarm whose composite and bake semantics differ.
        const restarts = clusterAlarms("prod", R1, "prod-x", THRESHOLD_DEFAULTS).find((a) => a.role === "pod-restarts")!;
        const query = restarts.queries!.find((q) => q.returnData)!.expression!;
        assert.match(query, /^SELECT SUM\(pod_number_of_container_restarts\) FROM SCHEMA\(ContainerInsights, ClusterName, Namespace, PodName\) WHERE /);
        assert.doesNotMatch(query, /GROUP BY|ORDER BY/);
        assert.equal(restarts.periodSeconds, 300);
        assert.equal(restarts.threshold, THRESHOLD_DEFAULTS.podRestarts);
        const widget = dashboardBody({ environment: "prod", partition: "aws", accountId: "123456789012", regions: [{ region: R1, cluster: "prod-x", albGroups: [] }] }).widgets
            .find((w) => /restarts/.test(String(w.properties.title)))!;
        assert.match(JSON.stringify(widget), /SELECT SUM\(pod_number_of_container_restarts\)/);
    });

    it("reads the LoadBalancer dimension from an ALB ARN; builds the composite rule within CloudWatch's limits", () => {
        assert.equal(loadBalancerDimension("arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:loadbalancer/app/k8s-prod-public-1a2b/50dc6c495c0c9188"), "app/k8s-prod-public-1a2b/50dc6c495c0c9188");
        assert.equal(loadBalancerDimension("arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:loadbalancer/net/x/50dc6c495c0c9188"), undefined);
        assert.equal(regionHealthyRule(["a", "b"]), 'ALARM("a") OR ALARM("b")');
        assert.throws(() => regionHealthyRule([]), /1 to 100/);
        assert.throws(() => regionHealthyRule(Array.from({ length: 101 }, (_, i) => `a${i}`)), /1 to 100/);
    });

    it("lets CloudWatch Logs use the key only for this cluster's Container Insights groups", () => {
        const p = observabilityKeyPolicy({ partition: "aws", accountId: "123456789012", region: R1, cluster: "prod-x" });
        const logs = p.Statement.find((s: any) => s.Sid === "LogsEncryptContainerInsights") as any;
        assert.equal(logs.Principal.Service, `logs.${R1}.amazonaws.com`);
        assert.equal(logs.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"], `arn:aws:logs:${R1}:123456789012:log-group:/aws/containerinsights/prod-x/*`);
    });
});
