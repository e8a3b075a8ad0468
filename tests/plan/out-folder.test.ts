/**
 * The plan's output folder: written whole into a temporary folder and swapped in, only over an
 * empty folder or a previous plan; empty, file, pseudo-filesystem and foreign targets are usage
 * errors (exit 2) found before the program runs, and nothing ever loops on them.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { makeDirs, unwritableFileReason, writeUserFile } from "../../tools/files";
import { EXIT, main } from "../../tools/plan/cli";
import { PLAN_MARKER, outFolderProblem, writePlanFolder } from "../../tools/plan/write";
import { captureIo, readTree, tempDir } from "./helpers";

const FILES = { "resources.json": "{}\n", "manifests/ap-northeast-2.yaml": "a: 1\n", "architecture.md": "# x\n" };

describe("plan output folder", () => {
    it("writes a new folder whole, with its marker, and replaces a previous plan whole (a stale region's file goes)", () => {
        const out = path.join(tempDir("fresh"), "deep", "plan");
        writePlanFolder(out, { ...FILES, "manifests/eu-west-1.yaml": "old: 1\n" });
        assert.deepEqual([...readTree(out).keys()].sort(), [PLAN_MARKER, "architecture.md", "manifests/ap-northeast-2.yaml", "manifests/eu-west-1.yaml", "resources.json"]);
        const written = writePlanFolder(out, FILES);
        assert.deepEqual([...readTree(out).keys()].sort(), [PLAN_MARKER, "architecture.md", "manifests/ap-northeast-2.yaml", "resources.json"]);
        assert.deepEqual(written, Object.keys(FILES).sort().map((f) => path.join(out, f)));
        assert.deepEqual(fs.readdirSync(path.dirname(out)), ["plan"], "no staging folder is left behind");
    });

    it("refuses a folder holding files a plan did not write, and touches nothing in it", () => {
        const out = tempDir("foreign");
        fs.mkdirSync(path.join(out, "manifests"));
        fs.writeFileSync(path.join(out, "manifests", "mine.yaml"), "keep");
        fs.writeFileSync(path.join(out, "notes.txt"), "mine");
        assert.match(outFolderProblem(out, FILES)!, /holds files a plan did not write \(manifests, notes\.txt\)/, "manifests holds a file a plan does not write");
        assert.throws(() => writePlanFolder(out, FILES), /did not write/);
        assert.equal(fs.readFileSync(path.join(out, "manifests", "mine.yaml"), "utf8"), "keep");
        assert.deepEqual(fs.readdirSync(out).sort(), ["manifests", "notes.txt"]);
    });

    it("accepts a previous plan's folder from before the marker (only the names a plan writes)", () => {
        const out = tempDir("legacy");
        fs.mkdirSync(path.join(out, "manifests"));
        fs.writeFileSync(path.join(out, "manifests", "eu-west-1.yaml"), "old");
        fs.writeFileSync(path.join(out, "resources.json"), "{}");
        assert.equal(outFolderProblem(out, FILES), undefined);
    });

    it("a failed write leaves the previous plan as it was", () => {
        const out = path.join(tempDir("failing"), "plan");
        writePlanFolder(out, FILES);
        const before = readTree(out);
        assert.throws(() => writePlanFolder(out, { ...FILES, "resources.json/oops": "x" }));
        assert.deepEqual(readTree(out), before);
        assert.deepEqual(fs.readdirSync(path.dirname(out)), ["plan"]);
    });

    it("exits 2 at once, without a stack trace, for an empty --out, a file, /proc and a path through a file", async () => {
        const file = path.join(tempDir("file"), "plan.txt");
        fs.writeFileSync(file, "x");
        const cases: Array<[string[], RegExp]> = [
            [["dev", "--out="], /--out needs a folder/],
            [["dev", "--out", file], /is a file, not a folder/],
            [["dev", "--out", "/proc/plan"], /under \/proc, a kernel pseudo-filesystem/],
            [["dev", "--out", path.join(file, "sub")], /is a file, so .* cannot be created/],
        ];
        for (const [argv, message] of cases) {
            const io = captureIo();
            const started = Date.now();
            assert.equal(await main(argv, io), EXIT.usage, argv.join(" "));
            assert.match(io.err.join(""), message);
            assert.doesNotMatch(io.err.join(""), /\n\s+at /, "no stack trace");
            assert.ok(Date.now() - started < 5000, "refused before the program runs");
        }
    });

    it("creates folders without looping where mkdir -p would (procfs), and checks report files up front", () => {
        assert.throws(() => makeDirs("/proc/x/y"), /ENOENT/);
        assert.match(unwritableFileReason("/proc/x/r.md")!, /kernel pseudo-filesystem/);
        const d = tempDir("user-file");
        assert.match(unwritableFileReason(d)!, /is a folder/);
        writeUserFile(path.join(d, "a", "b", "r.md"), "one\n", "append");
        writeUserFile(path.join(d, "a", "b", "r.md"), "two\n", "append");
        assert.equal(fs.readFileSync(path.join(d, "a", "b", "r.md"), "utf8"), "one\ntwo\n");
    });
});
