/**
 * The platform's side of the Gateway API, as pure functions: the controller's feature gates, the
 * GatewayClass, and per region one Gateway per ALB scheme that some app routes through, with the
 * LoadBalancerConfiguration that fixes its scheme, TLS policy, certificates and attributes.
 *
 * Facts (aws-load-balancer-controller v3.5.0, docs/guide/gateway/*.md and code at tag v3.5.0):
 * - GatewayClass `controllerName: gateway.k8s.aws/alb` is the ALB (L7) Gateway controller (l7gateway.md).
 * - A LoadBalancerConfiguration reaches a Gateway through `spec.infrastructure.parametersRef` (group
 *   gateway.k8s.aws, same namespace; loadbalancerconfig.md). Its `scheme`, when unset, is the controller's
 *   `--default-load-balancer-scheme` (pkg/gateway/model/base_model_builder.go buildLoadBalancerScheme),
 *   `internal` by default: it is always set here.
 * - Certificates cannot be given through a listener's `tls.certificateRefs`; they go in
 *   `listenerConfigurations[].defaultCertificate` / `certificates` keyed by `protocolPort` (gateway.md,
 *   "Certificate Discovery for secure listeners"). The v1.6.0 Gateway CRD allows an HTTPS listener without
 *   `tls`, and requires certificateRefs when `tls.mode: Terminate` is given: so no `tls` block.
 * - A Gateway gets its ALB as soon as it exists, routes or not (l7gateway.md, "ALB Provisioning"): a
 *   Gateway is made only for a scheme some app uses.
 */
import type { AppSpec, Scheme } from "../../stacks/apps-schema";
import { routesThroughGateway } from "../../stacks/apps-schema";
import { listenersFor } from "../../stacks/apps-validate";
import { AlbClassSettings, ingressClassParamsLabels } from "../ingress-settings";
import { albAttributes } from "../alb-logs";

/** Where the Gateways and their LoadBalancerConfigurations live: the platform's, not an app's (apps may not use it). */
export const GATEWAY_NAMESPACE = "kube-system";

/** The load balancer controller's ALB Gateway controller (docs/guide/gateway/l7gateway.md v3.5.0). */
export const ALB_GATEWAY_CONTROLLER = "gateway.k8s.aws/alb";

/** The GatewayClass every Gateway of the platform uses. */
export const GATEWAY_CLASS_NAME = "alb";

export const GATEWAY_API_GROUP = "gateway.networking.k8s.io";

/** Listener names on every Gateway: routes attach to one by `sectionName`. */
export const LISTENERS = {
    HTTP: { name: "http", port: 80 },
    HTTPS: { name: "https", port: 443 },
} as const;

/** The Gateway of a scheme, named like the IngressClass of the same scheme (components/ingress-settings.ts). */
export function gatewayName(scheme: Scheme): string {
    return scheme === "internet-facing" ? "alb" : "alb-internal";
}

/**
 * Feature gates of the controller when a region has Gateways. At start-up the controller asks the API
 * server for the Gateway API kinds and switches the ALB Gateway controller off when any is missing, unless
 * all three Gateway gates are given explicitly (pkg/gateway/crddetect/gateway_feature_flags.go,
 * ApplyGatewayCRDDetection, v3.5.0; called once from main.go). All three are given: ALBGatewayAPI on,
 * NLBGatewayAPI and GatewayListenerSet off (no NLB Gateway, no ListenerSet here) unless the stack says
 * otherwise. The CRDs are installed before the controller all the same (components/ingress.ts): with
 * detection off, a missing kind would fail its watch instead.
 */
export function gatewayFeatureGates(stackGates: Readonly<Record<string, boolean>>): Record<string, boolean> {
    return { NLBGatewayAPI: false, GatewayListenerSet: false, ...stackGates, ALBGatewayAPI: true };
}

/**
 * The controller's feature gates in a region: `gatewayFeatureGates` where some app routes through a Gateway;
 * elsewhere NLBGatewayAPI and GatewayListenerSet off unless the stack says otherwise, ALBGatewayAPI left to
 * the controller. Why not the chart's defaults there: the three are on by default in v3.5.0
 * (pkg/config/feature_gates.go) and only CRD detection switches them off, and the Gateway API CRDs stay in
 * the cluster after a region's last Gateway app went (retained: components/ingress.ts), TCPRoute, UDPRoute,
 * TLSRoute and ListenerSet served at v1 among them; at its next start the controller would turn on the NLB
 * Gateway and ListenerSet support the platform does not offer. ALBGatewayAPI stays defaulted, so detection
 * still runs (it runs while any of the three is defaulted: crddetect `ApplyGatewayCRDDetection`): off where
 * the CRDs never were, as before, and on while they are kept. It must be on in the `pulumi up` that drops
 * the last Gateway app: the Helm release is updated (the controller restarts) before the engine deletes
 * the platform's Gateways (deletes come last: pulumi/pulumi pkg/resource/deploy/deployment_executor.go
 * `performPostSteps`), and only a running ALB Gateway controller removes their finalizers
 * (`gateway.k8s.aws/alb`, pkg/shared_constants/finalizers.go) and their ALBs.
 */
export function controllerFeatureGates(gatewayApi: boolean, stackGates: Readonly<Record<string, boolean>>): Record<string, boolean> {
    return gatewayApi ? gatewayFeatureGates(stackGates) : { NLBGatewayAPI: false, GatewayListenerSet: false, ...stackGates };
}

/** One Gateway: its scheme, listeners, certificates and the namespaces whose routes may attach. */
export interface GatewayPlan {
    readonly name: string;
    readonly scheme: Scheme;
    readonly listeners: ReadonlyArray<"HTTP" | "HTTPS">;
    /** ACM certificate ARNs of the HTTPS listener, sorted; the first is its default. */
    readonly certificates: readonly string[];
    /**
     * Some app on it takes the managed certificate of its scheme's group (eks-platform:dns, components/certificates.ts):
     * the Ingresses' certificate is the Gateway's too.
     */
    readonly managedCertificate: boolean;
    /** Namespaces of the apps routed through it, sorted. */
    readonly namespaces: readonly string[];
}

/** The Gateways a region needs: one per scheme that an app routes through a Gateway, none otherwise. */
export function gatewayPlans(apps: readonly AppSpec[], region: string): GatewayPlan[] {
    const out: GatewayPlan[] = [];
    for (const scheme of ["internet-facing", "internal"] as const) {
        const on = apps.filter((a) => routesThroughGateway(a) && a.scheme === scheme);
        if (on.length === 0) continue;
        const listeners = new Set(on.flatMap((a) => listenersFor(a, region)));
        const certificates = [...new Set(on.map((a) => a.certificateArns[region]).filter((c): c is string => c !== undefined))].sort();
        const managedCertificate = on.some((a) => a.managedCertificate === true && a.certificateArns[region] === undefined);
        out.push({
            name: gatewayName(scheme),
            scheme,
            listeners: (["HTTP", "HTTPS"] as const).filter((l) => listeners.has(l)),
            certificates,
            managedCertificate,
            namespaces: [...new Set(on.map((a) => a.namespace))].sort(),
        });
    }
    return out;
}

export function gatewayClassObject() {
    return {
        apiVersion: `${GATEWAY_API_GROUP}/v1`,
        kind: "GatewayClass",
        metadata: { name: GATEWAY_CLASS_NAME },
        spec: { controllerName: ALB_GATEWAY_CONTROLLER, description: "Application Load Balancers of the AWS Load Balancer Controller" },
    };
}

/**
 * The LoadBalancerConfiguration spec (CRD gateway.k8s.aws/v1 of v3.5.0): the scheme, IPv4 (the VPC has no
 * IPv6), the HTTPS listener's certificates and TLS policy, and the same attributes as the IngressClassParams
 * of the scheme (components/ingress-settings.ts): invalid header fields dropped, the access logs (under the
 * scheme's prefix of the region's log bucket) and deletion protection.
 */
export function loadBalancerConfigurationSpec(g: GatewayPlan, sslPolicy: string, alb?: AlbClassSettings): Record<string, unknown> {
    const [defaultCertificate, ...others] = g.certificates;
    return {
        scheme: g.scheme,
        ipAddressType: "ipv4",
        ...(g.listeners.includes("HTTPS") ? {
            listenerConfigurations: [{
                protocolPort: `HTTPS:${LISTENERS.HTTPS.port}`,
                ...(defaultCertificate ? { defaultCertificate } : {}),
                ...(others.length > 0 ? { certificates: others } : {}),
                sslPolicy,
            }],
        } : {}),
        loadBalancerAttributes: [
            { key: "routing.http.drop_invalid_header_fields.enabled", value: "true" },
            ...(alb ? albAttributes(alb, g.scheme) : []),
        ],
    };
}

/** Production's LoadBalancerConfigurations and Gateways carry the production label for the policy pack, as IngressClassParams do. */
function labels(production: boolean) {
    const l = ingressClassParamsLabels(production);
    return l ? { labels: l } : {};
}

export function loadBalancerConfigurationObject(g: GatewayPlan, sslPolicy: string, production: boolean, alb?: AlbClassSettings) {
    return {
        apiVersion: "gateway.k8s.aws/v1",
        kind: "LoadBalancerConfiguration",
        metadata: { name: g.name, namespace: GATEWAY_NAMESPACE, ...labels(production) },
        spec: loadBalancerConfigurationSpec(g, sslPolicy, alb),
    };
}

/**
 * Waits for the controller to report the ALB (condition Programmed: the load balancer is active, and its DNS
 * name is in status.addresses; controllers/gateway/gateway_controller.go v3.5.0), so the app endpoints read
 * a DNS name. pulumi-kubernetes `pulumi.com/waitFor` (provider/pkg/metadata/overrides.go, since 4.18.0).
 */
export const WAIT_FOR_PROGRAMMED = { "pulumi.com/waitFor": "condition=Programmed" } as const;

/** The Gateway: listeners for the HTTP and HTTPS its apps use; routes only from those apps' namespaces. */
export function gatewayObject(g: GatewayPlan, production: boolean) {
    return {
        apiVersion: `${GATEWAY_API_GROUP}/v1`,
        kind: "Gateway",
        metadata: { name: g.name, namespace: GATEWAY_NAMESPACE, ...labels(production), annotations: { ...WAIT_FOR_PROGRAMMED } },
        spec: {
            gatewayClassName: GATEWAY_CLASS_NAME,
            infrastructure: { parametersRef: { group: "gateway.k8s.aws", kind: "LoadBalancerConfiguration", name: g.name } },
            listeners: g.listeners.map((l) => ({
                name: LISTENERS[l].name,
                protocol: l,
                port: LISTENERS[l].port,
                allowedRoutes: {
                    namespaces: {
                        from: "Selector",
                        selector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: [...g.namespaces] }] },
                    },
                    kinds: [{ group: GATEWAY_API_GROUP, kind: "HTTPRoute" }],
                },
            })),
        },
    };
}
