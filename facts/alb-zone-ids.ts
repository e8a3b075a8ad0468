/**
 * Canonical hosted zone ids of Application Load Balancers per region (facts/data/alb-zone-ids.json, mock
 * only): what the mock engine answers `aws:lb/getHostedZoneId` with (tools/harness/invokes.ts). A real
 * run asks the provider, whose own table this copies.
 */
import type { FactTable } from "./ledger";
import { findFact } from "./ledger";
import data from "./data/alb-zone-ids.json";

export const ALB_ZONE_ID_TABLE: FactTable<string> = data;

/** The ALB canonical hosted zone id of a region, or undefined when the table has none. */
export function albZoneId(region: string): string | undefined {
    return findFact(ALB_ZONE_ID_TABLE, region)?.value;
}
