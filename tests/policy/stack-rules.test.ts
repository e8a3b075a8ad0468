/**
 * The policy pack's stack rules (policy/stack-rules.ts) against the real prod and dev stacks (shared
 * runs) and hand-made violations. The aws:eks/cluster:Cluster itself is registered inside pulumi-eks
 * (a remote component the mocks never run), so each run's clusters are added here as that component
 * creates them: named like the program names them, tagged as components/cluster.ts asks.
 */
import { strict as assert } from "assert";
import { PRODUCTION_TAG, STACK_RULES, StackResource } from "../../policy/stack-rules";
import { stackPolicies } from "../../policy/policies";
import { ofType, stackRun } from "../support/fixtures";

const rule = STACK_RULES.find((r) => r.name === "production-observability")!;

async function resourcesOf(stack: "dev" | "prod"): Promise<StackResource[]> {
    const { records } = await stackRun(stack);
    // The eks:index:Cluster component's inputs carry what pulumi-eks puts on the EKS cluster.
    const clusters = ofType(records, "eks:index:Cluster").map((c) => ({
        type: "aws:eks/cluster:Cluster", urn: `urn:pulumi:${stack}::eks-platform::aws:eks/cluster:Cluster::${c.inputs.name}`,
        props: { name: c.inputs.name, tags: c.inputs.clusterTags },
    }));
    return [...records.map((r) => ({ type: r.type, urn: `urn:pulumi:${stack}::eks-platform::${r.type}::${r.name}`, props: r.inputs })), ...clusters];
}

describe("policy: production observability (stack rule)", function () {
    this.timeout(60_000);

    it("the prod stack tags its clusters as production and passes: add-on and a subscriber in every region", async () => {
        const resources = await resourcesOf("prod");
        const clusters = resources.filter((r) => r.type === "aws:eks/cluster:Cluster");
        assert.equal(clusters.length, 2);
        assert.ok(clusters.every((c) => c.props.tags?.[PRODUCTION_TAG] === "true"));
        assert.deepEqual(rule.check(resources), []);
    });

    it("the dev stack (not production, observability off) is not held to it", async () => {
        const resources = await resourcesOf("dev");
        assert.ok(resources.filter((r) => r.type === "aws:eks/cluster:Cluster").every((c) => c.props.tags === undefined));
        assert.deepEqual(rule.check(resources), []);
    });

    it("flags a production cluster without the add-on, and one without an alarm subscriber, naming the key to set", async () => {
        const resources = await resourcesOf("prod");
        const noAddon = resources.filter((r) => !(r.type === "aws:eks/addon:Addon" && r.props.addonName === "amazon-cloudwatch-observability" && r.props.clusterName === "prod-ap-northeast-1"));
        assert.deepEqual(rule.check(noAddon), ["production cluster prod-ap-northeast-1 has no amazon-cloudwatch-observability add-on: set eks-platform:observability.enabled to true (the default in production)"]);
        const noSubscriber = resources.filter((r) => r.type !== "aws:sns/topicSubscription:TopicSubscription");
        assert.deepEqual(rule.check(noSubscriber).map((m) => m.split(":")[0]).sort(), ["production cluster prod-ap-northeast-1 has no alarm subscriber", "production cluster prod-ap-northeast-2 has no alarm subscriber"]);
        assert.match(rule.check(noSubscriber)[0], /eks-platform:observability\.alarms\.subscriptions/);
    });

    it("is a mandatory stack policy reporting the rule's messages", async () => {
        const p = stackPolicies.find((x) => x.name === "production-observability")!;
        assert.equal(p.enforcementLevel, "mandatory");
        const reported: string[] = [];
        const resources = (await resourcesOf("prod")).filter((r) => r.type !== "aws:sns/topicSubscription:TopicSubscription");
        await (p.validateStack as any)({ resources }, (m: string) => reported.push(m));
        assert.equal(reported.length, 2);
    });
});
