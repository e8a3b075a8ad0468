/**
 * What the mock engine answers for `aws.eks.getAddonVersion` (DescribeAddonVersions): per add-on and
 * Kubernetes minor version, the version AWS marks as the default. MOCK DATA for the offline plan and
 * the tests only; a real `pulumi up` asks AWS. The values have AWS's shape (`v<semver>-eksbuild.<n>`);
 * kube-proxy's follow AWS's table on "Manage kube-proxy in Amazon EKS clusters"
 * (https://docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html, read 2026-11-29); the
 * others are samples. An add-on/version pair missing here fails like the provider does when AWS lists
 * no compatible version.
 */
const byKubernetes = (versions: Record<string, string>) => versions;
const same = (version: string, minors: readonly string[]) => Object.fromEntries(minors.map((m) => [m, version]));
const MINORS = ["1.32", "1.33", "1.34", "1.35", "1.36"] as const;

export const MOCK_ADDON_DEFAULT_VERSIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
    "kube-proxy": byKubernetes({
        "1.32": "v1.32.13-eksbuild.16", "1.33": "v1.33.10-eksbuild.13", "1.34": "v1.34.6-eksbuild.13",
        "1.35": "v1.35.3-eksbuild.13", "1.36": "v1.36.0-eksbuild.14",
    }),
    "vpc-cni": same("v1.21.1-eksbuild.3", MINORS),
    "eks-pod-identity-agent": same("v1.3.10-eksbuild.2", MINORS),
    "coredns": byKubernetes({
        "1.32": "v1.11.4-eksbuild.24", "1.33": "v1.12.4-eksbuild.1", "1.34": "v1.12.4-eksbuild.1",
        "1.35": "v1.13.1-eksbuild.1", "1.36": "v1.13.2-eksbuild.1",
    }),
    "aws-ebs-csi-driver": same("v1.53.0-eksbuild.1", MINORS),
    "metrics-server": same("v0.8.0-eksbuild.6", MINORS),
    "eks-node-monitoring-agent": same("v1.7.0-eksbuild.1", MINORS),
};

/** The mock's answer, or an error shaped like the provider's when AWS has none. */
export function mockAddonVersion(addonName: string, kubernetesVersion: string): string {
    const version = MOCK_ADDON_DEFAULT_VERSIONS[addonName]?.[kubernetesVersion];
    if (!version) {
        throw new Error(`reading EKS Add-On version (${addonName}): no add-on version of ${addonName} is compatible with Kubernetes ${kubernetesVersion} ` +
            "(mock engine: tools/harness/addon-versions.ts)");
    }
    return version;
}
