/**
 * Warnings about the Kubernetes version's support, read from the EKS support calendar
 * (facts/data/eks-versions.json) for the plan's day. The version is stack-wide, so these are
 * stack-level warnings (printed once, not per region).
 */
import { SUPPORT_WARNING_DAYS, cheapestStandardVersion, versionSupport } from "../../facts/eks-versions";
import type { PlatformConfig } from "../../stacks/config";
import type { Warning } from "./model";

export function versionWarnings(platform: Pick<PlatformConfig, "regions" | "today">): Warning[] {
    const version = platform.regions[0]?.cluster.version;
    if (version === undefined) return [];
    const extendedSupport = platform.regions[0].cluster.extendedSupport;
    const s = versionSupport(version, platform.today);
    const subject = "kubernetesVersion";
    if (s.state === "extended") {
        return [{
            subject,
            message: `${version} is past standard support (ended ${s.endOfStandardSupport}): the cluster is billed at the extended-support rate ` +
                `until ${s.endOfExtendedSupport}, when EKS upgrades it itself; upgrade one minor version per \`pulumi up\` (see README, Upgrading Kubernetes)`,
        }];
    }
    if (s.state === "standard" && s.upgradeSoon) {
        const next = cheapestStandardVersion(platform.today);
        return [{
            subject,
            message: `standard support for ${version} ends on ${s.endOfStandardSupport}, in ${s.standardSupportDaysLeft} day(s) (warning from ${SUPPORT_WARNING_DAYS} days): ` +
                (extendedSupport
                    ? `then the cluster moves to extended support, billed extra per cluster hour`
                    : `then EKS upgrades the cluster itself (upgrade policy STANDARD) and this version is refused by validation`) +
                (next && next.version !== version ? `; upgrade towards ${next.version} (standard support ends ${next.endOfStandardSupport}) before then` : ""),
        }];
    }
    return [];
}
