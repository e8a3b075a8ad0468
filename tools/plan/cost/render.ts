/**
 * The estimate as the printed plan's section, as `cost.md` (a Markdown table per region) and as
 * `cost.json` (what `--compare` reads back). Deterministic: no clock, amounts rounded to cents.
 */
import type { CostEstimate, CostLine } from "./estimate";

export const COST_JSON = "cost.json";
export const COST_MD = "cost.md";

export function usd(n: number): string {
    return `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function amount(l: CostLine): string {
    if (l.monthlyUsd !== undefined) return usd(l.monthlyUsd);
    return l.bound ? `no price (at most ${usd(l.bound.monthlyUsd)}, a bound)` : "no price";
}

/** The estimate's total as the budget gate reads it: the priced total, and the upper estimate when items are unpriced. */
export function totalSentence(e: CostEstimate): string {
    if (e.missing.length === 0) return `${usd(e.monthlyUsd)} per month (every item priced)`;
    const bounded = e.missing.filter((m) => m.boundUsd !== undefined).length;
    if (e.upperMonthlyUsd !== undefined) {
        return `${usd(e.monthlyUsd)} per month for the priced items; at most ${usd(e.upperMonthlyUsd)} with the ${bounded} unpriced item(s) ` +
            "at their upper bounds (bounds, not prices)";
    }
    return `${usd(e.monthlyUsd)} per month for the priced items, plus ${e.missing.length} unpriced item(s), ${e.missing.length - bounded} of them ` +
        "without an upper bound (a region or item the price table has no data for): no upper estimate";
}

function budgetSentence(e: CostEstimate): string {
    const b = e.budget!;
    if (b.exceeded) {
        return `OVER BUDGET: the priced items alone, ${usd(e.monthlyUsd)}, exceed eks-platform:monthlyBudget ${usd(b.monthlyUsd)}; ` +
            `top drivers: ${b.topDrivers.map((d) => `${d.driver} ${usd(d.monthlyUsd)}`).join(", ")}`;
    }
    if (b.unproven) {
        return e.upperMonthlyUsd !== undefined
            ? `BUDGET NOT SHOWN TO HOLD: priced ${usd(e.monthlyUsd)}, but at most ${usd(e.upperMonthlyUsd)} with unpriced items at their upper bounds, above eks-platform:monthlyBudget ${usd(b.monthlyUsd)}`
            : `BUDGET NOT SHOWN TO HOLD: priced ${usd(e.monthlyUsd)} of eks-platform:monthlyBudget ${usd(b.monthlyUsd)}, but ${e.missing.filter((m) => m.boundUsd === undefined).length} unpriced item(s) have no upper bound`;
    }
    return b.judged === "upper estimate"
        ? `Budget: at most ${usd(e.upperMonthlyUsd!)} (upper estimate) of ${usd(b.monthlyUsd)}`
        : `Budget: ${usd(e.monthlyUsd)} of ${usd(b.monthlyUsd)}`;
}

function unitPrice(l: CostLine): string {
    if (l.unitUsd === undefined) return "-";
    return `$${l.unitUsd} / ${l.unit}${l.discount ? ` less ${Math.round(l.discount * 100)}%` : ""}`;
}

export function costJson(e: CostEstimate): string {
    return `${JSON.stringify(e, null, 2)}\n`;
}

export function costMarkdown(e: CostEstimate): string {
    const out: string[] = [`# Monthly cost estimate of stack ${e.stack}`, ""];
    out.push(`**${totalSentence(e)}** (USD, ${e.hoursPerMonth} hours a month).`, "");
    out.push(`Prices: ${e.priceTable.note}`, "");
    if (e.budget) out.push(`${budgetSentence(e)}.`, "");
    out.push("## By driver", "", "| driver | per month |", "| --- | ---: |");
    for (const d of e.drivers) out.push(`| ${d.driver} | ${usd(d.monthlyUsd)} |`);
    for (const r of e.regions) {
        out.push("", `## ${r.region}: ${usd(r.monthlyUsd)}`, "", "| driver | what | quantity | unit price | per month |", "| --- | --- | ---: | --- | ---: |");
        for (const l of r.lines) out.push(`| ${l.driver} | ${l.what} | ${l.quantity} | ${unitPrice(l)} | ${amount(l)} |`);
    }
    if (e.missing.length) {
        out.push("", "## Without a price", "", "Not in the priced total: the price table has no price for these (`npm run prices -- --refresh` fetches them). " +
            `Where shown, the upper bound counts in the upper estimate only; it is not a price${e.boundRule ? `: ${e.boundRule}` : ""}.`, "");
        for (const m of e.missing) out.push(`- ${m.region}: \`${m.item}\` (${m.what})${m.boundUsd !== undefined ? `: at most ${usd(m.boundUsd)} a month, ${m.boundRule}` : ": no upper bound"}`);
    }
    out.push("", "## Assumptions used", "", "| assumption | value | set by the stack |", "| --- | --- | --- |");
    for (const a of e.assumptions) out.push(`| \`${a.key}\` | ${a.value} | ${a.set ? "yes" : "no (default)"} |`);
    return `${out.join("\n")}\n`;
}

export function costText(e: CostEstimate): string {
    const out: string[] = ["== Monthly cost estimate (USD; prices in facts/data/prices.json) =="];
    for (const r of e.regions) {
        out.push(`  ${r.region}: ${usd(r.monthlyUsd)}`);
        for (const d of r.drivers) {
            const missing = r.lines.filter((l) => l.driver === d.driver && l.missing).length;
            out.push(`    ${d.driver.padEnd(28)}${usd(d.monthlyUsd).padStart(12)}${missing ? `  (+${missing} without a price)` : ""}`);
        }
    }
    out.push(`  Total: ${totalSentence(e)}`);
    for (const m of e.missing) out.push(`    no price: ${m.item} in ${m.region} (${m.what})${m.boundUsd !== undefined ? `; at most ${usd(m.boundUsd)} (a bound)` : "; no upper bound"}`);
    if (e.boundRule) out.push(`    bounds: ${e.boundRule}`);
    out.push(`  Assumptions: ${e.assumptions.map((a) => `${a.key}=${a.value}${a.set ? " (set)" : ""}`).join(", ") || "(none used)"}`);
    out.push(`  Prices: ${e.priceTable.builtFrom}, read ${e.priceTable.read}`);
    if (e.budget) out.push(`  ${budgetSentence(e)}`);
    return `${out.join("\n")}\n`;
}
