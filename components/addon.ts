import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ADDON_NAMESPACE, type AddonSpec } from "./addons-plan";
import { podIdentityTrust } from "./iam-policies";

/**
 * The add-on version, explicit and resolved for the cluster's Kubernetes version at deploy time: AWS's
 * default version of the add-on for that version (`aws.eks.getAddonVersion`, i.e. DescribeAddonVersions,
 * `mostRecent: false`).
 *
 * Why resolved, not pinned in a table: a pinned version is only as good as the day it was copied, may
 * not exist in every region and partition, and a wrong one fails `pulumi up` half-way through an
 * upgrade; AWS's default for a Kubernetes version is one AWS has validated for it and exists wherever
 * the add-on does. What this costs: when AWS moves its default (a new eksbuild), the next `up` updates
 * the add-on; `pulumi preview` and the rollout's preview gate show that as an `addonVersion` change
 * before anything happens. Without an explicit version (the previous behaviour) an add-on kept the
 * version EKS picked at creation forever, which may not support a newer Kubernetes version.
 *
 * On a Kubernetes upgrade the version changes with `kubernetesVersion`, and the add-on's update runs
 * after the control plane's (it depends on the cluster), so it moves to a version that supports the
 * new Kubernetes version. The offline plan shows the mock engine's answer (facts/data/mock-addon-versions.json).
 * (@pulumi/eks resolves its own kube-proxy and CoreDNS add-ons the same way, with `mostRecent: true`:
 * pulumi-eks nodejs/eks/cluster/cluster.ts; we take AWS's default rather than the newest build.)
 */
export function addonVersionFor(
    addonName: string,
    kubernetesVersion: string,
    opts: { parent: pulumi.Resource; provider: aws.Provider },
): pulumi.Output<string> {
    return aws.eks.getAddonVersionOutput({ addonName, kubernetesVersion, mostRecent: false }, opts).version;
}

/**
 * Registers one managed add-on (and, when it needs AWS access, its own Pod Identity role) as
 * children of `opts.parent`. Shared by the Cluster (networking add-ons) and the Addons component.
 */
export function registerAddon(
    prefix: string,
    spec: AddonSpec,
    clusterName: pulumi.Input<string>,
    /** The cluster's ARN: an add-on's Pod Identity role trusts only its service account there. */
    clusterArn: pulumi.Input<string>,
    /** The cluster's Kubernetes minor version: the add-on version is resolved for it. */
    kubernetesVersion: string,
    opts: { parent: pulumi.Resource; provider: aws.Provider },
    /** Resources the add-on itself (not its role) waits for, e.g. the EKS cluster. @default [] */
    dependsOn: pulumi.Resource[] = [],
): aws.eks.Addon {
    let podIdentityAssociations: aws.types.input.eks.AddonPodIdentityAssociation[] | undefined;
    if (spec.serviceAccount && spec.policyArn) {
        const role = new aws.iam.Role(`${prefix}-${spec.name}-role`, {
            assumeRolePolicy: pulumi.output(clusterArn).apply((arn) => JSON.stringify(podIdentityTrust({
                clusterArn: arn, namespace: ADDON_NAMESPACE, serviceAccount: spec.serviceAccount!,
            }))),
            description: `EKS add-on ${spec.name} (Pod Identity)`,
        }, opts);
        new aws.iam.RolePolicyAttachment(`${prefix}-${spec.name}-policy`, { role: role.name, policyArn: spec.policyArn }, opts);
        podIdentityAssociations = [{ roleArn: role.arn, serviceAccount: spec.serviceAccount }];
    }
    return new aws.eks.Addon(`${prefix}-${spec.name}`, {
        clusterName,
        addonName: spec.name,
        addonVersion: addonVersionFor(spec.name, kubernetesVersion, opts),
        configurationValues: spec.configuration ? JSON.stringify(spec.configuration) : undefined,
        podIdentityAssociations,
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
    }, { ...opts, dependsOn });
}
