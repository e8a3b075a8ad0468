/**
 * The AWS partition of a region code. The platform's IAM documents name the `aws` partition in their
 * ARNs (AWS managed policies `arn:aws:iam::aws:policy/...`, the EKS access policy, the load balancer
 * controller's published policy), so regions of other partitions are refused by the config check
 * rather than deployed with ARNs that do not exist there.
 *
 * Source, read 2026-11-29: the partitions and their region prefixes as the AWS SDKs carry them
 * (partitions.json of the AWS SDKs / `aws.getPartition`): `aws-cn` (cn-*), `aws-us-gov` (us-gov-*),
 * `aws-iso` (us-iso-*), `aws-iso-b` (us-isob-*), `aws-iso-e` (eu-isoe-*), `aws-iso-f` (us-isof-*);
 * every other region code is `aws`.
 */
export const PARTITION_PREFIXES: ReadonlyArray<readonly [prefix: string, partition: string]> = [
    ["cn-", "aws-cn"],
    ["us-gov-", "aws-us-gov"],
    ["us-isob-", "aws-iso-b"],
    ["us-isof-", "aws-iso-f"],
    ["us-iso-", "aws-iso"],
    ["eu-isoe-", "aws-iso-e"],
];

export function partitionOf(region: string): string {
    return PARTITION_PREFIXES.find(([prefix]) => region.startsWith(prefix))?.[1] ?? "aws";
}

/** The partitions the platform's ARNs are written for. */
export const SUPPORTED_PARTITIONS: readonly string[] = ["aws"];
