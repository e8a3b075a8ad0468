/**
 * Applications and the ingress settings they share, as stack config (`eks-platform:apps`,
 * `eks-platform:ingressSslPolicy`). Shapes here; rules that relate apps to each other and to the
 * regions in `apps-validate.ts`.
 */
import { z } from "zod";
import { parseCidr } from "./cidr";
import { hostName } from "./dns-schema";
import { QUANTITY, quantityValue } from "./quantity";

export const SCHEMES = ["internet-facing", "internal"] as const;
export const TARGET_TYPES = ["ip", "instance"] as const;
export const LISTENER_PROTOCOLS = ["HTTP", "HTTPS"] as const;
/**
 * How requests reach an app: `ingress`, an Ingress on the region's ALB ingress group (components/ingress.ts);
 * `gateway`, an HTTPRoute on the region's Gateway API Gateway of its scheme, an ALB of its own
 * (components/gateway-api/); `both` while moving an app from one to the other (README, "From Ingress to
 * Gateway API"): two ALBs serve it until DNS points at the Gateway's.
 */
export const ROUTES = ["ingress", "gateway", "both"] as const;
/** An app's routes through a Gateway (HTTPRoute), for `route` gateway or both. */
export function routesThroughGateway(app: { readonly route: Route }): boolean {
    return app.route !== "ingress";
}
/** An app's route through an Ingress, for `route` ingress or both. */
export function routesThroughIngress(app: { readonly route: Route }): boolean {
    return app.route !== "gateway";
}
/** The load balancers an app's `endpoint` may name: one per route kind. */
export const ENDPOINTS = ["ingress", "gateway"] as const;
export type Endpoint = (typeof ENDPOINTS)[number];
/**
 * Which of the app's load balancers is its endpoint (`apps.<name>`, the one DNS records and health checks
 * follow): its only route, or with `route: both` the app's `endpoint` (the Ingress's until told otherwise).
 */
export function primaryEndpoint(app: { readonly route: Route; readonly endpoint?: Endpoint }): Endpoint {
    return app.route === "both" ? app.endpoint ?? "ingress" : app.route;
}

/**
 * TLS 1.3 policies an ALB listener may use (TLS 1.2 minimum). The default is the post-quantum hybrid
 * policy AWS recommends; the 2021-06 ones are for partitions that lack it.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
 */
export const SSL_POLICIES = [
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
] as const;
export const DEFAULT_SSL_POLICY = SSL_POLICIES[0];

/** Splits an image reference into repository, tag and digest (registry ports are not tags). */
export function parseImage(image: string): { repository: string; tag?: string; digest?: string } {
    const [nameAndTag, digest] = image.split("@", 2);
    const lastSlash = nameAndTag.lastIndexOf("/");
    const lastColon = nameAndTag.lastIndexOf(":");
    if (lastColon > lastSlash) {
        return { repository: nameAndTag.slice(0, lastColon), tag: nameAndTag.slice(lastColon + 1), digest };
    }
    return { repository: nameAndTag, digest };
}

/** registry[:port]/path[:tag][@sha256:digest], per the distribution reference grammar. */
const IMAGE_REF = /^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::\w[\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

const image = z.string().superRefine((v, ctx) => {
    if (!IMAGE_REF.test(v)) {
        ctx.addIssue({ code: "custom", message: "not an image reference such as registry/repo:1.2.3 or repo@sha256:<64 hex>" });
        return;
    }
    const { tag, digest } = parseImage(v);
    if (!tag && !digest) {
        ctx.addIssue({ code: "custom", message: "needs an explicit tag or digest (e.g. nginx:1.27.3 or nginx@sha256:...), so a deploy is reproducible" });
    } else if (tag === "latest" && !digest) {
        ctx.addIssue({ code: "custom", message: "the tag \"latest\" is not allowed: pin a version tag or a digest" });
    }
});

/** Kubernetes resource quantities: https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/ */
const cpu = z.string().regex(/^(\d+m|\d+(\.\d+)?)$/, { message: "not a CPU quantity such as 100m or 0.5" });
const memory = z.string().regex(QUANTITY, {
    message: "not a Kubernetes quantity such as 128Mi, 1Gi or 500M (binary suffixes Ki Mi Gi Ti Pi Ei, decimal k M G T P E; kilo is a lower-case k)",
}).refine((q) => (quantityValue(q) ?? Infinity) >= 1024 * 1024, { message: "is below 1Mi; give memory with a unit, such as 128Mi" });
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
    message: "not an environment variable name: letters, digits and '_', not starting with a digit (^[A-Za-z_][A-Za-z0-9_]*$)",
});
const httpPath = z.string().regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/, { message: "must be an absolute URL path such as / or /healthz" });

export const appSchema = z.strictObject({
    /** DNS label; names the Deployment, Service, Ingress and ServiceAccount. */
    name: z.string().regex(/^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/, { message: "must be a DNS label of at most 40 characters" }),
    /** Namespace (created, Pod Security `restricted`). Several apps may share one. */
    namespace: z.string().regex(/^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/, { message: "must be a DNS label" })
        .refine((n) => !["default", "kube-system", "kube-public", "kube-node-lease"].includes(n), {
            message: "must be an application namespace, not default or a kube-* system namespace",
        }),
    /** Container image with an explicit tag or digest (never `latest`). */
    image,
    /** Port the container listens on. */
    containerPort: z.number().int().min(1, { message: "must be a TCP port from 1 to 65535" }).max(65535, { message: "must be a TCP port from 1 to 65535" }),
    /** @default 2 (production requires at least 2) */
    replicas: z.number().int().min(1, { message: "must be at least 1" }).max(1000).default(2),
    /** @default { cpuRequest: "100m", memoryRequest: "128Mi", memoryLimit: "256Mi" } */
    resources: z.strictObject({
        cpuRequest: cpu.default("100m"),
        memoryRequest: memory.default("128Mi"),
        memoryLimit: memory.default("256Mi"),
    }).default({ cpuRequest: "100m", memoryRequest: "128Mi", memoryLimit: "256Mi" }),
    /** Plain environment variables. @default {} */
    env: z.record(envName, z.string()).default({}),
    /**
     * Secret environment variables, set encrypted with
     * `pulumi config set --secret --path 'eks-platform:apps[0].secretEnv.NAME' <value>`. They live in
     * a Kubernetes Secret (envelope-encrypted with the cluster's KMS key) and stay secret in Pulumi
     * state. @default {}
     */
    secretEnv: z.record(envName, z.string()).default({}),
    /** Path the readiness/liveness probes and the ALB health check request. @default "/" */
    healthPath: httpPath.default("/"),
    /** Path prefix routed to the app. @default "/" */
    path: httpPath.default("/"),
    /** Host name routed to the app; any host when absent. */
    host: z.string().regex(/^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, { message: "not a DNS host name such as app.example.com" }).optional(),
    /**
     * Host names routed to the app (one Ingress rule each). With `eks-platform:dns` they get a managed
     * ACM certificate per region and alias records (components/dns.ts); `host` is the one-name form.
     * @default [host] when `host` is set, else none (any host)
     */
    hosts: z.array(hostName).min(1, { message: "lists no host; remove the key for any host, or name at least one such as app.example.com" }).optional(),
    /** @default "internet-facing" */
    scheme: z.enum(SCHEMES).default("internet-facing"),
    /** `ip` routes to pod IPs (ClusterIP Service), `instance` to node ports (NodePort Service). @default "ip" */
    targetType: z.enum(TARGET_TYPES).default("ip"),
    /** ACM certificate ARN per region (key: region code). @default {} */
    certificateArns: z.record(z.string(), z.string().regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/, {
        message: "not an ACM certificate ARN such as arn:aws:acm:ap-northeast-2:123456789012:certificate/<uuid>",
    })).default({}),
    /** ALB listeners. @default ["HTTP", "HTTPS"] (HTTP redirects to HTTPS) where the region has a certificate, else ["HTTP"] */
    listeners: z.array(z.enum(LISTENER_PROTOCOLS, {
        // TCP, UDP and TLS routes are L4: the controller serves them from an NLB Gateway (gateway.k8s.aws/nlb),
        // never from the ALB one (docs/guide/gateway/gateway.md v3.5.0: "Mixing protocol layers ... is not supported").
        message: "must be \"HTTP\" or \"HTTPS\": apps are served by an Application Load Balancer (L7); TCP, UDP and TLS routes are L4 and need a Network Load Balancer Gateway, which this platform does not create",
    })).min(1).optional(),
    /** How requests reach the app (see ROUTES). @default "ingress" */
    route: z.enum(ROUTES).default("ingress"),
    /**
     * With `route: both`, the load balancer that is the app's endpoint (`apps.<name>`): DNS records and the
     * Route 53 health check follow it, so a migration moves DNS to the Gateway while the Ingress still
     * serves (README, "From Ingress to Gateway API"). Otherwise it may only name the app's one route.
     * @default "ingress" with route both, else the route
     */
    endpoint: z.enum(ENDPOINTS).optional(),
    /**
     * Other versions of the app running beside it, for a canary within a region (route gateway or both):
     * each is a Deployment and Service `<name>-<canary>` with the app's settings except image and replicas,
     * and gets the share of requests `weights` gives it. @default []
     */
    canaries: z.array(z.strictObject({
        /** Names the canary's Deployment and Service `<app>-<name>`. */
        name: z.string().regex(/^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/, { message: "must be a DNS label of at most 20 characters" }),
        image,
        /** @default 1 */
        replicas: z.number().int().min(1, { message: "must be at least 1" }).max(1000).default(1),
    })).default([]),
    /**
     * Share of the app's requests per Service, in percent (whole numbers summing to 100): the app's own
     * Service `<name>` and its canaries' `<name>-<canary>`; a Service not listed gets none. They are the
     * weights of the HTTPRoute's backends (route gateway or both). @default { <name>: 100 }
     */
    weights: z.record(z.string(), z.number().int({ message: "must be a whole number of percent" })
        .min(0, { message: "must be from 0 to 100 (percent)" }).max(100, { message: "must be from 0 to 100 (percent)" })).optional(),
    /** HorizontalPodAutoscaler on CPU; absent means a fixed replica count. */
    autoscaling: z.strictObject({
        minReplicas: z.number().int().min(1),
        maxReplicas: z.number().int().min(1).max(1000),
        /** @default 70 */
        targetCpuUtilization: z.number().int().min(1).max(100).default(70),
    }).optional(),
    /** Writable emptyDir mounts (the root filesystem is read-only). @default ["/tmp"] */
    writablePaths: z.array(z.string().regex(/^\/[A-Za-z0-9._/-]*$/, { message: "must be an absolute path" })).default(["/tmp"]),
    /** Destinations the app may reach besides DNS (NetworkPolicy egress). @default [] */
    egressCidrs: z.array(z.string().refine((v) => parseCidr(v) !== undefined, { message: "not a valid IPv4 CIDR" })).default([]),
});

export type AppSpec = z.output<typeof appSchema> & {
    /**
     * Not a config key: set by parsePlatformConfig when `eks-platform:dns` is configured and the app has
     * hosts, so it gets a managed ACM certificate per region (HTTPS) instead of `certificateArns`.
     */
    readonly managedCertificate?: boolean;
};

/** The app's host names: `hosts`, or `[host]`, or none (any host). */
export function appHosts(app: Pick<AppSpec, "host" | "hosts">): readonly string[] {
    return app.hosts ?? (app.host ? [app.host] : []);
}
export type Scheme = (typeof SCHEMES)[number];
export type TargetType = (typeof TARGET_TYPES)[number];
export type Route = (typeof ROUTES)[number];
