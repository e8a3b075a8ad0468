/**
 * What a principal that runs `pulumi preview` of this program needs inside a cluster, and nothing more.
 *
 * Once a cluster exists, the Kubernetes provider (server-side apply on, components/region.ts) tries to
 * preview every object with a server-side dry run, which Kubernetes authorizes like the real request
 * (https://kubernetes.io/docs/reference/using-api/api-concepts/#dry-run-authorization). When that dry
 * run is *forbidden*, the provider falls back to a client-side preview instead of failing:
 * pulumi-kubernetes provider/pkg/provider/provider.go, Create: `if req.GetPreview() {
 * if apierrors.IsForbidden(awaitErr) { ... "defaulting to client-side" ... return inputs } }`, and
 * Update: `if req.GetPreview() && apierrors.IsForbidden(awaitErr) { return news }`. Diff itself is
 * client-side (stored state against new inputs). So a preview needs no write access at all, and
 * granting it would be dangerous: the preview job runs pull-request code, and `create` on Deployments
 * would let it start a pod as the Karpenter or load balancer controller's service account and so
 * receive those controllers' AWS credentials through Pod Identity.
 *
 * What a preview does need: to be authenticated (an access entry: `Unauthorized` has no fallback),
 * discovery (granted to every authenticated user by the default `system:discovery` binding) and read
 * access to the kinds the program manages (the provider's reads). Not Secrets, anywhere: the Helm
 * releases (`helm.v3.Release`) preview client-side. pulumi-kubernetes
 * provider/pkg/provider/helm_release.go: Check loads the chart and renders it with
 * `install.ClientOnly = true`; Diff compares inputs; Create and Update call Helm only when
 * `!req.GetPreview()`. Only Read, i.e. a refresh, looks the release up in Helm's storage (Secrets in the
 * release namespace, https://helm.sh/docs/topics/advanced/#storage-backends), and those records hold
 * the rendered manifests, which for the load balancer controller include its webhook's TLS private key
 * (chart v3.5.0 generates the Secret `aws-load-balancer-tls` unless cert-manager is on: values
 * `webhookTLS`, `keepTLSSecret`). So previews run without `--refresh` (the rollout's `--preview`, the
 * pull-request job) and the preview principals read no Secret at all; refreshes run as the rollout's
 * own principal.
 *
 * An EKS access policy cannot express this (AmazonEKSViewPolicy has no Secrets; the Edit/Admin policies
 * write), so the access entry puts the principal in a Kubernetes group bound to these roles.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { accessEntryKeys } from "./cluster-settings";

/** The Kubernetes group of the preview principals' access entries (not `system:`-prefixed: EKS refuses those). */
export const PREVIEW_GROUP = "eks-platform:previewers";

export interface PolicyRule {
    readonly apiGroups: string[];
    readonly resources: string[];
    readonly verbs: string[];
}

/** Read-only verbs: a preview writes nothing, not even through a dry run (see above). */
export const PREVIEW_VERBS = ["get", "list", "watch"];

/** Read on the kinds the program manages, by API group, cluster-wide; Secrets are not among them. */
export const PREVIEW_RULES: readonly PolicyRule[] = [
    { apiGroups: [""], resources: ["namespaces", "serviceaccounts", "services"] },
    { apiGroups: ["apps"], resources: ["deployments"] },
    { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"] },
    { apiGroups: ["networking.k8s.io"], resources: ["ingresses", "ingressclasses", "networkpolicies"] },
    { apiGroups: ["policy"], resources: ["poddisruptionbudgets"] },
    { apiGroups: ["storage.k8s.io"], resources: ["storageclasses"] },
    { apiGroups: ["elbv2.k8s.aws"], resources: ["ingressclassparams"] },
    // computeMode "karpenter" (components/compute/karpenter).
    { apiGroups: ["karpenter.sh"], resources: ["nodepools"] },
    { apiGroups: ["karpenter.k8s.aws"], resources: ["ec2nodeclasses"] },
    // Apps routed through a Gateway (components/gateway-api/): the Gateway API kinds, the controller's
    // gateway.k8s.aws ones, and the CRDs and upgrade policy the ConfigGroup applies.
    { apiGroups: ["gateway.networking.k8s.io"], resources: ["gatewayclasses", "gateways", "httproutes"] },
    { apiGroups: ["gateway.k8s.aws"], resources: ["loadbalancerconfigurations", "targetgroupconfigurations"] },
    { apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"] },
    { apiGroups: ["admissionregistration.k8s.io"], resources: ["validatingadmissionpolicies", "validatingadmissionpolicybindings"] },
].map((r) => ({ ...r, verbs: [...PREVIEW_VERBS] }));


export interface PreviewAccessEntry {
    readonly principalArn: string;
    readonly type: "STANDARD";
    readonly kubernetesGroups: string[];
}

/** One access entry per preview principal, in PREVIEW_GROUP, with no EKS access policy. */
export function previewAccessEntries(principals: readonly string[]): Record<string, PreviewAccessEntry> {
    const entries: Record<string, PreviewAccessEntry> = {};
    for (const [key, arn] of accessEntryKeys("preview", principals)) {
        entries[key] = { principalArn: arn, type: "STANDARD", kubernetesGroups: [PREVIEW_GROUP] };
    }
    return entries;
}

/**
 * The ClusterRole (read on the managed kinds) and its binding to PREVIEW_GROUP, as children of `parent`
 * on the cluster's provider. Registered only when the stack lists preview principals.
 */
export function registerPreviewRbac(name: string, opts: { parent: pulumi.Resource; provider: k8s.Provider }): void {
    const subjects = [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: PREVIEW_GROUP }];
    const role = new k8s.rbac.v1.ClusterRole(`${name}-preview-role`, {
        metadata: { name: "eks-platform-preview" },
        rules: PREVIEW_RULES.map((r) => ({ ...r })),
    }, opts);
    new k8s.rbac.v1.ClusterRoleBinding(`${name}-preview-binding`, {
        metadata: { name: "eks-platform-preview" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
        subjects,
    }, opts);
}
