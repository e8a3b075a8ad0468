/**
 * Workloads: the applications from stack config, each with its namespace, service account,
 * Deployment, Service, Ingress, PodDisruptionBudget, optional HorizontalPodAutoscaler and network
 * policies, on the region's Kubernetes provider.
 */
import type { LoadBalancing } from "./compute/mode";
import { annotationsFor } from "./ingress-settings";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AppSpec, Scheme } from "../stacks/apps-schema";
import { appHosts } from "../stacks/apps-schema";
import type { ZoneSpec } from "../stacks/dns-schema";
import { listenersFor } from "../stacks/apps-validate";
import {
    AppContext, appNetworkPolicyManifest, defaultDenyManifest, deploymentManifest,
    horizontalPodAutoscalerManifest, ingressManifest, namespaceManifest, namespacesOf,
    podDisruptionBudgetManifest, secretEnvManifest, serviceAccountManifest, serviceManifest,
} from "./workload-manifests";

export interface WorkloadsArgs {
    /** The region's Kubernetes provider; every child uses it. */
    readonly kubernetesProvider: k8s.Provider;
    readonly region: string;
    /** Subnet CIDRs, for the NetworkPolicy that admits the load balancer's traffic. */
    readonly publicSubnetCidrs: readonly string[];
    readonly privateSubnetCidrs: readonly string[];
    readonly apps: readonly AppSpec[];
    /** TLS policy for HTTPS listeners. */
    readonly sslPolicy: string;
    /**
     * What must be ready before an Ingress (or a pod, whose readiness gate the controller injects)
     * is created, and deleted only after them: the Ingress component, which stands for all its
     * children (the controller, the IngressClassParams and IngressClasses). The controller's webhook
     * rejects an Ingress whose class does not exist yet, and blocks removing an Ingress's finalizer
     * once its class is gone (aws-load-balancer-controller#4341), which would strand the ALB.
     */
    readonly controller: pulumi.Resource;
    /**
     * What an app's pods need before they can start, and what is deleted only after them: cluster DNS
     * and the capacity they run on. Only the Deployments wait for it: a namespace, Service or Ingress
     * needs no node, so the ALB is provisioned while the capacity comes up. @default []
     */
    readonly podsAfter?: readonly pulumi.Resource[];
    /**
     * Who serves the Ingresses: under EKS Auto Mode each annotation is checked against its supported
     * list (components/ingress-settings.ts `annotationsFor`). @default "aws-load-balancer-controller"
     */
    readonly loadBalancing?: LoadBalancing;
    /** Validated managed certificates per ALB group (components/certificates.ts). @default none */
    readonly managedCertificateArns?: Partial<Record<Scheme, pulumi.Input<string>>>;
    /** Zones of eks-platform:dns (apps' regional endpoint names). @default none */
    readonly dnsZones?: readonly Pick<ZoneSpec, "name">[];
}

export interface AppEndpoint {
    /** The ALB's DNS name, from the Ingress status. */
    readonly hostname: pulumi.Output<string>;
    readonly healthPath: string;
    /** `internal` load balancers are reachable only from inside the VPC. */
    readonly scheme: string;
    /** Host name routed to the app, when configured: send it as Host header (and TLS SNI). */
    readonly host?: string;
    readonly protocol: "http" | "https";
    /** The health path through this region's load balancer (not through DNS, which may route elsewhere). */
    readonly url: pulumi.Output<string>;
}

export class Workloads extends pulumi.ComponentResource {
    public readonly apps: Record<string, AppEndpoint>;

    constructor(name: string, args: WorkloadsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:index:Workloads", name, {}, opts);
        const o = { parent: this, provider: args.kubernetesProvider };
        const ctx: AppContext = {
            region: args.region,
            publicSubnetCidrs: args.publicSubnetCidrs,
            privateSubnetCidrs: args.privateSubnetCidrs,
            sslPolicy: args.sslPolicy,
            managedCertificateArns: args.managedCertificateArns,
            dnsZones: args.dnsZones,
        };

        const namespaces = new Map<string, k8s.core.v1.Namespace>();
        for (const ns of namespacesOf(args.apps)) {
            const namespace = new k8s.core.v1.Namespace(`${name}-${ns}-ns`, namespaceManifest(ns), o);
            new k8s.networking.v1.NetworkPolicy(`${name}-${ns}-default-deny`, defaultDenyManifest(ns), { ...o, dependsOn: [namespace] });
            namespaces.set(ns, namespace);
        }

        this.apps = {};
        for (const app of args.apps) {
            const inNs = { ...o, dependsOn: [namespaces.get(app.namespace)!] };
            const prefix = `${name}-${app.name}`;
            const sa = new k8s.core.v1.ServiceAccount(`${prefix}-sa`, serviceAccountManifest(app), inNs);
            new k8s.networking.v1.NetworkPolicy(`${prefix}-netpol`, appNetworkPolicyManifest(app, ctx), inNs);
            const hpa = horizontalPodAutoscalerManifest(app);
            const secretEnv = secretEnvManifest(app);
            const secret = secretEnv && new k8s.core.v1.Secret(`${prefix}-env`, {
                ...secretEnv,
                // Secret in Pulumi state and previews too, not only in the cluster.
                stringData: pulumi.secret(secretEnv.stringData),
            }, { ...inNs, replaceOnChanges: ["stringData"] });
            new k8s.apps.v1.Deployment(`${prefix}-deployment`, deploymentManifest(app, secret?.metadata.name), {
                ...o,
                dependsOn: [sa, args.controller, ...(args.podsAfter ?? []), ...(secret ? [secret] : [])],
                // With an autoscaler, it owns the replica count after creation.
                ignoreChanges: hpa ? ["spec.replicas"] : [],
            });
            const service = new k8s.core.v1.Service(`${prefix}-service`, serviceManifest(app), inNs);
            new k8s.policy.v1.PodDisruptionBudget(`${prefix}-pdb`, podDisruptionBudgetManifest(app), inNs);
            if (hpa) new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${prefix}-hpa`, hpa, inNs);
            // Depending on the controller orders creation after it is ready and, on destroy, removes
            // the Ingress (and so the ALB and its security groups) before the controller goes.
            const manifest = ingressManifest(app, ctx);
            const annotations = annotationsFor(args.loadBalancing ?? "aws-load-balancer-controller", app.name, manifest.metadata.annotations);
            const ingress = new k8s.networking.v1.Ingress(`${prefix}-ingress`, { ...manifest, metadata: { ...manifest.metadata, annotations } }, {
                ...o,
                dependsOn: [service, args.controller],
            });
            const hostname = ingress.status.apply((s) => s?.loadBalancer?.ingress?.[0]?.hostname ?? "");
            const protocol = listenersFor(app, args.region).includes("HTTPS") ? "https" : "http";
            this.apps[app.name] = {
                hostname,
                healthPath: app.healthPath,
                scheme: app.scheme,
                host: appHosts(app)[0],
                protocol,
                url: pulumi.interpolate`${protocol}://${hostname}${app.healthPath}`,
            };
        }
        this.registerOutputs({ apps: this.apps });
    }
}
