/**
 * `npm run prices` shows which prices the table has per region; `npm run prices -- --refresh` rebuilds
 * it from the AWS Price List API (needs AWS credentials allowed pricing:GetProducts).
 *
 * Exit codes: 0 done, 1 the refresh failed (nothing written), 2 usage error.
 */
import { errorText } from "../../error-text";
import { parseArgs } from "util";
import { PROJECT_DIR } from "../../harness/program";
import { listStacks, readStackConfig } from "../../harness/stack-files";
import { resolveToday } from "../../../stacks/today";
import { unwritableFileReason, writeUserFile } from "../../files";
import * as fs from "fs";
import { COST_ASSUMPTION_DEFAULTS } from "../../../stacks/cost-schema";
import { PriceTable, readPriceTable, toPriceFacts } from "./prices";
import { PRICES_FILE } from "../../../facts/prices";
import { PriceListClient, refreshTable } from "./refresh";

const USAGE = `Usage: npm run prices -- [--refresh] [--file FILE]

  (no flag)    list which prices facts/data/prices.json has, per region
  --refresh    rebuild the table from the AWS Price List API (AWS credentials with pricing:GetProducts)
  --file FILE  the table to read or write (default: facts/data/prices.json)`;

/** Instance types the table keeps: those it has, every stack's node groups', and the assumptions' defaults. */
export function instanceTypesToPrice(table: PriceTable, dir: string = PROJECT_DIR): string[] {
    const types = new Set(table.prices.filter((p) => p.item.startsWith("ec2.")).map((p) => p.item.slice(4)));
    for (const stack of listStacks(dir)) {
        const raw = readStackConfig(dir, stack).config["eks-platform:nodeGroups"];
        try {
            for (const g of JSON.parse(raw ?? "[]")) for (const t of g.instanceTypes ?? []) types.add(String(t));
        } catch {
            // an unparsable stack file is the plan's business; price what the others name
        }
    }
    types.add(COST_ASSUMPTION_DEFAULTS.karpenterInstanceType);
    types.add(COST_ASSUMPTION_DEFAULTS.autoModeInstanceType);
    return [...types].sort();
}

export function coverage(table: PriceTable): string {
    const items = [...new Set(table.prices.map((p) => p.item))].sort();
    const lines = [`${table.note}`, "", `Built from: ${table.builtFrom}; read ${table.read}`, ""];
    for (const region of table.regions) {
        const have = items.filter((i) => table.prices.some((p) => p.item === i && (p.region === region || p.region === "*")));
        lines.push(`${region}: ${have.length}/${items.length} items; missing: ${items.filter((i) => !have.includes(i)).join(", ") || "none"}`);
    }
    return `${lines.join("\n")}\n`;
}

export async function main(argv: readonly string[], io: { stdout(s: string): void; stderr(s: string): void }, makeClient?: () => PriceListClient, today?: string): Promise<number> {
    let values: { refresh?: boolean; file?: string; help?: boolean };
    try {
        values = parseArgs({ args: [...argv], options: { refresh: { type: "boolean" }, file: { type: "string" }, help: { type: "boolean", short: "h" } }, strict: true }).values;
    } catch (e) {
        io.stderr(`error: ${(e as Error).message}\n${USAGE}\n`);
        return 2;
    }
    if (values.help) {
        io.stdout(`${USAGE}\n`);
        return 0;
    }
    const file = values.file ?? PRICES_FILE;
    // --refresh into a new file starts from the shipped table (its regions and hours); otherwise the
    // file must be a price table.
    const fresh = values.refresh === true && !fs.existsSync(file);
    let current: PriceTable;
    try {
        current = readPriceTable(fresh ? PRICES_FILE : file);
        if (!Array.isArray(current.regions) || !Array.isArray(current.prices)) throw new Error("it has no regions or prices");
    } catch (e) {
        const why = (e as NodeJS.ErrnoException)?.code === "ENOENT" ? "no such file" : `not a price table in the ledger's shape (facts/data/prices.json): ${errorText(e)}`;
        io.stderr(`error: --file ${file}: ${why}\n${USAGE}\n`);
        return 2;
    }
    const unwritable = values.refresh ? unwritableFileReason(file) : undefined;
    if (unwritable) {
        io.stderr(`error: --file ${file}: ${unwritable}\n`);
        return 2;
    }
    if (!values.refresh) {
        io.stdout(coverage(current));
        return 0;
    }
    try {
        const client = makeClient ? makeClient() : awsClient();
        const day = today ?? resolveToday();
        const { table, notFound } = await refreshTable(client, current.regions, instanceTypesToPrice(current), day, current.hoursPerMonth);
        writeUserFile(file, `${JSON.stringify(toPriceFacts(table), null, 2)}\n`);
        io.stdout(`wrote ${table.prices.length} prices to ${file}\n${notFound.length ? `not in the Price List: ${notFound.join(", ")}\n` : ""}`);
        return 0;
    } catch (e) {
        io.stderr(`price refresh failed, the table is unchanged: ${errorText(e)}\n`);
        return 1;
    }
}

/** The real client: the Price List API's endpoint is in us-east-1. */
function awsClient(): PriceListClient {
    // Loaded here only, so the plan and the tests never need the SDK's credentials chain.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PricingClient, GetProductsCommand } = require("@aws-sdk/client-pricing");
    const client = new PricingClient({ region: "us-east-1" });
    return { getProducts: (input) => client.send(new GetProductsCommand(input)) };
}

if (require.main === module) {
    main(process.argv.slice(2), { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) })
        .then((code) => { process.exitCode = code; }, (e) => { process.stderr.write(`internal error: ${(e as Error)?.stack ?? String(e)}\n`); process.exitCode = 1; });
}
