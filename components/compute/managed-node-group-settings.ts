/**
 * Decisions of the NodeGroups component as pure functions: launch-template hardening, taints in the
 * EKS API's spelling, names.
 */
import type { NodeGroupSpec, Taint } from "../../stacks/schema";

const EKS_TAINT_EFFECT: Record<Taint["effect"], string> = {
    NoSchedule: "NO_SCHEDULE",
    NoExecute: "NO_EXECUTE",
    PreferNoSchedule: "PREFER_NO_SCHEDULE",
};

/** Kubernetes-style taints from config -> the EKS API's enum spelling. */
export function eksTaints(taints: readonly Taint[]): Array<{ key: string; value?: string; effect: string }> {
    return taints.map((t) => ({ key: t.key, value: t.value, effect: EKS_TAINT_EFFECT[t.effect] }));
}

/**
 * The device that holds images and pods: the root volume on AL2023, the data volume on Bottlerocket
 * (its root volume only holds the OS). https://github.com/bottlerocket-os/bottlerocket#default-volumes
 */
export function dataDeviceName(amiType: NodeGroupSpec["amiType"]): string {
    return amiType.startsWith("BOTTLEROCKET") ? "/dev/xvdb" : "/dev/xvda";
}

/**
 * Instance metadata: IMDSv2 only, and a hop limit of 1 so a pod (one network hop further away than
 * the node) cannot reach the node's credentials. Add-ons and controllers get their own roles through
 * Pod Identity instead. https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html
 */
export const METADATA_OPTIONS = {
    httpEndpoint: "enabled",
    httpTokens: "required",
    httpPutResponseHopLimit: 1,
    instanceMetadataTags: "disabled",
} as const;

export function blockDeviceMappings(spec: Pick<NodeGroupSpec, "amiType" | "diskSizeGiB">) {
    return [{
        deviceName: dataDeviceName(spec.amiType),
        ebs: {
            volumeSize: spec.diskSizeGiB,
            volumeType: "gp3",
            // The launch template API takes these booleans as strings.
            encrypted: "true",
            deleteOnTermination: "true",
        },
    }];
}

/** The EKS node group's name: the cluster's name plus the configured group name. */
export function nodeGroupName(clusterName: string, group: string): string {
    return `${clusterName}-${group}`;
}
