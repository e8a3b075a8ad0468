import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ADDON_NAMESPACE, type AddonSpec } from "./addons-plan";
import { podIdentityTrust } from "./iam-policies";

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
        // No addonVersion: EKS installs the default version for the cluster's Kubernetes version.
        configurationValues: spec.configuration ? JSON.stringify(spec.configuration) : undefined,
        podIdentityAssociations,
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
    }, { ...opts, dependsOn });
}
