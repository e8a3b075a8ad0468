/**
 * Which Kubernetes minors each EKS-optimized AMI release has AMIs for (facts/data/ami-release-coverage.json).
 * Karpenter resolves the EC2NodeClasses' pinned alias (`al2023@<release>`, facts/ami-releases.ts) through
 * the SSM parameters of the cluster's own minor; a release without AMIs for that minor leaves every node
 * class unresolvable, and no node launches. Validation refuses such a `kubernetesVersion`; the plan warns
 * when the pinned release is old (unpatched nodes).
 */
import type { Day, FactTable } from "./ledger";
import { findFact } from "./ledger";
import data from "./data/ami-release-coverage.json";

export interface AmiReleaseCoverage {
    /** The day the release was published. */
    readonly published: Day;
    /** Kubernetes minors with AMIs in the release. */
    readonly minors: readonly string[];
}

export const AMI_RELEASE_COVERAGE_TABLE: FactTable<AmiReleaseCoverage> = data;

/** Days after which the plan calls a pinned AMI release old (AWS publishes releases every few weeks). */
export const AMI_RELEASE_MAX_AGE_DAYS = 60;

/** The coverage of `family@release`, or undefined when the table does not know the release. */
export function amiReleaseCoverage(family: string, release: string): AmiReleaseCoverage | undefined {
    return findFact(AMI_RELEASE_COVERAGE_TABLE, `${family}@${release}`)?.value;
}

/** Releases of `family` the table knows to cover `minor`, newest first. */
export function releasesCovering(family: string, minor: string): string[] {
    return AMI_RELEASE_COVERAGE_TABLE.entries
        .filter((e) => e.key.startsWith(`${family}@`) && e.value.minors.includes(minor))
        .sort((a, b) => (a.value.published < b.value.published ? 1 : -1))
        .map((e) => e.key.slice(family.length + 1));
}
