/**
 * Availability zones per region, as `aws ec2 describe-availability-zones --filters
 * Name=opt-in-status,Values=opt-in-not-required` answers them (facts/data/zones.json, mock only): the one
 * table of zone names the mock engine answers `aws:index/getAvailabilityZones` from
 * (tools/harness/invokes.ts). The program itself always asks AWS, and validation never reads this
 * table, because the real answer depends on the account: in the oldest regions (us-east-1, us-west-1,
 * ap-northeast-1, ...) accounts created before November 2025 map zone names to physical zones
 * independently, and some accounts see only some of the letters. Pin `availabilityZones` in a stack
 * when the exact zones matter.
 */
import type { FactTable } from "./ledger";
import { oldestRead } from "./ledger";
import data from "./data/zones.json";

export const ZONE_TABLE: FactTable<readonly string[]> = data;

export const ZONES_AS_OF = oldestRead(ZONE_TABLE);

/** The zone names of `region` in the table, or undefined for a region it does not hold. */
export function zonesOf(region: string): string[] | undefined {
    const entry = ZONE_TABLE.entries.find((e) => e.key === region);
    return entry === undefined ? undefined : [...entry.value];
}

/** Regions the table holds. */
export function regionsWithZones(): string[] {
    return ZONE_TABLE.entries.map((e) => e.key).sort();
}
