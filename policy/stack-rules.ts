/**
 * Rules over the whole stack (a Pulumi StackValidationPolicy sees every resource at once), pure like
 * rules.ts: tests call them with resource lists.
 *
 * Production observability: a production cluster (tagged eks-platform:production=true by
 * components/cluster.ts) must have the amazon-cloudwatch-observability add-on and at least one
 * subscription on its region's alarm topic; otherwise alarms fire to no one and the rollout's bake
 * has nothing to watch. The tag, not the stack config, is what a policy can see.
 */
import { PRODUCTION_LABEL } from "../components/ingress-settings";
import { PRODUCTION_TAG } from "../components/observability-names";
import { OBSERVABILITY_ADDON } from "../components/observability-plan";
import type { Props } from "./rules";
// The pack runs in place (PulumiPolicy.yaml: run-policy-pack in policy/, modules from the root's
// node_modules) and already imports components/ and stacks/; tools/urn.ts imports nothing.
import { parseUrn } from "../tools/urn";

export { PRODUCTION_TAG };

export interface StackResource {
    readonly type: string;
    readonly urn: string;
    readonly props: Props;
}

export interface StackRule {
    readonly name: string;
    readonly description: string;
    readonly check: (resources: readonly StackResource[]) => string[];
}

const productionObservability: StackRule = {
    name: "production-observability",
    description: `A production EKS cluster (tag ${PRODUCTION_TAG}=true) has the ${OBSERVABILITY_ADDON} add-on and at least one ` +
        "subscriber on its region's alarm topic (eks-platform:observability.enabled and observability.alarms.subscriptions): " +
        "without them nobody sees its metrics or is told when its alarms fire, and the rollout's bake has nothing to watch.",
    check: (resources) => {
        const out: string[] = [];
        const clusters = resources.filter((r) => r.type === "aws:eks/cluster:Cluster" && r.props.tags?.[PRODUCTION_TAG] === "true");
        for (const c of clusters) {
            const name = String(c.props.name ?? parseUrn(c.urn)?.name ?? c.urn);
            const addon = resources.some((r) => r.type === "aws:eks/addon:Addon" && r.props.addonName === OBSERVABILITY_ADDON && r.props.clusterName === name);
            if (!addon) out.push(`production cluster ${name} has no ${OBSERVABILITY_ADDON} add-on: set eks-platform:observability.enabled to true (the default in production)`);
            const subscribed = resources.some((r) => r.type === "aws:sns/topicSubscription:TopicSubscription" && (parseUrn(r.urn)?.name ?? r.urn).startsWith(`${name}-observability-alarms-sub-`));
            if (!subscribed) out.push(`production cluster ${name} has no alarm subscriber: add one to eks-platform:observability.alarms.subscriptions`);
        }
        return out;
    },
};

/**
 * No plain HTTP on an internet-facing production Gateway but the redirect: every HTTPRoute attached to an HTTP
 * listener of such a Gateway (its LoadBalancerConfiguration labelled production, scheme internet-facing;
 * components/gateway-api/) only redirects to HTTPS (a RequestRedirect filter with scheme https, no backends),
 * as the Ingresses' ssl-redirect does. Routes name their Gateway by parentRefs (name, namespace, sectionName).
 */
const productionGatewayHttpsOnly: StackRule = {
    name: "production-gateway-https-only",
    description: "On an internet-facing production Gateway, a route on an HTTP listener only redirects to HTTPS (no plain-HTTP backends).",
    check: (resources) => {
        const out: string[] = [];
        const of = (kind: string) => resources.filter((r) => r.props.kind === kind && String(r.props.apiVersion ?? "").startsWith("gateway."));
        const configs = of("LoadBalancerConfiguration").filter((c) => c.props.metadata?.labels?.[PRODUCTION_LABEL] === "true" && c.props.spec?.scheme === "internet-facing");
        for (const gw of of("Gateway")) {
            const ns = gw.props.metadata?.namespace ?? "default";
            const ref = gw.props.spec?.infrastructure?.parametersRef;
            if (!configs.some((c) => c.props.metadata?.name === ref?.name && (c.props.metadata?.namespace ?? "default") === ns)) continue;
            const http = ((gw.props.spec?.listeners ?? []) as Props[]).filter((l) => l.protocol === "HTTP").map((l) => l.name);
            for (const route of of("HTTPRoute")) {
                const routeNs = route.props.metadata?.namespace ?? "default";
                const onHttp = ((route.props.spec?.parentRefs ?? []) as Props[]).some((p) => (p.kind ?? "Gateway") === "Gateway"
                    && p.name === gw.props.metadata?.name && (p.namespace ?? routeNs) === ns && (p.sectionName === undefined || http.includes(p.sectionName)));
                if (!onHttp || http.length === 0) continue;
                const redirectsOnly = ((route.props.spec?.rules ?? []) as Props[]).every((rule) => ((rule.backendRefs ?? []) as Props[]).length === 0
                    && ((rule.filters ?? []) as Props[]).some((f) => f.type === "RequestRedirect" && f.requestRedirect?.scheme === "https"));
                if (!redirectsOnly) {
                    // Each region has a Gateway of the same name: one message per route and Gateway name.
                    out.push(`HTTPRoute ${routeNs}/${route.props.metadata?.name} serves plain HTTP on production internet-facing Gateway ${ns}/${gw.props.metadata?.name}: `
                        + "on its HTTP listener a route may only redirect to HTTPS (give the app a certificate; its HTTPS route then gets the redirect)");
                }
            }
        }
        return [...new Set(out)];
    },
};

export const STACK_RULES: readonly StackRule[] = [productionObservability, productionGatewayHttpsOnly];
