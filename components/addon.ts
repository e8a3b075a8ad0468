import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ADDON_NAMESPACE, type AddonSpec } from "./addons-plan";
import { podIdentityTrust } from "./iam-policies";
import { addonPin } from "../facts/addon-versions";

/**
 * The version to install of `addon`: the stack's resolved versions (PlatformConfig: the pinned table's
 * row or an override), else the table's pin for `kubernetesVersion`. Throws when neither has one
 * (validation refuses such a stack first).
 */
export function addonVersionOf(addon: string, kubernetesVersion: string, versions?: Readonly<Record<string, string>>): string {
    const version = versions?.[addon] ?? addonPin(addon, kubernetesVersion)?.version;
    if (!version) throw new Error(`facts/data/addon-versions.json pins no version of ${addon} for Kubernetes ${kubernetesVersion}`);
    return version;
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
    /**
     * The add-on's version: the pin of facts/data/addon-versions.json for the cluster's Kubernetes minor,
     * or the stack's override (stacks/addon-versions.ts). Pinned, not AWS's default of the day
     * (aws.eks.getAddonVersion), so that no `pulumi up` upgrades an add-on unasked; a `kubernetesVersion`
     * upgrade takes the new minor's row, and the add-on's update runs after the control plane's.
     */
    version: string,
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
        addonVersion: version,
        configurationValues: spec.configuration ? JSON.stringify(spec.configuration) : undefined,
        podIdentityAssociations,
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
    }, { ...opts, dependsOn });
}
