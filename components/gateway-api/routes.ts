/**
 * An app's side of the Gateway API, as pure functions: its HTTPRoute to the Gateway of its scheme (hosts,
 * path, weighted backends), the redirect route of its plain-HTTP listener when it serves HTTPS, and a
 * TargetGroupConfiguration per Service (target type, health check).
 *
 * Facts (aws-load-balancer-controller v3.5.0 at tag v3.5.0):
 * - A TargetGroupConfiguration applies to the Service named by `targetReference`, one per Service, in its
 *   namespace; unset fields fall back to the controller's defaults, `targetType: instance` among them
 *   (docs/guide/gateway/targetgroupconfig.md): the target type is always set here.
 * - RequestRedirect with `scheme: https` and no port redirects to port 443 (pkg/gateway/routeutils/
 *   route_rule_action.go buildHttpRedirectAction); the status code becomes HTTP_301.
 * - Route weights become the ALB's weighted target groups; a backend Service that does not exist makes
 *   the rule answer a fixed 500 (docs/guide/gateway/gateway.md, "Misconfigured Services"): the config
 *   refuses weights for Services the app does not have (stacks/apps-validate.ts).
 */
import type { AppSpec } from "../../stacks/apps-schema";
import { appServiceNames, backendWeights, listenersFor } from "../../stacks/apps-validate";
import { AppContext, appLabels, ingressHosts, SERVICE_PORT } from "../workload-manifests";
import { GATEWAY_API_GROUP, GATEWAY_NAMESPACE, LISTENERS, gatewayName } from "./settings";

/** The listener an app's requests arrive on: HTTPS when it serves HTTPS in the region, else HTTP. */
export function routeListener(app: AppSpec, region: string): "HTTP" | "HTTPS" {
    return listenersFor(app, region).includes("HTTPS") ? "HTTPS" : "HTTP";
}

function parentRef(app: AppSpec, listener: "HTTP" | "HTTPS") {
    return { group: GATEWAY_API_GROUP, kind: "Gateway", namespace: GATEWAY_NAMESPACE, name: gatewayName(app.scheme), sectionName: LISTENERS[listener].name };
}

function matches(app: AppSpec) {
    return [{ path: { type: "PathPrefix", value: app.path } }];
}

/**
 * The hosts the app's routes match: those its Ingress would (its hosts, or any host; with managed names on an
 * internet-facing ALB the region's own endpoint name, which its Route 53 health check requests).
 */
function hostnames(app: AppSpec, ctx: Pick<AppContext, "region" | "dnsZones">) {
    const hosts = ingressHosts(app, ctx as AppContext).filter((h): h is string => h !== undefined);
    return hosts.length > 0 ? { hostnames: hosts } : {};
}

/** The app's HTTPRoute: its hosts (any when unset), its path prefix, its Services by weight. */
export function httpRouteObject(app: AppSpec, ctx: Pick<AppContext, "region" | "dnsZones">) {
    const region = ctx.region;
    const weights = backendWeights(app);
    return {
        apiVersion: `${GATEWAY_API_GROUP}/v1`,
        kind: "HTTPRoute",
        metadata: { name: app.name, namespace: app.namespace, labels: appLabels(app) },
        spec: {
            parentRefs: [parentRef(app, routeListener(app, region))],
            ...hostnames(app, ctx),
            rules: [{
                matches: matches(app),
                backendRefs: appServiceNames(app).map((name) => ({ group: "", kind: "Service", name, port: SERVICE_PORT, weight: weights[name] })),
            }],
        },
    };
}

/**
 * For an app that serves HTTPS and HTTP in the region: its HTTP requests answered with a redirect to HTTPS
 * (the Ingress's `ssl-redirect`), on the Gateway's HTTP listener. Undefined otherwise.
 */
export function redirectRouteObject(app: AppSpec, ctx: Pick<AppContext, "region" | "dnsZones">) {
    const listeners = listenersFor(app, ctx.region);
    if (!(listeners.includes("HTTP") && listeners.includes("HTTPS"))) return undefined;
    return {
        apiVersion: `${GATEWAY_API_GROUP}/v1`,
        kind: "HTTPRoute",
        metadata: { name: `${app.name}-redirect`, namespace: app.namespace, labels: appLabels(app) },
        spec: {
            parentRefs: [parentRef(app, "HTTP")],
            ...hostnames(app, ctx),
            rules: [{
                matches: matches(app),
                filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }],
            }],
        },
    };
}

/** The target group of one of the app's Services: the app's target type and health check. */
export function targetGroupConfigurationObject(app: AppSpec, service: string) {
    return {
        apiVersion: "gateway.k8s.aws/v1",
        kind: "TargetGroupConfiguration",
        metadata: { name: service, namespace: app.namespace, labels: appLabels(app) },
        spec: {
            targetReference: { kind: "Service", name: service },
            defaultConfiguration: {
                targetType: app.targetType,
                healthCheckConfig: { healthCheckPath: app.healthPath, healthCheckProtocol: "HTTP" },
            },
        },
    };
}
