/**
 * Compute mode `karpenter`: the region's managed node groups become the system nodes (their component
 * keeps its name, so switching a region from `managed-node-groups` replaces none of them), and
 * Karpenter launches every other node from the stack's node pools.
 */
import type { ComputeConfig } from "../../../stacks/config";
import { buildNodeGroups } from "../managed-node-groups";
import { SELF_MANAGED_CAPABILITIES, type ComputeMode } from "../mode";
import { Karpenter } from "./karpenter";
import { discoveryTags } from "./settings";

/** The Karpenter component's name under a region. */
export function karpenterName(region: string): string {
    return `${region}-karpenter`;
}

export const karpenterMode: ComputeMode<Extract<ComputeConfig, { mode: "karpenter" }>> = {
    name: "karpenter",
    capabilities: () => SELF_MANAGED_CAPABILITIES,
    privateSubnetTags: (clusterName) => discoveryTags(clusterName),
    build(name, inputs, settings, opts) {
        const systemNodes = buildNodeGroups(name, inputs, opts);
        const karpenter = new Karpenter(karpenterName(name), {
            provider: inputs.provider,
            kubernetesProvider: inputs.kubernetesProvider,
            region: inputs.region,
            clusterName: inputs.clusterName,
            clusterArn: inputs.clusterArn,
            clusterEndpoint: inputs.clusterEndpoint,
            clusterSecurityGroupId: inputs.clusterSecurityGroupId,
            spec: settings.karpenter,
            instanceTags: inputs.instanceTags,
            systemNodes,
        }, { parent: opts.parent });
        return { systemNodes, workloadCapacity: [karpenter], status: karpenter.status };
    },
};
