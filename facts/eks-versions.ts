/**
 * The Amazon EKS Kubernetes version calendar: which minor versions EKS offers and until when. The data
 * is facts/data/eks-versions.json (each entry's source and the day it was read there); validation
 * (stacks/version-validate.ts), the offline plan and the rollout read it through these accessors;
 * nothing else in the project hard-codes a version or a support date.
 *
 * The lifecycle rule (AWS, "Understand the Kubernetes version lifecycle on EKS",
 * https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html): standard support is 14
 * months from the EKS release, extended support the 12 months after it; a cluster past the end of
 * extended support is auto-upgraded. A minor is added only once an AWS source lists it (with its source).
 *
 * Refresh: `npm run facts -- --refresh eks-versions` (eks:DescribeClusterVersions).
 */
import type { FactTable } from "./ledger";
import { oldestRead } from "./ledger";
import data from "./data/eks-versions.json";

/** The dates of one minor version (YYYY-MM-DD), as the ledger stores them. */
export interface EksVersionDates {
    readonly released: string;
    readonly endOfStandardSupport: string;
    readonly endOfExtendedSupport: string;
}

export const EKS_VERSION_TABLE: FactTable<EksVersionDates> = data;

/** The day the table was last checked against its sources (its oldest entry's read day). */
export const CHECKED_ON = oldestRead(EKS_VERSION_TABLE);

export interface EksVersion {
    /** Kubernetes minor version as EKS names it, e.g. "1.36". */
    readonly version: string;
    /** First day the version was available on EKS (YYYY-MM-DD). */
    readonly released: string;
    /**
     * End of standard support: from the start of this day (00:00 UTC) the version is in extended support
     * and billed at the extended rate ("Billing for extended support starts at the beginning of the day
     * that the version reaches end of standard support", EKS release calendar), or, with upgrade policy
     * STANDARD, due for an automatic upgrade.
     */
    readonly endOfStandardSupport: string;
    /** End of extended support: from the start of this day EKS auto-upgrades the cluster. */
    readonly endOfExtendedSupport: string;
    /** Where the dates come from. */
    readonly source: string;
}

/** Oldest first. */
export const EKS_VERSIONS: readonly EksVersion[] = EKS_VERSION_TABLE.entries.map((e) => ({
    version: e.key,
    released: e.value.released,
    endOfStandardSupport: e.value.endOfStandardSupport,
    endOfExtendedSupport: e.value.endOfExtendedSupport,
    source: e.source,
}));

/**
 * The default Kubernetes version: in standard support with the most runway, and supported by every
 * component here (EKS add-ons, the AWS Load Balancer Controller chart, the plan's schemas).
 */
export const DEFAULT_KUBERNETES_VERSION = "1.36";

/** Days before the end of standard support from which the plan warns. */
export const SUPPORT_WARNING_DAYS = 90;

export type SupportState = "not-released" | "standard" | "extended" | "ended";

export function eksVersion(version: string): EksVersion | undefined {
    return EKS_VERSIONS.find((v) => v.version === version);
}

/** The version's support state on `today` (YYYY-MM-DD; ISO dates compare as strings). */
export function supportState(v: EksVersion, today: string): SupportState {
    if (today < v.released) return "not-released";
    if (today < v.endOfStandardSupport) return "standard";
    if (today < v.endOfExtendedSupport) return "extended";
    return "ended";
}

/** Whole days from `today` to `date` (negative when `date` is past). */
export function daysUntil(date: string, today: string): number {
    return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** Versions a new or existing cluster may use on `today`, with their state (oldest first). */
export function offeredVersions(today: string): Array<EksVersion & { state: "standard" | "extended" }> {
    return EKS_VERSIONS.flatMap((v) => {
        const state = supportState(v, today);
        return state === "standard" || state === "extended" ? [{ ...v, state }] : [];
    });
}

/**
 * The cheapest supported alternative to a version past standard support: the oldest version in
 * standard support (no extended-support charge, the fewest upgrade steps) that has more than
 * SUPPORT_WARNING_DAYS left, so that it is not itself due for an upgrade at once; else the newest.
 */
export function cheapestStandardVersion(today: string): EksVersion | undefined {
    const standard = offeredVersions(today).filter((v) => v.state === "standard");
    return standard.find((v) => daysUntil(v.endOfStandardSupport, today) > SUPPORT_WARNING_DAYS) ?? standard[standard.length - 1];
}

/** Minor number of "1.N" (NaN for anything else). */
export function minorOf(version: string): number {
    const m = /^1\.(\d+)$/.exec(version);
    return m ? Number(m[1]) : NaN;
}

export interface VersionSupport {
    readonly version: string;
    readonly state: SupportState | "unknown";
    readonly endOfStandardSupport?: string;
    readonly endOfExtendedSupport?: string;
    /** Days from `today` to the end of standard support (negative once it is past). */
    readonly standardSupportDaysLeft?: number;
    /** True when standard support ends within SUPPORT_WARNING_DAYS, or has ended. */
    readonly upgradeSoon: boolean;
}

/** The version's support on `today`, as the plan prints it. */
export function versionSupport(version: string, today: string): VersionSupport {
    const v = eksVersion(version);
    if (!v) return { version, state: "unknown", upgradeSoon: false };
    const daysLeft = daysUntil(v.endOfStandardSupport, today);
    return {
        version,
        state: supportState(v, today),
        endOfStandardSupport: v.endOfStandardSupport,
        endOfExtendedSupport: v.endOfExtendedSupport,
        standardSupportDaysLeft: daysLeft,
        upgradeSoon: daysLeft <= SUPPORT_WARNING_DAYS,
    };
}
