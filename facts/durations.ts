/**
 * Typical seconds of creating and updating each resource type (facts/data/durations.json), keyed by type
 * token; `(default)` is a plain API call, `(node-batch)` one batch of a managed node group update,
 * `(preview-gate)` one `pulumi preview` of a region. Typical values, not guarantees; each entry names
 * where its figure comes from.
 */
import type { FactTable } from "./ledger";
import data from "./data/durations.json";

export interface DurationValue {
    readonly create: number;
    readonly update?: number;
}

export const DURATION_TABLE: FactTable<DurationValue> = data;
