/**
 * Karpenter: the controller (Helm chart from its OCI registry) and its CRDs (the karpenter-crd chart,
 * so a version bump upgrades them), its IAM role through EKS Pod Identity, the node role with its
 * EC2_LINUX access entry, the interruption queue with its EventBridge rules, the discovery tag on the
 * cluster security group, and the EC2NodeClasses and NodePools of the stack config.
 *
 * Destroy order (Pulumi deletes a resource before everything it depends on): NodePools, then their
 * EC2NodeClasses (Karpenter's finalizer holds each until its nodes are gone), then the controller,
 * then its role, policies, queue and the node role. The controller depends on the system nodes, so
 * it is gone before they are. @pulumi/kubernetes deletes with foreground cascading and blocks until
 * the object is gone (pulumi-kubernetes provider/pkg/await/await.go `Deletion`), so a NodePool's
 * delete returns only after its NodeClaims (and their instances) are gone; `customTimeouts.delete`
 * gives that 20 minutes instead of the default 10.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KarpenterSpec } from "../../../stacks/karpenter-schema";
import type { ComputeStatus } from "../mode";
import { podIdentityTrust } from "../../iam-policies";
import { registerNodeRole } from "../managed-node-groups";
import { KARPENTER } from "../../../facts/karpenter";
import { INTERRUPTION_RULES, controllerPolicies, queuePolicy } from "./policies";
import {
    DISCOVERY_TAG, controllerValues, interruptionQueueName, nodeClassObject, nodePoolObject,
} from "./settings";

export interface KarpenterArgs {
    /** The region's AWS provider. */
    readonly provider: aws.Provider;
    /** The cluster's Kubernetes provider (charts, node classes, node pools). */
    readonly kubernetesProvider: k8s.Provider;
    readonly region: string;
    readonly clusterName: pulumi.Input<string>;
    readonly clusterArn: pulumi.Input<string>;
    readonly clusterEndpoint: pulumi.Input<string>;
    /** The security group EKS created for the cluster: nodes Karpenter launches join it. */
    readonly clusterSecurityGroupId: pulumi.Input<string>;
    readonly spec: KarpenterSpec;
    /** Tags for the instances and volumes Karpenter launches. @default {} */
    readonly instanceTags?: Readonly<Record<string, string>>;
    /** The system nodes the controller runs on; it is created after them and deleted before them. */
    readonly systemNodes: pulumi.Resource;
}

export class Karpenter extends pulumi.ComponentResource {
    public readonly controllerRoleArn: pulumi.Output<string>;
    public readonly nodeRoleName: pulumi.Output<string>;
    public readonly interruptionQueueUrl: pulumi.Output<string>;
    public readonly nodePoolNames: pulumi.Output<string[]>;
    /** The controller's Helm status and each NodePool's Ready condition, as `pulumi up` last saw them. */
    public readonly status: pulumi.Output<ComputeStatus>;
    /** The controller release (ready when its Deployment is). */
    public readonly controller: k8s.helm.v3.Release;

    constructor(name: string, args: KarpenterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:index:Karpenter", name, {}, opts);
        const onAws = { parent: this, provider: args.provider };
        const onK8s = { parent: this, provider: args.kubernetesProvider };
        const accountId = aws.getCallerIdentityOutput({}, onAws).accountId;
        const partition = aws.getPartitionOutput({}, onAws).partition;
        const clusterName = pulumi.output(args.clusterName);

        // Nodes: worker, ECR pull and SSM, no CNI policy (vpc-cni has its own Pod Identity role).
        const { role: nodeRole, attachments: nodePolicies } = registerNodeRole(name, "Nodes launched by Karpenter", onAws);
        // Lets the nodes join: EKS maps the role to system:nodes itself for this entry type.
        // https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html
        const nodeAccess = new aws.eks.AccessEntry(`${name}-node-access`, {
            clusterName: args.clusterName,
            principalArn: nodeRole.arn,
            type: "EC2_LINUX",
        }, onAws);

        // Interruption handling: spot warnings, rebalance, state changes and health events reach the
        // controller through the queue before EC2 acts, so it drains the node first.
        const queue = new aws.sqs.Queue(`${name}-interruption`, {
            name: clusterName.apply(interruptionQueueName),
            messageRetentionSeconds: 300,
            sqsManagedSseEnabled: true,
        }, onAws);
        const queueAccess = new aws.sqs.QueuePolicy(`${name}-interruption-policy`, {
            queueUrl: queue.url,
            policy: pulumi.all([queue.arn, accountId]).apply(([arn, account]) => JSON.stringify(queuePolicy(arn, account))),
        }, onAws);
        const targets = INTERRUPTION_RULES.map((r) => {
            const rule = new aws.cloudwatch.EventRule(`${name}-${r.name}`, {
                description: `Karpenter interruption handling: ${r.detailType}`,
                eventPattern: JSON.stringify({ source: [r.source], "detail-type": [r.detailType] }),
            }, onAws);
            return new aws.cloudwatch.EventTarget(`${name}-${r.name}-target`, { rule: rule.name, arn: queue.arn }, { ...onAws, dependsOn: [queueAccess] });
        });

        // Nodes join the cluster security group, found by the discovery tag (subnets carry it from the network).
        const sgTag = new aws.ec2.Tag(`${name}-sg-discovery`, {
            resourceId: args.clusterSecurityGroupId,
            key: DISCOVERY_TAG,
            value: clusterName,
        }, onAws);

        // The controller: the published policies, scoped to this cluster, on a Pod Identity role only
        // this cluster's kube-system/karpenter service account can use (the platform's one trust).
        const role = new aws.iam.Role(`${name}-controller-role`, {
            assumeRolePolicy: pulumi.output(args.clusterArn).apply((clusterArn) => JSON.stringify(podIdentityTrust({
                clusterArn, namespace: KARPENTER.namespace, serviceAccount: KARPENTER.serviceAccount,
            }))),
            description: "Karpenter controller (Pod Identity)",
        }, onAws);
        const documents = pulumi.all([partition, accountId, clusterName, nodeRole.arn, queue.arn]).apply(([p, a, c, nodeRoleArn, queueArn]) =>
            controllerPolicies({ partition: p, region: args.region, accountId: a, clusterName: c, nodeRoleArn, queueArn }));
        // Managed policies, as upstream: six inline ones would pass IAM's 10,240-character inline quota per role.
        const attachments = ["NodeLifecycle", "IAMIntegration", "EKSIntegration", "Interruption", "ZonalShift", "ResourceDiscovery"].map((policyName) => {
            const policy = new aws.iam.Policy(`${name}-${policyName.toLowerCase()}`, {
                description: `Karpenter controller: ${policyName} (published policy for v${KARPENTER.version})`,
                policy: documents.apply((d) => JSON.stringify(d[policyName])),
            }, onAws);
            return new aws.iam.RolePolicyAttachment(`${name}-${policyName.toLowerCase()}-attachment`, { role: role.name, policyArn: policy.arn }, onAws);
        });
        const identity = new aws.eks.PodIdentityAssociation(`${name}-controller-identity`, {
            clusterName: args.clusterName,
            namespace: KARPENTER.namespace,
            serviceAccount: KARPENTER.serviceAccount,
            roleArn: role.arn,
        }, onAws);

        // CRDs from their own chart at the controller's version: Helm installs a chart's crds/ once and
        // never upgrades them, so bumping KARPENTER.version upgrades the CRDs here first.
        // `chart: oci://...` with `version`: the provider hands an OCI reference to Helm's downloader with a
        // registry client (pulumi-kubernetes provider/pkg/provider/helm_release.go, resolveChartName).
        const crds = new k8s.helm.v3.Release(`${name}-crds`, {
            name: "karpenter-crd",
            chart: KARPENTER.crdChart,
            version: KARPENTER.version,
            namespace: KARPENTER.namespace,
            atomic: true,
            maxHistory: 5,
        }, onK8s);

        this.controller = new k8s.helm.v3.Release(`${name}-controller`, {
            name: "karpenter",
            chart: KARPENTER.chart,
            version: KARPENTER.version,
            namespace: KARPENTER.namespace,
            // The CRDs come from the karpenter-crd release above.
            skipCrds: true,
            values: pulumi.all([clusterName, args.clusterEndpoint, queue.name]).apply(([c, endpoint, q]) =>
                controllerValues({ clusterName: c, clusterEndpoint: endpoint, interruptionQueue: q })),
            atomic: true,
            cleanupOnFail: true,
            timeout: 600,
            maxHistory: 5,
        }, { ...onK8s, dependsOn: [crds, identity, ...attachments, ...targets, sgTag, args.systemNodes] });

        const classes = new Map(args.spec.nodeClasses.map((c) => {
            const object = (cluster: string, nodeRoleName: string) => nodeClassObject(c, { clusterName: cluster, nodeRoleName, tags: args.instanceTags ?? {} });
            const shape = object("", "");
            return [c.name, new k8s.apiextensions.CustomResource(`${name}-class-${c.name}`, {
                apiVersion: shape.apiVersion,
                kind: shape.kind,
                metadata: shape.metadata,
                spec: pulumi.all([clusterName, nodeRole.name]).apply(([cluster, nodeRoleName]) => object(cluster, nodeRoleName).spec),
            }, {
                ...onK8s,
                // Deleted before the controller (its finalizer needs it to terminate the nodes and
                // instance profiles) and before the node role and its access entry.
                dependsOn: [this.controller, nodeAccess, ...nodePolicies],
                customTimeouts: { delete: "20m" },
            })] as const;
        }));
        const pools = args.spec.nodePools.map((p) => new k8s.apiextensions.CustomResource(`${name}-pool-${p.name}`,
            // `status: undefined` asks the engine for the live object's status (Ready condition) as an output.
            { ...nodePoolObject(p, args.region), status: undefined },
            { ...onK8s, dependsOn: [this.controller, classes.get(p.nodeClass)!], customTimeouts: { delete: "20m" } }));

        this.controllerRoleArn = role.arn;
        this.nodeRoleName = nodeRole.name;
        this.interruptionQueueUrl = queue.url;
        this.nodePoolNames = pulumi.output(pools.map((p) => p.metadata.name));
        const ready = (status: { conditions?: Array<{ type?: string; status?: string }> } | undefined) =>
            status?.conditions?.find((c) => c.type === "Ready")?.status ?? "Unknown";
        const poolStatus = pulumi.all(pools.map((p) => pulumi.all([p.metadata.name, (p as unknown as { status: pulumi.Output<any> }).status])));
        this.status = pulumi.all([this.controller.status, poolStatus]).apply(([release, named]): ComputeStatus => ({
            mode: "karpenter",
            controller: release?.status ?? "unknown",
            nodePools: Object.fromEntries(named.map(([n, s]) => [n, ready(s)])),
        }));
        this.registerOutputs({
            controllerRoleArn: this.controllerRoleArn,
            nodeRoleName: this.nodeRoleName,
            interruptionQueueUrl: this.interruptionQueueUrl,
            nodePoolNames: this.nodePoolNames,
            status: this.status,
        });
    }
}
