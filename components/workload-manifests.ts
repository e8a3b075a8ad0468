/**
 * The Kubernetes objects of one application, as plain data: pure functions the Workloads component
 * registers and tests read directly.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { AppSpec, Scheme } from "../stacks/apps-schema";
import { appHosts } from "../stacks/apps-schema";
import { listenersFor } from "../stacks/apps-validate";
import { regionalEndpointName } from "../stacks/dns-names";
import type { ZoneSpec } from "../stacks/dns-schema";
import { ingressClassFor } from "./ingress-settings";

export interface AppContext {
    readonly region: string;
    /** CIDRs of the public subnets (internet-facing ALBs live there). */
    readonly publicSubnetCidrs: readonly string[];
    /** CIDRs of the private subnets (nodes, pods and internal ALBs live there). */
    readonly privateSubnetCidrs: readonly string[];
    readonly sslPolicy: string;
    /** Managed certificates of the region's ALB groups (validated ARNs), for apps with managedCertificate. @default none */
    readonly managedCertificateArns?: Partial<Record<Scheme, pulumi.Input<string>>>;
    /** The zones of eks-platform:dns: an internet-facing app with managed names also answers its regional endpoint name. @default none */
    readonly dnsZones?: readonly Pick<ZoneSpec, "name">[];
}

/**
 * Where the load balancer's traffic (requests and health checks) comes from, as the pod sees it.
 * `ip` targets are reached straight from the ALB's own addresses in its subnets: the public ones for
 * an internet-facing ALB, the private ones for an internal ALB. `instance` targets are reached
 * through a node port, so the pod sees a node address (private subnets). Narrower than the VPC CIDR,
 * which would admit every pod of the cluster (the VPC CNI gives pods VPC addresses); for internal
 * ALBs and instance targets the private subnets are as narrow as addresses allow, since pods share them.
 */
export function loadBalancerSourceCidrs(app: AppSpec, ctx: AppContext): readonly string[] {
    return app.targetType === "ip" && app.scheme === "internet-facing" ? ctx.publicSubnetCidrs : ctx.privateSubnetCidrs;
}

/** The port the Service exposes (the ALB's target group talks to it or to the pod port). */
export const SERVICE_PORT = 80;

/** Labels Kubernetes recommends; the selector uses the name only, so it never changes. */
export function appLabels(app: AppSpec): Record<string, string> {
    return {
        "app.kubernetes.io/name": app.name,
        "app.kubernetes.io/part-of": app.namespace,
        "app.kubernetes.io/managed-by": "pulumi",
    };
}

export function selector(app: AppSpec): Record<string, string> {
    return { "app.kubernetes.io/name": app.name };
}

/**
 * Pod Security Admission at `restricted` for enforce, warn and audit; and the controller's pod
 * readiness gate, so a rolling update waits until the ALB sees new pods as healthy.
 * https://kubernetes.io/docs/concepts/security/pod-security-admission/
 * https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/pod_readiness_gate/
 */
export function namespaceManifest(namespace: string) {
    return {
        metadata: {
            name: namespace,
            labels: {
                "pod-security.kubernetes.io/enforce": "restricted",
                "pod-security.kubernetes.io/enforce-version": "latest",
                "pod-security.kubernetes.io/warn": "restricted",
                "pod-security.kubernetes.io/warn-version": "latest",
                "pod-security.kubernetes.io/audit": "restricted",
                "pod-security.kubernetes.io/audit-version": "latest",
                "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled",
            },
        },
    };
}

export function serviceAccountManifest(app: AppSpec) {
    return {
        metadata: { name: app.name, namespace: app.namespace, labels: appLabels(app) },
        // The app does not call the Kubernetes API; no token is mounted.
        automountServiceAccountToken: false,
    };
}

/**
 * The Secret holding an app's secret environment, or undefined when it has none. It has no fixed
 * name: Pulumi names it, and replaces it under a new name when a value changes, so the Deployment's
 * reference changes and its pods restart with the new values (variables are read at container
 * start) without any digest of the values in the pod template.
 */
export function secretEnvManifest(app: AppSpec) {
    if (Object.keys(app.secretEnv).length === 0) return undefined;
    return {
        metadata: { namespace: app.namespace, labels: appLabels(app) },
        type: "Opaque",
        stringData: { ...app.secretEnv },
    };
}

/** Plain variables by value, secret ones by reference to the app's Secret; sorted by name. */
export function containerEnv(app: AppSpec, secretName?: pulumi.Input<string>) {
    const plain = Object.keys(app.env).map((name) => ({ name, value: app.env[name] }));
    const names = Object.keys(app.secretEnv);
    if (names.length > 0 && secretName === undefined) throw new Error(`app ${app.name}: secret environment without its Secret`);
    const secret = names.map((name) => ({ name, valueFrom: { secretKeyRef: { name: secretName!, key: name } } }));
    return [...plain, ...secret].sort((a, b) => a.name.localeCompare(b.name));
}

function volumeName(path: string, i: number): string {
    return `writable-${i}-${path.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "").toLowerCase() || "root"}`.slice(0, 63);
}

/** @param secretName the app's secret-environment Secret (see secretEnvManifest), when it has one */
export function deploymentManifest(app: AppSpec, secretName?: pulumi.Input<string>) {
    const labels = appLabels(app);
    const probe = (failureThreshold: number, periodSeconds: number) => ({
        httpGet: { path: app.healthPath, port: "http" },
        periodSeconds,
        timeoutSeconds: 2,
        failureThreshold,
    });
    return {
        metadata: { name: app.name, namespace: app.namespace, labels },
        spec: {
            replicas: app.autoscaling ? Math.max(app.replicas, app.autoscaling.minReplicas) : app.replicas,
            selector: { matchLabels: selector(app) },
            // Never below the desired count: new pods come up (and pass the ALB's health check,
            // via the readiness gate) before old ones go.
            strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } },
            template: {
                metadata: { labels },
                spec: {
                    serviceAccountName: app.name,
                    automountServiceAccountToken: false,
                    securityContext: {
                        runAsNonRoot: true,
                        seccompProfile: { type: "RuntimeDefault" },
                    },
                    topologySpreadConstraints: [
                        {
                            maxSkew: 1,
                            topologyKey: "topology.kubernetes.io/zone",
                            whenUnsatisfiable: "ScheduleAnyway",
                            labelSelector: { matchLabels: selector(app) },
                        },
                        {
                            maxSkew: 1,
                            topologyKey: "kubernetes.io/hostname",
                            whenUnsatisfiable: "ScheduleAnyway",
                            labelSelector: { matchLabels: selector(app) },
                        },
                    ],
                    containers: [{
                        name: app.name,
                        image: app.image,
                        ports: [{ name: "http", containerPort: app.containerPort, protocol: "TCP" }],
                        env: containerEnv(app, secretName),
                        resources: {
                            requests: { cpu: app.resources.cpuRequest, memory: app.resources.memoryRequest },
                            limits: { memory: app.resources.memoryLimit },
                        },
                        readinessProbe: probe(3, 5),
                        livenessProbe: { ...probe(6, 10), initialDelaySeconds: 10 },
                        securityContext: {
                            runAsNonRoot: true,
                            allowPrivilegeEscalation: false,
                            readOnlyRootFilesystem: true,
                            capabilities: { drop: ["ALL"] },
                            seccompProfile: { type: "RuntimeDefault" },
                        },
                        volumeMounts: app.writablePaths.map((mountPath, i) => ({ name: volumeName(mountPath, i), mountPath })),
                    }],
                    volumes: app.writablePaths.map((p, i) => ({ name: volumeName(p, i), emptyDir: {} })),
                },
            },
        },
    };
}

export function serviceManifest(app: AppSpec) {
    return {
        metadata: { name: app.name, namespace: app.namespace, labels: appLabels(app) },
        spec: {
            // `ip` targets register pod IPs (any Service type works; ClusterIP exposes least);
            // `instance` targets register nodes and need a NodePort.
            type: app.targetType === "ip" ? "ClusterIP" : "NodePort",
            selector: selector(app),
            ports: [{ name: "http", port: SERVICE_PORT, targetPort: "http", protocol: "TCP" }],
        },
    };
}

/** The controller's annotations, spelled as its documentation does.
 *  https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/ */
export function ingressAnnotations(app: AppSpec, ctx: AppContext): Record<string, pulumi.Input<string>> {
    const listeners = listenersFor(app, ctx.region);
    const ports = listeners.map((l) => (l === "HTTPS" ? { HTTPS: 443 } : { HTTP: 80 }));
    const a: Record<string, pulumi.Input<string>> = {
        // Also fixed by the class's IngressClassParams; stated here so the object reads on its own.
        "alb.ingress.kubernetes.io/scheme": app.scheme,
        "alb.ingress.kubernetes.io/target-type": app.targetType,
        "alb.ingress.kubernetes.io/healthcheck-path": app.healthPath,
        "alb.ingress.kubernetes.io/listen-ports": JSON.stringify(ports),
    };
    const cert = app.certificateArns[ctx.region] ?? (app.managedCertificate ? ctx.managedCertificateArns?.[app.scheme] : undefined);
    if (app.managedCertificate && cert === undefined) throw new Error(`app ${app.name}: managed certificate of its ${app.scheme} group not given`);
    if (cert && listeners.includes("HTTPS")) {
        a["alb.ingress.kubernetes.io/certificate-arn"] = cert;
        a["alb.ingress.kubernetes.io/ssl-policy"] = ctx.sslPolicy;
        if (listeners.includes("HTTP")) a["alb.ingress.kubernetes.io/ssl-redirect"] = "443";
    }
    return a;
}

/**
 * The hosts an app's Ingress routes, one rule each: its hosts (or any host), and with managed names on an
 * internet-facing ALB its regional endpoint name, which the region's Route 53 health check probes
 * (stacks/dns-names.ts regionalEndpointName).
 */
export function ingressHosts(app: AppSpec, ctx: AppContext): Array<string | undefined> {
    const hosts = appHosts(app);
    if (hosts.length === 0) return [undefined];
    const endpoint = app.managedCertificate && app.scheme === "internet-facing" && ctx.dnsZones
        ? regionalEndpointName(app, ctx.region, ctx.dnsZones)
        : undefined;
    return endpoint ? [...hosts, endpoint] : [...hosts];
}

export function ingressManifest(app: AppSpec, ctx: AppContext) {
    return {
        metadata: {
            name: app.name,
            namespace: app.namespace,
            labels: appLabels(app),
            annotations: ingressAnnotations(app, ctx),
        },
        spec: {
            ingressClassName: ingressClassFor(app.scheme),
            rules: ingressHosts(app, ctx).map((host) => ({
                ...(host ? { host } : {}),
                http: {
                    paths: [{
                        path: app.path,
                        pathType: "Prefix",
                        backend: { service: { name: app.name, port: { number: SERVICE_PORT } } },
                    }],
                },
            })),
        },
    };
}

/** Always allows one voluntary disruption, so node drains (upgrades, scale-in) never stall. */
export function podDisruptionBudgetManifest(app: AppSpec) {
    return {
        metadata: { name: app.name, namespace: app.namespace, labels: appLabels(app) },
        spec: { maxUnavailable: 1, selector: { matchLabels: selector(app) } },
    };
}

export function horizontalPodAutoscalerManifest(app: AppSpec) {
    if (!app.autoscaling) return undefined;
    return {
        metadata: { name: app.name, namespace: app.namespace, labels: appLabels(app) },
        spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: app.name },
            minReplicas: app.autoscaling.minReplicas,
            maxReplicas: app.autoscaling.maxReplicas,
            metrics: [{
                type: "Resource",
                resource: { name: "cpu", target: { type: "Utilization", averageUtilization: app.autoscaling.targetCpuUtilization } },
            }],
        },
    };
}

/** Deny all traffic to and from the namespace's pods unless another policy allows it. */
export function defaultDenyManifest(namespace: string) {
    return {
        metadata: { name: "default-deny", namespace },
        spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    };
}

/**
 * What the app needs: traffic in from the load balancer on its port (see loadBalancerSourceCidrs),
 * DNS out to CoreDNS, and any configured egress.
 */
export function appNetworkPolicyManifest(app: AppSpec, ctx: AppContext) {
    const dnsPorts = [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }];
    return {
        metadata: { name: `${app.name}-allow`, namespace: app.namespace, labels: appLabels(app) },
        spec: {
            podSelector: { matchLabels: selector(app) },
            policyTypes: ["Ingress", "Egress"],
            ingress: [{
                from: loadBalancerSourceCidrs(app, ctx).map((cidr) => ({ ipBlock: { cidr } })),
                ports: [{ protocol: "TCP", port: app.containerPort }],
            }],
            egress: [
                {
                    to: [{
                        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                        podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                    }],
                    ports: dnsPorts,
                },
                ...(app.egressCidrs.length > 0 ? [{ to: app.egressCidrs.map((cidr) => ({ ipBlock: { cidr } })) }] : []),
            ],
        },
    };
}

/** Namespaces the apps need, each once, in first-use order. */
export function namespacesOf(apps: readonly AppSpec[]): string[] {
    return [...new Set(apps.map((a) => a.namespace))];
}
