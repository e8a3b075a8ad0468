/**
 * Ingress: the AWS Load Balancer Controller (Helm chart), its own IAM role through EKS Pod Identity,
 * and the IngressClasses that turn Kubernetes Ingress objects into ALBs.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AlbLogBucket } from "./alb-logs";
import { gatewayCrdManifest } from "./gateway-api/crds";
import { controllerFeatureGates } from "./gateway-api/settings";
import { podIdentityTrust } from "./iam-policies";
import type { LoadBalancing } from "./compute/mode";
import {
    CONTROLLER_CHART, CONTROLLER_POLICY, INGRESS_FLAVOURS, autoModeIngressClassParamsSpec, controllerValues, ingressClassParamsLabels, ingressClassParamsSpec, ingressClasses,
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
    /**
     * Access logs of the ALBs (internet-facing and internal) to a bucket this component creates (components/alb-logs.ts):
     * days until a log expires, and whether the bucket outlives `pulumi destroy`. @default none (no logs)
     */
    readonly accessLogs?: { readonly retentionDays: number; readonly retainOnDestroy: boolean };
    /**
     * Deletion protection on the ALBs (internet-facing and internal). While it is on, deleting an Ingress of a class
     * cannot delete the ALB, so `pulumi destroy` waits on the Ingress's finalizer: turn it off and
     * `pulumi up` first (README, "Destroying"). The controller re-reconciles every Ingress of a class when
     * its IngressClassParams spec changes (controllers/ingress/eventhandlers/ingress_class_params_events.go,
     * v3), so the `false` reaches the ALB without touching the Ingresses. @default false
     */
    readonly deletionProtection?: boolean;
    /**
     * A production environment: its IngressClassParams are labelled so that the policy pack can require
     * access logs and deletion protection of them. @default false
     */
    readonly production?: boolean;
    /**
     * Who serves the classes: the platform's controller (this component installs it), or EKS Auto Mode
     * (built in: no chart, role or Pod Identity association; classes name `eks.amazonaws.com/alb`).
     * @default "aws-load-balancer-controller"
     */
    readonly loadBalancing?: LoadBalancing;
    /**
     * Some app of the region routes through a Gateway: the Gateway API and gateway.k8s.aws CRDs are
     * installed before the controller, and its Gateway feature gates set (components/gateway-api/).
     * @default false
     */
    readonly gatewayApi?: boolean;
    /**
     * Applies the Gateway API CRDs over copies the cluster may already hold (the region's upserting
     * provider, components/region.ts). @default kubernetesProvider
     */
    readonly sharedObjectsProvider?: k8s.Provider;
    /** Feature gates the stack sets (`albControllerFeatureGates`). @default {} */
    readonly featureGates?: Readonly<Record<string, boolean>>;
}

export class Ingress extends pulumi.ComponentResource {
    /** Ingress class for internet-facing apps. */
    public readonly ingressClassName: pulumi.Output<string>;
    public readonly internalIngressClassName: pulumi.Output<string>;
    /** The controller's role, or undefined under Auto Mode (no controller of ours). */
    public readonly controllerRoleArn: pulumi.Output<string | undefined>;
    /** The ALBs' access-log bucket (both classes), or undefined without access logs. */
    public readonly accessLogBucket: pulumi.Output<string | undefined>;
    /** The controller release (anything that needs its webhooks depends on it), or undefined under Auto Mode. */
    public readonly controller?: k8s.helm.v3.Release;
    /** The Gateway API CRDs, when the region routes through Gateways on the platform's controller. */
    public readonly gatewayCrds?: k8s.yaml.v2.ConfigGroup;

    constructor(name: string, args: IngressArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:index:Ingress", name, {}, opts);
        const onK8s = { parent: this, provider: args.kubernetesProvider };

        const loadBalancing = args.loadBalancing ?? "aws-load-balancer-controller";
        const flavour = INGRESS_FLAVOURS[loadBalancing];
        const ownController = loadBalancing === "aws-load-balancer-controller";
        const controller = ownController ? this.installController(name, args) : undefined;
        this.controller = controller?.release;

        const logs = args.accessLogs && new AlbLogBucket(`${name}-alb-logs`, {
            provider: args.provider,
            region: args.region,
            retentionDays: args.accessLogs.retentionDays,
            retainOnDestroy: args.accessLogs.retainOnDestroy,
        }, { parent: this });
        const logBucket: pulumi.Output<string | undefined> = logs ? logs.bucketName : pulumi.output(undefined);
        const deletionProtection = args.deletionProtection ?? false;

        const labels = ingressClassParamsLabels(args.production ?? false);
        const classes = ingressClasses(args.environment).map((c) => {
            // The IngressClassParams CRD ships with the chart (Auto Mode: with the cluster), and the
            // controller's webhook validates them.
            const params = new k8s.apiextensions.CustomResource(`${name}-${c.name}-params`, {
                apiVersion: flavour.paramsApiVersion,
                kind: "IngressClassParams",
                metadata: { name: c.name, ...(labels ? { labels } : {}) },
                spec: logBucket.apply((b) => ownController
                    ? ingressClassParamsSpec(c, args.sslPolicy, { logBucket: b, deletionProtection })
                    : autoModeIngressClassParamsSpec(c, { logBucket: b, deletionProtection })),
            }, { ...onK8s, dependsOn: controller ? [controller.release] : [] });
            return new k8s.networking.v1.IngressClass(`${name}-${c.name}-class`, {
                metadata: { name: c.name },
                spec: {
                    controller: flavour.controller,
                    parameters: { apiGroup: flavour.paramsGroup, kind: "IngressClassParams", name: c.name },
                },
            }, { ...onK8s, dependsOn: [params] });
        });

        this.ingressClassName = classes[0].metadata.name;
        this.internalIngressClassName = classes[1].metadata.name;
        this.controllerRoleArn = controller ? controller.roleArn : pulumi.output(undefined);
        this.accessLogBucket = logBucket;
        this.registerOutputs({
            accessLogBucket: this.accessLogBucket,
            ingressClassName: this.ingressClassName,
            internalIngressClassName: this.internalIngressClassName,
            controllerRoleArn: this.controllerRoleArn,
        });
    }

    /** The load balancer controller: its Pod Identity role and policy, and the Helm release. */
    private installController(name: string, args: IngressArgs): { release: k8s.helm.v3.Release; roleArn: pulumi.Output<string> } {
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

        // The controller looks for the Gateway API kinds once, at start-up (components/gateway-api/settings.ts
        // gatewayFeatureGates): their CRDs go in first. Server-side apply (the provider's mode), as upstream
        // installs them: the HTTPRoute CRD is too large for a client-side apply's annotation.
        //
        // The carried JSON as a string (`yaml`), not `files`: the provider would read `files` itself, each path
        // as given (pulumi-kubernetes provider/pkg/provider/yaml/v2/yaml.go `Parse`: os.ReadFile), so a
        // relative path would depend on the provider process's working directory. Not `objs` either: the SDK
        // serializes them value by value into a protobuf Struct, which costs about 0.3 s of CPU a region for
        // these 0.8 MB, in every plan and test run (a string costs nothing), and they are decoded otherwise
        // than the files were. The children are named alike whichever input holds the objects: `register`
        // (yaml.go) names each `<resourcePrefix>:<metadata.name>`, the prefix defaulting to this ConfigGroup's
        // name (configgroup.go `Construct`); upstream's configgroup_test.go checks the same URNs for `yaml`,
        // `objs` and `files`. So the CRDs of existing stacks keep their URNs: nothing is replaced.
        //
        // `retainOnDelete`: when the last app leaves `route: gateway|both` in a region this ConfigGroup goes,
        // and deleting a CRD deletes every object of its kind in the cluster (the platform's or anyone's).
        // Retained, the engine drops them from the state and leaves them in the cluster (pulumi/pulumi
        // pkg/resource/deploy/step.go `DeleteStep.Apply`: no provider Delete when `old.RetainOnDelete`).
        // It reaches the children the provider registers: the engine hands it to `Construct`
        // (source_eval.go `RegisterResource`, `ConstructOptions{RetainOnDelete}`), the Go provider SDK gives it
        // to the component (sdk/go/pulumi/provider.go `construct`: `ro.RetainOnDelete = req.RetainOnDelete`),
        // pulumi-kubernetes registers the component with it and every child with `pulumi.Parent(comp)` only
        // (configgroup.go `Construct`, yaml.go `Register`), and the engine gives a child without its own
        // setting its parent's (source_eval.go `inheritFromParent`, from pulumi v3.158.0, #18956: the floor
        // tools/pulumi-cli.ts enforces). The upgrade policy and its binding are
        // retained too: they are the guard upstream ships with these CRDs (standard-install.yaml), and
        // keep guarding the CRDs that stay. When a gateway app comes back to that region the group is created
        // again and finds them, as it finds the gateway.k8s.aws CRDs the controller's chart made on its first
        // install: the sharedObjectsProvider upserts them (components/region.ts). README "From Ingress to
        // Gateway API" says how to remove them.
        // The group's `yaml` input (about 0.8 MB) is kept in the stack's state beside its children, once per
        // gateway region: the price of not reading files in the provider.
        const crds = args.gatewayApi ? new k8s.yaml.v2.ConfigGroup(`${name}-gateway-crds`, {
            yaml: gatewayCrdManifest(),
        }, { ...onK8s, provider: args.sharedObjectsProvider ?? args.kubernetesProvider, retainOnDelete: true }) : undefined;
        (this as { gatewayCrds?: k8s.yaml.v2.ConfigGroup }).gatewayCrds = crds;
        const featureGates = controllerFeatureGates(args.gatewayApi ?? false, args.featureGates ?? {});

        // helm.v3.Release waits until the Deployment is ready; the controller's readiness probe
        // covers its webhook server, so "ready" means Ingresses can be admitted.
        const release = new k8s.helm.v3.Release(`${name}-controller`, {
            // A fixed release name: one controller per cluster, and an autonamed one could pass Helm's
            // 53-character limit with long environment and region names.
            name: CONTROLLER_CHART.chart,
            chart: CONTROLLER_CHART.chart,
            version: CONTROLLER_CHART.version,
            repositoryOpts: { repo: CONTROLLER_CHART.repo },
            namespace: CONTROLLER_CHART.namespace,
            values: pulumi.all([args.clusterName, args.vpcId]).apply(([clusterName, vpcId]) =>
                controllerValues({ clusterName, region: args.region, vpcId, tags: args.tags ?? {}, featureGates })),
            atomic: true,
            cleanupOnFail: true,
            timeout: 600,
            maxHistory: 5,
        }, { ...onK8s, dependsOn: [association, policy, ...(args.runsOn ? [args.runsOn] : []), ...(crds ? [crds] : [])] });
        return { release, roleArn: role.arn };
    }
}
