/**
 * The EKS add-on versions the platform pins, per add-on and Kubernetes minor (key `<addon>@<minor>`,
 * facts/data/addon-versions.json). The program installs exactly these (components/addon.ts), so no
 * `pulumi up` moves an add-on by itself: AWS's default build for a minor changes over time, and
 * following it (aws.eks.getAddonVersion, as the platform did before) upgraded vpc-cni, coredns, ...
 * in every region on any later, unrelated update.
 *
 * - A `kubernetesVersion` upgrade takes the new minor's row; a minor without a row is refused, naming
 *   the key and REFRESH_COMMAND.
 * - A stack may pin one add-on differently: `eks-platform:addonVersions: { <addon>: <version> }`.
 * - `npm run facts -- --refresh addon-versions` (eks:DescribeAddonVersions) records AWS's current
 *   default of each row in `value.awsDefault` (with `awsDefaultRead`) and leaves `value.version` alone
 *   on a row that is verified: moving it is a reviewed change (bump `version`, commit, preview). It fills
 *   a missing row, and replaces an `unverified` one, with AWS's default. The plan shows a pin whose
 *   recorded AWS default differs, and warns while a pin in use is unverified.
 */
import type { Day, FactTable } from "./ledger";
import { findFact } from "./ledger";
import data from "./data/addon-versions.json";

export interface AddonPin {
    /** The version the platform installs, e.g. "v1.13.2-eksbuild.1". */
    readonly version: string;
    /** True for a sample not read from AWS: the plan warns; a refresh replaces it. */
    readonly unverified?: boolean;
    /** AWS's default version for this minor, as the last refresh recorded it (absent: never recorded). */
    readonly awsDefault?: string;
    /** The day the refresh recorded `awsDefault`. */
    readonly awsDefaultRead?: Day;
}

export const ADDON_VERSION_TABLE: FactTable<AddonPin> = data;

/** The command that fills or updates the table (needs AWS credentials). */
export const REFRESH_ADDON_VERSIONS_COMMAND = "npm run facts -- --refresh addon-versions";

/** An EKS add-on version as DescribeAddonVersions names it: `v<major>.<minor>.<patch>-eksbuild.<n>`. */
export const ADDON_VERSION_PATTERN = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;

/** The add-ons the table pins (every add-on the platform installs). */
export const PINNED_ADDONS: readonly string[] = [...new Set(ADDON_VERSION_TABLE.entries.map((e) => e.key.split("@")[0]))];

/** The pin of `addon` for Kubernetes `minor`, or undefined when the table has no row for it. */
export function addonPin(addon: string, minor: string): AddonPin | undefined {
    return findFact(ADDON_VERSION_TABLE, `${addon}@${minor}`)?.value;
}

/** The minors the table has a complete row for (every pinned add-on). */
export function pinnedMinors(): string[] {
    const minors = [...new Set(ADDON_VERSION_TABLE.entries.map((e) => e.key.split("@")[1]))];
    return minors.filter((m) => PINNED_ADDONS.every((a) => addonPin(a, m) !== undefined));
}
