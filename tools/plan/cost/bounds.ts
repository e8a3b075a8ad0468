/**
 * Upper bounds for items the price table has no price for, so the budget gate can judge a stack
 * whose every item is either priced or bounded (issue 17 item 3). A bound is never a price: it is
 * labelled as a bound wherever it shows, and only ever used to show a budget holds.
 *
 * The rule, from the table's own data only:
 *   bound(item, region) = the item's highest price in any of the table's regions
 *                         x the widest spread of one item's price between the table's regions
 *                           (highest / lowest, over every item priced in two or more of them).
 * It applies only to a region the table is kept for (`regions`), where that spread was measured, and
 * only to an item priced in at least one of them; anything else stays unbounded, and the gate then
 * cannot pass. Published prices of one item differ between these regions by less than the widest
 * spread the table shows (e.g. CloudWatch Logs ingestion, 0.50 in us-east-1 and 0.76 in
 * ap-northeast-1); multiplying the highest price by it keeps the bound above the item's price.
 */
import type { PriceTable } from "./prices";

export interface PriceBound {
    readonly item: string;
    readonly region: string;
    /** Upper bound of the unit price, in USD per `unit`. Not a price. */
    readonly usd: number;
    readonly unit: string;
    /** The rule, with the table data it was derived from. */
    readonly rule: string;
}

export interface RegionalSpread {
    readonly factor: number;
    readonly item: string;
    readonly low: { readonly region: string; readonly usd: number };
    readonly high: { readonly region: string; readonly usd: number };
}

/** Prices of `item` in the table's own regions (not the "*" rows, which are the same everywhere). */
function regionalPrices(table: PriceTable, item: string) {
    return table.prices.filter((p) => p.item === item && p.region !== "*" && table.regions.includes(p.region) && p.usd > 0);
}

/** The widest spread of one item's price between the table's regions, or undefined if no item has two. */
export function regionalSpread(table: PriceTable): RegionalSpread | undefined {
    let widest: RegionalSpread | undefined;
    for (const item of [...new Set(table.prices.map((p) => p.item))].sort()) {
        const prices = regionalPrices(table, item);
        if (prices.length < 2) continue;
        const low = prices.reduce((a, b) => (b.usd < a.usd ? b : a));
        const high = prices.reduce((a, b) => (b.usd > a.usd ? b : a));
        const factor = high.usd / low.usd;
        if (!widest || factor > widest.factor) {
            widest = { factor, item, low: { region: low.region, usd: low.usd }, high: { region: high.region, usd: high.usd } };
        }
    }
    return widest;
}

/** The upper bound of `item` in `region` by the rule above, or undefined where the rule does not reach. */
export function upperBound(table: PriceTable, item: string, region: string, spread = regionalSpread(table)): PriceBound | undefined {
    if (!spread || !table.regions.includes(region)) return undefined;
    const prices = regionalPrices(table, item);
    if (prices.length === 0) return undefined;
    const high = prices.reduce((a, b) => (b.usd > a.usd ? b : a));
    // Rounded up to a millionth of a dollar (after dropping floating-point noise: 0.1 x 1.5 is 0.15).
    const usd = Math.ceil(Number((high.usd * spread.factor * 1e6).toFixed(6))) / 1e6;
    return {
        item, region, usd, unit: high.unit,
        rule: `upper bound, not a price: the highest ${item} price in the table ($${high.usd} in ${high.region}) x ${spread.factor.toFixed(4)}`,
    };
}

/** The rule in one sentence, with the spread it multiplies by (shown once in the estimate). */
export function boundRuleText(spread: RegionalSpread): string {
    return `an upper bound (not a price) is the item's highest price in the table's regions x ${spread.factor.toFixed(4)}, the widest spread of one item's ` +
        `price between those regions (${spread.item}: $${spread.low.usd} in ${spread.low.region}, $${spread.high.usd} in ${spread.high.region}); ` +
        "only for the regions the table is kept for";
}
