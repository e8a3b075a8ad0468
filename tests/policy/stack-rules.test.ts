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
import { checkResource } from "../../policy/rules";

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

describe("policy: Gateway API ALBs (issue 21)", function () {
    this.timeout(60_000);
    const https = STACK_RULES.find((r) => r.name === "production-gateway-https-only")!;

    it("prod's internet-facing Gateways serve HTTP only as a redirect; an HTTP backend on them is refused", async () => {
        const resources = await resourcesOf("prod");
        const routes = resources.filter((r) => r.props.kind === "HTTPRoute");
        assert.ok(routes.some((r) => r.props.metadata.name === "hello-redirect"), "prod has the redirect route");
        assert.deepEqual(https.check(resources), []);
        // The app's route moved to the HTTP listener with its backend: plain HTTP to the internet.
        const bad = resources.map((r) => (r.props.kind === "HTTPRoute" && r.props.metadata.name === "hello")
            ? { ...r, props: { ...r.props, spec: { ...r.props.spec, parentRefs: r.props.spec.parentRefs.map((p: any) => ({ ...p, sectionName: "http" })) } } }
            : r);
        const found = https.check(bad);
        assert.equal(found.length, 1, found.join("\n"));
        assert.match(found[0], /HTTPRoute hello\/hello serves plain HTTP on production internet-facing Gateway kube-system\/alb/);
    });

    it("dev's Gateway (not production) may serve plain HTTP", async () => {
        const resources = await resourcesOf("dev");
        assert.ok(resources.some((r) => r.props.kind === "HTTPRoute" && r.props.spec.parentRefs[0].sectionName === "http"));
        assert.deepEqual(https.check(resources), []);
    });

    it("a Gateway's HTTPS listener needs an allowed TLS policy and a certificate; production's needs logs and deletion protection", async () => {
        const { records } = await stackRun("prod");
        const config = ofType(records, "kubernetes:gateway.k8s.aws/v1:LoadBalancerConfiguration")[0];
        assert.deepEqual(checkResource(config.type, config.inputs), []);
        const spec = structuredClone(config.inputs.spec);
        spec.listenerConfigurations[0].sslPolicy = "ELBSecurityPolicy-2016-08";
        delete spec.listenerConfigurations[0].defaultCertificate;
        spec.loadBalancerAttributes = spec.loadBalancerAttributes.filter((a: any) => a.key !== "deletion_protection.enabled");
        const found = checkResource(config.type, { ...config.inputs, spec }).map((f) => `${f.rule}: ${f.message}`);
        assert.equal(found.length, 3, found.join("\n"));
        assert.match(found.join("\n"), /gateway-https-listener-tls: .*sslPolicy must be one of .*"ELBSecurityPolicy-2016-08"/);
        assert.match(found.join("\n"), /needs a defaultCertificate/);
        assert.match(found.join("\n"), /production-gateway-alb-logs-and-deletion-protection: LoadBalancerConfiguration alb .*deletion_protection\.enabled "true"/);
    });
});
