/**
 * The AWS partition of a region code. The platform's IAM documents name the `aws` partition in their
 * ARNs (AWS managed policies `arn:aws:iam::aws:policy/...`, the EKS access policy, the load balancer
 * controller's published policy), so regions of other partitions are refused by the config check
 * rather than deployed with ARNs that do not exist there.
 *
 * The partitions and their region prefixes are in the ledger (facts/data/partitions.json).
 */
import { PARTITION_PREFIXES } from "../facts/partitions";

export { PARTITION_PREFIXES };

export function partitionOf(region: string): string {
    return PARTITION_PREFIXES.find(([prefix]) => region.startsWith(prefix))?.[1] ?? "aws";
}

/** The partitions the platform's ARNs are written for. */
export const SUPPORTED_PARTITIONS: readonly string[] = ["aws"];
