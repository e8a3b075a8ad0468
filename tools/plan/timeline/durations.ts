/**
 * Typical durations of creating and updating each resource type, in seconds: the ONE table the
 * modelled timeline reads (timeline/*.ts). These are typical values, not guarantees; each row names
 * where its figure comes from. Values were chosen on 2026-11-29.
 *
 * A type not listed is a plain API call (a few seconds, `DEFAULT_CUSTOM`); components and providers
 * take no time of their own (the engine registers them at once; their children carry the work).
 */

export interface Duration {
    /** Seconds from the engine's create call to the resource being ready (what `pulumi up` waits for). */
    readonly create: number;
    /** Seconds of an in-place update (used by the upgrade model). @default create */
    readonly update?: number;
    /** Where the figure comes from. */
    readonly source: string;
}

const API_CALL = "AWS/Kubernetes API call that returns when the object exists (no wait for a state); a few seconds";

/** Rows by exact type token. */
export const DURATIONS: Readonly<Record<string, Duration>> = {
    "eks:index:Cluster": {
        create: 600,
        update: 540,
        source: "EKS CreateCluster API reference: \"In most cases, it takes several minutes to create a cluster\" "
            + "(https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html); aws/containers-roadmap#1227 reported "
            + "an average of 15 minutes before AWS's reductions; 10 min taken (the @pulumi/eks component's own IAM/SG children add seconds). "
            + "Version update of the control plane: EKS documents it as taking several minutes; 9 min taken",
    },
    "aws:eks/cluster:Cluster": { create: 600, update: 540, source: "as eks:index:Cluster" },
    "aws:eks/nodeGroup:NodeGroup": {
        create: 240,
        update: 240,
        source: "EKS managed node group: CreateNodegroup waits for the Auto Scaling group's instances to join; typically 3-5 min "
            + "(https://docs.aws.amazon.com/eks/latest/userguide/create-managed-node-group.html); 4 min taken. "
            + "An update replaces nodes in batches of maxUnavailable: modelled per batch with `NODE_BATCH_SECONDS`",
    },
    "aws:eks/fargateProfile:FargateProfile": {
        create: 180,
        source: "EKS Fargate profile: CreateFargateProfile stays CREATING for a few minutes "
            + "(https://docs.aws.amazon.com/eks/latest/userguide/fargate-profile.html); 3 min taken",
    },
    "aws:eks/addon:Addon": {
        create: 60,
        update: 60,
        source: "EKS managed add-on: CreateAddon returns ACTIVE once its workloads run; about a minute for add-ons with pods "
            + "(https://docs.aws.amazon.com/eks/latest/userguide/creating-an-add-on.html); 1 min taken",
    },
    "aws:ec2/natGateway:NatGateway": {
        create: 120,
        source: "VPC NAT gateway: 'pending' until 'available', typically 1-2 min "
            + "(https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-working-with.html); 2 min taken",
    },
    "aws:ec2/vpcEndpoint:VpcEndpoint": { create: 30, source: "Gateway VPC endpoint: 'pending' to 'available' in seconds; 30 s taken" },
    "aws:ec2/flowLog:FlowLog": { create: 5, source: API_CALL },
    "kubernetes:helm.sh/v3:Release": {
        create: 90,
        update: 60,
        source: "Helm release through @pulumi/kubernetes: waits for the chart's Deployments to be ready (image pull + start); "
            + "the load balancer controller's 2 replicas take 1-2 min on fresh nodes; 90 s taken",
    },
    "kubernetes:networking.k8s.io/v1:Ingress": {
        create: 180,
        source: "@pulumi/kubernetes awaits an Ingress until status.loadBalancer is set, i.e. the load balancer controller has "
            + "provisioned the ALB: 'it could take a few minutes for the ALB to be provisioned' "
            + "(https://docs.aws.amazon.com/eks/latest/userguide/alb-ingress.html); 3 min taken",
    },
    "kubernetes:apps/v1:Deployment": {
        create: 60,
        update: 60,
        source: "@pulumi/kubernetes awaits a Deployment's rollout (replicas available); image pull + readiness on warm nodes; 1 min taken",
    },
    "kubernetes:core/v1:Service": { create: 5, source: "@pulumi/kubernetes awaits endpoints for a selector Service; seconds once pods exist" },
};

/** Seconds of a type not in the table (an API call). */
export const DEFAULT_CUSTOM: Duration = { create: 5, source: API_CALL };

/** Seconds to replace one batch of managed nodes during a version update (launch, join, drain, terminate). */
export const NODE_BATCH_SECONDS: Duration = {
    create: 300,
    source: "EKS managed node group update: launches new nodes, waits for them to be Ready, cordons/drains the old ones and "
        + "terminates them, per maxUnavailable batch (https://docs.aws.amazon.com/eks/latest/userguide/managed-node-update-behavior.html); 5 min per batch taken",
};

/** Seconds of one `pulumi preview` of a region (the rollout's gate before each wave). */
export const PREVIEW_GATE: Duration = {
    create: 60,
    source: "A targeted `pulumi preview` refreshes nothing and diffs each resource with its provider: about a minute for a region of ~90 resources",
};

/** Whether a type token takes no time of its own (components and providers). */
export function isInstant(type: string, custom: boolean): boolean {
    return !custom || type.startsWith("pulumi:providers:");
}

/** The row of a type; table rows first (a remote component such as eks:index:Cluster is not custom but does work). */
export function durationOf(type: string, custom: boolean): Duration {
    const row = DURATIONS[type];
    if (row) return row;
    if (isInstant(type, custom)) return { create: 0, update: 0, source: "component or provider: registered at once" };
    return DEFAULT_CUSTOM;
}
