/**
 * Folding what AWS answered into a table, entry by entry, and the diff `--refresh` prints. Pure.
 *
 * - A key AWS answered with a new value: rewritten (value, source, today; its old note dropped).
 * - A key AWS answered with the same value: left as it is, unless more than half its shelf life is
 *   gone, then re-dated to today (so a table AWS keeps confirming never goes stale, and a weekly run
 *   does not rewrite every entry's day).
 * - A key AWS did not answer: kept, and listed (the ledger never drops a fact on silence).
 * - A new key: added.
 */
import type { Day, Fact, FactTable } from "../../../facts/ledger";
import { daysBetween } from "../report";

export interface Fresh<V> {
    readonly key: string;
    readonly value: V;
    readonly source: string;
    readonly note?: string;
}

export interface Merged<V> {
    readonly entries: readonly Fact<V>[];
    readonly added: readonly string[];
    readonly changed: ReadonlyArray<{ readonly key: string; readonly from: V; readonly to: V }>;
    readonly redated: readonly string[];
    readonly unanswered: readonly string[];
}

/** Deep equality of JSON values (key order ignored). */
export function sameValue(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export function mergeEntries<V>(table: FactTable<V>, fresh: readonly Fresh<V>[], today: Day): Merged<V> {
    const byKey = new Map(fresh.map((f) => [f.key, f]));
    const added: string[] = [];
    const changed: Array<{ key: string; from: V; to: V }> = [];
    const redated: string[] = [];
    const unanswered: string[] = [];
    const dated = (f: Fresh<V>): Fact<V> => ({ key: f.key, value: f.value, source: f.source, read: today, ...(f.note === undefined ? {} : { note: f.note }) });
    const entries: Fact<V>[] = table.entries.map((e) => {
        const f = byKey.get(e.key);
        if (!f) {
            unanswered.push(e.key);
            return e;
        }
        if (!sameValue(e.value, f.value)) {
            changed.push({ key: e.key, from: e.value, to: f.value });
            return dated(f);
        }
        if (daysBetween(e.read, today) > table.shelfLifeDays / 2) {
            redated.push(e.key);
            return { ...e, source: f.source, read: today };
        }
        return e;
    });
    const known = new Set(table.entries.map((e) => e.key));
    for (const f of fresh) {
        if (known.has(f.key)) continue;
        known.add(f.key);
        added.push(f.key);
        entries.push(dated(f));
    }
    return { entries, added, changed, redated, unanswered };
}

/** The diff of one table, as `--refresh` prints it. */
export function renderDiff(name: string, m: Merged<unknown>): string {
    const out = [`${name}: ${m.changed.length} changed, ${m.added.length} added, ${m.redated.length} re-dated, ${m.unanswered.length} not in AWS's answer (kept)`];
    for (const c of m.changed) out.push(`  ~ ${c.key}: ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}`);
    for (const k of m.added) out.push(`  + ${k}: ${JSON.stringify(m.entries.find((e) => e.key === k)?.value)}`);
    if (m.unanswered.length > 0) out.push(`  kept (AWS did not answer for them): ${m.unanswered.join(", ")}`);
    return `${out.join("\n")}\n`;
}
