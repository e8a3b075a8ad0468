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
 * `eks-platform:createSpotServiceLinkedRole` the stack creates it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { RegionConfig } from "../stacks/config";

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

/**
 * Registers AWSServiceRoleForEC2Spot under `parent` (the stack's first configured region, so that a
 * wave that registers other regions only never sees it disappear). Account-wide and possibly relied
 * on by anything else in the account: `retainOnDelete`, so `pulumi destroy` (or turning the key off)
 * drops it from the stack and leaves it in IAM.
 */
export function registerSpotServiceLinkedRole(prefix: string, opts: { parent: pulumi.Resource; provider: aws.Provider }): aws.iam.ServiceLinkedRole {
    return new aws.iam.ServiceLinkedRole(`${prefix}-spot-service-linked-role`, {
        awsServiceName: SPOT_SERVICE_LINKED_ROLE.service,
        description: "EC2 Spot capacity for Karpenter (eks-platform:createSpotServiceLinkedRole)",
    }, { ...opts, retainOnDelete: true });
}
