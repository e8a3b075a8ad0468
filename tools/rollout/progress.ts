/**
 * Progress as it happens: one concise line per resource operation and a table per wave. Plain
 * text, no colours or cursor tricks, so CI logs stay readable.
 */
import type { ResourceStep } from "./events";
import { NO_CHANGE_OPS } from "./events";
import { RegionReport, WaveReport, formatChanges } from "./report";

/** Whether a completed step deserves a line: it changed (or would change) something, or failed. */
export function isWorthALine(step: ResourceStep): boolean {
    return step.status === "failed" || !NO_CHANGE_OPS.includes(step.op);
}

/**
 * `[ap-northeast-2] up      create   aws:ec2/vpc:Vpc prod-ap-northeast-2-vpc 3.2s`
 * (region or `stack`, the stack operation, the resource op, type, name, seconds).
 */
export function formatStepLine(operation: string, step: ResourceStep): string {
    const where = `[${step.region ?? "stack"}]`;
    const seconds = step.seconds === undefined ? "" : ` ${step.seconds.toFixed(1)}s`;
    const failed = step.status === "failed" ? " FAILED" : "";
    return `${where} ${operation.padEnd(7)} ${step.op.padEnd(8)} ${step.type} ${step.name}${seconds}${failed}`;
}

function table(rows: string[][]): string[] {
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join("  ").trimEnd());
}

/** The summary printed when a wave ends (however it ends). */
export function formatWaveTable(wave: WaveReport, index: number, total: number, regions: readonly RegionReport[]): string[] {
    const seconds = wave.seconds === undefined ? "" : ` in ${wave.seconds.toFixed(1)}s`;
    const header = `Wave ${index + 1}/${total} "${wave.name}": ${wave.status}${seconds}`;
    const rows = [["REGION", "STATUS", "PLANNED", "APPLIED", "UP s", "HEALTH", "NOTE"]];
    for (const r of regions) {
        const ok = r.health.filter((h) => h.ok).length;
        rows.push([
            r.region,
            r.status,
            formatChanges(r.planned),
            formatChanges(r.changes),
            r.durations.up === undefined ? "-" : r.durations.up.toFixed(1),
            r.health.length === 0 ? "-" : `${ok}/${r.health.length} ok`,
            r.failure ? `${r.failure.step}: ${r.failure.message.split("\n")[0].slice(0, 120)}` : "",
        ]);
    }
    return [header, ...table(rows).map((l) => `  ${l}`)];
}
