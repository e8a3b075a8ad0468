/**
 * The shipped price table (price-table.json, the ONE place prices live) and lookups into it. A price
 * is found for an exact region, or for "*" when the price is the same everywhere; otherwise there is
 * none, and the estimate says so.
 */
import * as fs from "fs";
import * as path from "path";

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
    readonly read: string;
    /** Hours in a month, as AWS's pricing calculator counts them. */
    readonly hoursPerMonth: number;
    /** Regions the table is kept for. */
    readonly regions: readonly string[];
    readonly prices: readonly Price[];
}

export const PRICE_TABLE_FILE = path.join(__dirname, "price-table.json");

export function readPriceTable(file: string = PRICE_TABLE_FILE): PriceTable {
    return JSON.parse(fs.readFileSync(file, "utf8")) as PriceTable;
}

/** The price of `item` in `region`, or undefined (never a neighbour's or a guess). */
export function priceOf(table: PriceTable, item: string, region: string): Price | undefined {
    return table.prices.find((p) => p.item === item && p.region === region) ?? table.prices.find((p) => p.item === item && p.region === "*");
}
