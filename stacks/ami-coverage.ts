/**
 * `eks-platform:kubernetesVersion` against the AMI release the EC2NodeClasses pin: Karpenter resolves
 * `al2023@<release>` through the SSM parameters of the cluster's minor, so a minor the release has no
 * AMIs for leaves every node class unresolvable (no node launches). Facts: facts/ami-release-coverage.ts.
 */
import { AMI_RELEASE } from "../facts/ami-releases";
import { amiReleaseCoverage, releasesCovering } from "../facts/ami-release-coverage";
import { eksVersion } from "../facts/eks-versions";
import { ConfigIssue, issueAt } from "./errors";
import type { ParsedPlatform } from "./schema";
import { regionComputeMode } from "./compute-mode";

export function amiCoverageIssues(c: ParsedPlatform): ConfigIssue[] {
    const onKarpenter = c.regions.some((r) => regionComputeMode(c.computeMode, r) === "karpenter");
    // A version EKS does not offer is the calendar's to report (stacks/version-validate.ts).
    if (!onKarpenter || !eksVersion(c.kubernetesVersion)) return [];
    const families = [...new Set((c.karpenter?.nodeClasses ?? []).map((n) => n.amiFamily))];
    return (families.length > 0 ? families : ["al2023" as const]).flatMap((family) => {
        const release = AMI_RELEASE[family];
        const coverage = amiReleaseCoverage(family, release);
        if (coverage?.minors.includes(c.kubernetesVersion)) return [];
        const others = releasesCovering(family, c.kubernetesVersion);
        return [issueAt(c, ["kubernetesVersion"], `the AMI release the Karpenter node classes pin, ${family}@${release} (facts/data/ami-releases.json), ` +
            (coverage ? `has AMIs for Kubernetes ${coverage.minors[0]} to ${coverage.minors[coverage.minors.length - 1]} only` : "is not in facts/data/ami-release-coverage.json") +
            `, so no node could launch on ${c.kubernetesVersion}; allowed: a minor it covers` +
            (others.length > 0 ? `, or pin ${family}@${others[0]}, which covers ${c.kubernetesVersion}` : `; no release known here covers ${c.kubernetesVersion} yet ` +
                "(npm run facts -- --refresh ami-release-coverage, then pin one in facts/data/ami-releases.json)"))];
    });
}
