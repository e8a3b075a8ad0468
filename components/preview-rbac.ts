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
 * discovery (granted to every authenticated user by the default `system:discovery` binding), read
 * access to the kinds the program manages (for `--refresh` previews and the provider's reads), and the
 * Helm releases' preview reads Helm's release records, which Helm stores as Secrets in the release's
 * namespace (https://helm.sh/docs/topics/advanced/#storage-backends). Secrets are therefore readable
 * only in the Helm release namespaces, through a namespaced Role; an app's own Secrets are not.
 *
 * An EKS access policy cannot express this (AmazonEKSViewPolicy has no Secrets; the Edit/Admin policies
 * write), so the access entry puts the principal in a Kubernetes group bound to these roles.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { accessEntryKeys } from "./cluster-settings";
import { KARPENTER } from "./compute/karpenter/facts";
import { CONTROLLER_CHART } from "./ingress-settings";

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
].map((r) => ({ ...r, verbs: [...PREVIEW_VERBS] }));

/** Helm's release records (Secrets) in the namespaces of this program's Helm releases. */
export const PREVIEW_HELM_RECORD_RULES: readonly PolicyRule[] = [{ apiGroups: [""], resources: ["secrets"], verbs: [...PREVIEW_VERBS] }];

/** Where this program's Helm releases live (the load balancer controller's and Karpenter's). */
export const HELM_RELEASE_NAMESPACES: readonly string[] = [...new Set([CONTROLLER_CHART.namespace, KARPENTER.namespace])].sort();

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
 * The ClusterRole (read on the managed kinds), a Role per Helm release namespace (read on Secrets), and
 * their bindings to PREVIEW_GROUP, as children of `parent` on the cluster's provider. Registered only
 * when the stack lists preview principals.
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
    for (const namespace of HELM_RELEASE_NAMESPACES) {
        const records = new k8s.rbac.v1.Role(`${name}-preview-helm-records-${namespace}`, {
            metadata: { name: "eks-platform-preview-helm-records", namespace },
            rules: PREVIEW_HELM_RECORD_RULES.map((r) => ({ ...r })),
        }, opts);
        new k8s.rbac.v1.RoleBinding(`${name}-preview-helm-records-binding-${namespace}`, {
            metadata: { name: "eks-platform-preview-helm-records", namespace },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: records.metadata.name },
            subjects,
        }, opts);
    }
}
