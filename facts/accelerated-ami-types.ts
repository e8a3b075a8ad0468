/** The EKS AMI types with the drivers of each accelerator (facts/data/accelerated-ami-types.json). */
import type { FactTable } from "./ledger";
import { factValue } from "./ledger";
import type { Accelerator } from "./accelerator-families";
import data from "./data/accelerated-ami-types.json";

export const ACCELERATED_AMI_TYPE_TABLE: FactTable<readonly string[]> = data;

/** AMI types with the drivers of each accelerator. */
export const ACCELERATED_AMI_TYPES: Readonly<Record<Accelerator, readonly string[]>> = {
    nvidia: factValue(ACCELERATED_AMI_TYPE_TABLE, "nvidia"),
    neuron: factValue(ACCELERATED_AMI_TYPE_TABLE, "neuron"),
};
