/**
 * EKS Auto Mode facts (facts/eks-auto-mode.json; this file is not named eks-auto-mode.ts because Node resolves
 * an extensionless require of "eks-auto-mode" to the .json before a registered .ts): the minimum Kubernetes version, the regions that do
 * not offer it, and what is known (or not) of its management fee and node launch time.
 */
import type { FactTable } from "./ledger";
import { factValue, findFact } from "./ledger";
import table from "./eks-auto-mode.json";

export const EKS_AUTO_MODE_TABLE: FactTable<unknown> = table as FactTable<unknown>;

/** The oldest Kubernetes minor version Auto Mode runs on. */
export const AUTO_MODE_MIN_KUBERNETES = factValue(EKS_AUTO_MODE_TABLE, "minimum-kubernetes-version") as string;

/** Regions where EKS does not offer Auto Mode. */
export const AUTO_MODE_REGIONS_NOT_OFFERED = factValue(EKS_AUTO_MODE_TABLE, "regions-not-offered") as readonly string[];

/** The management fee per instance-hour in USD, or undefined: no sourced price (unpriced, never guessed). */
export function autoModeFeePerInstanceHour(): number | undefined {
    const v = findFact(EKS_AUTO_MODE_TABLE, "management-fee-per-instance-hour")?.value;
    return typeof v === "number" ? v : undefined;
}

/** Why the fee is unpriced (the entry's note), for the cost estimate's list of unpriced items. */
export function autoModeFeeNote(): string {
    const f = findFact(EKS_AUTO_MODE_TABLE, "management-fee-per-instance-hour");
    return `${f?.note ?? "no sourced price"} (${f?.source ?? ""}, read ${f?.read ?? "?"})`;
}
