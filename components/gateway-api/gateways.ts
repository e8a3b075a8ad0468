/**
 * Gateways: the platform's Gateway API objects of one region on the load balancer controller: the
 * GatewayClass, and per scheme that some app routes through a Gateway, its LoadBalancerConfiguration and
 * Gateway (one ALB each). Decisions in settings.ts.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AppSpec, Scheme } from "../../stacks/apps-schema";
import {
    GatewayPlan, gatewayClassObject, gatewayObject, gatewayPlans, loadBalancerConfigurationObject,
} from "./settings";

export interface GatewaysArgs {
    /** The region's Kubernetes provider; every child uses it. */
    readonly kubernetesProvider: k8s.Provider;
    readonly region: string;
    readonly apps: readonly AppSpec[];
    /** TLS policy of HTTPS listeners (`ingressSslPolicy`, the Ingresses' too). */
    readonly sslPolicy: string;
    /** The ALBs' access-log bucket (components/alb-logs.ts), or undefined for none. */
    readonly accessLogBucket: pulumi.Input<string | undefined>;
    /** The managed certificate of each scheme's ALB group (components/certificates.ts), when eks-platform:dns is set. @default none */
    readonly managedCertificateArns?: Partial<Record<Scheme, pulumi.Input<string>>>;
    /** Deletion protection of the ALBs. @default false */
    readonly deletionProtection?: boolean;
    /** A production environment: its Gateways and their configurations are labelled for the policy pack. @default false */
    readonly production?: boolean;
    /**
     * The load balancer controller (and through it the CRDs): created first, deleted last, so that deleting
     * a Gateway finds the controller there to remove its ALB (its finalizer).
     */
    readonly controller: pulumi.Resource;
}

export class Gateways extends pulumi.ComponentResource {
    /** The Gateways made, by scheme. */
    public readonly plans: readonly GatewayPlan[];
    /** Each Gateway's ALB DNS name (status.addresses), by scheme. */
    public readonly hostnames: Partial<Record<Scheme, pulumi.Output<string>>>;

    constructor(name: string, args: GatewaysArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:index:Gateways", name, {}, opts);
        const o = { parent: this, provider: args.kubernetesProvider, dependsOn: [args.controller] };
        const deletionProtection = args.deletionProtection ?? false;
        const production = args.production ?? false;

        const klass = new k8s.apiextensions.CustomResource(`${name}-class`, gatewayClassObject(), o);
        this.plans = gatewayPlans(args.apps, args.region);
        const managedCertificate = (g: GatewayPlan): pulumi.Input<string | undefined> => {
            if (!g.managedCertificate) return undefined;
            const arn = args.managedCertificateArns?.[g.scheme];
            if (arn === undefined) throw new Error(`Gateway ${g.name}: the managed certificate of the ${g.scheme} group was not given`);
            return arn;
        };
        this.hostnames = {};
        for (const g of this.plans) {
            const config = new k8s.apiextensions.CustomResource(`${name}-${g.name}-config`, {
                ...loadBalancerConfigurationObject(g, args.sslPolicy, production),
                spec: pulumi.all([args.accessLogBucket, managedCertificate(g)]).apply(([logBucket, managed]) => loadBalancerConfigurationObject(
                    { ...g, certificates: [...new Set([...g.certificates, ...(managed ? [managed] : [])])].sort() },
                    args.sslPolicy, production, { logBucket, deletionProtection }).spec),
            }, o);
            // `status: undefined` asks the engine for the live object's status (its ALB's DNS name) as an output.
            const gateway = new k8s.apiextensions.CustomResource(`${name}-${g.name}`, { ...gatewayObject(g, production), status: undefined }, {
                ...o,
                dependsOn: [args.controller, klass, config],
                // The ALB takes a few minutes to become active (WAIT_FOR_PROGRAMMED).
                customTimeouts: { create: "15m", update: "15m", delete: "15m" },
            });
            const status = (gateway as unknown as { status: pulumi.Output<{ addresses?: Array<{ value?: string }> } | undefined> }).status;
            this.hostnames[g.scheme] = status.apply((s) => s?.addresses?.[0]?.value ?? "");
        }
        this.registerOutputs({ hostnames: this.hostnames });
    }
}
