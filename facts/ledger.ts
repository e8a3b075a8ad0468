/**
 * The ledger's one shape. Every dated AWS fact the platform carries (versions, support calendars,
 * add-on builds, AMI releases, quotas, zones, prices, durations, ...) lives under `facts/`, one table a
 * file, each entry with its value, its source and the day it was read. `stacks/`, `components/` and
 * `tools/` import facts from here; nothing under `facts/` imports the rest of the project.
 *
 * A table's data sits in `facts/data/<name>.json` (so that `npm run facts -- --refresh` can rewrite
 * entries without editing code), its typed accessors in `facts/<name>.ts`, and every table is listed in
 * `facts/index.ts`. (The data is in its own folder because Node.js, and ts-node under `pulumi up`,
 * resolve `facts/<name>` to a `.json` before a `.ts` of the same name.)
 */

/** A calendar day, `YYYY-MM-DD` (UTC). ISO dates compare as strings. */
export type Day = string;

/** One dated fact. */
export interface Fact<V> {
    /** Unique within its table, e.g. `"1.36"`, `"vpc-cni@1.36"`, `"us-east-1"`. */
    readonly key: string;
    readonly value: V;
    /** Where it was read: a URL, or the API call (`eks:DescribeAddonVersions`, ...). */
    readonly source: string;
    /** The day it was read from that source. */
    readonly read: Day;
    /** Why the value is what it is, when the source alone does not say (derived, secondary, bound, ...). */
    readonly note?: string;
}

/** One table of the ledger: a file under `facts/`. */
export interface FactTable<V> {
    /** kebab-case; the file name under `facts/` and the name `npm run facts` prints and takes. */
    readonly name: string;
    /** One line: what the table holds. */
    readonly title: string;
    /**
     * Days after an entry's `read` day before the table should be re-read (STALE past it): versions and
     * add-ons ~30, AMI releases ~30, prices ~180, quotas and partitions ~365.
     */
    readonly shelfLifeDays: number;
    /** How it is re-read: the API calls `npm run facts -- --refresh <name>` makes, or the page to read by hand. */
    readonly refresh: string;
    /** Data only the mock engine uses (never read by a real `pulumi up`); still dated and sourced. */
    readonly mockOnly?: boolean;
    readonly entries: readonly Fact<V>[];
}

/** The entry with `key`, or undefined. */
export function findFact<V>(table: FactTable<V>, key: string): Fact<V> | undefined {
    return table.entries.find((e) => e.key === key);
}

/** The value at `key`; throws naming the table and the key when the table has no such entry. */
export function factValue<V>(table: FactTable<V>, key: string): V {
    const entry = findFact(table, key);
    if (!entry) throw new Error(`facts/${table.name}: no entry "${key}" (entries: ${table.entries.map((e) => e.key).join(", ")})`);
    return entry.value;
}

/** The oldest `read` day of the table (the day it is as good as). */
export function oldestRead(table: FactTable<unknown>): Day {
    return table.entries.reduce((oldest, e) => (e.read < oldest ? e.read : oldest), table.entries[0]?.read ?? "0000-00-00");
}
