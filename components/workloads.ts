/**
 * Workloads: the applications from stack config, each with its namespace, service account,
 * Deployment, Service, Ingress, PodDisruptionBudget, optional HorizontalPodAutoscaler and network
 * policies, on the region's Kubernetes provider.
 */
import type { LoadBalancing } from "./compute/mode";
import { annotationsFor } from "./ingress-settings";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AppSpec, Endpoint, Scheme, primaryEndpoint, routesThroughGateway, routesThroughIngress } from "../stacks/apps-schema";
import { appHosts } from "../stacks/apps-schema";
import type { ZoneSpec } from "../stacks/dns-schema";
import { listenersFor } from "../stacks/apps-validate";
import { canaryApps } from "./gateway-api/canaries";
import { httpRouteObject, redirectRouteObject, targetGroupConfigurationObject } from "./gateway-api/routes";
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
    /**
     * The region's Gateways (components/gateway-api/gateways.ts), for apps routed through one: their routes
     * are created after the Gateways and deleted before them. @default none
     */
    readonly gateways?: {
        readonly resource: pulumi.Resource;
        /** Each Gateway's ALB DNS name, by scheme. */
        readonly hostnames: Partial<Record<Scheme, pulumi.Output<string>>>;
    };
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

/**
 * The key in `apps` of each of an app's load balancers: its endpoint (primaryEndpoint) under the app's name,
 * which DNS records follow; with `route: both` the other one beside it as `<name>@ingress` or `<name>@gateway`.
 * The rollout's health gate checks every exported endpoint (tools/rollout/health.ts), so both ALBs are checked.
 */
export function endpointKeys(app: Pick<AppSpec, "name" | "route" | "endpoint">): Partial<Record<Endpoint, string>> {
    const primary = primaryEndpoint(app);
    const key = (e: Endpoint) => (e === primary ? app.name : `${app.name}@${e}`);
    return {
        ...(routesThroughIngress(app) ? { ingress: key("ingress") } : {}),
        ...(routesThroughGateway(app) ? { gateway: key("gateway") } : {}),
    };
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
            // The app, then its canaries (route gateway): each its own Deployment and Service.
            const services = [app, ...canaryApps(app)].map((unit) => {
                const prefix = `${name}-${unit.name}`;
                const sa = new k8s.core.v1.ServiceAccount(`${prefix}-sa`, serviceAccountManifest(unit), inNs);
                new k8s.networking.v1.NetworkPolicy(`${prefix}-netpol`, appNetworkPolicyManifest(unit, ctx), inNs);
                const hpa = horizontalPodAutoscalerManifest(unit);
                const secretEnv = secretEnvManifest(unit);
                const secret = secretEnv && new k8s.core.v1.Secret(`${prefix}-env`, {
                    ...secretEnv,
                    // Secret in Pulumi state and previews too, not only in the cluster.
                    stringData: pulumi.secret(secretEnv.stringData),
                }, { ...inNs, replaceOnChanges: ["stringData"] });
                new k8s.apps.v1.Deployment(`${prefix}-deployment`, deploymentManifest(unit, secret?.metadata.name), {
                    ...o,
                    dependsOn: [sa, args.controller, ...(args.podsAfter ?? []), ...(secret ? [secret] : [])],
                    // With an autoscaler, it owns the replica count after creation.
                    ignoreChanges: hpa ? ["spec.replicas"] : [],
                });
                const service = new k8s.core.v1.Service(`${prefix}-service`, serviceManifest(unit), inNs);
                new k8s.policy.v1.PodDisruptionBudget(`${prefix}-pdb`, podDisruptionBudgetManifest(unit), inNs);
                if (hpa) new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${prefix}-hpa`, hpa, inNs);
                return { unit, service };
            });
            const protocol = listenersFor(app, args.region).includes("HTTPS") ? "https" : "http";
            const endpoint = (hostname: pulumi.Output<string>): AppEndpoint => ({
                hostname,
                healthPath: app.healthPath,
                scheme: app.scheme,
                host: appHosts(app)[0],
                protocol,
                url: pulumi.interpolate`${protocol}://${hostname}${app.healthPath}`,
            });
            if (routesThroughIngress(app)) {
                // Depending on the controller orders creation after it is ready and, on destroy, removes
                // the Ingress (and so the ALB and its security groups) before the controller goes.
                const manifest = ingressManifest(app, ctx);
                const annotations = annotationsFor(args.loadBalancing ?? "aws-load-balancer-controller", app.name, manifest.metadata.annotations);
                const ingress = new k8s.networking.v1.Ingress(`${name}-${app.name}-ingress`, { ...manifest, metadata: { ...manifest.metadata, annotations } }, {
                    ...o,
                    dependsOn: [services[0].service, args.controller],
                });
                this.apps[endpointKeys(app).ingress!] = endpoint(ingress.status.apply((s) => s?.loadBalancer?.ingress?.[0]?.hostname ?? ""));
            }
            if (routesThroughGateway(app)) {
                const gateways = args.gateways;
                if (!gateways) throw new Error(`app ${app.name} routes through a Gateway, but the region has none`);
                // Target groups first: a route's backend without its configuration would get the controller's
                // defaults (instance targets) for a moment.
                const configs = services.map(({ unit, service }) => new k8s.apiextensions.CustomResource(`${name}-${unit.name}-target-group`,
                    targetGroupConfigurationObject(app, unit.name), { ...o, dependsOn: [service, args.controller] }));
                const after = { ...o, dependsOn: [gateways.resource, ...services.map((x) => x.service), ...configs] };
                new k8s.apiextensions.CustomResource(`${name}-${app.name}-route`, httpRouteObject(app, ctx), after);
                const redirect = redirectRouteObject(app, ctx);
                if (redirect) new k8s.apiextensions.CustomResource(`${name}-${app.name}-redirect-route`, redirect, after);
                const hostname = gateways.hostnames[app.scheme] ?? pulumi.output("");
                // Both: the app's `endpoint` (the Ingress's until told otherwise) is `apps.<name>`; the other is checked beside it.
                this.apps[endpointKeys(app).gateway!] = endpoint(hostname);
            }
        }
        this.registerOutputs({ apps: this.apps });
    }
}
