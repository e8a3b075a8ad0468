/**
 * What a principal that runs `pulumi preview` of this program needs inside a cluster, and nothing more.
 *
 * Once a cluster exists, the Kubernetes provider (server-side apply on, components/region.ts) previews
 * every object with a server-side dry run: a PATCH (apply) with `dryRun=All`, which Kubernetes
 * authorizes exactly like the real request ("Authorization for dry-run and non-dry-run requests is
 * identical": https://kubernetes.io/docs/reference/using-api/api-concepts/#dry-run-authorization,
 * KEP-576), and apply of an object that does not exist yet needs `create` as well as `patch`
 * (https://kubernetes.io/docs/reference/using-api/server-side-apply/). It also reads each object's live
 * state (get), and the Helm release's preview reads Helm's release records, which Helm stores as
 * Secrets in the release's namespace (https://helm.sh/docs/topics/advanced/#storage-backends).
 *
 * So the least access that lets a preview succeed is write access (create/patch/update) to exactly
 * the kinds this program manages, with read access to them: no `delete` (a preview never deletes
 * through the API), no RBAC kinds, nothing else. The trade-off, documented in docs/rollout.md: because
 * dry runs are authorized like real requests, a preview principal *can* change those kinds for real;
 * it cannot delete them, touch RBAC or any other kind. An EKS access policy cannot express this
 * (AmazonEKSViewPolicy has no write verbs and no Secrets; AmazonEKSEditPolicy/AdminPolicy lack the
 * cluster-scoped kinds and add others), so the access entry puts the principal in a Kubernetes group
 * bound to this ClusterRole.
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

/** Read and apply (never delete) on the kinds the program manages, by API group. */
export const PREVIEW_RULES: readonly PolicyRule[] = [
    { apiGroups: [""], resources: ["namespaces", "serviceaccounts", "services", "secrets"] },
    { apiGroups: ["apps"], resources: ["deployments"] },
    { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"] },
    { apiGroups: ["networking.k8s.io"], resources: ["ingresses", "ingressclasses", "networkpolicies"] },
    { apiGroups: ["policy"], resources: ["poddisruptionbudgets"] },
    { apiGroups: ["storage.k8s.io"], resources: ["storageclasses"] },
    { apiGroups: ["elbv2.k8s.aws"], resources: ["ingressclassparams"] },
    // computeMode "karpenter" (components/compute/karpenter).
    { apiGroups: ["karpenter.sh"], resources: ["nodepools"] },
    { apiGroups: ["karpenter.k8s.aws"], resources: ["ec2nodeclasses"] },
].map((r) => ({ ...r, verbs: ["get", "list", "watch", "create", "patch", "update"] }));

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
 * The ClusterRole and its binding to PREVIEW_GROUP, as children of `parent` on the cluster's provider.
 * Registered only when the stack lists preview principals.
 */
export function registerPreviewRbac(name: string, opts: { parent: pulumi.Resource; provider: k8s.Provider }): void {
    const role = new k8s.rbac.v1.ClusterRole(`${name}-preview-role`, {
        metadata: { name: "eks-platform-preview" },
        rules: PREVIEW_RULES.map((r) => ({ ...r })),
    }, opts);
    new k8s.rbac.v1.ClusterRoleBinding(`${name}-preview-binding`, {
        metadata: { name: "eks-platform-preview" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
        subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: PREVIEW_GROUP }],
    }, opts);
}
