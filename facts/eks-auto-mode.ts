/**
 * EKS Auto Mode facts (facts/data/eks-auto-mode.json): the minimum Kubernetes version, the regions that do
 * not offer it. Its management fee is a price (facts/data/prices.json `eks.autoMode.<type>`, none sourced yet).
 */
import type { FactTable } from "./ledger";
import { factValue } from "./ledger";
import table from "./data/eks-auto-mode.json";

export const EKS_AUTO_MODE_TABLE: FactTable<unknown> = table as FactTable<unknown>;

/** The oldest Kubernetes minor version Auto Mode runs on. */
export const AUTO_MODE_MIN_KUBERNETES = factValue(EKS_AUTO_MODE_TABLE, "minimum-kubernetes-version") as string;

/** Regions where EKS does not offer Auto Mode. */
export const AUTO_MODE_REGIONS_NOT_OFFERED = factValue(EKS_AUTO_MODE_TABLE, "regions-not-offered") as readonly string[];
