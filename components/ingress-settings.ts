/**
 * Decisions of the Ingress component as pure functions: the controller's chart, its values, and the
 * IngressClass/IngressClassParams pairs that fix per-environment load balancer settings.
 */
import type { Scheme } from "../stacks/apps-schema";
import controllerPolicy from "./alb-controller/iam-policy.json";
import { albAttributes } from "./alb-logs";
import { SYSTEM_TOLERATION } from "./compute/system-nodes";

/** The AWS Load Balancer Controller chart this platform pins (controller v3.5.0). */
export const CONTROLLER_CHART = {
    chart: "aws-load-balancer-controller",
    version: "3.5.0",
    repo: "https://aws.github.io/eks-charts",
    namespace: "kube-system",
    serviceAccount: "aws-load-balancer-controller",
} as const;

/**
 * The controller's IAM policy as its maintainers publish it for v3.5.0 (docs/install/iam_policy.json),
 * kept verbatim in alb-controller/iam-policy.json; a test pins its actions and conditions.
 */
export const CONTROLLER_POLICY: { Version: string; Statement: Array<Record<string, unknown>> } = controllerPolicy;

export interface ControllerValuesInput {
    readonly clusterName: string;
    readonly region: string;
    readonly vpcId: string;
    /** Tags for every AWS resource the controller creates (ALBs, target groups, security groups). */
    readonly tags: Readonly<Record<string, string>>;
    /** `controllerConfig.featureGates`, left out when empty (the chart's default `{}`). @default {} */
    readonly featureGates?: Readonly<Record<string, boolean>>;
}

const CONTROLLER_LABELS = { "app.kubernetes.io/name": "aws-load-balancer-controller" };

/** Helm values for chart 3.5.0 (keys as in its values.yaml). */
/**
 * Requests (Burstable QoS, scheduled with room) and a memory limit; no CPU limit, so webhook calls are
 * not throttled. Above the chart's commented example (100m / 128Mi): the controller caches Services,
 * Ingresses, Endpoints and Pods of the whole cluster, which grows with it.
 */
export const CONTROLLER_RESOURCES = {
    requests: { cpu: "100m", memory: "256Mi" },
    limits: { memory: "512Mi" },
} as const;

export function controllerValues(v: ControllerValuesInput): Record<string, unknown> {
    return {
        // Given explicitly: with an IMDS hop limit of 1 the pods cannot discover them from metadata.
        // https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/installation/
        clusterName: v.clusterName,
        region: v.region,
        vpcId: v.vpcId,
        replicaCount: 2,
        // One replica per zone where possible, and never both evicted at once.
        topologySpreadConstraints: [{
            maxSkew: 1,
            topologyKey: "topology.kubernetes.io/zone",
            whenUnsatisfiable: "ScheduleAnyway",
            labelSelector: { matchLabels: CONTROLLER_LABELS },
        }],
        podDisruptionBudget: { maxUnavailable: 1 },
        // It serves admission webhooks with failurePolicy Fail: never BestEffort (the chart's default
        // is `resources: {}`, values.yaml of chart 3.5.0), never first to be preempted.
        resources: CONTROLLER_RESOURCES,
        // The chart's own default too (values.yaml of chart 3.5.0); stated so a chart upgrade cannot drop it.
        priorityClassName: "system-cluster-critical",
        // May run on the tainted system nodes (compute mode karpenter), which are there from the start.
        tolerations: [SYSTEM_TOLERATION],
        // Credentials come from EKS Pod Identity (no IRSA annotation on the service account).
        serviceAccount: { create: true, name: CONTROLLER_CHART.serviceAccount },
        securityContext: {
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        },
        // The IngressClasses and their parameters are ours (see ingressClasses()), not the chart's
        // empty default.
        createIngressClassResource: false,
        ingressClassParams: { create: false },
        // Only Services that ask for this controller get it; other Services must not wait on its webhook.
        enableServiceMutatorWebhook: false,
        defaultTargetType: "ip",
        defaultTags: { ...v.tags },
        ...(Object.keys(v.featureGates ?? {}).length > 0 ? { controllerConfig: { featureGates: { ...v.featureGates } } } : {}),
    };
}

export interface IngressClassSpec {
    /** IngressClass and IngressClassParams name. */
    readonly name: string;
    readonly scheme: Scheme;
    /** Ingress group: every Ingress of the class shares one ALB. */
    readonly groupName: string;
}

/**
 * One IngressClass per scheme: `alb` (internet-facing) and `alb-internal`. The params fix scheme,
 * group, IP address type and TLS policy, so an Ingress cannot override them by annotation.
 * https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/ingress_class/
 */
export function ingressClasses(environment: string): IngressClassSpec[] {
    return [
        { name: "alb", scheme: "internet-facing", groupName: `${environment}-public` },
        { name: "alb-internal", scheme: "internal", groupName: `${environment}-internal` },
    ];
}

export function ingressClassFor(scheme: Scheme): string {
    return scheme === "internet-facing" ? "alb" : "alb-internal";
}

/** Settings of every ALB of the platform's classes: the access-log bucket, if any, and deletion protection. */
export interface AlbClassSettings {
    readonly logBucket?: string;
    readonly deletionProtection: boolean;
}

/**
 * The class's IngressClassParams spec. `loadBalancerAttributes` (CRD elbv2.k8s.aws/v1beta1 of controller
 * v3.5.0) apply to every ALB of the class and take precedence over an Ingress's annotation; the keys are
 * the ELB API's LoadBalancerAttribute keys. `alb` applies to both classes, internet-facing and internal.
 */
export function ingressClassParamsSpec(c: IngressClassSpec, sslPolicy: string, alb?: AlbClassSettings): Record<string, unknown> {
    return {
        scheme: c.scheme,
        group: { name: c.groupName },
        // The VPC is IPv4-only (no IPv6 CIDR), so dualstack is not offered.
        ipAddressType: "ipv4",
        sslPolicy,
        loadBalancerAttributes: [
            // Drop requests with header names that are not valid HTTP (request smuggling guard).
            { key: "routing.http.drop_invalid_header_fields.enabled", value: "true" },
            ...(alb ? albAttributes(alb, c.scheme) : []),
        ],
    };
}

/** The label that marks a production environment's IngressClassParams, for the policy pack (policy/rules.ts). */
export const PRODUCTION_LABEL = "eks-platform/production";

/** Labels of a class's IngressClassParams: production's carry PRODUCTION_LABEL; others none (unchanged). */
export function ingressClassParamsLabels(production: boolean): Record<string, string> | undefined {
    return production ? { [PRODUCTION_LABEL]: "true" } : undefined;
}

/**
 * How the IngressClasses name their controller and parameters: the platform's load balancer controller,
 * or EKS Auto Mode's built-in load balancing (auto-configure-alb.html: controller `eks.amazonaws.com/alb`,
 * IngressClassParams `eks.amazonaws.com/v1`; migrate-auto.html#migration-reference).
 */
export const INGRESS_FLAVOURS = {
    "aws-load-balancer-controller": { controller: "ingress.k8s.aws/alb", paramsApiVersion: "elbv2.k8s.aws/v1beta1", paramsGroup: "elbv2.k8s.aws" },
    "eks-auto-mode": { controller: "eks.amazonaws.com/alb", paramsApiVersion: "eks.amazonaws.com/v1", paramsGroup: "eks.amazonaws.com" },
} as const;

/**
 * Auto Mode's IngressClassParams spec: the controller's, without `sslPolicy`. Auto Mode's params document
 * scheme, namespaceSelector, group.name, ipAddressType, subnets, certificateARNs, tags and
 * loadBalancerAttributes (auto-configure-alb.html "IngressClassParams Reference"), not a TLS policy
 * (requested in aws/containers-roadmap#2715, open). The TLS policy reaches the listeners through each
 * Ingress's `alb.ingress.kubernetes.io/ssl-policy` annotation instead (components/workload-manifests.ts),
 * an annotation Auto Mode does not list as unsupported.
 */
export function autoModeIngressClassParamsSpec(c: IngressClassSpec, alb?: AlbClassSettings): Record<string, unknown> {
    const { sslPolicy: _tlsOnTheIngress, ...rest } = ingressClassParamsSpec(c, "", alb);
    return rest;
}

/**
 * Ingress annotations Auto Mode does not support, with what to use instead (auto-configure-alb.html,
 * "Ingress annotations"; awsdocs/amazon-eks-user-guide latest/ug/automode/auto-configure-alb.adoc).
 */
export const AUTO_MODE_UNSUPPORTED_INGRESS_ANNOTATIONS: Readonly<Record<string, string>> = {
    "kubernetes.io/ingress.class": "spec.ingressClassName",
    "alb.ingress.kubernetes.io/group.name": "the IngressClassParams group",
    "alb.ingress.kubernetes.io/waf-acl-id": "WAFv2 (alb.ingress.kubernetes.io/wafv2-acl-arn)",
    "alb.ingress.kubernetes.io/web-acl-id": "WAFv2 (alb.ingress.kubernetes.io/wafv2-acl-arn)",
    "alb.ingress.kubernetes.io/shield-advanced-protection": "nothing: Shield integration is disabled on Auto Mode",
};

/**
 * The annotations an Ingress gets under a load balancing flavour: as they are for the controller; under
 * Auto Mode each is checked against the unsupported list (and `auth-type: oidc`), and one there is refused
 * (throws, naming the app and the replacement) rather than silently ignored by Auto Mode.
 */
export function annotationsFor<V>(loadBalancing: keyof typeof INGRESS_FLAVOURS, app: string, annotations: Record<string, V>): Record<string, V> {
    if (loadBalancing !== "eks-auto-mode") return annotations;
    for (const [k, v] of Object.entries(annotations)) {
        const instead = AUTO_MODE_UNSUPPORTED_INGRESS_ANNOTATIONS[k]
            ?? (k === "alb.ingress.kubernetes.io/auth-type" && v === "oidc" ? "another auth type (OIDC is not supported on Auto Mode)" : undefined);
        if (instead) throw new Error(`app ${app}: Ingress annotation ${k} is not supported by EKS Auto Mode; use ${instead}`);
    }
    return annotations;
}
