/**
 * Decisions of the Karpenter component as pure functions: names, the controller's Helm values, the
 * controller role's trust, and the EC2NodeClass / NodePool objects built from the stack config.
 * Object shapes follow the CRDs of the pinned release (crds/, checked in the plan: schema-check.ts).
 */
import type { NodeClassSpec, NodePoolSpec } from "../../../stacks/karpenter-schema";
import { isZoneOf } from "../../../stacks/karpenter-schema";
import { SUBNET_ROLE_TAGS } from "../../network-plan";
import { ROOT_DEVICE_NAME } from "../managed-node-group-settings";
import { AMI_RELEASE } from "../../../facts/ami-releases";
import { KARPENTER } from "../../../facts/karpenter";
import { SYSTEM_TOLERATION } from "../system-nodes";

/** The discovery tag Karpenter's selector terms look for (docs convention): private subnets and the cluster security group. */
export const DISCOVERY_TAG = "karpenter.sh/discovery";

export function discoveryTags(clusterName: string): Record<string, string> {
    return { [DISCOVERY_TAG]: clusterName };
}

/** The interruption queue is named after the cluster (as in the getting-started template); SQS allows 80 characters. */
export function interruptionQueueName(clusterName: string): string {
    return clusterName;
}

export interface ControllerValuesInput {
    readonly clusterName: string;
    readonly clusterEndpoint: string;
    readonly interruptionQueue: string;
}

/** Helm values for the karpenter chart 1.14.1 (keys as in its values.yaml). */
export function controllerValues(v: ControllerValuesInput): Record<string, unknown> {
    return {
        settings: {
            // Explicit: the chart refuses to render without the name; the endpoint saves a DescribeCluster
            // at start-up; an empty queue name would switch interruption handling off.
            clusterName: v.clusterName,
            clusterEndpoint: v.clusterEndpoint,
            interruptionQueue: v.interruptionQueue,
        },
        serviceAccount: { create: true, name: KARPENTER.serviceAccount },
        replicas: 2,
        // The chart's own affinity keeps the controller off nodes it launched (karpenter.sh/nodepool
        // DoesNotExist) and the replicas on different hosts; on top of that: only the system nodes.
        nodeSelector: { "kubernetes.io/os": "linux" },
        affinity: {
            nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                    nodeSelectorTerms: [{
                        matchExpressions: [
                            { key: "karpenter.sh/nodepool", operator: "DoesNotExist" },
                            { key: "eks.amazonaws.com/nodegroup", operator: "Exists" },
                        ],
                    }],
                },
            },
            podAntiAffinity: {
                // The chart adds its selector labels to terms without a labelSelector (karpenter.patchAffinity).
                requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "kubernetes.io/hostname" }],
            },
        },
        // One replica per zone where the system nodes allow it (the chart's default is DoNotSchedule,
        // which would leave the second replica pending with the system nodes in one zone).
        topologySpreadConstraints: [{
            maxSkew: 1,
            topologyKey: "topology.kubernetes.io/zone",
            whenUnsatisfiable: "ScheduleAnyway",
        }],
        tolerations: [SYSTEM_TOLERATION],
        podDisruptionBudget: { name: "karpenter", maxUnavailable: 1 },
        // It must start before CoreDNS has a node: resolve through the node (VPC resolver).
        dnsPolicy: "Default",
        // The docs' sizing: requests = limits, so the controller is never throttled or evicted first.
        controller: { resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } } },
    };
}

/** Instance tags of a node class: the platform's tags without the keys the CRD reserves for Karpenter. */
export function nodeClassTags(tags: Readonly<Record<string, string>>): Record<string, string> {
    const reserved = (k: string) => k === "eks:eks-cluster-name" || k.startsWith("kubernetes.io/cluster")
        || k === "karpenter.sh/nodepool" || k === "karpenter.sh/nodeclaim" || k === "karpenter.k8s.aws/ec2nodeclass";
    return Object.fromEntries(Object.entries(tags).filter(([k]) => k !== "" && !reserved(k)));
}

export interface NodeClassContext {
    readonly clusterName: string;
    /** The node role's name: Karpenter creates and tags the instance profiles for it. */
    readonly nodeRoleName: string;
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * Makes `pulumi up` wait until Karpenter reports the object Ready (its own await for custom
 * resources: the `pulumi.com/waitFor` annotation, read by pulumi-kubernetes provider/pkg/await), so a node class whose
 * subnets, security groups, AMI or instance profile do not resolve fails the update instead of
 * passing silently.
 */
export const WAIT_FOR_READY = { "pulumi.com/waitFor": "condition=Ready" } as const;

/** A cluster-scoped custom object as the Kubernetes provider applies it. */
export interface KarpenterObject {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata: { readonly name: string; readonly annotations: Readonly<Record<string, string>> };
    readonly spec: Record<string, unknown>;
}

/** An EC2NodeClass (karpenter.k8s.aws/v1), hardened like the node groups' launch templates. */
export function nodeClassObject(spec: NodeClassSpec, ctx: NodeClassContext): KarpenterObject {
    return {
        apiVersion: "karpenter.k8s.aws/v1",
        kind: "EC2NodeClass",
        metadata: { name: spec.name, annotations: { ...WAIT_FOR_READY } },
        spec: {
            // The role, not an instance profile: v1 creates, tags and cleans up the profiles itself.
            role: ctx.nodeRoleName,
            // Pinned: nodes change only when AMI_RELEASE does (drift replaces them, within the budgets).
            amiSelectorTerms: [{ alias: `${spec.amiFamily}@${AMI_RELEASE[spec.amiFamily]}` }],
            // Private subnets only: the discovery tag AND the private tier's role tag must both match.
            subnetSelectorTerms: [{ tags: { ...discoveryTags(ctx.clusterName), ...SUBNET_ROLE_TAGS.private } }],
            securityGroupSelectorTerms: [{ tags: discoveryTags(ctx.clusterName) }],
            associatePublicIPAddress: false,
            // IMDSv2 only, hop limit 1: pods cannot reach the node's credentials.
            metadataOptions: { httpEndpoint: "enabled", httpProtocolIPv6: "disabled", httpPutResponseHopLimit: 1, httpTokens: "required" },
            blockDeviceMappings: [{
                deviceName: ROOT_DEVICE_NAME,
                rootVolume: true,
                ebs: { volumeSize: `${spec.diskSizeGiB}Gi`, volumeType: "gp3", encrypted: true, deleteOnTermination: true },
            }],
            tags: nodeClassTags(ctx.tags),
        },
    };
}

/** Well-known labels the NodePool requirements use (Karpenter docs, "NodePools: spec.template.spec.requirements"). */
export const LABEL = {
    capacityType: "karpenter.sh/capacity-type",
    arch: "kubernetes.io/arch",
    os: "kubernetes.io/os",
    zone: "topology.kubernetes.io/zone",
    category: "karpenter.k8s.aws/instance-category",
    family: "karpenter.k8s.aws/instance-family",
    generation: "karpenter.k8s.aws/instance-generation",
} as const;

/**
 * What a NodePool is written against: the NodeClass kind it references and the label keys its
 * requirements use (Karpenter's `karpenter.k8s.aws/...`, Auto Mode's `eks.amazonaws.com/...`). `os` is
 * absent where the only OS is Linux and the requirement is not supported (Auto Mode).
 */
export interface NodePoolTarget {
    readonly nodeClassRef: { readonly group: string; readonly kind: string };
    readonly labels: { readonly capacityType: string; readonly arch: string; readonly os?: string; readonly zone: string; readonly category: string; readonly family: string; readonly generation: string };
}

/** Karpenter's own NodePools, against its EC2NodeClasses. */
export const KARPENTER_POOL_TARGET: NodePoolTarget = { nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass" }, labels: LABEL };

/** A NodePool (karpenter.sh/v1) for one region: the pool's listed zones of that region, if it lists any. */
export function nodePoolObject(spec: NodePoolSpec, region: string, target: NodePoolTarget = KARPENTER_POOL_TARGET): KarpenterObject {
    const label = target.labels;
    const requirements: Array<{ key: string; operator: string; values: string[] }> = [
        { key: label.capacityType, operator: "In", values: [...spec.capacityTypes] },
        { key: label.arch, operator: "In", values: [...spec.architectures] },
        ...(label.os ? [{ key: label.os, operator: "In", values: ["linux"] }] : []),
        { key: label.category, operator: "In", values: [...spec.instanceCategories] },
        ...(spec.instanceFamilies ? [{ key: label.family, operator: "In", values: [...spec.instanceFamilies] }] : []),
        { key: label.generation, operator: "Gt", values: [String(spec.minInstanceGeneration - 1)] },
        ...(spec.zones ? [{ key: label.zone, operator: "In", values: spec.zones.filter((z) => isZoneOf(z, region)) }] : []),
    ];
    return {
        apiVersion: "karpenter.sh/v1",
        kind: "NodePool",
        metadata: { name: spec.name, annotations: { ...WAIT_FOR_READY } },
        spec: {
            ...(spec.weight !== undefined ? { weight: spec.weight } : {}),
            template: {
                metadata: { labels: { ...spec.labels } },
                spec: {
                    nodeClassRef: { ...target.nodeClassRef, name: spec.nodeClass },
                    requirements,
                    taints: spec.taints.map((t) => ({ ...t })),
                    expireAfter: spec.expireAfter,
                },
            },
            limits: { cpu: String(spec.limits.cpu), memory: `${spec.limits.memoryGiB}Gi` },
            disruption: {
                consolidationPolicy: spec.disruption.consolidationPolicy,
                consolidateAfter: spec.disruption.consolidateAfter,
                budgets: spec.disruption.budgets.map((b) => ({ ...b, ...(b.reasons ? { reasons: [...b.reasons] } : {}) })),
            },
        },
    };
}
