/**
 * Typical durations of creating and updating each resource type, in seconds: the ONE table the
 * modelled timeline reads (timeline/*.ts), kept in the ledger (facts/data/durations.json, each row with
 * where its figure comes from). These are typical values, not guarantees.
 *
 * A type not listed is a plain API call (a few seconds, `DEFAULT_CUSTOM`); components and providers
 * take no time of their own (the engine registers them at once; their children carry the work).
 */
import { DURATION_TABLE } from "../../../facts/durations";
import { findFact } from "../../../facts/ledger";

export interface Duration {
    /** Seconds from the engine's create call to the resource being ready (what `pulumi up` waits for). */
    readonly create: number;
    /** Seconds of an in-place update (used by the upgrade model). @default create */
    readonly update?: number;
    /** Where the figure comes from. */
    readonly source: string;
}

/** Keys of the ledger that are not type tokens. */
const SPECIAL = ["(default)", "(node-batch)", "(preview-gate)"];

function row(key: string): Duration {
    const e = findFact(DURATION_TABLE, key);
    if (!e) throw new Error(`facts/data/durations.json: no entry "${key}"`);
    return { ...e.value, source: e.source };
}

/** Rows by exact type token. */
export const DURATIONS: Readonly<Record<string, Duration>> = Object.fromEntries(
    DURATION_TABLE.entries.filter((e) => !SPECIAL.includes(e.key)).map((e) => [e.key, row(e.key)]));

/** Seconds of a type not in the table (an API call). */
export const DEFAULT_CUSTOM: Duration = row("(default)");

/** Seconds to replace one batch of managed nodes during a version update (launch, join, drain, terminate). */
export const NODE_BATCH_SECONDS: Duration = row("(node-batch)");

/** Seconds of one `pulumi preview` of a region (the rollout's gate before each wave). */
export const PREVIEW_GATE: Duration = row("(preview-gate)");

/** Whether a type token takes no time of its own (components and providers). */
export function isInstant(type: string, custom: boolean): boolean {
    return !custom || type.startsWith("pulumi:providers:");
}

/** The row of a type; table rows first (a remote component such as eks:index:Cluster is not custom but does work). */
export function durationOf(type: string, custom: boolean): Duration {
    const row = DURATIONS[type];
    if (row) return row;
    if (isInstant(type, custom)) return { create: 0, update: 0, source: "component or provider: registered at once" };
    return DEFAULT_CUSTOM;
}
