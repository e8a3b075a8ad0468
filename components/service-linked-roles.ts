/**
 * Service-linked roles: account-wide IAM roles AWS services assume; one per account, whatever the
 * number of clusters or regions. The platform relies on these:
 *
 * | Role | Used by | Who creates it in a fresh account |
 * |---|---|---|
 * | AWSServiceRoleForAmazonEKS | the EKS control plane (ENIs, security groups) | EKS, on the first CreateCluster (https://docs.aws.amazon.com/eks/latest/userguide/using-service-linked-roles-eks.html) |
 * | AWSServiceRoleForAmazonEKSNodegroup | managed node groups (their Auto Scaling groups, launch templates) | EKS, on the first CreateNodegroup (https://docs.aws.amazon.com/eks/latest/userguide/using-service-linked-roles-eks-nodegroups.html) |
 * | AWSServiceRoleForAutoScaling | the node groups' Auto Scaling groups | EC2 Auto Scaling, on the first Auto Scaling group (https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html) |
 * | AWSServiceRoleForElasticLoadBalancing | the ALBs the load balancer controller creates | ELB, on the first load balancer; the controller's policy allows `iam:CreateServiceLinkedRole` for elasticloadbalancing.amazonaws.com only (components/alb-controller/iam-policy.json) |
 * | AWSServiceRoleForEC2Spot | Spot capacity | EC2 creates it for console requests only ("If you use the AWS CLI or an API to request a Spot Instance, you must first ensure that this role exists": https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/service-linked-roles-spot-instance-requests.html). A managed node group's Auto Scaling group creates it itself (AutoScalingServiceRolePolicy allows iam:CreateServiceLinkedRole for spot.amazonaws.com); Karpenter's CreateFleet does not, and fails with AuthFailure.ServiceLinkedRoleCreationNotPermitted (karpenter-provider-aws v1.14 docs: troubleshooting "Missing Service Linked Role", getting-started step06-add-spot-role.sh). |
 *
 * So only the Spot role can be missing when the platform needs it: a region on Karpenter with a pool
 * that may launch Spot. `npm run rollout` checks it (tools/rollout/account.ts); with
 * `eks-platform:createSpotServiceLinkedRole` the stack creates it, in the stack-level component below.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig, RegionConfig } from "../stacks/config";
import type { AccountSettings } from "../stacks/account-schema";
import { SUPPORTED_PARTITIONS, partitionOf } from "../stacks/partitions";
import { AWS_REGIONS } from "../stacks/schema";
import { awsProviderArgs } from "./aws-provider";
import { platformTags } from "./tags";

export const SPOT_SERVICE_LINKED_ROLE = {
    name: "AWSServiceRoleForEC2Spot",
    service: "spot.amazonaws.com",
    /** IAM keeps service-linked roles under this path. */
    path: "/aws-service-role/spot.amazonaws.com/",
} as const;

/** The command that creates the role once per account, for messages and docs. */
export const CREATE_SPOT_ROLE_COMMAND = `aws iam create-service-linked-role --aws-service-name ${SPOT_SERVICE_LINKED_ROLE.service}`;

/** Regions whose Karpenter pools may launch Spot: they need AWSServiceRoleForEC2Spot to exist. */
export function regionsNeedingSpotRole(regions: readonly Pick<RegionConfig, "region" | "compute">[]): string[] {
    return regions.filter((r) => r.compute.mode === "karpenter" && r.compute.karpenter.nodePools.some((p) => p.capacityTypes.includes("spot")))
        .map((r) => r.region);
}

/** The type token of the stack-level owner of the account's service-linked roles. */
export const SERVICE_LINKED_ROLES_TYPE = "eks-platform:index:ServiceLinkedRoles";

/**
 * IAM is a global service; for the aws partition (the only one the platform supports,
 * stacks/partitions.ts) its endpoint is https://iam.amazonaws.com, signed sigv4 for us-east-1 (the IAM
 * endpoint rules of the AWS SDK, @aws-sdk/client-iam 3.1178.0 dist-es/endpoint/bdd.js). A fixed region
 * keeps the provider's inputs, and so the role's provider reference, the same whichever regions a stack lists.
 */
export const IAM_PROVIDER_REGION = "us-east-1";

/** The stack-level component's name; its children are named after it. */
export function serviceLinkedRolesName(environment: string): string {
    return `${environment}-service-linked-roles`;
}

/**
 * Where releases before this one registered the Spot role: under the RegionalPlatform of the stack's
 * first configured region (`<env>-<region>`, components/region.ts), named
 * `<env>-<region>-spot-service-linked-role`, on that region's provider. One URN per region a stack may
 * configure (every aws-partition region code the config accepts), not only the regions configured now:
 * a stack whose first region was reordered or removed in the same update still finds its role.
 * Only one of them can exist in a stack's state (the old program registered one role).
 */
export function previousSpotRoleUrns(scope: { readonly stack: string; readonly project: string; readonly environment: string }): string[] {
    return AWS_REGIONS.filter((r) => SUPPORTED_PARTITIONS.includes(partitionOf(r))).sort().map((region) =>
        `urn:pulumi:${scope.stack}::${scope.project}::eks-platform:index:RegionalPlatform$aws:iam/serviceLinkedRole:ServiceLinkedRole::` +
        `${scope.environment}-${region}-spot-service-linked-role`);
}

export interface ServiceLinkedRolesArgs {
    readonly environment: string;
    /** The stack's account guard and deployer role (eks-platform:accountId, assumeRoleArn), as every regional provider carries them. */
    readonly account: AccountSettings;
    /** The provider's default tags, merged once (components/tags.ts); region `global`. */
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * The account's service-linked roles the stack creates (today: AWSServiceRoleForEC2Spot, with
 * `eks-platform:createSpotServiceLinkedRole`). Stack-level, on its own IAM provider, so that nothing of
 * it depends on `eks-platform:regions`: its URN, parent, name and provider reference stay the same when
 * regions are reordered, added or removed, and when a rollout wave registers only some regions
 * (stacks/region-selection.ts), so `pulumi up` never plans a create of a role IAM already holds
 * (CreateServiceLinkedRole refuses a taken name) and a delete of the old one.
 *
 * Moving a stack that had the role under its first region: `aliases` (previousSpotRoleUrns) make the
 * engine adopt the old state under the new URN (pulumi/pulumi pkg/resource/deploy/step_generator.go
 * `getOldResource`: the URN, then each alias, is looked up in the old snapshot). The provider reference
 * changes from the region's provider to this one; since pulumi v3.151.0 (pulumi/pulumi#18509) the
 * engine then asks the new provider's `DiffConfig` and replaces the resource only if that reports a
 * replacement (step_generator.go `providerChanged`; lifecycle test TestExplicitProviderDiffReplacement
 * in pkg/engine/lifecycletest/provider_test.go); earlier CLIs replaced on any change of explicit provider. The AWS provider's DiffConfig replaces only for config keys marked `ForcesProviderReplace`
 * (pulumi-terraform-bridge pkg/tfbridge/provider.go `configDiffer.DiffConfig`, also used by the plugin
 * framework half, pkg/pf/tfbridge/provider_diffconfig.go), and pulumi-aws v7 marks none, `region`
 * included (pulumi-aws provider/resources.go `ProviderFromMeta` Config, since commit d273034; the region
 * cascade was dropped in pulumi/pulumi-aws#5656). So the move is an in-place update of the role (its
 * default `region` tag becomes `global`): no create, no delete.
 */
export class ServiceLinkedRoles extends pulumi.ComponentResource {
    public readonly provider: aws.Provider;
    public readonly spot: aws.iam.ServiceLinkedRole;

    constructor(name: string, args: ServiceLinkedRolesArgs, opts?: pulumi.ComponentResourceOptions) {
        super(SERVICE_LINKED_ROLES_TYPE, name, {}, opts);
        this.provider = new aws.Provider(`${name}-aws`, awsProviderArgs({
            region: IAM_PROVIDER_REGION, environment: args.environment, tags: args.tags, account: args.account,
        }), { parent: this });
        // Account-wide and possibly relied on by anything else in the account: `retainOnDelete`, so
        // `pulumi destroy` (or turning the key off) drops it from the stack and leaves it in IAM.
        this.spot = new aws.iam.ServiceLinkedRole(`${name}-spot`, {
            awsServiceName: SPOT_SERVICE_LINKED_ROLE.service,
            description: "EC2 Spot capacity for Karpenter (eks-platform:createSpotServiceLinkedRole)",
        }, {
            parent: this, provider: this.provider, retainOnDelete: true,
            aliases: previousSpotRoleUrns({ stack: pulumi.getStack(), project: pulumi.getProject(), environment: args.environment }),
        });
        this.registerOutputs({});
    }
}

/**
 * The stack's service-linked roles, or undefined when `eks-platform:createSpotServiceLinkedRole` is off.
 * Reads no region on purpose (see ServiceLinkedRoles): a rollout wave's program, which registers only
 * some regions, registers it just the same.
 */
export function registerServiceLinkedRoles(
    config: Pick<PlatformConfig, "project" | "environment" | "account" | "tags" | "createSpotServiceLinkedRole">,
): ServiceLinkedRoles | undefined {
    if (!config.createSpotServiceLinkedRole) return undefined;
    return new ServiceLinkedRoles(serviceLinkedRolesName(config.environment), {
        environment: config.environment,
        account: config.account,
        tags: platformTags({ project: config.project, environment: config.environment, region: "global", tags: config.tags }),
    });
}
