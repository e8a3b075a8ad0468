/**
 * How old each table of the ledger is on a given day: its entries, its oldest read day, its shelf life
 * and whether it is STALE (the oldest entry read more than shelfLifeDays before that day). Pure: the
 * CLI (`npm run facts`) and the plan's header print what these return.
 */
import { daysUntil } from "../../facts/eks-versions";
import { Day, FactTable, oldestRead } from "../../facts/ledger";

export interface TableAge {
    readonly name: string;
    readonly title: string;
    readonly entries: number;
    /** The oldest `read` day among its entries. */
    readonly oldest: Day;
    /** Whole days from `oldest` to the day asked about. */
    readonly ageDays: number;
    readonly shelfLifeDays: number;
    /** The first day on which the table is stale (oldest + shelf life + 1). */
    readonly staleFrom: Day;
    readonly stale: boolean;
    readonly mockOnly: boolean;
    readonly refresh: string;
}

const DAY_MS = 86_400_000;

/** Whole days from `from` to `to` (YYYY-MM-DD, UTC; negative when `to` is earlier): the calendar's daysUntil. */
export function daysBetween(from: Day, to: Day): number {
    return daysUntil(to, from);
}

function addDays(day: Day, days: number): Day {
    return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function tableAge(table: FactTable<unknown>, today: Day): TableAge {
    const oldest = oldestRead(table);
    const ageDays = daysBetween(oldest, today);
    return {
        name: table.name,
        title: table.title,
        entries: table.entries.length,
        oldest,
        ageDays,
        shelfLifeDays: table.shelfLifeDays,
        staleFrom: addDays(oldest, table.shelfLifeDays + 1),
        stale: ageDays > table.shelfLifeDays,
        mockOnly: table.mockOnly === true,
        refresh: table.refresh,
    };
}

export interface LedgerReport {
    readonly today: Day;
    readonly tables: readonly TableAge[];
    /** Names of the stale tables. */
    readonly stale: readonly string[];
    /** The oldest read day of any table: the day the ledger as a whole is as good as. */
    readonly asOf: Day;
}

export function ledgerReport(tables: readonly FactTable<unknown>[], today: Day): LedgerReport {
    const ages = tables.map((t) => tableAge(t, today));
    return {
        today,
        tables: ages,
        stale: ages.filter((a) => a.stale).map((a) => a.name),
        asOf: ages.reduce((o, a) => (a.oldest < o ? a.oldest : o), ages[0]?.oldest ?? today),
    };
}

export function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The text `npm run facts` prints: one row per table, STALE where it is past its shelf life. */
export function renderReport(r: LedgerReport): string {
    const head = ["table", "entries", "oldest read", "age", "shelf life", "state"];
    const rows = r.tables.map((t) => [
        t.name + (t.mockOnly ? " (mock only)" : ""),
        String(t.entries),
        t.oldest,
        `${t.ageDays} d`,
        `${t.shelfLifeDays} d`,
        t.stale ? `STALE (since ${t.staleFrom})` : `ok until ${addDays(t.staleFrom, -1)}`,
    ]);
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd();
    const out = [`Facts ledger (facts/) on ${r.today}: ${plural(r.tables.length, "table")}, ${r.stale.length} stale`, "", line(head), ...rows.map(line)];
    const stale = r.tables.filter((t) => t.stale);
    if (stale.length > 0) {
        out.push("", "Stale tables, and how to re-read them:");
        for (const t of stale) out.push(`  ${t.name}: ${t.refresh}`);
    }
    return `${out.join("\n")}\n`;
}
