/**
 * The Amazon EKS Kubernetes version calendar: the one dated table of which minor versions EKS offers
 * and until when. Validation (stacks/version-validate.ts), the offline plan and the rollout read it;
 * nothing else in the project hard-codes a version or a support date.
 *
 * Checked 2026-11-29 against:
 * - AWS, "Understand the Kubernetes version lifecycle on EKS" (standard support is 14 months from the
 *   EKS release, extended support the 12 months after it; a cluster past the end of extended support
 *   is auto-upgraded): https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
 * - endoflife.date, "Amazon EKS" (release, end of standard and of extended support per version, 1.29
 *   to 1.35): https://endoflife.date/amazon-eks
 * - 1.36: released on EKS 2026-06-02, standard support to 2027-08-02 (operator write-up of the EKS
 *   1.36 release, https://devopsdreams.blogspot.com/2026/08/kubernetes-136-on-amazon-eks-upgrade.html,
 *   consistent with the 14-month rule); end of extended support derived (+12 months).
 * - 1.37 is left out on purpose: upstream Kubernetes planned 1.37 GA for late August 2026, but no AWS
 *   source available on 2026-11-29 confirmed it on EKS, nor add-on versions, nor kubernetes-models
 *   schemas for it. Add it here (with its source) once AWS lists it.
 *
 * Refresh: compare with the AWS page above (or `aws eks describe-cluster-versions`, which lists each
 * version's status and end dates) and update `CHECKED_ON`.
 */

/** The date the table was last checked against its sources (YYYY-MM-DD). */
export const CHECKED_ON = "2026-11-29";

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

const AWS_PAGE = "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html";
const EOL_PAGE = "https://endoflife.date/amazon-eks";

/** Oldest first. */
export const EKS_VERSIONS: readonly EksVersion[] = [
    { version: "1.29", released: "2024-01-23", endOfStandardSupport: "2025-03-23", endOfExtendedSupport: "2026-03-23", source: EOL_PAGE },
    { version: "1.30", released: "2024-05-23", endOfStandardSupport: "2025-07-23", endOfExtendedSupport: "2026-07-23", source: EOL_PAGE },
    { version: "1.31", released: "2024-09-26", endOfStandardSupport: "2025-11-26", endOfExtendedSupport: "2026-11-26", source: EOL_PAGE },
    { version: "1.32", released: "2025-01-25", endOfStandardSupport: "2026-03-23", endOfExtendedSupport: "2027-03-23", source: EOL_PAGE },
    { version: "1.33", released: "2025-05-28", endOfStandardSupport: "2026-07-29", endOfExtendedSupport: "2027-07-29", source: EOL_PAGE },
    { version: "1.34", released: "2025-10-06", endOfStandardSupport: "2026-12-02", endOfExtendedSupport: "2027-12-02", source: EOL_PAGE },
    { version: "1.35", released: "2026-01-28", endOfStandardSupport: "2027-03-27", endOfExtendedSupport: "2028-03-27", source: EOL_PAGE },
    { version: "1.36", released: "2026-06-02", endOfStandardSupport: "2027-08-02", endOfExtendedSupport: "2028-08-02", source: `${AWS_PAGE} (14 + 12 months from the EKS release)` },
];

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
