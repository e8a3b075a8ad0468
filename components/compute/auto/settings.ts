/**
 * Decisions of compute mode `auto` (EKS Auto Mode) as pure functions: what the mode contributes to the
 * cluster and runs itself, the IAM documents it needs, and the NodeClass / NodePool objects built from
 * the stack config. Sources (AWS EKS User Guide, and its source awsdocs/amazon-eks-user-guide):
 * - cluster role: auto-cluster-iam-role.html (the five managed policies; trust sts:AssumeRole + sts:TagSession)
 * - node role: auto-create-node-role.html (AmazonEKSWorkerNodeMinimalPolicy, AmazonEC2ContainerRegistryPullOnly)
 * - NodeClass: create-node-class.html (spec; `EC2` access entry with AmazonEKSAutoNodePolicy for a custom
 *   class's role); `advancedNetworking.associatePublicIPAddress` (auto-change.adoc, and auto-controls.adoc "Associate Public IP address")
 * - NodePool: create-node-pool.html (karpenter.sh/v1, `eks.amazonaws.com/` instance labels, Linux only)
 * - what Auto Mode runs itself: eks-add-ons.html#addon-consider-auto (vpc-cni, kube-proxy, coredns,
 *   aws-ebs-csi-driver, eks-pod-identity-agent are redundant), automode.html (node monitoring agent,
 *   load balancing, block storage, autoscaling built in)
 */
import type { AutoModeSpec, AutoNodeClassSpec } from "../../../stacks/auto-mode-schema";
import type { NodePoolSpec } from "../../../stacks/karpenter-schema";
import type { PolicyDocument } from "../../iam-policies";
import type { ModeCapabilities } from "../mode";
import { WAIT_FOR_READY, nodePoolObject, type KarpenterObject } from "../karpenter/settings";

/** Managed policies the cluster role needs besides AmazonEKSClusterPolicy (auto-cluster-iam-role.html). */
export const AUTO_MODE_CLUSTER_POLICIES = [
    "arn:aws:iam::aws:policy/AmazonEKSComputePolicy",
    "arn:aws:iam::aws:policy/AmazonEKSBlockStoragePolicy",
    "arn:aws:iam::aws:policy/AmazonEKSLoadBalancingPolicy",
    "arn:aws:iam::aws:policy/AmazonEKSNetworkingPolicy",
] as const;

/** The node role's managed policies (auto-create-node-role.html): narrower than a managed node group's. */
export const AUTO_MODE_NODE_POLICIES = [
    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodeMinimalPolicy",
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
] as const;

/** The access policy a custom NodeClass's role needs on its `EC2` access entry (create-node-class.html). */
export const AUTO_NODE_ACCESS_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAutoNodePolicy";

/**
 * The EKS add-ons Auto Mode runs itself, which the platform therefore never registers:
 * - vpc-cni, kube-proxy, aws-ebs-csi-driver, eks-pod-identity-agent: "redundant" on Auto Mode
 *   (eks-add-ons.html, "Considerations for Amazon EKS Auto Mode"); the add-on table lists them for EC2
 *   compute only, not Auto Mode.
 * - coredns: the same page calls it redundant: Auto Mode runs cluster DNS itself (automode.html lists
 *   "cluster DNS" among the built-in capabilities). The add-on table marks CoreDNS compatible with Auto
 *   Mode, so a cluster that also ran EC2 nodes could keep it; this platform runs only Auto Mode nodes in
 *   such a region, so it registers none.
 * - eks-node-monitoring-agent: node health monitoring and repair are built into Auto Mode nodes
 *   (automode.html); the add-on table lists it for EC2 and Hybrid Nodes only.
 * metrics-server is NOT among them: Auto Mode has no built-in resource-metrics API, and HPAs need one,
 * so the platform keeps registering the community add-on (community-addons.html), which runs on Auto Mode nodes.
 */
export const AUTO_MODE_OWNED_ADDONS = [
    "vpc-cni", "kube-proxy", "coredns", "aws-ebs-csi-driver", "eks-pod-identity-agent", "eks-node-monitoring-agent",
] as const;

/** Controllers Auto Mode runs outside the cluster: the platform installs neither (automode.html). */
export const AUTO_MODE_OWNED_CONTROLLERS = ["aws-load-balancer-controller", "karpenter"] as const;

/** Auto Mode's block storage provisioner (create-storage-class.html; it creates no StorageClass itself). */
export const AUTO_MODE_EBS_PROVISIONER = "ebs.csi.eks.amazonaws.com";

export function autoModeCapabilities(spec: AutoModeSpec): ModeCapabilities {
    return {
        cluster: { autoMode: { builtInNodePools: [...spec.builtInNodePools] } },
        ownedAddons: AUTO_MODE_OWNED_ADDONS,
        ownedControllers: AUTO_MODE_OWNED_CONTROLLERS,
        loadBalancing: "eks-auto-mode",
        storageProvisioner: AUTO_MODE_EBS_PROVISIONER,
    };
}

/** The cluster role's trust with Auto Mode: EKS also tags its sessions (auto-cluster-iam-role.html). */
export function autoModeClusterTrust(): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
    };
}

/**
 * Network policies on Auto Mode are enforced only once this ConfigMap turns the network policy controller
 * on (https://docs.aws.amazon.com/eks/latest/userguide/auto-net-pol.html, step 1). The platform's apps
 * carry a default-deny NetworkPolicy per namespace; without it they would be accepted and not enforced.
 */
export const NETWORK_POLICY_CONFIG_MAP = {
    metadata: { name: "amazon-vpc-cni", namespace: "kube-system" },
    data: { "enable-network-policy-controller": "true" },
} as const;

/** Instance labels Auto Mode's NodePool requirements use (create-node-pool.html): `eks.amazonaws.com/`, not `karpenter.k8s.aws/`. */
export const AUTO_LABEL = {
    capacityType: "karpenter.sh/capacity-type",
    arch: "kubernetes.io/arch",
    zone: "topology.kubernetes.io/zone",
    category: "eks.amazonaws.com/instance-category",
    family: "eks.amazonaws.com/instance-family",
    generation: "eks.amazonaws.com/instance-generation",
} as const;

export interface AutoNodeClassContext {
    /** The node role's name (the NodeClass names the role, not a profile). */
    readonly nodeRoleName: string;
    /** The private subnets, one per zone: nodes never land in a public subnet. */
    readonly privateSubnetIds: readonly string[];
    /** The security group EKS created for the cluster. */
    readonly clusterSecurityGroupId: string;
    /** The platform's node-storage KMS key (ARN): ephemeral and root volumes are encrypted with it (auto-change.adoc). */
    readonly kmsKeyArn: string;
}

/** A NodeClass (eks.amazonaws.com/v1), hardened: private subnets by ID, the cluster SG, encrypted storage, no public IP. */
export function autoNodeClassObject(spec: AutoNodeClassSpec, ctx: AutoNodeClassContext): KarpenterObject {
    return {
        apiVersion: "eks.amazonaws.com/v1",
        kind: "NodeClass",
        metadata: { name: spec.name, annotations: { ...WAIT_FOR_READY } },
        spec: {
            role: ctx.nodeRoleName,
            subnetSelectorTerms: ctx.privateSubnetIds.map((id) => ({ id })),
            securityGroupSelectorTerms: [{ id: ctx.clusterSecurityGroupId }],
            snatPolicy: "Random",
            networkPolicy: spec.networkPolicy,
            networkPolicyEventLogs: "Disabled",
            ephemeralStorage: { size: `${spec.ephemeralStorageGiB}Gi`, kmsKeyID: ctx.kmsKeyArn },
            // Private subnets assign no public address already; explicit, so an SCP that requires it is met.
            advancedNetworking: { associatePublicIPAddress: false },
        },
    };
}

/**
 * A NodePool (karpenter.sh/v1) against Auto Mode's NodeClass, for one region (its listed zones there):
 * the Karpenter mode's pool with Auto Mode's label keys and no kubernetes.io/os requirement (Auto Mode
 * does not support it: Linux only).
 */
export function autoNodePoolObject(spec: NodePoolSpec, region: string): KarpenterObject {
    return nodePoolObject(spec, region, { nodeClassRef: { group: "eks.amazonaws.com", kind: "NodeClass" }, labels: AUTO_LABEL });
}

/**
 * The node-storage key's policy: the account administers it (the default key policy's root statement);
 * the cluster role, which launches Auto Mode's instances, may use it for EBS only (kms:ViaService) and
 * create grants only for AWS resources (the EBS volumes). The usual key policy for EBS encryption with a
 * customer managed key: https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html
 */
export function nodeStorageKeyPolicy(p: { partition: string; accountId: string; region: string; clusterRoleArn: string }): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountAdministers",
                Effect: "Allow",
                Principal: { AWS: `arn:${p.partition}:iam::${p.accountId}:root` },
                Action: "kms:*",
                Resource: "*",
            },
            {
                Sid: "ClusterRoleEncryptsNodeVolumes",
                Effect: "Allow",
                Principal: { AWS: p.clusterRoleArn },
                Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                Resource: "*",
                Condition: { StringEquals: { "kms:ViaService": `ec2.${p.region}.amazonaws.com`, "kms:CallerAccount": p.accountId } },
            },
            {
                Sid: "ClusterRoleGrantsForVolumes",
                Effect: "Allow",
                Principal: { AWS: p.clusterRoleArn },
                Action: "kms:CreateGrant",
                Resource: "*",
                Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
            },
        ],
    };
}
