/** AWS and EKS limits (default service quotas) the config checks enforce (facts/data/quotas.json). */
import type { FactTable } from "./ledger";
import { factValue } from "./ledger";
import data from "./data/quotas.json";

export const QUOTA_TABLE: FactTable<number> = data;

export const QUOTAS = {
    /** User tags per resource (the `aws:` prefix is reserved). */
    tagsPerResource: factValue(QUOTA_TABLE, "tagsPerResource"),
    /** Managed node groups per cluster. */
    nodeGroupsPerCluster: factValue(QUOTA_TABLE, "nodeGroupsPerCluster"),
    /** Fargate profiles per cluster. */
    fargateProfilesPerCluster: factValue(QUOTA_TABLE, "fargateProfilesPerCluster"),
    /** Public access CIDR blocks of a cluster's endpoint. */
    publicAccessCidrsPerCluster: factValue(QUOTA_TABLE, "publicAccessCidrsPerCluster"),
} as const;
