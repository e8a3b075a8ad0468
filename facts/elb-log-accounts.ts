/**
 * The Elastic Load Balancing account per region that delivers access logs, for the regions of the
 * `aws` partition available before August 2022 (facts/data/elb-log-accounts.json). Any other region uses
 * the log-delivery service principal.
 */
import type { FactTable } from "./ledger";
import data from "./data/elb-log-accounts.json";

export const ELB_LOG_ACCOUNT_TABLE: FactTable<string> = data;

export const ELB_LOG_ACCOUNTS: Readonly<Record<string, string>> = Object.fromEntries(ELB_LOG_ACCOUNT_TABLE.entries.map((e) => [e.key, e.value]));
