/**
 * The toolchain contract: the Node.js the project declares, the one CI pins, and the launcher that
 * npm scripts start through.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../tools/harness/program";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const toolchain = require("../tools/toolchain/node.cjs") as {
    minimumMajor(): number;
    pinnedVersion(): string;
    nodeBinary(): Promise<string>;
};
const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8"));

describe("toolchain (Node.js LTS)", () => {
    it("declares Node 22+ and pins an LTS (even major) that satisfies it in .nvmrc", () => {
        assert.equal(pkg.engines.node, ">=22");
        const major = Number(toolchain.pinnedVersion().split(".")[0]);
        assert.ok(major >= toolchain.minimumMajor(), `.nvmrc ${toolchain.pinnedVersion()} is below engines`);
        assert.equal(major % 2, 0, "Node LTS lines are the even majors");
    });

    it("runs the suite itself on a supported Node (the launcher swapped in the pinned one where needed)", async () => {
        assert.ok(Number(process.versions.node.split(".")[0]) >= toolchain.minimumMajor(), `running on ${process.version}`);
        // On a supported Node the launcher uses it as it is: nothing is downloaded.
        assert.equal(await toolchain.nodeBinary(), process.execPath);
    });

    it("starts test, plan, rollout and prices through the launcher, and CI sets up the .nvmrc version", () => {
        for (const script of ["test", "mocha", "plan", "rollout", "prices"]) {
            assert.match(pkg.scripts[script], /^node tools\/toolchain\/node\.cjs /, `npm run ${script}`);
        }
        const workflow = fs.readFileSync(path.join(PROJECT_DIR, ".github/workflows/platform.yml"), "utf8");
        assert.doesNotMatch(workflow, /node-version:\s*\d/, "the workflow pins no Node version of its own");
        assert.match(workflow, /node-version-file: \.nvmrc/);
    });

    it("runs every test file with npm test, and only the files named with npm run mocha -- FILE", () => {
        const rc = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, ".mocharc.json"), "utf8"));
        // A spec in the rc file would be run as well as any file named on the command line.
        assert.equal(rc.spec, undefined, ".mocharc.json names no spec");
        // npm test: the same mocha, two files at a time (mocha --parallel; 2 cores here), every test file.
        assert.equal(pkg.scripts.test, `${pkg.scripts.mocha} --parallel --jobs 2 "tests/**/*.test.ts"`);
    });

    it("loads TypeScript the same way in the tests and every npm run command", () => {
        const rc = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, ".mocharc.json"), "utf8"));
        assert.equal(rc.require[0], "tools/toolchain/typescript.cjs");
        for (const script of ["plan", "rollout", "prices"]) {
            assert.match(pkg.scripts[script], / -r \.\/tools\/toolchain\/typescript\.cjs tools\//, `npm run ${script}`);
        }
        // Stack traces point at the source's own lines (sucrase keeps them; no source maps involved).
        const frame = new Error("where am I").stack!.split("\n")[1];
        const line = fs.readFileSync(__filename, "utf8").split("\n").findIndex((l) => l.includes('new Error("where am I")')) + 1;
        assert.match(frame, new RegExp(`toolchain\\.test\\.ts:${line}:`), frame);
    });

    it("caches each transform by its whole input: a hit returns the stored code, a changed file or path transforms again", () => {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const { transformCached } = require("../tools/toolchain/typescript.cjs") as { transformCached(source: string, filename: string, cacheDir?: string): string };
        const dir = fs.mkdtempSync(path.join(require("os").tmpdir(), "ts-cache-"));
        const source = "export const answer: number = 42;\n";
        const first = transformCached(source, "/x/a.ts", dir);
        assert.match(first, /const answer = 42; exports\.answer = answer;/);
        const [entry] = fs.readdirSync(dir);
        assert.match(entry, /^[0-9a-f]{64}\.js$/);
        fs.writeFileSync(path.join(dir, entry), "/* from the cache */");
        assert.equal(transformCached(source, "/x/a.ts", dir), "/* from the cache */", "a hit is read, not transformed");
        assert.match(transformCached(source.replace("42", "43"), "/x/a.ts", dir), /const answer = 43;/, "a changed source misses");
        assert.match(transformCached(source, "/x/b.ts", dir), /const answer = 42; exports\.answer = answer;/, "another path misses");
        assert.equal(fs.readdirSync(dir).length, 3);
        assert.ok(!fs.readdirSync(dir).some((f) => f.endsWith(".tmp")), "no temporary file is left");
        // Without a cache folder it only transforms.
        assert.match(transformCached(source, "/x/a.ts", undefined), /const answer = 42; exports\.answer = answer;/);
    });
});
