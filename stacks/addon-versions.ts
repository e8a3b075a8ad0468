/**
 * `eks-platform:addonVersions` and the pinned add-on table (facts/addon-versions.ts): which version of
 * each add-on a stack installs for its Kubernetes minor, and the problems that stop it.
 */
import {
    ADDON_VERSION_PATTERN, PINNED_ADDONS, REFRESH_ADDON_VERSIONS_COMMAND, addonPin,
} from "../facts/addon-versions";
import { eksVersion } from "../facts/eks-versions";
import { ConfigIssue, issueAt } from "./errors";

type AddonConfig = { readonly kubernetesVersion: string; readonly addonVersions: Readonly<Record<string, string>> };

export function addonVersionIssues(c: AddonConfig): ConfigIssue[] {
    const out: ConfigIssue[] = [];
    for (const [name, version] of Object.entries(c.addonVersions)) {
        if (!PINNED_ADDONS.includes(name)) {
            out.push(issueAt(c, ["addonVersions", name], `"${name}" is not an add-on the platform installs; allowed: ${PINNED_ADDONS.join(", ")}`));
        } else if (!ADDON_VERSION_PATTERN.test(version)) {
            out.push(issueAt(c, ["addonVersions", name], "is not an EKS add-on version; allowed: one `aws eks describe-addon-versions " +
                `--addon-name ${name} --kubernetes-version ${c.kubernetesVersion}` + "` lists, e.g. \"v1.13.2-eksbuild.1\""));
        }
    }
    // A version EKS does not offer is the calendar's to report (stacks/version-validate.ts).
    if (!eksVersion(c.kubernetesVersion)) return out;
    const missing = PINNED_ADDONS.filter((a) => c.addonVersions[a] === undefined && !addonPin(a, c.kubernetesVersion));
    if (missing.length > 0) {
        out.push(issueAt(c, ["kubernetesVersion"], `facts/data/addon-versions.json pins no version of ${missing.join(", ")} for Kubernetes ` +
            `${c.kubernetesVersion} (add-on versions are pinned per minor, so that no update moves them by itself). Fill the row with ` +
            `\`${REFRESH_ADDON_VERSIONS_COMMAND}\` (AWS credentials; commit the result), or pin ${missing.length === 1 ? "it" : "each"} for this stack ` +
            `with eks-platform:addonVersions (e.g. ${missing[0]}: "v<semver>-eksbuild.<n>")`));
    }
    return out;
}

/** One add-on's version: its override, else the table's pin for the minor, else undefined. */
export function addonVersion(addon: string, kubernetesVersion: string, overrides: Readonly<Record<string, string>> = {}): string | undefined {
    return overrides[addon] ?? addonPin(addon, kubernetesVersion)?.version;
}

/** Each add-on's version for the stack: its override, else the table's pin for the minor (validated complete). */
export function resolveAddonVersions(c: AddonConfig): Readonly<Record<string, string>> {
    return Object.fromEntries(PINNED_ADDONS.map((a) => {
        const version = addonVersion(a, c.kubernetesVersion, c.addonVersions);
        if (!version) throw new Error(`no version of ${a} for Kubernetes ${c.kubernetesVersion} (validation should have refused it)`);
        return [a, version];
    }));
}
