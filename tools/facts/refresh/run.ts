/**
 * `npm run facts -- --refresh [table...]`: re-reads each table AWS can answer, folds the answer into the
 * table entry by entry (merge.ts), prints the diff, and writes the table's file atomically (a temp file
 * in the same folder, then rename: a reader sees the old file or the new one, never half of one).
 * Fail closed per table: if anything goes wrong reading a table, its file is left as it is, the
 * message names the table and the cause, the other tables still refresh, and the exit code is 1.
 */
import * as fs from "fs";
import * as path from "path";
import type { FactTable } from "../../../facts/ledger";
import type { AwsReaders } from "./clients";
import { mergeEntries, renderDiff } from "./merge";
import { TableRefresher, addonVersions, amiReleaseCoverage, amiReleases, eksVersions, prices, zones } from "./tables";

export interface Io {
    readonly stdout: (s: string) => void;
    readonly stderr: (s: string) => void;
}

/** The folder holding the ledger (facts/). */
export const FACTS_DIR = path.join(__dirname, "..", "..", "..", "facts");

/** A table's file: facts/data/<name>.json, or facts/<name>.json for the launcher's table. */
export function tableFile(name: string, dir: string = FACTS_DIR): string {
    const data = path.join(dir, "data", `${name}.json`);
    return fs.existsSync(data) ? data : path.join(dir, `${name}.json`);
}

/** Writes `content` to `file` through a temp file in the same folder and a rename. */
export function writeAtomically(file: string, content: string): void {
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
    try {
        fs.writeFileSync(tmp, content);
        fs.renameSync(tmp, file);
    } finally {
        if (fs.existsSync(tmp)) fs.rmSync(tmp, { force: true });
    }
}

/**
 * The regions prices are read for: every region the stack schema accepts (stacks/schema.ts AWS_REGIONS,
 * the provider's region list) in the `aws` partition, the only one the platform deploys to.
 * Loaded on use: it pulls in the schema.
 */
export function priceRegions(): string[] {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { AWS_REGIONS } = require("../../../stacks/schema") as { AWS_REGIONS: string[] };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { partitionOf, SUPPORTED_PARTITIONS } = require("../../../stacks/partitions") as { partitionOf: (r: string) => string; SUPPORTED_PARTITIONS: readonly string[] };
    return AWS_REGIONS.filter((r) => SUPPORTED_PARTITIONS.includes(partitionOf(r))).sort();
}

/** The instance types priced: those the table has, every stack's node groups', the assumptions' defaults. */
function priceInstanceTypes(): string[] {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { instanceTypesToPrice } = require("../../plan/cost/prices-cli");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { readPriceTable } = require("../../plan/cost/prices");
    return instanceTypesToPrice(readPriceTable());
}

function priceRefresher(): TableRefresher {
    return prices(priceRegions, priceInstanceTypes);
}

/** Tables `--refresh` can re-read from AWS, by name, in the order they are refreshed (a table after those it reads). */
export function refreshers(): Readonly<Record<string, () => TableRefresher>> {
    return {
        "eks-versions": () => eksVersions,
        "addon-versions": () => addonVersions,
        "ami-releases": () => amiReleases,
        "ami-release-coverage": () => amiReleaseCoverage,
        "zones": () => zones,
        "prices": priceRefresher,
    };
}

export interface RefreshOptions {
    readonly aws?: AwsReaders;
    /** The ledger folder to read and write (tests pass a copy). @default facts/ */
    readonly dir?: string;
    /** Replaces the refreshers (tests). @default refreshers() */
    readonly refreshers?: Readonly<Record<string, () => TableRefresher>>;
}

export interface TableOutcome {
    readonly table: string;
    readonly ok: boolean;
    readonly written: boolean;
    readonly message: string;
}

/** Refreshes one table: read, merge, write when something changed. Never throws. */
export async function refreshOne(refresher: TableRefresher, file: string, aws: AwsReaders, today: string, dir: string = FACTS_DIR): Promise<TableOutcome> {
    const name = refresher.table;
    let current: FactTable<unknown> & Record<string, unknown>;
    try {
        current = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        return { table: name, ok: false, written: false, message: `${name}: cannot read ${file}: ${(e as Error).message}` };
    }
    try {
        const readTable = (other: string) => JSON.parse(fs.readFileSync(tableFile(other, dir), "utf8")) as FactTable<any>;
        const fresh = await refresher.read(current, { aws, today, readTable });
        const merged = mergeEntries(current, fresh, today);
        const extra = refresher.extra ? await refresher.extra(current, { aws, today, readTable }) : {};
        const next = { ...current, ...extra, entries: merged.entries };
        const before = `${JSON.stringify(current, null, 2)}\n`;
        const after = `${JSON.stringify(next, null, 2)}\n`;
        const diff = renderDiff(name, merged);
        if (after === before) return { table: name, ok: true, written: false, message: `${diff}  (unchanged, not written)\n` };
        writeAtomically(file, after);
        return { table: name, ok: true, written: true, message: `${diff}  wrote ${path.relative(process.cwd(), file) || file}\n` };
    } catch (e) {
        const err = e as Error & { name?: string };
        const cause = `${err.name && err.name !== "Error" ? `${err.name}: ` : ""}${err.message}`;
        return { table: name, ok: false, written: false, message: `${name}: refresh failed, the table is unchanged: ${cause}\n` };
    }
}

/**
 * Refreshes the named tables, or every table AWS can answer when `named` is false; returns the exit
 * code (0 all refreshed, 1 some table failed and is unchanged, 2 a named table AWS cannot answer).
 */
export async function refreshTables(tables: readonly FactTable<unknown>[], named: boolean, today: string, io: Io, options: RefreshOptions = {}): Promise<number> {
    const all = options.refreshers ?? refreshers();
    const manual = tables.filter((t) => !all[t.name]);
    if (named && manual.length > 0) {
        io.stderr(`error: AWS cannot answer ${manual.map((t) => t.name).join(", ")}; re-read by hand:\n${manual.map((t) => `  ${t.name}: ${t.refresh}`).join("\n")}\n` +
            `tables --refresh reads from AWS: ${Object.keys(all).join(", ")}\n`);
        return 2;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const aws = options.aws ?? (require("./clients") as typeof import("./clients")).awsReaders();
    let failed = 0;
    const wanted = new Set(tables.map((t) => t.name));
    for (const name of Object.keys(all).filter((n) => wanted.has(n))) {
        const outcome = await refreshOne(all[name](), tableFile(name, options.dir), aws, today, options.dir);
        if (outcome.ok) io.stdout(outcome.message);
        else {
            failed++;
            io.stderr(outcome.message);
        }
    }
    if (!named && manual.length > 0) io.stdout(`re-read by hand (AWS cannot answer them): ${manual.map((t) => t.name).join(", ")}\n`);
    return failed > 0 ? 1 : 0;
}
