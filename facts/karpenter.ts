/**
 * The Karpenter (AWS provider) release this platform pins (facts/data/karpenter.json, each entry with its
 * source). Code reads it from here; a version bump changes that file (and the CRD copies in
 * components/compute/karpenter/crds/).
 */
import type { FactTable } from "./ledger";
import { factValue } from "./ledger";
import data from "./data/karpenter.json";

export const KARPENTER_TABLE: FactTable<unknown> = data;

const text = (key: string): string => factValue(KARPENTER_TABLE, key) as string;
const range = factValue(KARPENTER_TABLE, "kubernetes") as { min: string; max: string };

export const KARPENTER = {
    version: text("version"),
    /** The controller chart (charts/karpenter), published as an OCI artifact. */
    chart: text("chart"),
    /** The CRD chart (charts/karpenter-crd), same version: Helm never upgrades a chart's crds/, this chart does. */
    crdChart: text("crdChart"),
    /** The docs install into kube-system (API priority and fairness: system FlowSchemas cover it). */
    namespace: text("namespace"),
    /** The chart's service account (its fullname with the release named `karpenter`); Pod Identity binds it. */
    serviceAccount: text("serviceAccount"),
    /** Kubernetes minors this release supports (its compatibility matrix). */
    kubernetes: { min: range.min, max: range.max },
} as const;
