/**
 * IAM and SQS documents of Karpenter v1.14.1, as its maintainers publish them in the getting-started
 * CloudFormation template (website/content/en/docs/getting-started/getting-started-with-karpenter/
 * cloudformation.yaml at tag v1.14.1): the six controller policies, scoped to one cluster by name and
 * tag conditions, and the interruption queue's policy. Rendered per cluster; tests pin their
 * statements. Where this platform is stricter than the template it says so.
 */
import type { PolicyDocument } from "../../iam-policies";

export interface ClusterScope {
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
    readonly clusterName: string;
}

/** The policies of the template, by the name it gives each (`KarpenterController<Name>Policy`). */
export function controllerPolicies(s: ClusterScope & { nodeRoleArn: string; queueArn: string }): Record<string, PolicyDocument> {
    const ec2 = (resource: string) => `arn:${s.partition}:ec2:${s.region}:*:${resource}`;
    const owned = { [`aws:ResourceTag/kubernetes.io/cluster/${s.clusterName}`]: "owned" };
    const requestOwned = {
        [`aws:RequestTag/kubernetes.io/cluster/${s.clusterName}`]: "owned",
        "aws:RequestTag/eks:eks-cluster-name": s.clusterName,
    };
    const taggedLaunch = [ec2("fleet/*"), ec2("instance/*"), ec2("volume/*"), ec2("network-interface/*"), ec2("launch-template/*"), ec2("spot-instances-request/*")];
    const instanceProfiles = `arn:${s.partition}:iam::${s.accountId}:instance-profile/*`;
    const clusterArn = `arn:${s.partition}:eks:${s.region}:${s.accountId}:cluster/${s.clusterName}`;
    return {
        NodeLifecycle: {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AllowScopedEC2InstanceAccessActions",
                    Effect: "Allow",
                    Resource: [
                        `arn:${s.partition}:ec2:${s.region}::image/*`, `arn:${s.partition}:ec2:${s.region}::snapshot/*`,
                        ec2("security-group/*"), ec2("subnet/*"), ec2("capacity-reservation/*"), ec2("placement-group/*"),
                    ],
                    Action: ["ec2:RunInstances", "ec2:CreateFleet"],
                },
                {
                    Sid: "AllowScopedEC2LaunchTemplateAccessActions",
                    Effect: "Allow",
                    Resource: ec2("launch-template/*"),
                    Action: ["ec2:RunInstances", "ec2:CreateFleet"],
                    Condition: { StringEquals: owned, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } },
                },
                {
                    Sid: "AllowScopedEC2InstanceActionsWithTags",
                    Effect: "Allow",
                    Resource: taggedLaunch,
                    Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
                    Condition: { StringEquals: requestOwned, StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" } },
                },
                {
                    Sid: "AllowScopedResourceCreationTagging",
                    Effect: "Allow",
                    Resource: taggedLaunch,
                    Action: "ec2:CreateTags",
                    Condition: {
                        StringEquals: { ...requestOwned, "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"] },
                        StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
                    },
                },
                {
                    Sid: "AllowScopedResourceTagging",
                    Effect: "Allow",
                    Resource: ec2("instance/*"),
                    Action: "ec2:CreateTags",
                    Condition: {
                        StringEquals: owned,
                        StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
                        StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": s.clusterName },
                        "ForAllValues:StringEquals": { "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"] },
                    },
                },
                {
                    Sid: "AllowScopedDeletion",
                    Effect: "Allow",
                    Resource: [ec2("instance/*"), ec2("launch-template/*")],
                    Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
                    Condition: { StringEquals: owned, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } },
                },
            ],
        },
        IAMIntegration: {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AllowPassingInstanceRole",
                    Effect: "Allow",
                    Resource: s.nodeRoleArn,
                    Action: "iam:PassRole",
                    Condition: { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] } },
                },
                {
                    Sid: "AllowScopedInstanceProfileCreationActions",
                    Effect: "Allow",
                    Resource: instanceProfiles,
                    Action: ["iam:CreateInstanceProfile"],
                    Condition: {
                        StringEquals: { ...requestOwned, "aws:RequestTag/topology.kubernetes.io/region": s.region },
                        StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
                    },
                },
                {
                    Sid: "AllowScopedInstanceProfileTagActions",
                    Effect: "Allow",
                    Resource: instanceProfiles,
                    Action: ["iam:TagInstanceProfile"],
                    Condition: {
                        StringEquals: {
                            ...owned,
                            "aws:ResourceTag/topology.kubernetes.io/region": s.region,
                            ...requestOwned,
                            "aws:RequestTag/topology.kubernetes.io/region": s.region,
                        },
                        StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*", "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
                    },
                },
                {
                    Sid: "AllowScopedInstanceProfileActions",
                    Effect: "Allow",
                    Resource: instanceProfiles,
                    Action: ["iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"],
                    Condition: {
                        StringEquals: { ...owned, "aws:ResourceTag/topology.kubernetes.io/region": s.region },
                        StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" },
                    },
                },
            ],
        },
        EKSIntegration: {
            Version: "2012-10-17",
            Statement: [{ Sid: "AllowAPIServerEndpointDiscovery", Effect: "Allow", Resource: clusterArn, Action: "eks:DescribeCluster" }],
        },
        Interruption: {
            Version: "2012-10-17",
            Statement: [{
                Sid: "AllowInterruptionQueueActions",
                Effect: "Allow",
                Resource: s.queueArn,
                Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
            }],
        },
        ZonalShift: {
            Version: "2012-10-17",
            Statement: [{
                Sid: "AllowZonalShiftStatusReadOnly",
                Effect: "Allow",
                Resource: "*",
                Action: ["arc-zonal-shift:GetManagedResource"],
                Condition: { StringEquals: { "arc-zonal-shift:ResourceIdentifier": clusterArn } },
            }],
        },
        ResourceDiscovery: {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AllowRegionalReadActions",
                    Effect: "Allow",
                    Resource: "*",
                    Action: [
                        "ec2:DescribeCapacityReservations", "ec2:DescribeImages", "ec2:DescribeInstances", "ec2:DescribeInstanceStatus",
                        "ec2:DescribeInstanceTypeOfferings", "ec2:DescribeInstanceTypes", "ec2:DescribeLaunchTemplates",
                        "ec2:DescribePlacementGroups", "ec2:DescribeSecurityGroups", "ec2:DescribeSpotPriceHistory", "ec2:DescribeSubnets",
                    ],
                    Condition: { StringEquals: { "aws:RequestedRegion": s.region } },
                },
                { Sid: "AllowSSMReadActions", Effect: "Allow", Resource: `arn:${s.partition}:ssm:${s.region}::parameter/aws/service/*`, Action: "ssm:GetParameter" },
                { Sid: "AllowPricingReadActions", Effect: "Allow", Resource: "*", Action: "pricing:GetProducts" },
                { Sid: "AllowUnscopedInstanceProfileListAction", Effect: "Allow", Resource: "*", Action: "iam:ListInstanceProfiles" },
                { Sid: "AllowInstanceProfileReadActions", Effect: "Allow", Resource: instanceProfiles, Action: "iam:GetInstanceProfile" },
            ],
        },
    };
}

/**
 * The interruption queue's policy: EventBridge (and SQS) may send, as in the template, but only on
 * behalf of this account (`aws:SourceAccount`: the template admits the services without a condition);
 * nothing over plain HTTP.
 */
export function queuePolicy(queueArn: string, accountId: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "EventBridgeFromThisAccount",
                Effect: "Allow",
                Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] },
                Action: "sqs:SendMessage",
                Resource: queueArn,
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
            {
                Sid: "DenyHTTP",
                Effect: "Deny",
                Principal: "*",
                Action: "sqs:*",
                Resource: queueArn,
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    };
}

/**
 * The EventBridge rules the template routes to the queue (five at v1.14.1), by a stable short name.
 * Rules are auto-named `<region component>-karpenter-<name>-<7 hex>`; EventBridge allows 64 characters,
 * so the names stay short (a 10-character environment and a 14-character region code leave 21).
 */
export const INTERRUPTION_RULES: ReadonlyArray<{ name: string; source: string; detailType: string }> = [
    { name: "health", source: "aws.health", detailType: "AWS Health Event" },
    { name: "spot", source: "aws.ec2", detailType: "EC2 Spot Instance Interruption Warning" },
    { name: "rebalance", source: "aws.ec2", detailType: "EC2 Instance Rebalance Recommendation" },
    { name: "state-change", source: "aws.ec2", detailType: "EC2 Instance State-change Notification" },
    { name: "reservation", source: "aws.ec2", detailType: "EC2 Capacity Reservation Instance Interruption Warning" },
];
