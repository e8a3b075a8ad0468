/**
 * AutoMode: what the platform adds to an EKS Auto Mode cluster (the cluster settings and node role are
 * the Cluster's, components/cluster.ts): the ConfigMap that turns network policy enforcement on, and for
 * custom pools their NodeClasses (hardened, components/compute/auto/settings.ts) with a node-storage KMS
 * key whose policy grants the cluster role, the node role's `EC2` access entry with AmazonEKSAutoNodePolicy
 * (when the cluster has no built-in pools: with them EKS creates the role's entry itself, and EKS allows
 * one entry per principal), and the NodePools.
 *
 * Destroy order: NodePools, then their NodeClasses (Auto Mode drains and terminates their nodes), then
 * the access entry and key. Custom resources wait for Ready (`pulumi.com/waitFor`), as the Karpenter
 * mode's objects do.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AutoModeSpec } from "../../../stacks/auto-mode-schema";
import type { ComputeInputs, ComputeStatus } from "../mode";
import {
    AUTO_NODE_ACCESS_POLICY, NETWORK_POLICY_CONFIG_MAP, autoNodeClassObject, autoNodePoolObject, nodeStorageKeyPolicy,
} from "./settings";

export class AutoMode extends pulumi.ComponentResource {
    public readonly nodePoolNames: pulumi.Output<string[]>;
    public readonly status: pulumi.Output<ComputeStatus>;

    constructor(name: string, inputs: ComputeInputs, spec: AutoModeSpec, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:index:AutoMode", name, {}, opts);
        const onAws = { parent: this, provider: inputs.provider };
        const onK8s = { parent: this, provider: inputs.kubernetesProvider };

        // A Patch (server-side apply of this one key): it creates the ConfigMap when it is missing and leaves
        // it to its other managers when present (a plain create fails with AlreadyExists since
        // pulumi-kubernetes 4.29: release notes, #2926); on destroy only this key's ownership goes.
        // Upsert of a missing object by a Patch resource: pulumi/pulumi-kubernetes#2011 (RFC), #2194.
        new k8s.core.v1.ConfigMapPatch(`${name}-network-policy`, NETWORK_POLICY_CONFIG_MAP, onK8s);

        const classes = new Map<string, k8s.apiextensions.CustomResource>();
        if (spec.nodeClasses.length > 0) {
            const role = inputs.modeNodeRole;
            if (!role || !inputs.clusterRoleArn) throw new Error(`${name}: custom NodeClasses need the cluster's Auto Mode node role and cluster role`);
            const account = aws.getCallerIdentityOutput({}, onAws).accountId;
            const partition = aws.getPartitionOutput({}, onAws).partition;
            const key = new aws.kms.Key(`${name}-node-storage-key`, {
                description: `Node volumes of EKS Auto Mode custom NodeClasses (${inputs.region})`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: pulumi.all([partition, account, inputs.clusterRoleArn]).apply(([p, a, clusterRoleArn]) =>
                    JSON.stringify(nodeStorageKeyPolicy({ partition: p, accountId: a, region: inputs.region, clusterRoleArn }))),
            }, onAws);
            const access: pulumi.Resource[] = [];
            if (spec.builtInNodePools.length === 0) {
                const entry = new aws.eks.AccessEntry(`${name}-node-access`, {
                    clusterName: inputs.clusterName,
                    principalArn: role.arn,
                    type: "EC2",
                }, onAws);
                access.push(entry, new aws.eks.AccessPolicyAssociation(`${name}-node-access-policy`, {
                    clusterName: inputs.clusterName,
                    principalArn: role.arn,
                    policyArn: AUTO_NODE_ACCESS_POLICY,
                    accessScope: { type: "cluster" },
                }, { ...onAws, dependsOn: [entry] }));
            }
            for (const c of spec.nodeClasses) {
                const shape = autoNodeClassObject(c, { nodeRoleName: "", privateSubnetIds: [], clusterSecurityGroupId: "", kmsKeyArn: "" });
                classes.set(c.name, new k8s.apiextensions.CustomResource(`${name}-class-${c.name}`, {
                    apiVersion: shape.apiVersion,
                    kind: shape.kind,
                    metadata: shape.metadata,
                    spec: pulumi.all([role.name, pulumi.output(inputs.privateSubnetIds), inputs.clusterSecurityGroupId, key.arn])
                        .apply(([nodeRoleName, subnets, sg, kmsKeyArn]) =>
                            autoNodeClassObject(c, { nodeRoleName, privateSubnetIds: subnets, clusterSecurityGroupId: sg, kmsKeyArn }).spec),
                }, { ...onK8s, dependsOn: [key, ...access], customTimeouts: { delete: "20m" } }));
            }
        }
        const pools = spec.nodePools.map((p) => new k8s.apiextensions.CustomResource(`${name}-pool-${p.name}`,
            { ...autoNodePoolObject(p, inputs.region), status: undefined },
            { ...onK8s, dependsOn: classes.has(p.nodeClass) ? [classes.get(p.nodeClass)!] : [], customTimeouts: { delete: "20m" } }));

        this.nodePoolNames = pulumi.output(pools.map((p) => p.metadata.name));
        const ready = (status: { conditions?: Array<{ type?: string; status?: string }> } | undefined) =>
            status?.conditions?.find((c) => c.type === "Ready")?.status ?? "Unknown";
        const poolStatus = pulumi.all(pools.map((p) => pulumi.all([p.metadata.name, (p as unknown as { status: pulumi.Output<any> }).status])));
        this.status = poolStatus.apply((named): ComputeStatus => ({
            mode: "auto",
            ...(named.length > 0 ? { nodePools: Object.fromEntries(named.map(([n, s]) => [n, ready(s)])) } : {}),
        }));
        this.registerOutputs({ nodePoolNames: this.nodePoolNames, status: this.status });
    }
}
