/**
 * How old the facts the plan rests on are (the ledger, facts/): one header line and a stack-level
 * warning per stale table. The plan reads every table but the launcher's (node-toolchain): the program
 * it runs reads the calendar, Karpenter, AMI, quotas, partitions, architectures, ELB accounts; the
 * mock engine the zones and add-on defaults; the estimate and timeline the prices and durations.
 */
import { FACT_TABLES } from "../../facts/index";
import type { FactTable } from "../../facts/ledger";
import { LedgerReport, ledgerReport, plural } from "../facts/report";
import type { Warning } from "./model";

/** The tables a plan uses. */
export const PLAN_TABLES: readonly FactTable<unknown>[] = FACT_TABLES.filter((t) => t.name !== "node-toolchain");

export interface FactAge {
    /** The oldest read day of the tables the plan used. */
    readonly asOf: string;
    /** Names of those tables past their shelf life on the plan's day. */
    readonly stale: readonly string[];
}

export function factAge(today: string, tables: readonly FactTable<unknown>[] = PLAN_TABLES): FactAge {
    const r = ledgerReport(tables, today);
    return { asOf: r.asOf, stale: r.stale };
}

/** "Facts as of <oldest read day>, 2 tables stale (npm run facts)." */
export function factAgeLine(age: FactAge): string {
    return `Facts as of ${age.asOf}, ${plural(age.stale.length, "table")} stale (npm run facts).`;
}

/** One stack-level warning per stale table, naming it and how to re-read it. */
export function staleFactWarnings(today: string, tables: readonly FactTable<unknown>[] = PLAN_TABLES): Warning[] {
    const r: LedgerReport = ledgerReport(tables, today);
    return r.tables.filter((t) => t.stale).map((t) => ({
        subject: `facts/${t.name}`,
        message: `read ${t.oldest}, ${t.ageDays} days before ${today}, past its shelf life of ${t.shelfLifeDays} days: the plan may rest on outdated AWS facts; ` +
            `re-read it (${t.refresh})`,
    }));
}
