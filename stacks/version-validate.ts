/**
 * `eks-platform:kubernetesVersion` against the EKS support calendar (facts/data/eks-versions.json)
 * on a given day: a version EKS offers, in standard support unless `extendedSupport` is on.
 */
import {
    cheapestStandardVersion, eksVersion, minorOf, offeredVersions, supportState,
} from "../facts/eks-versions";
import { ConfigIssue, issueAt } from "./errors";

function allowedList(today: string): string {
    const offered = offeredVersions(today);
    if (offered.length === 0) return "none (the version table is out of date: see facts/data/eks-versions.json)";
    return offered.map((v) => v.state === "standard"
        ? `"${v.version}" (standard support ends ${v.endOfStandardSupport})`
        : `"${v.version}" (extended support only, ends ${v.endOfExtendedSupport}; needs extendedSupport: true)`).join(", ");
}

/** The minor versions between two, e.g. 1.33 -> 1.34 -> 1.35 (EKS upgrades one minor version at a time). */
function upgradePath(from: string, to: string): string {
    const steps: string[] = [];
    for (let m = minorOf(from); m <= minorOf(to); m++) steps.push(`1.${m}`);
    return steps.join(" -> ");
}

export function versionIssues(config: { kubernetesVersion: string; extendedSupport: boolean }, today: string): ConfigIssue[] {
    const raw = config.kubernetesVersion;
    const key = ["kubernetesVersion"];
    const problem = (message: string) => [issueAt(config, key, message)];
    // YAML reads an unquoted 1.30 as the number 1.3, and Pulumi hands the program "1.3".
    if (/^1\.\d$/.test(raw)) {
        return problem(`looks like ${raw}0 written without quotes (YAML reads 1.${raw.slice(2)}0 as the number ${raw}): ` +
            `quote the version, e.g. kubernetesVersion: "${raw}0"; allowed on ${today}: ${allowedList(today)}`);
    }
    const v = eksVersion(raw);
    if (!v) {
        return problem(`is not a Kubernetes minor version EKS offers (write "1.N", quoted, no patch version); allowed on ${today}: ${allowedList(today)}`);
    }
    const state = supportState(v, today);
    if (state === "not-released") return problem(`is not available on EKS before ${v.released}; allowed on ${today}: ${allowedList(today)}`);
    if (state === "ended") {
        return problem(`EKS support for ${v.version} ended on ${v.endOfExtendedSupport} (end of extended support; EKS upgrades such clusters itself); ` +
            `allowed on ${today}: ${allowedList(today)}`);
    }
    if (state === "extended" && !config.extendedSupport) {
        const alt = cheapestStandardVersion(today);
        return problem(`standard support for ${v.version} ended on ${v.endOfStandardSupport}; with eks-platform:extendedSupport false ` +
            `(upgrade policy STANDARD) EKS upgrades the cluster itself. ` +
            (alt ? `Upgrade to ${alt.version} (the cheapest supported alternative: standard support ends ${alt.endOfStandardSupport}), ` +
                `one minor version per \`pulumi up\` (${upgradePath(v.version, alt.version)}), or set `
                // Past the calendar's last standard-support day there is no version to name: say so, never a broken sentence.
                : `The support calendar (facts/data/eks-versions.json) has no version in standard support on ${today}; if that day is right, ` +
                    "the calendar needs the newer releases (npm run facts shows its age). Until then, set ") +
            `eks-platform:extendedSupport: true to stay on ${v.version} (billed at the extended-support rate until ${v.endOfExtendedSupport})`);
    }
    return [];
}
