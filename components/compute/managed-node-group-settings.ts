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
    return amiType.startsWith("BOTTLEROCKET") ? "/dev/xvdb" : ROOT_DEVICE_NAME;
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

/** The device the node boots from (the OS). On AL2023 it also holds images and pods. */
export const ROOT_DEVICE_NAME = "/dev/xvda";

const ENCRYPTED_GP3 = {
    volumeType: "gp3",
    // The launch template API takes these booleans as strings.
    encrypted: "true",
    deleteOnTermination: "true",
} as const;

/**
 * Every volume the node launches with, each declared and encrypted: a mapping left out keeps the
 * AMI's own (unencrypted unless the account encrypts EBS by default). On Bottlerocket that is the
 * root volume as well as the data volume: the root is declared without a size, so EC2 sizes it from
 * the AMI's snapshot as it would have (a mapping for the AMI's root device overrides only what it
 * sets: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/block-device-mapping-concepts.html).
 */
export function blockDeviceMappings(spec: Pick<NodeGroupSpec, "amiType" | "diskSizeGiB">) {
    const data = { deviceName: dataDeviceName(spec.amiType), ebs: { volumeSize: spec.diskSizeGiB, ...ENCRYPTED_GP3 } };
    return data.deviceName === ROOT_DEVICE_NAME ? [data] : [{ deviceName: ROOT_DEVICE_NAME, ebs: { ...ENCRYPTED_GP3 } }, data];
}

/** The EKS node group's name: the cluster's name plus the configured group name. */
export function nodeGroupName(clusterName: string, group: string): string {
    return `${clusterName}-${group}`;
}
