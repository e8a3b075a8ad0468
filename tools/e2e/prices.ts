/**
 * The prices a run's estimate reads: the ledger's price table (facts/data/prices.json) refreshed from
 * the AWS Price List for the run's region with `npm run facts -- --refresh prices`'s own refresher
 * (tools/facts/refresh), into a copy: the run never edits the checkout. Best effort: when the Price
 * List cannot be read (no pricing:GetProducts, no network), the checked-in table is used and the
 * report says so.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PRICES_FILE } from "../../facts/prices";
import type { AwsReaders } from "../facts/refresh/clients";
import { refreshOne } from "../facts/refresh/run";
import type { TableRefresher } from "../facts/refresh/tables";
import { PriceTable, readPriceTable } from "../plan/cost/prices";

export interface RunPrices {
    /** The table to estimate with. */
    readonly table: PriceTable;
    /** Where its prices come from, for the report. */
    readonly note: string;
}

export async function runPrices(o: {
    readonly refresher: TableRefresher;
    readonly aws: AwsReaders;
    readonly today: string;
    /** @default facts/data/prices.json */
    readonly file?: string;
}): Promise<RunPrices> {
    const source = o.file ?? PRICES_FILE;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-prices-"));
    const copy = path.join(dir, "prices.json");
    try {
        fs.copyFileSync(source, copy);
        const outcome = await refreshOne(o.refresher, copy, o.aws, o.today);
        if (!outcome.ok) {
            return { table: readPriceTable(source), note: `the checked-in price table (refresh failed: ${outcome.message.trim().split("\n").pop()})` };
        }
        return { table: readPriceTable(copy), note: `refreshed from the AWS Price List on ${o.today} (npm run facts -- --refresh prices; the checkout's table is unchanged)` };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
