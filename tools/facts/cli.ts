/**
 * `npm run facts`: how old each table of the ledger (facts/) is, and `--refresh` to re-read from AWS
 * what AWS can answer (tools/facts/refresh/).
 *
 * Exit codes:
 *   0  listed (stale tables are reported, not an error), or refreshed
 *   1  a refresh failed for at least one table (its file is unchanged; the others are written)
 *   2  usage error: bad option, bad --today, unknown table
 *   3  --strict and at least one table is stale
 */
import { parseArgs } from "util";
import { FACT_TABLES, factTable } from "../../facts/index";
import type { FactTable } from "../../facts/ledger";
import { isIsoDate, resolveToday } from "../../stacks/today";
import { ledgerReport, renderReport } from "./report";
import type { RefreshOptions } from "./refresh/run";

export const EXIT = { ok: 0, failed: 1, usage: 2, stale: 3 } as const;

export interface Io {
    readonly stdout: (s: string) => void;
    readonly stderr: (s: string) => void;
}

const USAGE = `Usage: npm run facts -- [table...] [--today YYYY-MM-DD] [--json] [--strict]
       npm run facts -- --refresh [table...] [--today YYYY-MM-DD]

Lists each table of the facts ledger (facts/): its entries, oldest read day, shelf life, and STALE
when the oldest entry is older than the shelf life on the given day.

  table...     only these tables (default: every table)
  --today D    the day to judge age on, YYYY-MM-DD (default: EKS_PLATFORM_TODAY, else today, UTC)
  --json       print JSON instead of the table
  --strict     exit 3 when any listed table is stale (for CI)
  --refresh    re-read the tables (default: every table AWS can answer) from AWS with your credentials
               (AWS_REGION, default us-east-1, for EKS and SSM); rewrites only changed entries, with
               the day as their read day, prints the diff; a table that fails is left unchanged
  -h, --help   this help

Exit codes: 0 listed or refreshed, 1 a table's refresh failed (that table unchanged), 2 usage error,
3 --strict and a table is stale.`;

const OPTIONS = {
    today: { type: "string" },
    json: { type: "boolean" },
    strict: { type: "boolean" },
    refresh: { type: "boolean" },
    help: { type: "boolean", short: "h" },
} as const;

export interface Parsed {
    readonly tables: readonly FactTable<unknown>[];
    readonly today: string;
    readonly json: boolean;
    readonly strict: boolean;
    readonly help: boolean;
    readonly refresh: boolean;
    /** Tables were named on the command line. */
    readonly named: boolean;
}

/** The arguments, checked; throws a message for the user on bad input. */
export function parseFactsArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, now: Date = new Date()): Parsed {
    const { values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    if (values.today !== undefined && !isIsoDate(values.today)) {
        throw new Error(`--today ${JSON.stringify(values.today)} is not a date; expected YYYY-MM-DD, e.g. 2026-11-29`);
    }
    const unknown = positionals.filter((n) => !factTable(n));
    if (unknown.length > 0) {
        throw new Error(`no table ${unknown.map((n) => JSON.stringify(n)).join(", ")} in the ledger; tables: ${FACT_TABLES.map((t) => t.name).join(", ")}`);
    }
    return {
        tables: positionals.length > 0 ? positionals.map((n) => factTable(n)!) : FACT_TABLES,
        today: values.today ?? resolveToday(env, now),
        json: values.json === true,
        strict: values.strict === true,
        help: values.help === true,
        refresh: values.refresh === true,
        named: positionals.length > 0,
    };
}

export interface Deps {
    /** Options of the refresh (recorded fake clients, another ledger folder), for tests. */
    readonly refresh?: RefreshOptions;
    readonly env?: NodeJS.ProcessEnv;
    readonly now?: Date;
}

export async function main(argv: readonly string[], io: Io, deps: Deps = {}): Promise<number> {
    let args: Parsed;
    try {
        args = parseFactsArgs(argv, deps.env, deps.now);
    } catch (e) {
        io.stderr(`error: ${(e as Error).message}\n${USAGE.split("\n")[0]}   (--help for more)\n`);
        return EXIT.usage;
    }
    if (args.help) {
        io.stdout(`${USAGE}\n`);
        return EXIT.ok;
    }
    if (args.refresh) {
        if (args.json || args.strict) {
            io.stderr("error: --refresh takes neither --json nor --strict\n");
            return EXIT.usage;
        }
        const { refreshTables } = await import("./refresh/run");
        return refreshTables(args.tables, args.named, args.today, io, deps.refresh);
    }
    const report = ledgerReport(args.tables, args.today);
    io.stdout(args.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
    return args.strict && report.stale.length > 0 ? EXIT.stale : EXIT.ok;
}

if (require.main === module) {
    main(process.argv.slice(2), { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) }).then(
        (code) => { process.exitCode = code; },
        (e) => {
            process.stderr.write(`internal error: ${(e as Error)?.stack ?? String(e)}\n`);
            process.exitCode = EXIT.failed;
        },
    );
}
