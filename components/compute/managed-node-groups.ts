/**
 * Compute mode `managed-node-groups`: EKS managed node groups in private subnets with a hardened launch
 * template, their node role, and Fargate profiles with their pod execution role. Other modes use the
 * same NodeGroups component for their system node group.
 *
 * The component keeps its type token `eks-platform:index:NodeGroups` and its name `<region>-nodes` from
 * before it moved here, so existing stacks keep every URN (tests/urns.test.ts).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ComputeConfig } from "../../stacks/config";
import type { FargateProfileSpec, NodeGroupSpec } from "../../stacks/schema";
import { MANAGED_POLICY, fargateTrust, serviceTrust } from "../iam-policies";
import { METADATA_OPTIONS, blockDeviceMappings, eksTaints, nodeGroupName } from "./managed-node-group-settings";
import { SELF_MANAGED_CAPABILITIES, type ComputeInputs, type ComputeMode } from "./mode";

export interface NodeGroupsArgs {
    /** The region's provider; every child uses it. */
    readonly provider: aws.Provider;
    readonly region: string;
    readonly clusterName: pulumi.Input<string>;
    /**
     * The cluster's Kubernetes minor version, set explicitly on every node group: without it the
     * provider neither detects drift nor upgrades the nodes when the cluster moves on (they would keep
     * their kubelet forever). EKS picks the newest AMI release of that version (`releaseVersion` unset).
     */
    readonly kubernetesVersion: string;
    /** Private subnets, one per zone; nodes and Fargate pods are spread over them. */
    readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    readonly nodeGroups: readonly NodeGroupSpec[];
    /** @default [] */
    readonly fargateProfiles?: readonly FargateProfileSpec[];
    /**
     * Tags for instances and volumes the node groups launch (provider default tags do not reach
     * them). @default {}
     */
    readonly instanceTags?: Readonly<Record<string, string>>;
    /**
     * What nodes must wait for before they join: the cluster's networking add-ons (CNI) and the
     * network's routes out (NAT). Only the node groups and Fargate profiles wait for them, not their
     * roles and launch templates, which the plan's timeline showed queued behind the control plane.
     * @default []
     */
    readonly joinAfter?: readonly pulumi.Resource[];
}

export class NodeGroups extends pulumi.ComponentResource {
    public readonly nodeGroupNames: pulumi.Output<string[]>;
    public readonly nodeRoleArn: pulumi.Output<string>;
    public readonly fargateProfileNames: pulumi.Output<string[]>;
    public readonly podExecutionRoleArn: pulumi.Output<string | undefined>;

    constructor(name: string, args: NodeGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:index:NodeGroups", name, {}, opts);
        const o = { parent: this, provider: args.provider };

        const { role: nodeRole, attachments: nodePolicies } = registerNodeRole(name, "EKS managed node groups", o);

        const groups = args.nodeGroups.map((spec) => {
            const tags = { ...args.instanceTags, Name: `${name}-${spec.name}` };
            const lt = new aws.ec2.LaunchTemplate(`${name}-${spec.name}-lt`, {
                description: `EKS managed node group ${spec.name}`,
                metadataOptions: { ...METADATA_OPTIONS },
                blockDeviceMappings: blockDeviceMappings(spec),
                tagSpecifications: [
                    { resourceType: "instance", tags },
                    { resourceType: "volume", tags },
                ],
                updateDefaultVersion: true,
            }, o);
            return new aws.eks.NodeGroup(`${name}-${spec.name}`, {
                clusterName: args.clusterName,
                nodeGroupName: pulumi.output(args.clusterName).apply((c) => nodeGroupName(c, spec.name)),
                nodeRoleArn: nodeRole.arn,
                // Private subnets only, one per zone, so EKS spreads the nodes over the zones.
                subnetIds: args.privateSubnetIds,
                capacityType: spec.capacityType,
                instanceTypes: [...spec.instanceTypes],
                amiType: spec.amiType,
                // Tied to the cluster's version. The group depends on the Cluster component (the control
                // plane and the networking add-ons), so a minor-version bump upgrades it after them, in
                // the same `up`, replacing nodes within `updateConfig`'s budget.
                version: args.kubernetesVersion,
                scalingConfig: { minSize: spec.minSize, desiredSize: spec.desiredSize, maxSize: spec.maxSize },
                updateConfig: { maxUnavailable: spec.maxUnavailable },
                labels: { ...spec.labels },
                taints: eksTaints(spec.taints),
                // No remoteAccess: no SSH keys and no port 22; use SSM Session Manager instead.
                launchTemplate: { id: lt.id, version: lt.latestVersion.apply(String) },
                nodeRepairConfig: { enabled: true },
            }, {
                ...o,
                dependsOn: [...nodePolicies, ...(args.joinAfter ?? [])],
                // With an autoscaler the desired size is its to own: Pulumi sets it at creation and
                // then leaves it alone instead of scaling back on every up. Without one, Pulumi must
                // keep owning it, or raising minSize above the frozen value is rejected by EKS.
                ignoreChanges: spec.autoscaler ? ["scalingConfig.desiredSize"] : [],
            });
        });

        let podExecutionRoleArn: pulumi.Output<string | undefined> = pulumi.output(undefined);
        const profiles: aws.eks.FargateProfile[] = [];
        if ((args.fargateProfiles ?? []).length > 0) {
            const account = aws.getCallerIdentityOutput({}, o).accountId;
            const partition = aws.getPartitionOutput({}, o).partition;
            const role = new aws.iam.Role(`${name}-fargate-role`, {
                assumeRolePolicy: pulumi.all([partition, account, args.clusterName]).apply(([p, a, c]) =>
                    JSON.stringify(fargateTrust(`arn:${p}:eks:${args.region}:${a}:fargateprofile/${c}/*`))),
                description: "EKS Fargate pod execution",
            }, o);
            const attachment = new aws.iam.RolePolicyAttachment(`${name}-fargate-role-policy`, {
                role: role.name,
                policyArn: MANAGED_POLICY.fargatePodExecution,
            }, o);
            for (const p of args.fargateProfiles ?? []) {
                profiles.push(new aws.eks.FargateProfile(`${name}-${p.name}`, {
                    clusterName: args.clusterName,
                    fargateProfileName: p.name,
                    podExecutionRoleArn: role.arn,
                    subnetIds: args.privateSubnetIds,
                    selectors: p.selectors.map((s) => ({ namespace: s.namespace, labels: s.labels })),
                }, { ...o, dependsOn: [attachment, ...(args.joinAfter ?? [])] }));
            }
            podExecutionRoleArn = role.arn;
        }

        this.nodeGroupNames = pulumi.all(groups.map((g) => g.nodeGroupName));
        this.nodeRoleArn = nodeRole.arn;
        this.fargateProfileNames = pulumi.all(profiles.map((p) => p.fargateProfileName));
        this.podExecutionRoleArn = podExecutionRoleArn;
        this.registerOutputs({
            nodeGroupNames: this.nodeGroupNames,
            nodeRoleArn: this.nodeRoleArn,
            fargateProfileNames: this.fargateProfileNames,
            podExecutionRoleArn: this.podExecutionRoleArn,
        });
    }
}

/** The node groups' component name under a region: `<region>-nodes` (stable: it is in every child's URN). */
export function nodeGroupsName(region: string): string {
    return `${region}-nodes`;
}

/**
 * A node role trusted by EC2 with the worker node, ECR pull-only and SSM core policies, and no CNI
 * policy (vpc-cni has its own Pod Identity role), named `<prefix>-node-role` and
 * `<prefix>-node-role-policy-<i>`. Nodes of every compute mode get one.
 */
export function registerNodeRole(prefix: string, what: string, opts: { parent: pulumi.Resource; provider: aws.Provider }):
    { role: aws.iam.Role; attachments: aws.iam.RolePolicyAttachment[] } {
    const role = new aws.iam.Role(`${prefix}-node-role`, {
        assumeRolePolicy: JSON.stringify(serviceTrust("ec2.amazonaws.com")),
        description: `${what} (no CNI permissions: vpc-cni has its own role)`,
    }, opts);
    const attachments = [MANAGED_POLICY.workerNode, MANAGED_POLICY.ecrPullOnly, MANAGED_POLICY.ssmCore].map((policyArn, i) =>
        new aws.iam.RolePolicyAttachment(`${prefix}-node-role-policy-${i}`, { role: role.name, policyArn }, opts));
    return { role, attachments };
}

/** The region's managed node groups (and Fargate profiles) as a NodeGroups component: every mode has them. */
export function buildNodeGroups(name: string, inputs: ComputeInputs, opts: pulumi.ComponentResourceOptions): NodeGroups {
    return new NodeGroups(nodeGroupsName(name), {
        provider: inputs.provider,
        region: inputs.region,
        clusterName: inputs.clusterName,
        kubernetesVersion: inputs.kubernetesVersion,
        privateSubnetIds: inputs.privateSubnetIds,
        nodeGroups: inputs.nodeGroups,
        fargateProfiles: inputs.fargateProfiles,
        instanceTags: inputs.instanceTags,
        joinAfter: inputs.joinAfter,
    }, opts);
}

/** Managed node groups (and Fargate profiles) only: Pulumi owns the node counts. */
export const managedNodeGroups: ComputeMode<Extract<ComputeConfig, { mode: "managed-node-groups" }>> = {
    name: "managed-node-groups",
    capabilities: () => SELF_MANAGED_CAPABILITIES,
    privateSubnetTags: () => ({}),
    build(name, inputs, _settings, opts) {
        const groups = buildNodeGroups(name, inputs, opts);
        return { systemNodes: groups, workloadCapacity: [groups], status: { mode: "managed-node-groups" } };
    },
};
