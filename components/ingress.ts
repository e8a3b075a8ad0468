/**
 * Ingress: the AWS Load Balancer Controller (Helm chart), its own IAM role through EKS Pod Identity,
 * and the IngressClasses that turn Kubernetes Ingress objects into ALBs.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { podIdentityTrust } from "./iam-policies";
import {
    CONTROLLER_CHART, CONTROLLER_POLICY, controllerValues, ingressClassParamsSpec, ingressClasses,
} from "./ingress-settings";

export interface IngressArgs {
    /** The region's AWS provider (IAM role, Pod Identity association). */
    readonly provider: aws.Provider;
    /** The region's Kubernetes provider (chart, IngressClasses). */
    readonly kubernetesProvider: k8s.Provider;
    readonly region: string;
    readonly environment: string;
    readonly clusterName: pulumi.Input<string>;
    /** The cluster's ARN: the controller's role trusts only its service account there. */
    readonly clusterArn: pulumi.Input<string>;
    readonly vpcId: pulumi.Input<string>;
    /** TLS policy of HTTPS listeners. */
    readonly sslPolicy: string;
    /** Tags for the AWS resources the controller creates. @default {} */
    readonly tags?: Readonly<Record<string, string>>;
    /**
     * What the controller runs on (the node groups). Recorded as a dependency of the release so that
     * `pulumi destroy` removes Ingresses and the controller, and with them the ALBs, before the nodes
     * the controller needs to do that. @default none
     */
    readonly runsOn?: pulumi.Resource;
}

export class Ingress extends pulumi.ComponentResource {
    /** Ingress class for internet-facing apps. */
    public readonly ingressClassName: pulumi.Output<string>;
    public readonly internalIngressClassName: pulumi.Output<string>;
    public readonly controllerRoleArn: pulumi.Output<string>;
    /** The controller release: anything that needs its webhooks depends on it. */
    public readonly controller: k8s.helm.v3.Release;

    constructor(name: string, args: IngressArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:index:Ingress", name, {}, opts);
        const onAws = { parent: this, provider: args.provider };
        const onK8s = { parent: this, provider: args.kubernetesProvider };

        const role = new aws.iam.Role(`${name}-controller-role`, {
            assumeRolePolicy: pulumi.output(args.clusterArn).apply((clusterArn) => JSON.stringify(podIdentityTrust({
                clusterArn, namespace: CONTROLLER_CHART.namespace, serviceAccount: CONTROLLER_CHART.serviceAccount,
            }))),
            description: "AWS Load Balancer Controller (Pod Identity)",
        }, onAws);
        const policy = new aws.iam.RolePolicy(`${name}-controller-policy`, {
            role: role.id,
            policy: JSON.stringify(CONTROLLER_POLICY),
        }, onAws);
        const association = new aws.eks.PodIdentityAssociation(`${name}-controller-identity`, {
            clusterName: args.clusterName,
            namespace: CONTROLLER_CHART.namespace,
            serviceAccount: CONTROLLER_CHART.serviceAccount,
            roleArn: role.arn,
        }, onAws);

        // helm.v3.Release waits until the Deployment is ready; the controller's readiness probe
        // covers its webhook server, so "ready" means Ingresses can be admitted.
        this.controller = new k8s.helm.v3.Release(`${name}-controller`, {
            // A fixed release name: one controller per cluster, and an autonamed one could pass Helm's
            // 53-character limit with long environment and region names.
            name: CONTROLLER_CHART.chart,
            chart: CONTROLLER_CHART.chart,
            version: CONTROLLER_CHART.version,
            repositoryOpts: { repo: CONTROLLER_CHART.repo },
            namespace: CONTROLLER_CHART.namespace,
            values: pulumi.all([args.clusterName, args.vpcId]).apply(([clusterName, vpcId]) =>
                controllerValues({ clusterName, region: args.region, vpcId, tags: args.tags ?? {} })),
            atomic: true,
            cleanupOnFail: true,
            timeout: 600,
            maxHistory: 5,
        }, { ...onK8s, dependsOn: [association, policy, ...(args.runsOn ? [args.runsOn] : [])] });

        const classes = ingressClasses(args.environment).map((c) => {
            // The IngressClassParams CRD ships with the chart, and its webhook validates them.
            const params = new k8s.apiextensions.CustomResource(`${name}-${c.name}-params`, {
                apiVersion: "elbv2.k8s.aws/v1beta1",
                kind: "IngressClassParams",
                metadata: { name: c.name },
                spec: ingressClassParamsSpec(c, args.sslPolicy),
            }, { ...onK8s, dependsOn: [this.controller] });
            return new k8s.networking.v1.IngressClass(`${name}-${c.name}-class`, {
                metadata: { name: c.name },
                spec: {
                    controller: "ingress.k8s.aws/alb",
                    parameters: { apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: c.name },
                },
            }, { ...onK8s, dependsOn: [params] });
        });

        this.ingressClassName = classes[0].metadata.name;
        this.internalIngressClassName = classes[1].metadata.name;
        this.controllerRoleArn = role.arn;
        this.registerOutputs({
            ingressClassName: this.ingressClassName,
            internalIngressClassName: this.internalIngressClassName,
            controllerRoleArn: this.controllerRoleArn,
        });
    }
}
