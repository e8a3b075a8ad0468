/**
 * The rollout report: what ran, per wave and per region, and why it stopped. Written as JSON with
 * `--json FILE` (a CI artifact) and summarized as Markdown with `--markdown FILE` (a PR comment or
 * `$GITHUB_STEP_SUMMARY`). It never holds secrets: stack outputs pass an allow-list (see
 * `safeRegionOutputs`), and outputs Pulumi marks secret are left out.
 */
import { writeUserFile } from "../files";
import type { OpMap, OutputMap } from "@pulumi/pulumi/automation";
import { EXIT, ExitCode } from "./exit-codes";
import type { PolicyViolation, ResourceStep } from "./events";
import type { HealthResult } from "./health";

export type Mode = "preview" | "up" | "drift";

/** `invalid`: bad command line, unknown stack or invalid config (nothing ran). */
export type RunStatus = "running" | "succeeded" | "failed" | "cancelled" | "locked" | "drift" | "invalid"
    /** up: an alarm fired during a wave's bake, or stood in ALARM before a wave (gates/bake.ts, gates/standing-alarms.ts). */
    | "alarm";

export type RegionStatus =
    | "pending" | "succeeded" | "failed" | "cancelled" | "skipped"
    /** preview mode */
    | "previewed"
    /** drift mode */
    | "in-sync" | "drifted";

export type StepName = "select" | "config" | "refresh" | "versions" | "insights" | "preview" | "up" | "outputs" | "health" | "pause" | "drift" | "preflight"
    /** Before anything: the account the credentials change (account.ts). */
    | "account"
    /** Wave gates that come after health (gates/): the alarm bake, and the DNS traffic switch. */
    | "bake" | "traffic"
    /** Before a wave: its regions' alarms must not stand in ALARM. */
    | "alarms"
    /** Before anything changes: a deployed region's compute mode changing (compute-mode-gate.ts). */
    | "compute-mode";

export interface StepRecord {
    readonly step: StepName;
    readonly status: "succeeded" | "failed" | "cancelled";
    readonly seconds: number;
    readonly message?: string;
}

export interface Failure {
    readonly step: StepName;
    readonly message: string;
    readonly wave?: string;
    readonly region?: string;
}

/** A region's stack outputs, minus anything secret (kubeconfig) or unknown to the allow-list. */
export interface SafeRegionOutputs {
    readonly vpcId?: string;
    readonly clusterName?: string;
    readonly clusterEndpoint?: string;
    readonly kubernetesVersion?: string;
    readonly apps?: Record<string, { hostname?: string; healthPath?: string; url?: string; host?: string; protocol?: string; scheme?: string }>;
}

export interface RegionReport {
    readonly region: string;
    readonly wave: string;
    status: RegionStatus;
    /** Resource count per op from the preview gate (up) or the preview (preview mode). */
    planned?: OpMap;
    /** Resource count per op applied by the wave's update (up) or found by the refresh (drift). */
    changes?: OpMap;
    /** Resources that changed (or would change, or drifted), with their op and duration. */
    resources: Array<Pick<ResourceStep, "urn" | "type" | "name" | "op" | "status" | "seconds">>;
    /** Seconds: the operations that carried this region, and its own health checks. */
    durations: { preview?: number; up?: number; health?: number };
    health: HealthResult[];
    outputs?: SafeRegionOutputs;
    /** up: the configured and the deployed Kubernetes version, and the upgrade insights that were read. */
    kubernetes?: { configured: string; deployed?: string; source?: string; insights?: string[] };
    /** up with eks-platform:dns: the names the region serves once the traffic gate updated its records. */
    names?: string[];
    failure?: Failure;
}

export interface WaveReport {
    readonly name: string;
    readonly regions: readonly string[];
    status: "pending" | "running" | "succeeded" | "failed" | "cancelled" | "skipped";
    steps: StepRecord[];
    seconds?: number;
}

export interface RolloutReport {
    readonly reportVersion: 1;
    readonly mode: Mode;
    readonly stack: string;
    project?: string;
    status: RunStatus;
    exitCode?: ExitCode;
    readonly startedAt: string;
    finishedAt?: string;
    seconds?: number;
    readonly options: { readonly refresh: boolean; readonly policyPacks: readonly string[] };
    waves: WaveReport[];
    /** By region code, in wave order. */
    regions: Record<string, RegionReport>;
    /** Operations on the whole stack: `--refresh` before the waves, the preview, the drift check. */
    stackSteps: StepRecord[];
    /** Changes to resources outside every region (the Stack resource itself, stack-level providers). */
    stackChanges?: OpMap;
    policyViolations: PolicyViolation[];
    failure?: Failure;
    warnings: string[];
}

export const EXIT_BY_STATUS: Record<Exclude<RunStatus, "running">, ExitCode> = {
    succeeded: EXIT.OK,
    failed: EXIT.FAILED,
    invalid: EXIT.USAGE,
    drift: EXIT.DRIFT,
    locked: EXIT.LOCKED,
    cancelled: EXIT.CANCELLED,
    alarm: EXIT.ALARM,
};

export function newReport(args: { mode: Mode; stack: string; startedAt: Date; refresh: boolean; policyPacks: readonly string[] }): RolloutReport {
    return {
        reportVersion: 1,
        mode: args.mode,
        stack: args.stack,
        status: "running",
        startedAt: args.startedAt.toISOString(),
        options: { refresh: args.refresh, policyPacks: [...args.policyPacks] },
        waves: [],
        regions: {},
        stackSteps: [],
        policyViolations: [],
        warnings: [],
    };
}

function str(v: unknown): string | undefined {
    return typeof v === "string" && v !== "[secret]" ? v : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * The region's outputs that are safe to publish: `vpcId`, `clusterName`, `clusterEndpoint` and per
 * app `hostname`, `healthPath`, `url`, `host`, `protocol`, `scheme`. An allow-list rather than a deny-list: the
 * Automation API decrypts every output and marks as secret only outputs that are secret as a whole,
 * so a secret nested in `regions` (the kubeconfig) arrives as plain text.
 */
export function safeRegionOutputs(outputs: OutputMap, region: string): SafeRegionOutputs | undefined {
    const regions = outputs.regions;
    if (!regions || regions.secret || !isObject(regions.value)) return undefined;
    const r = regions.value[region];
    if (!isObject(r)) return undefined;
    const apps: NonNullable<SafeRegionOutputs["apps"]> = {};
    if (isObject(r.apps)) {
        for (const [name, a] of Object.entries(r.apps)) {
            if (isObject(a)) apps[name] = pick(a, ["hostname", "healthPath", "url", "host", "protocol", "scheme"]);
        }
    }
    return { ...pick(r, ["vpcId", "clusterName", "clusterEndpoint", "kubernetesVersion"]), ...(isObject(r.apps) ? { apps } : {}) };
}

/** The listed keys whose values are plain (non-secret) strings. */
function pick<K extends string>(from: Record<string, unknown>, keys: readonly K[]): Partial<Record<K, string>> {
    const out: Partial<Record<K, string>> = {};
    for (const k of keys) {
        const v = str(from[k]);
        if (v !== undefined) out[k] = v;
    }
    return out;
}

/** `+2 ~1 +-1 -0 =40`: create, update, replace, delete, same; `none` when empty. */
export function formatChanges(changes: OpMap | undefined): string {
    if (!changes) return "-";
    const parts: string[] = [];
    const add = (symbol: string, n: number | undefined) => { if (n) parts.push(`${symbol}${n}`); };
    add("+", changes.create);
    add("~", changes.update);
    add("+-", changes.replace);
    add("-", changes.delete);
    add("=", changes.same);
    return parts.length > 0 ? parts.join(" ") : "none";
}

export function writeJsonReport(file: string, report: RolloutReport): void {
    writeUserFile(file, `${JSON.stringify(report, null, 2)}\n`);
}

const STATUS_ICON: Record<string, string> = {
    succeeded: "✅", previewed: "✅", "in-sync": "✅", failed: "❌", drifted: "⚠️", drift: "⚠️",
    cancelled: "⏹️", locked: "🔒", alarm: "🚨", skipped: "⏭️", pending: "⏳", running: "⏳", invalid: "❌",
};

function escapeCell(s: string): string {
    return s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** A Markdown summary fit for a PR comment or `$GITHUB_STEP_SUMMARY`. */
export function renderMarkdown(report: RolloutReport): string {
    const title = { preview: "Preview", up: "Rollout", drift: "Drift check" }[report.mode];
    const lines: string[] = [];
    const icon = STATUS_ICON[report.status];
    lines.push(`### ${icon ? `${icon} ` : ""}${title} of stack \`${report.stack}\`: ${report.status}`);
    lines.push("");
    if (report.failure) {
        const where = [report.failure.wave && `wave ${report.failure.wave}`, report.failure.region && `region ${report.failure.region}`]
            .filter(Boolean).join(", ");
        lines.push(`**Stopped at ${report.failure.step}${where ? ` (${where})` : ""}:** ${escapeCell(report.failure.message)}`);
        lines.push("");
    }
    const regions = Object.values(report.regions);
    if (regions.length > 0) {
        const changeHeader = report.mode === "up" ? "Applied" : report.mode === "drift" ? "Drift" : "Planned";
        lines.push(`| Region | Wave | Status | ${changeHeader} | Health |`);
        lines.push("|---|---|---|---|---|");
        for (const r of regions) {
            const changes = report.mode === "preview" ? r.planned : r.changes;
            const health = r.health.length === 0 ? "-" : `${r.health.filter((h) => h.ok).length}/${r.health.length} ok`;
            lines.push(`| ${r.region} | ${r.wave} | ${STATUS_ICON[r.status] ?? ""} ${r.status} | ${formatChanges(changes)} | ${health} |`);
        }
        lines.push("");
        const serving = regions.filter((r) => r.names !== undefined);
        if (serving.length > 0) {
            lines.push("**Names served**");
            lines.push("");
            for (const r of serving) lines.push(`- ${r.region}: ${r.names!.length > 0 ? r.names!.map((n) => `\`${n}\``).join(", ") : "none"}`);
            lines.push("");
        }
    }
    const changed = regions.flatMap((r) => r.resources.map((res) => ({ region: r.region, ...res })));
    if (changed.length > 0) {
        lines.push("<details><summary>Resources</summary>");
        lines.push("");
        lines.push("| Region | Op | Type | Name |");
        lines.push("|---|---|---|---|");
        for (const c of changed.slice(0, 200)) lines.push(`| ${c.region} | ${c.op} | \`${c.type}\` | ${escapeCell(c.name)} |`);
        if (changed.length > 200) lines.push(`| | | | ... ${changed.length - 200} more (see the JSON report) |`);
        lines.push("");
        lines.push("</details>");
        lines.push("");
    }
    if (report.policyViolations.length > 0) {
        lines.push("**Policy violations**");
        lines.push("");
        for (const v of report.policyViolations) {
            lines.push(`- ${v.level === "mandatory" ? "❌ mandatory" : "⚠️ advisory"} \`${v.policyPack}/${v.policy}\`${v.region ? ` (${v.region})` : ""}: ${escapeCell(v.message)}`);
        }
        lines.push("");
    }
    for (const w of report.warnings) lines.push(`> ⚠️ ${escapeCell(w)}`);
    if (report.warnings.length > 0) lines.push("");
    lines.push(`<sub>exit code ${report.exitCode ?? "-"}, ${report.seconds?.toFixed(0) ?? "?"} s, report version ${report.reportVersion}</sub>`);
    return `${lines.join("\n")}\n`;
}

/** Appends the Markdown summary (GitHub's step summary file is appended to by convention). */
export function appendMarkdown(file: string, report: RolloutReport): void {
    writeUserFile(file, renderMarkdown(report), "append");
}
