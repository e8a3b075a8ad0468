/**
 * Rules over the whole stack (a Pulumi StackValidationPolicy sees every resource at once), pure like
 * rules.ts: tests call them with resource lists.
 *
 * Production observability: a production cluster (tagged eks-platform:production=true by
 * components/cluster.ts) must have the amazon-cloudwatch-observability add-on and at least one
 * subscription on its region's alarm topic; otherwise alarms fire to no one and the rollout's bake
 * has nothing to watch. The tag, not the stack config, is what a policy can see.
 */
import { PRODUCTION_TAG } from "../components/observability-names";
import { OBSERVABILITY_ADDON } from "../components/observability-plan";
import type { Props } from "./rules";

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

/** The resource name of a URN (its last `::` part). */
function nameOf(urn: string): string {
    return urn.split("::").pop() ?? urn;
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
            const name = String(c.props.name ?? nameOf(c.urn));
            const addon = resources.some((r) => r.type === "aws:eks/addon:Addon" && r.props.addonName === OBSERVABILITY_ADDON && r.props.clusterName === name);
            if (!addon) out.push(`production cluster ${name} has no ${OBSERVABILITY_ADDON} add-on: set eks-platform:observability.enabled to true (the default in production)`);
            const subscribed = resources.some((r) => r.type === "aws:sns/topicSubscription:TopicSubscription" && nameOf(r.urn).startsWith(`${name}-observability-alarms-sub-`));
            if (!subscribed) out.push(`production cluster ${name} has no alarm subscriber: add one to eks-platform:observability.alarms.subscriptions`);
        }
        return out;
    },
};

export const STACK_RULES: readonly StackRule[] = [productionObservability];
