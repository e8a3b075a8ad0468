/**
 * The rollout's Kubernetes version checks, as pure functions over what it read (stack outputs, EKS):
 * - before anything changes: each region's deployed version against the configured one; a downgrade,
 *   a jump of more than one minor version, or a stack state that EKS has moved past (a forced upgrade
 *   not yet refreshed) refuse the whole rollout;
 * - before a wave whose update changes a region's version: that cluster's EKS upgrade insights; an
 *   ERROR insight halts the wave, unless `--ignore-insights` (then a warning in the report).
 */
import type { OutputMap } from "@pulumi/pulumi/automation";
import { minorOf } from "../../facts/eks-versions";
import type { EksClusterApi, UpgradeInsight } from "./eks-api";

export type VersionSource = "cluster" | "stack outputs";

export interface RegionVersion {
    readonly region: string;
    readonly clusterName: string;
    /** eks-platform:kubernetesVersion. */
    readonly configured: string;
    /** What runs now: EKS's answer when it could be asked, else the stack outputs of the last update. */
    readonly deployed?: string;
    readonly source?: VersionSource;
    /** The version the stack's last update recorded (output `kubernetesVersion`). */
    readonly recorded?: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Output `regions.<region>.<key>` when it is a plain string. */
export function regionOutput(outputs: OutputMap, region: string, key: string): string | undefined {
    const regions = outputs.regions?.value;
    if (!isObject(regions) || !isObject(regions[region])) return undefined;
    const v = (regions[region] as Record<string, unknown>)[key];
    return typeof v === "string" ? v : undefined;
}

/**
 * Reads each region's deployed version. A region counts as deployed when the stack outputs record its
 * cluster (a region never rolled out has nothing to compare). For those, EKS is asked first (it knows
 * about upgrades EKS made itself); when it cannot be asked, the outputs stand in and a warning says so.
 */
export async function readDeployedVersions(args: {
    readonly regions: readonly string[];
    readonly configured: string;
    readonly clusterNameOf: (region: string) => string;
    readonly outputs: OutputMap;
    readonly eks?: EksClusterApi;
}): Promise<{ versions: RegionVersion[]; warnings: string[] }> {
    const warnings: string[] = [];
    const versions = await Promise.all(args.regions.map(async (region): Promise<RegionVersion> => {
        const deployedName = regionOutput(args.outputs, region, "clusterName");
        const clusterName = deployedName ?? args.clusterNameOf(region);
        const recorded = regionOutput(args.outputs, region, "kubernetesVersion");
        const base = { region, clusterName, configured: args.configured, recorded };
        if (deployedName === undefined) return base;
        if (args.eks) {
            try {
                const live = await args.eks.clusterVersion(region, clusterName);
                if (live !== undefined) return { ...base, deployed: live, source: "cluster" };
                if (recorded === undefined) return base;
                warnings.push(`${region}: EKS knows no cluster ${clusterName}, but the stack outputs record Kubernetes ${recorded}; using the outputs`);
            } catch (e) {
                warnings.push(`${region}: could not ask EKS for the version of ${clusterName} (${(e as Error).message}); using the stack outputs`);
            }
        }
        return recorded === undefined ? base : { ...base, deployed: recorded, source: "stack outputs" };
    }));
    return { versions, warnings };
}

export type VersionChange = "new" | "same" | "upgrade" | "downgrade" | "jump";

export function versionChange(configured: string, deployed: string | undefined): VersionChange {
    if (deployed === undefined) return "new";
    const [to, from] = [minorOf(configured), minorOf(deployed)];
    if (to === from) return "same";
    if (to < from) return "downgrade";
    return to - from === 1 ? "upgrade" : "jump";
}

/** Why the rollout must not start for this region, or undefined. */
export function versionRefusal(v: RegionVersion, refreshed: boolean): string | undefined {
    const key = "eks-platform:kubernetesVersion";
    const where = `${v.region}: cluster ${v.clusterName} runs Kubernetes ${v.deployed} (${v.source})`;
    switch (versionChange(v.configured, v.deployed)) {
        case "downgrade":
            return `${where} and ${key} is "${v.configured}": a downgrade, which this rollout never asks EKS for. ` +
                `Set ${key} back to "${v.deployed}". To undo a recent upgrade use EKS's own rollback (previous minor version, ` +
                `within 7 days of the upgrade; README, Upgrading Kubernetes), then set the key to match.`;
        case "jump": {
            const next = `1.${minorOf(v.deployed!) + 1}`;
            return `${where} and ${key} is "${v.configured}": EKS upgrades one minor version at a time. ` +
                `Set ${key} to "${next}", roll out, then continue to "${v.configured}".`;
        }
        default:
            break;
    }
    if (!refreshed && v.source === "cluster" && v.recorded !== undefined && v.recorded !== v.deployed) {
        return `${where}, but the stack's last update recorded ${v.recorded}: EKS changed the version outside Pulumi ` +
            `(at the end of standard support EKS upgrades clusters itself). Run the rollout with --refresh so that Pulumi ` +
            `reads the real version first; otherwise the update asks EKS for a version change it rejects.`;
    }
    return undefined;
}

export interface InsightVerdict {
    readonly errors: readonly UpgradeInsight[];
    readonly warnings: readonly UpgradeInsight[];
}

/**
 * The insights that matter for an upgrade to `target` (those EKS ties to another version are left out).
 * An UNKNOWN one (EKS could not evaluate the check) is a warning: it proves nothing either way.
 */
export function insightVerdict(insights: readonly UpgradeInsight[], target: string): InsightVerdict {
    const relevant = insights.filter((i) => i.kubernetesVersion === undefined || i.kubernetesVersion === target);
    return {
        errors: relevant.filter((i) => i.status === "ERROR"),
        warnings: relevant.filter((i) => i.status === "WARNING" || i.status === "UNKNOWN"),
    };
}

/** One line per insight: status, name, version and EKS's reason. */
export function formatInsight(i: UpgradeInsight): string {
    const why = i.reason ?? i.description;
    return `${i.status} ${i.name}${i.kubernetesVersion ? ` (Kubernetes ${i.kubernetesVersion})` : ""}${why ? `: ${why}` : ""}`;
}

export interface InsightGateResult {
    readonly region: string;
    /** False: the wave must not start. */
    readonly ok: boolean;
    /** Printed and kept in the report: each failing insight, or why EKS could not be asked. */
    readonly lines: readonly string[];
    /** For the report's warnings. */
    readonly warnings: readonly string[];
}

/**
 * The upgrade-insights gate for one region whose version the wave changes. Fails closed: when EKS
 * cannot be asked, the wave does not start (unless `ignore`).
 */
export async function insightGate(args: {
    readonly version: RegionVersion;
    readonly eks?: EksClusterApi;
    readonly ignore: boolean;
}): Promise<InsightGateResult> {
    const { version: v, eks, ignore } = args;
    const what = `upgrade insights of ${v.clusterName} (${v.region}) for ${v.deployed} -> ${v.configured}`;
    const override = "--ignore-insights was given: going ahead";
    let insights: UpgradeInsight[];
    const notes: string[] = [];
    try {
        if (!eks) throw new Error("no EKS API client was configured");
        const refresh = await eks.refreshInsights?.(v.region, v.clusterName);
        if (refresh) notes.push(`${v.region}: ${refresh}; reading the insights of EKS's last scheduled refresh`);
        insights = await eks.upgradeInsights(v.region, v.clusterName);
    } catch (e) {
        const line = `could not read the ${what}: ${(e as Error).message}. The gate fails closed; check AWS credentials and ` +
            "the eks:ListInsights permission, or rerun with --ignore-insights to skip it";
        return ignore
            ? { region: v.region, ok: true, lines: [line], warnings: [`${v.region}: ${line.split(". The gate")[0]}; ${override}`] }
            : { region: v.region, ok: false, lines: [line], warnings: [] };
    }
    const verdict = insightVerdict(insights, v.configured);
    const warnings = [...notes, ...verdict.warnings.map((i) => `${v.region}: upgrade insight ${formatInsight(i)}`)];
    if (verdict.errors.length === 0) return { region: v.region, ok: true, lines: [...verdict.warnings.map(formatInsight)], warnings };
    const lines = verdict.errors.map(formatInsight);
    if (ignore) {
        return {
            region: v.region, ok: true, lines,
            warnings: [...warnings, ...lines.map((l) => `${v.region}: upgrade insight ${l}; ${override}`)],
        };
    }
    return { region: v.region, ok: false, lines, warnings };
}
