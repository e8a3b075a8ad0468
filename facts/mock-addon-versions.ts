/**
 * What the mock engine answers for `aws.eks.getAddonVersion` (DescribeAddonVersions): per add-on and
 * Kubernetes minor version (key `<addon>@<minor>`), the version AWS marks as the default
 * (facts/data/mock-addon-versions.json). MOCK DATA for the offline plan and the tests only; a real
 * `pulumi up` asks AWS. Each entry says whether it was read from AWS or is a sample in AWS's shape.
 */
import type { FactTable } from "./ledger";
import { findFact } from "./ledger";
import data from "./data/mock-addon-versions.json";

export const MOCK_ADDON_VERSION_TABLE: FactTable<string> = data;

/** The mock's default version of `addon` on Kubernetes `minor`, or undefined. */
export function mockAddonDefault(addon: string, minor: string): string | undefined {
    return findFact(MOCK_ADDON_VERSION_TABLE, `${addon}@${minor}`)?.value;
}
