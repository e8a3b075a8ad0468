/**
 * `npm run plan -- <stack> --compare <git-ref | cost.json>`: what a change adds to or removes from the
 * monthly estimate. The baseline is a saved `cost.json`, or the plan of the same stack at a git ref:
 * that commit's files are extracted to a temporary folder (git archive) and its own plan command
 * runs there, so the baseline is computed by the code and prices of that commit.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { planNodeArgs } from "../command";
import { CostEstimate, Driver, round2 } from "./estimate";
import { COST_JSON, usd } from "./render";

export class CompareError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "CompareError";
    }
}

export interface CostDiff {
    readonly base: string;
    readonly baseUsd: number;
    readonly headUsd: number;
    readonly deltaUsd: number;
    readonly regions: ReadonlyArray<{ readonly region: string; readonly baseUsd: number; readonly headUsd: number; readonly deltaUsd: number }>;
    readonly drivers: ReadonlyArray<{ readonly driver: Driver; readonly baseUsd: number; readonly headUsd: number; readonly deltaUsd: number }>;
    /** Unpriced items new in head (their cost is unknown, not zero). */
    readonly newlyUnpriced: ReadonlyArray<{ readonly region: string; readonly item: string; readonly what: string }>;
}

export function compareEstimates(base: CostEstimate, head: CostEstimate, baseLabel: string): CostDiff {
    const regionNames = [...new Set([...base.regions.map((r) => r.region), ...head.regions.map((r) => r.region)])];
    const regionUsd = (e: CostEstimate, region: string) => e.regions.find((r) => r.region === region)?.monthlyUsd ?? 0;
    const driverNames = [...new Set([...base.drivers.map((d) => d.driver), ...head.drivers.map((d) => d.driver)])];
    const driverUsd = (e: CostEstimate, d: Driver) => e.drivers.find((x) => x.driver === d)?.monthlyUsd ?? 0;
    const seen = new Set(base.missing.map((m) => `${m.region} ${m.item} ${m.what}`));
    return {
        base: baseLabel,
        baseUsd: base.monthlyUsd,
        headUsd: head.monthlyUsd,
        deltaUsd: round2(head.monthlyUsd - base.monthlyUsd),
        regions: regionNames.map((region) => ({ region, baseUsd: regionUsd(base, region), headUsd: regionUsd(head, region), deltaUsd: round2(regionUsd(head, region) - regionUsd(base, region)) })),
        drivers: driverNames.map((driver) => ({ driver, baseUsd: driverUsd(base, driver), headUsd: driverUsd(head, driver), deltaUsd: round2(driverUsd(head, driver) - driverUsd(base, driver)) }))
            .filter((d) => d.deltaUsd !== 0)
            .sort((x, y) => Math.abs(y.deltaUsd) - Math.abs(x.deltaUsd) || (x.driver < y.driver ? -1 : 1)),
        newlyUnpriced: head.missing.filter((m) => !seen.has(`${m.region} ${m.item} ${m.what}`)),
    };
}

function signed(n: number): string {
    return `${n > 0 ? "+" : n < 0 ? "-" : "±"}${usd(Math.abs(n))}`;
}

export function diffText(d: CostDiff): string {
    const out = [`== Cost change against ${d.base} ==`, `  ${usd(d.baseUsd)} -> ${usd(d.headUsd)} per month (${signed(d.deltaUsd)})`];
    for (const r of d.regions.filter((x) => x.deltaUsd !== 0)) out.push(`    ${r.region}: ${signed(r.deltaUsd)}`);
    for (const x of d.drivers) out.push(`    ${x.driver}: ${signed(x.deltaUsd)}`);
    for (const m of d.newlyUnpriced) out.push(`    new item without a price: ${m.item} in ${m.region} (${m.what})`);
    return `${out.join("\n")}\n`;
}

export function diffMarkdown(stack: string, d: CostDiff): string {
    const out = [`### Monthly cost of \`${stack}\`: ${signed(d.deltaUsd)}`, "", `${usd(d.baseUsd)} (${d.base}) → ${usd(d.headUsd)} per month, by \`npm run plan\`'s estimate.`, ""];
    if (d.drivers.length) {
        out.push("| driver | before | after | change |", "| --- | ---: | ---: | ---: |");
        for (const x of d.drivers) out.push(`| ${x.driver} | ${usd(x.baseUsd)} | ${usd(x.headUsd)} | ${signed(x.deltaUsd)} |`);
    } else {
        out.push("No driver changes.");
    }
    for (const m of d.newlyUnpriced) out.push(`- new item without a price: \`${m.item}\` in ${m.region} (${m.what})`);
    return `${out.join("\n")}\n`;
}

/** The baseline estimate: a cost.json file, or the plan of `stack` at git ref `ref` of the repository at `dir`. */
/** What a parsed file lacks to be a cost.json the comparison can read (package.json has none of it), or undefined. */
export function costJsonGaps(v: unknown): string | undefined {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return "it is not a JSON object";
    const e = v as Record<string, unknown>;
    const gaps = [
        typeof e.monthlyUsd === "number" ? undefined : "monthlyUsd",
        Array.isArray(e.regions) ? undefined : "regions",
        Array.isArray(e.drivers) ? undefined : "drivers",
        Array.isArray(e.missing) ? undefined : "missing",
    ].filter((g): g is string => g !== undefined);
    return gaps.length === 0 ? undefined : `it has no ${gaps.join(", ")}`;
}

export function loadBaseline(ref: string, stack: string, dir: string): { estimate: CostEstimate; label: string } {
    if (fs.existsSync(ref) && fs.statSync(ref).isFile()) {
        let parsed: unknown;
        try {
            parsed = JSON.parse(fs.readFileSync(ref, "utf8"));
        } catch (e) {
            throw new CompareError(`--compare ${ref}: not a cost.json (${(e as Error).message})`);
        }
        const missing = costJsonGaps(parsed);
        if (missing) throw new CompareError(`--compare ${ref}: not a cost.json written by npm run plan (${missing})`);
        return { estimate: parsed as CostEstimate, label: ref };
    }
    const commit = spawnSync("git", ["-C", dir, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { encoding: "utf8" });
    if (commit.status !== 0) throw new CompareError(`--compare ${ref}: neither a cost.json file nor a git ref of ${dir}`);
    const sha = commit.stdout.trim();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-compare-"));
    try {
        const archive = spawnSync("sh", ["-c", `git -C "$1" archive "$2" | tar -x -C "$3"`, "sh", dir, sha, tmp], { encoding: "utf8" });
        if (archive.status !== 0) throw new CompareError(`--compare ${ref}: git archive failed: ${archive.stderr.trim()}`);
        fs.symlinkSync(path.join(dir, "node_modules"), path.join(tmp, "node_modules"), "dir");
        const out = path.join(tmp, ".compare-out");
        let command: string[];
        try {
            command = planNodeArgs(tmp);
        } catch (e) {
            throw new CompareError(`--compare ${ref}: no plan command at ${sha.slice(0, 12)} (${(e as Error).message})`);
        }
        const run = spawnSync(process.execPath, [...command, stack, "--out", out], { cwd: tmp, encoding: "utf8" });
        const file = path.join(out, COST_JSON);
        if (!fs.existsSync(file)) {
            throw new CompareError(`--compare ${ref}: the plan at ${sha.slice(0, 12)} wrote no ${COST_JSON} (exit ${run.status}; it may predate the cost estimate)\n${run.stderr.trim()}`);
        }
        return { estimate: JSON.parse(fs.readFileSync(file, "utf8")) as CostEstimate, label: `${ref} (${sha.slice(0, 12)})` };
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}
