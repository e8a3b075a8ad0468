/** Accelerated EC2 instance families and their accelerator (facts/data/accelerator-families.json). */
import type { FactTable } from "./ledger";
import data from "./data/accelerator-families.json";

export type Accelerator = "nvidia" | "neuron";

export const ACCELERATOR_FAMILY_TABLE = data as FactTable<Accelerator>;

/** Instance family -> the accelerator its instances carry. */
export const ACCELERATOR_FAMILIES: Readonly<Record<string, Accelerator>> = Object.fromEntries(ACCELERATOR_FAMILY_TABLE.entries.map((e) => [e.key, e.value]));
