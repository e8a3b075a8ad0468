/**
 * The plan's output folder: written whole into a temporary folder and swapped in, only over an
 * empty folder or a previous plan; empty, file, pseudo-filesystem and foreign targets are usage
 * errors (exit 2) found before the program runs, and nothing ever loops on them.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { WriteFailure, makeDirs, tildeNote, unwritableFileReason, writeFailure, writeUserFile } from "../../tools/files";
import { notAPreviousReport } from "../../tools/rollout/cli";
import { EXIT, main } from "../../tools/plan/cli";
import { plan, UsageError } from "../../tools/plan/plan";
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

    /** `plan` (what main runs) refuses `out` with `message` and never calls the program runner. */
    async function refusedBeforeTheProgram(out: string, message: RegExp): Promise<void> {
        let ran = false;
        await assert.rejects(plan("dev", { out, runProgram: async () => { ran = true; throw new Error("the program ran"); } }),
            (e: unknown) => e instanceof UsageError && message.test(e.message));
        assert.equal(ran, false, `${out}: refused before the program runs`);
    }

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
            assert.equal(await main(argv, io), EXIT.usage, argv.join(" "));
            assert.match(io.err.join(""), message);
            assert.doesNotMatch(io.err.join(""), /\n\s+at /, "no stack trace");
            // Refused before the program runs: the plan main calls refuses it with a runner that fails if called.
            await refusedBeforeTheProgram(argv[1] === "--out=" ? "" : argv[2], message);
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

    const failWith = (code: string) => () => { throw Object.assign(new Error(`${code}: simulated`), { code }); };

    it("a read-only or full disk is named with the path and the cause; a failed write leaves the plan as it was", () => {
        const root = tempDir("rofs");
        assert.equal(outFolderProblem(path.join(root, "plan"), undefined, failWith("EROFS")),
            `--out ${path.join(root, "plan")}: cannot write into ${root}: the file system is read-only (EROFS)`);
        const out = path.join(tempDir("enospc"), "plan");
        writePlanFolder(out, FILES);
        const before = readTree(out);
        assert.throws(() => writePlanFolder(out, FILES, failWith("ENOSPC")),
            (e: unknown) => e instanceof WriteFailure && e.message === `could not write ${out}: no space left on the device (ENOSPC)`);
        assert.deepEqual(readTree(out), before);
        assert.equal(writeFailure(Object.assign(new Error("x"), { code: "EBUSY" }), "/mnt").message, "could not write /mnt: the path is busy (a mount point, or held by another process) (EBUSY)");
    });

    it("a read-only checkout: exit 2 before the program runs, naming the path and EROFS (a real read-only mount, where this machine allows one)", async function () {
        const root = tempDir("ro-mount");
        if (process.getuid?.() !== 0 || spawnSync("mount", ["-t", "tmpfs", "-o", "ro,size=64k", "none", root]).status !== 0) return this.skip();
        try {
            const io = captureIo();
            assert.equal(await main(["dev", "--out", path.join(root, "plan")], io), EXIT.usage);
            assert.match(io.err.join(""), /cannot write into .*ro-mount.*: the file system is read-only \(EROFS\)/);
            assert.doesNotMatch(io.err.join(""), /mock engine|\n\s+at /);
            await refusedBeforeTheProgram(path.join(root, "plan"), /the file system is read-only \(EROFS\)/);
        } finally {
            spawnSync("umount", [root]);
        }
    });

    it("a replaced plan folder keeps its mode; a new one gets the usual mode, not mkdtemp's 0700", () => {
        const out = path.join(tempDir("mode"), "plan");
        writePlanFolder(out, FILES);
        assert.equal(fs.statSync(out).mode & 0o777, 0o777 & ~process.umask());
        fs.chmodSync(out, 0o750);
        writePlanFolder(out, FILES);
        assert.equal(fs.statSync(out).mode & 0o777, 0o750);
    });

    it("notes a path starting with ~ that the shell did not expand", () => {
        assert.match(tildeNote("--out", "~")!, /--out ~ is taken literally: a folder named "~" in .*write --out \$HOME to mean home/);
        assert.match(tildeNote("--out", "~/plans")!, /write --out \$HOME\/plans/);
        assert.equal(tildeNote("--out", "plans/~x"), undefined);
        assert.equal(tildeNote("--out", undefined), undefined);
    });

    it("rollout --json replaces only a new or empty file or a previous report (package.json was overwritten)", () => {
        const d = tempDir("json");
        const file = (name: string, text: string) => { fs.writeFileSync(path.join(d, name), text); return path.join(d, name); };
        assert.match(notAPreviousReport(file("package.json", '{"name": "eks-platform"}'))!, /exists and is not a previous rollout report/);
        assert.match(notAPreviousReport(file("notes.txt", "hello"))!, /not a previous rollout report/);
        assert.equal(notAPreviousReport(file("r.json", JSON.stringify({ reportVersion: 1, mode: "up", stack: "prod" }))), undefined);
        assert.equal(notAPreviousReport(file("empty.json", "")), undefined);
        assert.equal(notAPreviousReport(path.join(d, "new.json")), undefined);
    });
});
