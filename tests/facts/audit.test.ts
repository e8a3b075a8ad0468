/**
 * The house's shape: facts/ at the bottom (imports nothing of the project), stacks/ below components/,
 * every dated table in facts/ and listed in facts/index.ts, each in the ledger's one shape.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { FACT_TABLES } from "../../facts/index";
import { isIsoDate } from "../../stacks/today";
import { ALLOWED_LINES, auditedFiles, datedHits, importViolations, importsOf, layeredFiles } from "../../tools/facts/audit";

const ROOT = path.join(__dirname, "..", "..");

describe("facts: imports run one way", () => {
    it("reads static, dynamic and require imports and re-exports", () => {
        const text = 'import a from "./a";\nimport type { B } from "../b";\nexport { c } from "./c";\nconst d = require("d");\nimport "./e";\nawait import("./f");';
        assert.deepStrictEqual(importsOf(text), ["./a", "../b", "./c", "d", "./e", "./f"]);
    });

    it("flags stacks/ -> components/ and facts/ -> anything outside facts/ (Node's fs and path allowed)", () => {
        const v = importViolations([
            { path: "stacks/a.ts", text: 'import { X } from "../components/compute/x";\nimport { Y } from "../facts/y";\nimport { Z } from "./z";' },
            { path: "facts/b.ts", text: 'import * as fs from "fs";\nimport { L } from "./ledger";\nimport data from "./data/b.json";\nimport { S } from "../stacks/s";\nimport * as aws from "@pulumi/aws";' },
        ]);
        assert.deepStrictEqual(v.map((x) => `${x.file} ${x.spec}`), ["stacks/a.ts ../components/compute/x", "facts/b.ts ../stacks/s", "facts/b.ts @pulumi/aws"]);
    });

    it("nothing under stacks/ imports components/, and facts/ imports neither (nor tools/, nor a package)", () => {
        const files = layeredFiles(ROOT);
        assert.ok(files.some((f) => f.path === "stacks/validate.ts") && files.some((f) => f.path === "facts/index.ts"), "reads both folders");
        assert.deepStrictEqual(importViolations(files), []);
    });
});

describe("facts: no dated table outside facts/", () => {
    it("flags ISO dates, 'read/as of <date>' phrases and date constants; allows the IAM policy version", () => {
        const hits = datedHits({
            path: "components/x.ts",
            text: [
                '// Source, read 2026-11-29: the AWS page',
                'const T = { "us-east-1": "2026-01-01" };',
                'Version: "2012-10-17",',
                '// as of November 2026, per the docs',
                'export const ZONES_AS_OF = oldest;',
                '// regions launched in or after August 2022 use the service principal',
            ].join("\n"),
        });
        assert.deepStrictEqual(hits.map((h) => h.line), [1, 2, 4, 5]);
    });

    it("finds none in components/, stacks/, tools/, policy/, the entry points and the workflows", () => {
        const files = auditedFiles(ROOT);
        assert.ok(files.length > 100 && files.some((f) => f.path === "components/alb-logs.ts"), "reads the tree");
        assert.deepStrictEqual(files.flatMap(datedHits).map((h) => `${h.file}:${h.line}: ${h.why}: ${h.text}`), []);
    });

    it("every allow-listed line still exists (the allow-list cannot rot into a blanket pass)", () => {
        for (const a of ALLOWED_LINES) {
            assert.ok(fs.readFileSync(path.join(ROOT, a.file), "utf8").includes(a.literal), `${a.file} still carries ${a.literal} (${a.why}); else drop it from the list`);
        }
    });
});

describe("facts: every table is listed and in the ledger's shape", () => {
    const jsonTables = [
        ...fs.readdirSync(path.join(ROOT, "facts")).filter((n) => n.endsWith(".json")),
        ...fs.readdirSync(path.join(ROOT, "facts", "data")).filter((n) => n.endsWith(".json")),
    ].map((n) => n.replace(/\.json$/, "")).sort();

    it("facts/index.ts lists every data file, once, under its file name", () => {
        const names = FACT_TABLES.map((t) => t.name);
        assert.deepStrictEqual([...names].sort(), jsonTables);
        assert.strictEqual(new Set(names).size, names.length);
        assert.ok(jsonTables.length >= 13);
    });

    it("no facts/<name>.json beside a facts/<name>.ts (Node and ts-node would load the .json for facts/<name>)", () => {
        const files = fs.readdirSync(path.join(ROOT, "facts"));
        assert.deepStrictEqual(files.filter((n) => n.endsWith(".json") && files.includes(n.replace(/\.json$/, ".ts"))), []);
    });

    for (const table of FACT_TABLES) {
        it(`${table.name}: title, shelf life, refresh, and entries with unique keys, a source and an ISO read day`, () => {
            assert.match(table.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
            assert.ok(table.title.length > 10 && table.refresh.length > 5, "title and refresh say something");
            assert.ok(Number.isInteger(table.shelfLifeDays) && table.shelfLifeDays > 0, "shelf life in whole days");
            assert.ok(table.entries.length > 0, "has entries");
            const keys = table.entries.map((e) => e.key);
            assert.deepStrictEqual(keys.filter((k, i) => keys.indexOf(k) !== i), [], "unique keys");
            for (const e of table.entries) {
                assert.ok(typeof e.source === "string" && e.source.length > 3, `${e.key}: a source`);
                assert.ok(isIsoDate(e.read), `${e.key}: read ${e.read} is a YYYY-MM-DD day`);
                assert.ok(e.value !== undefined && e.value !== null, `${e.key}: a value`);
            }
        });
    }
});
