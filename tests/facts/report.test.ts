/** `npm run facts`: the age of each table on a day, STALE past its shelf life, --json, --strict, bad input. */
import { strict as assert } from "assert";
import type { FactTable } from "../../facts/ledger";
import { FACT_TABLES } from "../../facts/index";
import { EXIT, main } from "../../tools/facts/cli";
import { daysBetween, ledgerReport, renderReport, tableAge } from "../../tools/facts/report";

const table = (name: string, shelfLifeDays: number, reads: string[], mockOnly = false): FactTable<number> => ({
    name, title: `the ${name} table`, shelfLifeDays, refresh: `refresh ${name}`, ...(mockOnly ? { mockOnly } : {}),
    entries: reads.map((read, i) => ({ key: `k${i}`, value: i, source: "https://example.com", read })),
});

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await main(argv, { stdout: (s) => { out += s; }, stderr: (s) => { err += s; } }, { env: {}, now: new Date("2026-12-05T12:00:00Z") });
    return { code, out, err };
}

describe("facts: age of each table", () => {
    it("is as old as its oldest entry; STALE only past the shelf life (the last day of it is still fresh)", () => {
        const t = table("versions", 30, ["2026-11-20", "2026-11-01"]);
        assert.deepStrictEqual({ ...tableAge(t, "2026-12-01"), title: undefined, refresh: undefined }, {
            name: "versions", title: undefined, entries: 2, oldest: "2026-11-01", ageDays: 30, shelfLifeDays: 30, staleFrom: "2026-12-02", stale: false, mockOnly: false, refresh: undefined,
        });
        assert.strictEqual(tableAge(t, "2026-12-02").stale, true);
        assert.strictEqual(daysBetween("2026-12-31", "2027-01-01"), 1);
    });

    it("the report names the stale tables, the ledger's oldest day, and prints how to re-read a stale one", () => {
        const r = ledgerReport([table("prices", 180, ["2026-06-01"]), table("zones", 180, ["2026-11-29"], true)], "2026-12-05");
        assert.deepStrictEqual(r.stale, ["prices"]);
        assert.strictEqual(r.asOf, "2026-06-01");
        const text = renderReport(r);
        assert.match(text, /^Facts ledger \(facts\/\) on 2026-12-05: 2 tables, 1 stale$/m);
        assert.match(text, /^prices\s+1\s+2026-06-01\s+187 d\s+180 d\s+STALE \(since 2026-11-29\)$/m);
        assert.match(text, /^zones \(mock only\)\s+1\s+2026-11-29\s+6 d\s+180 d\s+ok until 2027-05-28$/m);
        assert.match(text, /^ {2}prices: refresh prices$/m);
    });
});

describe("npm run facts", () => {
    it("lists every table of facts/index.ts and exits 0, stale or not", async () => {
        const r = await run(["--today", "2030-01-01"]);
        assert.strictEqual(r.code, EXIT.ok);
        for (const t of FACT_TABLES) assert.match(r.out, new RegExp(`^${t.name}\\b.*STALE`, "m"));
    });

    it("--json gives the report; --strict exits 3 when a listed table is stale, 0 when none is", async () => {
        const j = await run(["--json", "eks-versions", "--today", "2026-12-01"]);
        assert.strictEqual(j.code, EXIT.ok);
        const report = JSON.parse(j.out);
        assert.deepStrictEqual([report.today, report.tables.length, report.tables[0].name, report.tables[0].stale], ["2026-12-01", 1, "eks-versions", false]);
        assert.strictEqual((await run(["--strict", "eks-versions", "--today", "2026-12-01"])).code, EXIT.ok);
        const late = await run(["--strict", "eks-versions", "--today", "2030-01-01"]);
        assert.strictEqual(late.code, EXIT.stale);
        assert.match(late.out, /STALE/);
    });

    it("takes the day from EKS_PLATFORM_TODAY like the plan, else today (UTC)", async () => {
        let out = "";
        await main(["--json"], { stdout: (s) => { out += s; }, stderr: () => undefined }, { env: { EKS_PLATFORM_TODAY: "2026-12-03" } });
        assert.strictEqual(JSON.parse(out).today, "2026-12-03");
        assert.strictEqual(JSON.parse((await run(["--json"])).out).today, "2026-12-05");
    });

    it("refuses a bad --today, an unknown table or option with a message and exit 2", async () => {
        const bad = await run(["--today", "2026-13-01"]);
        assert.deepStrictEqual([bad.code, bad.out], [EXIT.usage, ""]);
        assert.match(bad.err, /--today "2026-13-01" is not a date; expected YYYY-MM-DD/);
        const unknown = await run(["nosuchtable"]);
        assert.strictEqual(unknown.code, EXIT.usage);
        assert.match(unknown.err, /no table "nosuchtable" in the ledger; tables: accelerated-ami-types, /);
        assert.strictEqual((await run(["--stale"])).code, EXIT.usage);
    });
});

describe("the plan's fact age", () => {
    it("one header line and one warning per stale table it used", () => {
        const { factAge, factAgeLine, staleFactWarnings } = require("../../tools/plan/fact-age") as typeof import("../../tools/plan/fact-age");
        const tables = [table("prices", 180, ["2026-06-01"]), table("zones", 180, ["2026-11-29"], true)];
        assert.equal(factAgeLine(factAge("2026-12-05", tables)), "Facts as of 2026-06-01, 1 table stale (npm run facts).");
        assert.deepEqual(staleFactWarnings("2026-12-05", tables).map((w) => w.subject), ["facts/prices"]);
        assert.deepEqual(staleFactWarnings("2026-11-28", tables), []);
    });
});
