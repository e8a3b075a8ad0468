/**
 * The mock engine's answer for `aws.eks.getAddonVersion` (DescribeAddonVersions), from the ledger's
 * mock-only table facts/data/mock-addon-versions.json. An add-on/version pair missing there fails like the
 * provider does when AWS lists no compatible version.
 */
import { mockAddonDefault } from "../../facts/mock-addon-versions";

/** The mock's answer, or an error shaped like the provider's when AWS has none. */
export function mockAddonVersion(addonName: string, kubernetesVersion: string): string {
    const version = mockAddonDefault(addonName, kubernetesVersion);
    if (!version) {
        throw new Error(`reading EKS Add-On version (${addonName}): no add-on version of ${addonName} is compatible with Kubernetes ${kubernetesVersion} ` +
            "(mock engine: facts/data/mock-addon-versions.json)");
    }
    return version;
}
