/**
 * EKS-optimized AMI release the EC2NodeClasses pin by alias (`al2023@<release>`), so nodes change only
 * when facts/data/ami-releases.json does (`@latest` would drift every node on each AMI release). Karpenter
 * resolves the alias through the SSM parameters of the cluster's Kubernetes version.
 */
import type { FactTable } from "./ledger";
import { factValue } from "./ledger";
import data from "./data/ami-releases.json";

export const AMI_RELEASE_TABLE: FactTable<string> = data;

/** AMI families the platform pins a release of. */
export type AmiFamily = "al2023";

export const AMI_RELEASE: Readonly<Record<AmiFamily, string>> = {
    al2023: factValue(AMI_RELEASE_TABLE, "al2023"),
};
