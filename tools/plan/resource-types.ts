/**
 * The resource type tokens the plan reads (decisions, timeline, cost estimate), in one table, as the
 * mock engine records them (a remote component's own token for @pulumi/eks's Cluster).
 */
export const TYPES = {
    eksCluster: "eks:index:Cluster",
    awsCluster: "aws:eks/cluster:Cluster",
    nodeGroup: "aws:eks/nodeGroup:NodeGroup",
    addon: "aws:eks/addon:Addon",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    fargate: "aws:eks/fargateProfile:FargateProfile",
    helmRelease: "kubernetes:helm.sh/v3:Release",
    /** Karpenter's NodePool custom resource (karpenter.sh/v1), as @pulumi/kubernetes registers it. */
    nodePool: "kubernetes:karpenter.sh/v1:NodePool",
    ec2NodeClass: "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass",
    nat: "aws:ec2/natGateway:NatGateway",
    eip: "aws:ec2/eip:Eip",
    subnet: "aws:ec2/subnet:Subnet",
    ingress: "kubernetes:networking.k8s.io/v1:Ingress",
    ingressClassParams: "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams",
    gateway: "kubernetes:gateway.networking.k8s.io/v1:Gateway",
    loadBalancerConfiguration: "kubernetes:gateway.k8s.aws/v1:LoadBalancerConfiguration",
    kmsKey: "aws:kms/key:Key",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    flowLog: "aws:ec2/flowLog:FlowLog",
    sqsQueue: "aws:sqs/queue:Queue",
    s3Bucket: "aws:s3/bucket:Bucket",
    s3BucketV2: "aws:s3/bucketV2:BucketV2",
    metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    compositeAlarm: "aws:cloudwatch/compositeAlarm:CompositeAlarm",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    snsTopic: "aws:sns/topic:Topic",
    snsSubscription: "aws:sns/topicSubscription:TopicSubscription",
    certificate: "aws:acm/certificate:Certificate",
    dnsRecord: "aws:route53/record:Record",
    healthCheck: "aws:route53/healthCheck:HealthCheck",
} as const;
