/**
 * The shipped price table (the ledger's facts/data/prices.json, the ONE place prices live) in the shape the
 * estimate reads, and lookups into it. A price is found for an exact region, or for "*" when the price
 * is the same everywhere; otherwise there is none, and the estimate says so.
 */
import { PRICES_FILE, PriceFacts, priceKey, readPriceFacts } from "../../../facts/prices";
import { oldestRead } from "../../../facts/ledger";

export interface Price {
    /** What is priced, e.g. `nat.hour`, `ec2.m6i.large`, `logs.ingest`. */
    readonly item: string;
    /** Region code, or "*" for every region. */
    readonly region: string;
    readonly usd: number;
    /** What one `usd` buys, e.g. `gateway-hour`, `GB`, `GB-month`. */
    readonly unit: string;
    /** Date the price was read (YYYY-MM-DD). */
    readonly read: string;
    /** Where it was read. */
    readonly source: string;
    readonly note?: string;
}

export interface PriceTable {
    readonly note: string;
    readonly currency: "USD";
    /** "published prices" (built by hand) or "AWS Price List API". */
    readonly builtFrom: string;
    /** The oldest read day of its prices. */
    readonly read: string;
    /** Hours in a month, as AWS's pricing calculator counts them. */
    readonly hoursPerMonth: number;
    /** Regions the table is kept for. */
    readonly regions: readonly string[];
    readonly prices: readonly Price[];
}

/** The ledger table in the estimate's shape. */
export function fromPriceFacts(facts: PriceFacts): PriceTable {
    return {
        note: facts.note,
        currency: facts.currency,
        builtFrom: facts.builtFrom,
        read: oldestRead(facts),
        hoursPerMonth: facts.hoursPerMonth,
        regions: facts.regions,
        prices: facts.entries.map((e) => ({
            item: e.value.item, region: e.value.region, usd: e.value.usd, unit: e.value.unit, read: e.read, source: e.source,
            ...(e.note === undefined ? {} : { note: e.note }),
        })),
    };
}

/** The estimate's shape back in the ledger's (what `npm run prices -- --refresh` writes). */
export function toPriceFacts(table: PriceTable): PriceFacts {
    return {
        name: "prices",
        title: "USD prices the plan's cost estimate reads, per item and region (\"*\": the same everywhere)",
        shelfLifeDays: 180,
        refresh: "pricing:GetProducts (npm run facts -- --refresh prices, or npm run prices -- --refresh)",
        note: table.note,
        currency: table.currency,
        builtFrom: table.builtFrom,
        hoursPerMonth: table.hoursPerMonth,
        regions: table.regions,
        entries: table.prices.map((p) => ({
            key: priceKey(p.item, p.region), value: { item: p.item, region: p.region, usd: p.usd, unit: p.unit }, source: p.source, read: p.read,
            ...(p.note === undefined ? {} : { note: p.note }),
        })),
    };
}

export function readPriceTable(file: string = PRICES_FILE): PriceTable {
    return fromPriceFacts(readPriceFacts(file));
}

/** The price of `item` in `region`, or undefined (never a neighbour's or a guess). */
export function priceOf(table: PriceTable, item: string, region: string): Price | undefined {
    return table.prices.find((p) => p.item === item && p.region === region) ?? table.prices.find((p) => p.item === item && p.region === "*");
}
