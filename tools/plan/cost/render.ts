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
    return l.monthlyUsd === undefined ? "no price" : usd(l.monthlyUsd);
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
    out.push(`**${usd(e.monthlyUsd)} per month** (USD, ${e.hoursPerMonth} hours a month)${e.missing.length ? `, plus ${e.missing.length} item(s) the price table has no price for (listed below)` : ""}.`, "");
    out.push(`Prices: ${e.priceTable.note}`, "");
    if (e.budget) out.push(`Budget: ${usd(e.budget.monthlyUsd)} per month: ${e.budget.exceeded ? "**exceeded**" : e.budget.unproven ? "**not shown to hold** (items without a price)" : "within"}.`, "");
    out.push("## By driver", "", "| driver | per month |", "| --- | ---: |");
    for (const d of e.drivers) out.push(`| ${d.driver} | ${usd(d.monthlyUsd)} |`);
    for (const r of e.regions) {
        out.push("", `## ${r.region}: ${usd(r.monthlyUsd)}`, "", "| driver | what | quantity | unit price | per month |", "| --- | --- | ---: | --- | ---: |");
        for (const l of r.lines) out.push(`| ${l.driver} | ${l.what} | ${l.quantity} | ${unitPrice(l)} | ${amount(l)} |`);
    }
    if (e.missing.length) {
        out.push("", "## Without a price", "", "Not in the total: the price table has no price for these (`npm run prices -- --refresh` fetches them).", "");
        for (const m of e.missing) out.push(`- ${m.region}: \`${m.item}\` (${m.what})`);
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
    out.push(`  Total: ${usd(e.monthlyUsd)} per month${e.missing.length ? `, plus ${e.missing.length} item(s) without a price:` : ""}`);
    for (const m of e.missing) out.push(`    no price: ${m.item} in ${m.region} (${m.what})`);
    out.push(`  Assumptions: ${e.assumptions.map((a) => `${a.key}=${a.value}${a.set ? " (set)" : ""}`).join(", ") || "(none used)"}`);
    out.push(`  Prices: ${e.priceTable.builtFrom}, read ${e.priceTable.read}`);
    if (e.budget) {
        out.push(e.budget.exceeded
            ? `  OVER BUDGET: ${usd(e.monthlyUsd)} exceeds eks-platform:monthlyBudget ${usd(e.budget.monthlyUsd)}; top drivers: ${e.budget.topDrivers.map((d) => `${d.driver} ${usd(d.monthlyUsd)}`).join(", ")}`
            : e.budget.unproven
                ? `  BUDGET NOT SHOWN TO HOLD: ${usd(e.monthlyUsd)} of ${usd(e.budget.monthlyUsd)}, with ${e.missing.length} item(s) without a price`
                : `  Budget: ${usd(e.monthlyUsd)} of ${usd(e.budget.monthlyUsd)}`);
    }
    return `${out.join("\n")}\n`;
}
