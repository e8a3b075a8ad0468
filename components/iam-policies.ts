/**
 * IAM documents as plain data: trust policies for the roles this platform creates, and the AWS
 * managed policies each role gets. Pure, so tests read them directly.
 */
export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: ReadonlyArray<Record<string, unknown>>;
}

/** Trust for a role assumed by an AWS service (eks.amazonaws.com, ec2.amazonaws.com, ...). */
export function serviceTrust(service: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
    };
}

/** The one service account a Pod Identity role is for. */
export interface PodIdentityScope {
    /** ARN of the EKS cluster whose association may use the role. */
    readonly clusterArn: string;
    readonly namespace: string;
    readonly serviceAccount: string;
}

/**
 * Trust for a role handed to pods through EKS Pod Identity, for one service account of one cluster.
 * The agent needs sts:TagSession as well, to attach the session tags (cluster ARN, namespace,
 * service account); the conditions match those tags, so a Pod Identity association made for any
 * other cluster (of any account) or service account cannot use the role, whoever may create
 * associations and pass roles. EKS documents exactly these condition keys for Pod Identity trust
 * (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html, "Setting Conditions"; the tags:
 * https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html). An association created with
 * `disableSessionTags: true` carries no tags and is refused: fail closed.
 */
export function podIdentityTrust(scope: PodIdentityScope): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Principal: { Service: "pods.eks.amazonaws.com" },
            Action: ["sts:AssumeRole", "sts:TagSession"],
            Condition: {
                StringEquals: {
                    "aws:RequestTag/eks-cluster-arn": scope.clusterArn,
                    "aws:RequestTag/kubernetes-namespace": scope.namespace,
                    "aws:RequestTag/kubernetes-service-account": scope.serviceAccount,
                },
            },
        }],
    };
}

/**
 * Trust for the Fargate pod execution role, limited to this account's Fargate profiles of one cluster
 * (confused-deputy guard). https://docs.aws.amazon.com/eks/latest/userguide/pod-execution-role.html
 */
export function fargateTrust(sourceArnPattern: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Principal: { Service: "eks-fargate-pods.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { ArnLike: { "aws:SourceArn": sourceArnPattern } },
        }],
    };
}

/**
 * Flow logs write to CloudWatch Logs through this trust and policy: the actions AWS lists for the
 * delivery role (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html) but
 * `logs:CreateLogGroup` (the group exists: we create it with its retention). Stream actions on our
 * group only; `logs:DescribeLogGroups` lists log groups, which IAM authorizes against all of an
 * account's groups, not one group's ARN, so it gets `"*"` (it reveals names and settings, no events).
 */
export function flowLogsPolicy(logGroupArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                Resource: [logGroupArn, `${logGroupArn}:*`],
            },
            { Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
        ],
    };
}

export const MANAGED_POLICY = {
    eksCluster: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
    /** Lets EKS manage the cluster's ENIs and security groups (recommended alongside the cluster policy). */
    eksVpcResourceController: "arn:aws:iam::aws:policy/AmazonEKSVPCResourceController",
    workerNode: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    /** Pull-only ECR access: narrower than AmazonEC2ContainerRegistryReadOnly. */
    ecrPullOnly: "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
    ssmCore: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    cni: "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    ebsCsi: "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
    fargatePodExecution: "arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy",
    /** The CloudWatch agent and Fluent Bit of the amazon-cloudwatch-observability add-on (metrics, EMF, logs). */
    cloudWatchAgent: "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
    /** Application Signals traces of the same add-on (EKS user guide's role for the add-on attaches both). */
    xrayWrite: "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
} as const;

/** Cluster-scoped EKS access policy granting cluster-admin.
 *  https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html */
export const CLUSTER_ADMIN_ACCESS_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
