/**
 * USD prices the plan's cost estimate reads (facts/data/prices.json): one entry per item and region (key
 * `<item>@<region>`, region `*` when the price is the same everywhere). Besides the ledger's shape the
 * table carries its currency, the hours in a month the estimate multiplies by, the regions it is kept
 * for and what it was built from. A price missing here is reported by the estimate as missing, never
 * guessed. tools/plan/cost/prices.ts reads it in the estimate's shape.
 */
import * as fs from "fs";
import * as path from "path";
import type { FactTable } from "./ledger";
import data from "./data/prices.json";

export interface PriceValue {
    /** What is priced, e.g. `nat.hour`, `ec2.m6i.large`, `logs.ingest`. */
    readonly item: string;
    /** Region code, or "*" for every region. */
    readonly region: string;
    readonly usd: number;
    /** What one `usd` buys, e.g. `gateway-hour`, `GB`, `GB-month`. */
    readonly unit: string;
}

export interface PriceFacts extends FactTable<PriceValue> {
    /** What the table is and how it was built (printed by `npm run prices`). */
    readonly note: string;
    readonly currency: "USD";
    /** "published prices" (built by hand) or "AWS Price List API". */
    readonly builtFrom: string;
    /** Hours in a month, as AWS's pricing calculator counts them. */
    readonly hoursPerMonth: number;
    /** Regions the table is kept for. */
    readonly regions: readonly string[];
}

export const PRICES_FILE = path.join(__dirname, "data", "prices.json");

/** The key of a price entry. */
export function priceKey(item: string, region: string): string {
    return `${item}@${region}`;
}

/** The shipped table (the plan reads the file through readPriceFacts, so that a test can pass another). */
export const PRICE_TABLE = data as PriceFacts;

export function readPriceFacts(file: string = PRICES_FILE): PriceFacts {
    return JSON.parse(fs.readFileSync(file, "utf8")) as PriceFacts;
}
