/**
 * Every table of the ledger, in one list: `npm run facts` prints them, `--refresh` rewrites them, the
 * plan reports their age, and tests/facts prove that no dated table lives outside facts/. A new table
 * is a `facts/data/<name>.json` file (FactTable shape), its accessors in `facts/<name>.ts`, and one
 * line here.
 */
import type { FactTable } from "./ledger";
import { ACCELERATED_AMI_TYPE_TABLE } from "./accelerated-ami-types";
import { ACM_ROUTE53_TABLE } from "./acm-route53";
import { ADDON_VERSION_TABLE } from "./addon-versions";
import { ACCELERATOR_FAMILY_TABLE } from "./accelerator-families";
import { ALB_ZONE_ID_TABLE } from "./alb-zone-ids";
import { AMI_RELEASE_TABLE } from "./ami-releases";
import { AMI_RELEASE_COVERAGE_TABLE } from "./ami-release-coverage";
import { DURATION_TABLE } from "./durations";
import { EKS_AUTO_MODE_TABLE } from "./eks-auto-mode";
import { EKS_VERSION_TABLE } from "./eks-versions";
import { ELB_LOG_ACCOUNT_TABLE } from "./elb-log-accounts";
import { INSTANCE_ARCHITECTURE_TABLE } from "./instance-architectures";
import { KARPENTER_TABLE } from "./karpenter";
import nodeToolchain from "./node-toolchain.json";
import { PARTITION_TABLE } from "./partitions";
import { PRICE_TABLE } from "./prices";
import { QUOTA_TABLE } from "./quotas";
import { ZONE_TABLE } from "./zones";

/** Every table, by name (sorted). */
export const FACT_TABLES: readonly FactTable<unknown>[] = [
    ACCELERATED_AMI_TYPE_TABLE,
    ACM_ROUTE53_TABLE,
    ADDON_VERSION_TABLE,
    ACCELERATOR_FAMILY_TABLE,
    ALB_ZONE_ID_TABLE,
    AMI_RELEASE_TABLE,
    AMI_RELEASE_COVERAGE_TABLE,
    DURATION_TABLE,
    EKS_AUTO_MODE_TABLE,
    EKS_VERSION_TABLE,
    ELB_LOG_ACCOUNT_TABLE,
    INSTANCE_ARCHITECTURE_TABLE,
    KARPENTER_TABLE,
    // Read by the launcher (tools/toolchain/node.cjs) by path, so it stays at facts/node-toolchain.json.
    nodeToolchain as FactTable<unknown>,
    PARTITION_TABLE,
    PRICE_TABLE,
    QUOTA_TABLE,
    ZONE_TABLE,
];

/** The table called `name`, or undefined. */
export function factTable(name: string): FactTable<unknown> | undefined {
    return FACT_TABLES.find((t) => t.name === name);
}
