/**
 * Facts about the Karpenter release this platform pins, in one dated table each, with their sources.
 * Code reads them from here; a version bump changes this file (and the CRD copies in crds/).
 */

/**
 * Karpenter (AWS provider) v1.14.1. Read 2026-11-29 from github.com/aws/karpenter-provider-aws: tag
 * `v1.14.1` (commit bde00654cd31, 2026-08-20) and the release's stamping commit c88abbbad455
 * ("Stable Release updates Release v1.14.1", 2026-08-21: charts/karpenter/Chart.yaml version 1.14.1).
 */
export const KARPENTER = {
    version: "1.14.1",
    /** The controller chart (charts/karpenter), published as an OCI artifact. */
    chart: "oci://public.ecr.aws/karpenter/karpenter",
    /** The CRD chart (charts/karpenter-crd), same version: Helm never upgrades a chart's crds/, this chart does. */
    crdChart: "oci://public.ecr.aws/karpenter/karpenter-crd",
    /** The docs install into kube-system (API priority and fairness: system FlowSchemas cover it). */
    namespace: "kube-system",
    /** The chart's service account (its fullname with the release named `karpenter`); Pod Identity binds it. */
    serviceAccount: "karpenter",
    /**
     * Kubernetes minors this release supports: hack/docs/compatibilitymatrix_gen/compatibility.yaml at
     * v1.14.1 (`appVersion: 1.14.x, minK8sVersion: 1.26, maxK8sVersion: 1.36`; unchanged on main as of
     * commit 1d927085dd81).
     */
    kubernetes: { min: "1.26", max: "1.36" },
} as const;

/**
 * EKS-optimized AMI release the EC2NodeClasses pin by alias (`al2023@<release>`), so nodes change only
 * when this table does (`@latest` would drift every node on each AMI release). v20260714: the newest
 * release with notes in awslabs/amazon-eks-ami CHANGELOG.md (read at tag v20260724, 2026-07-23), with
 * AL2023 AMIs for Kubernetes 1.30–1.36. Karpenter resolves the alias through the SSM parameters of the
 * cluster's Kubernetes version.
 */
export const AMI_RELEASE = {
    al2023: "v20260714",
} as const;

export type AmiFamily = keyof typeof AMI_RELEASE;
