/** AWS partitions other than `aws`, by region-code prefix, in match order (facts/data/partitions.json). */
import type { FactTable } from "./ledger";
import data from "./data/partitions.json";

export const PARTITION_TABLE: FactTable<string> = data;

/** [prefix, partition], first match wins (us-isob- before us-iso-); every other region code is `aws`. */
export const PARTITION_PREFIXES: ReadonlyArray<readonly [prefix: string, partition: string]> = PARTITION_TABLE.entries.map((e) => [e.key, e.value] as const);
