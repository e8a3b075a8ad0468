import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AddonRegistration } from "./addons-plan";
import { podIdentityTrust } from "./iam-policies";
import { addonVersion } from "../stacks/addon-versions";

/**
 * The version to install of `addon`: the stack's resolved versions (PlatformConfig: the pinned table's
 * row or an override), else the table's pin for `kubernetesVersion`. Throws when neither has one
 * (validation refuses such a stack first).
 */
export function addonVersionOf(addon: string, kubernetesVersion: string, versions?: Readonly<Record<string, string>>): string {
    const version = addonVersion(addon, kubernetesVersion, versions);
    if (!version) throw new Error(`facts/data/addon-versions.json pins no version of ${addon} for Kubernetes ${kubernetesVersion}`);
    return version;
}

/**
 * Registers one managed add-on (and, when it needs AWS access, its own Pod Identity role) as
 * children of `opts.parent`, named and configured as `addon` says (addons-plan.ts
 * clusterAddonRegistration for the Cluster's and the Addons component's add-ons,
 * observability-plan.ts observabilityAddonRegistration for RegionObservability's).
 *
 * `addon.version` is the pin of facts/data/addon-versions.json for the cluster's Kubernetes minor, or
 * the stack's override (stacks/addon-versions.ts). Pinned, not AWS's default of the day
 * (aws.eks.getAddonVersion), so that no `pulumi up` upgrades an add-on unasked; a `kubernetesVersion`
 * upgrade takes the new minor's row, and the add-on's update runs after the control plane's.
 */
export function registerAddon(
    addon: AddonRegistration,
    clusterName: pulumi.Input<string>,
    /** The cluster's ARN: an add-on's Pod Identity role trusts only its service account there. */
    clusterArn: pulumi.Input<string>,
    opts: { parent: pulumi.Resource; provider: aws.Provider },
    /** Resources the add-on itself (not its role) waits for, e.g. the EKS cluster. @default [] */
    dependsOn: pulumi.Input<pulumi.Resource>[] = [],
): aws.eks.Addon {
    let podIdentityAssociations: aws.types.input.eks.AddonPodIdentityAssociation[] | undefined;
    let waitFor = dependsOn;
    const identity = addon.podIdentity;
    if (identity) {
        const role = new aws.iam.Role(identity.roleResourceName, {
            assumeRolePolicy: pulumi.output(clusterArn).apply((arn) => JSON.stringify(podIdentityTrust({
                clusterArn: arn, namespace: identity.namespace, serviceAccount: identity.serviceAccount,
            }))),
            description: `EKS add-on ${addon.addonName} (Pod Identity)`,
        }, opts);
        const attachments = identity.policies.map((p) => new aws.iam.RolePolicyAttachment(p.resourceName, { role: role.name, policyArn: p.policyArn }, opts));
        waitFor = [...dependsOn, ...attachments];
        podIdentityAssociations = [{ roleArn: role.arn, serviceAccount: identity.serviceAccount }];
    }
    return new aws.eks.Addon(addon.resourceName, {
        clusterName,
        addonName: addon.addonName,
        addonVersion: addon.version,
        configurationValues: addon.configuration ? JSON.stringify(addon.configuration) : undefined,
        podIdentityAssociations,
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
    }, { ...opts, dependsOn: waitFor });
}
