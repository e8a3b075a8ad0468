/**
 * e2e-report.json and e2e-report.md: what ran, how long each step really took next to the plan's
 * modelled timeline (tools/plan/timeline), the checks, the leftovers, and the prices the estimate
 * read. Meant to be attached to an issue: no secrets (the stack's config has none; outputs are read
 * through the rollout's allow-list), no tokens.
 */
import * as fs from "fs";
import * as path from "path";
import type { Timelines } from "../plan/timeline/timeline";
import type { RolloutReport } from "../rollout/report";
import type { CheckResult } from "./checks";
import type { Leftover, PendingKey } from "./sweep";

export type E2eStatus = "running" | "passed" | "failed" | "refused" | "cancelled" | "leftovers";

export const E2E_EXIT = { OK: 0, FAILED: 1, REFUSED: 2, LEFTOVERS: 4, CANCELLED: 130 } as const;

export const EXIT_OF: Record<Exclude<E2eStatus, "running">, number> = {
    passed: E2E_EXIT.OK, failed: E2E_EXIT.FAILED, refused: E2E_EXIT.REFUSED, leftovers: E2E_EXIT.LEFTOVERS, cancelled: E2E_EXIT.CANCELLED,
};

export interface StepTiming {
    readonly step: string;
    readonly status: "succeeded" | "failed" | "cancelled" | "skipped";
    readonly seconds: number;
    /** The plan's modelled seconds for this step, when it models it. */
    readonly modelledSeconds?: number;
    /** seconds / modelledSeconds, two decimals. */
    readonly ratio?: number;
    readonly note?: string;
}

export interface PriceRead {
    readonly item: string;
    readonly region: string;
    readonly unitUsd?: number;
    readonly unit: string;
}

export interface E2eReport {
    readonly reportVersion: 1;
    readonly mode: "run" | "sweep";
    runId?: string;
    readonly account: string;
    readonly region: string;
    readonly compute: string;
    status: E2eStatus;
    exitCode?: number;
    readonly startedAt: string;
    finishedAt?: string;
    steps: StepTiming[];
    /** The modelled critical path's resources, real next to modelled. */
    resources: StepTiming[];
    checks: CheckResult[];
    leftovers: Leftover[];
    pendingKeys: PendingKey[];
    removed: Leftover[];
    estimate?: { monthlyUsd: number; upperBound: boolean; runHours: number; runUsd: number; maxCostUsd: number; unpriced: string[] };
    prices?: { table: string; read: string; items: PriceRead[]; note: string };
    rollout?: { status: string; failure?: string; seconds?: number };
    failure?: string;
    notes: string[];
}

export function newE2eReport(a: { mode: "run" | "sweep"; account: string; region: string; compute: string; startedAt: Date }): E2eReport {
    return {
        reportVersion: 1, mode: a.mode, account: a.account, region: a.region, compute: a.compute, status: "running",
        startedAt: a.startedAt.toISOString(), steps: [], resources: [], checks: [], leftovers: [], pendingKeys: [], removed: [], notes: [],
    };
}

export function ratio(seconds: number, modelled: number | undefined): number | undefined {
    if (modelled === undefined || modelled <= 0) return undefined;
    return Math.round((seconds / modelled) * 100) / 100;
}

/** The modelled resources of the first up (critical path) next to what the rollout's events measured. */
export function resourceTimings(timeline: Timelines, region: string, rollout: RolloutReport | undefined): StepTiming[] {
    const t = timeline.regions.find((r) => r.region === region);
    if (!t) return [];
    const measured = rollout?.regions[region]?.resources ?? [];
    return t.criticalPath.filter((b) => b.end > b.start).map((b) => {
        const real = measured.find((m) => `${m.type.split(":").pop()} ${m.name}` === b.label);
        const modelled = b.end - b.start;
        return real?.seconds !== undefined
            ? { step: b.label, status: "succeeded", seconds: real.seconds, modelledSeconds: modelled, ratio: ratio(real.seconds, modelled) }
            : { step: b.label, status: "skipped", seconds: 0, modelledSeconds: modelled, note: "not measured (no engine event for it)" };
    });
}

const fmt = (s: number | undefined) => (s === undefined ? "-" : `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, "0")}`);

export function renderE2eMarkdown(r: E2eReport): string {
    const lines = [
        `# npm run e2e: ${r.status}${r.runId ? ` (${r.runId})` : ""}`,
        "",
        `Account ${r.account}, region ${r.region}, compute ${r.compute}; started ${r.startedAt}, finished ${r.finishedAt ?? "-"}; exit code ${r.exitCode ?? "-"}.`,
    ];
    if (r.failure) lines.push("", `**Failure:** ${r.failure}`);
    if (r.estimate) {
        lines.push("", `Estimated cost of the run: $${r.estimate.runUsd.toFixed(2)} (${r.estimate.runHours} h at $${r.estimate.monthlyUsd.toFixed(2)}/month${r.estimate.upperBound ? ", an upper bound" : ""}), ceiling $${r.estimate.maxCostUsd.toFixed(2)}` +
            `${r.estimate.unpriced.length ? `; unpriced: ${r.estimate.unpriced.join(", ")}` : ""}.`);
    }
    if (r.steps.length) {
        lines.push("", "## Steps: real and modelled", "", "| step | status | real (m:ss) | modelled (m:ss) | real/modelled | note |", "|---|---|---|---|---|---|");
        for (const s of [...r.steps, ...r.resources]) {
            lines.push(`| ${s.step} | ${s.status} | ${fmt(s.seconds)} | ${fmt(s.modelledSeconds)} | ${s.ratio ?? "-"} | ${s.note ?? ""} |`);
        }
    }
    if (r.checks.length) {
        lines.push("", `## Checks: ${r.checks.filter((c) => c.ok).length}/${r.checks.length} passed`, "", "| check | result | detail |", "|---|---|---|");
        for (const c of r.checks) lines.push(`| ${c.name} | ${c.ok ? "pass" : "**FAIL**"} | ${c.message.replace(/\|/g, "\\|")} |`);
    }
    lines.push("", `## Leftovers: ${r.leftovers.length}`);
    if (r.leftovers.length) {
        lines.push("", "Run `npm run e2e -- --account " + r.account + " --sweep --region " + r.region + "` to remove what it can.", "");
        for (const l of r.leftovers) lines.push(`- ${l.region} ${l.kind} ${l.name ?? ""} \`${l.id}\`${l.runId ? ` (run ${l.runId})` : ""}${l.removable ? "" : " - remove by hand"}`);
    }
    if (r.removed.length) lines.push("", `Removed by the sweep: ${r.removed.length}`, "", ...r.removed.map((l) => `- ${l.kind} \`${l.id}\``));
    if (r.pendingKeys.length) {
        lines.push("", `KMS keys pending deletion (fine: a key cannot be deleted at once; destroy scheduled it): ${r.pendingKeys.map((k) => `\`${k.id}\``).join(", ")}`);
    }
    if (r.prices) {
        lines.push("", `## Prices read`, "", `${r.prices.table}, read ${r.prices.read}. ${r.prices.note}`, "");
        for (const p of r.prices.items) lines.push(`- ${p.item} in ${p.region}: ${p.unitUsd === undefined ? "no price" : `$${p.unitUsd} per ${p.unit}`}`);
    }
    if (r.notes.length) lines.push("", "## Notes", "", ...r.notes.map((n) => `- ${n}`));
    return `${lines.join("\n")}\n`;
}

/** Writes both files into `dir`; returns their paths. */
export function writeE2eReport(dir: string, r: E2eReport): string[] {
    fs.mkdirSync(dir, { recursive: true });
    const json = path.join(dir, "e2e-report.json");
    const md = path.join(dir, "e2e-report.md");
    fs.writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`);
    fs.writeFileSync(md, renderE2eMarkdown(r));
    return [md, json];
}
