/**
 * The guard that no rollout deletes a CustomResourceDefinition from a cluster: deleting a CRD deletes every
 * object of its kind, the platform's and anyone else's (the Gateway API's Gateways and routes, say).
 * The platform keeps its CRDs on delete (components/ingress.ts, `retainOnDelete`), so a planned delete or
 * replacement of one whose state does not record that is a plan that would delete it for real: a state
 * written before the platform kept them, with the last gateway app removed in the same update, or a Pulumi
 * CLI older than tools/pulumi-cli.ts MIN_PULUMI_CLI, which does not give the ConfigGroup's children their
 * parent's retainOnDelete.
 */
import type { ResourceStep } from "./events";

export const CRD_TYPE = "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition";

/** Ops whose step deletes the old object from the cluster unless its state retains it. */
const DELETING_OPS: readonly string[] = ["delete", "delete-replaced", "replace"];

/** One refusal line per CRD the plan would delete from its cluster; empty when none. */
export function crdDeletions(steps: readonly ResourceStep[]): string[] {
    const urns = steps.filter((s) => s.type === CRD_TYPE && DELETING_OPS.includes(s.op) && s.retained !== true).map((s) => s.urn);
    return [...new Set(urns)].map((urn) => `refused: the plan deletes ${urn} from its cluster, and with it every object of its kind; ` +
        "the platform keeps its CRDs (retainOnDelete), which this resource's state does not record. Either the state predates " +
        "that (run one rollout or pulumi up with the region's Gateway app still in place, so the engine records it, then remove " +
        "the app), or the Pulumi CLI is older than the project needs (tools/pulumi-cli.ts). Nothing was changed");
}
