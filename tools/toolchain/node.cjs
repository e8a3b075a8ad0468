#!/usr/bin/env node
/**
 * Runs Node.js with the given arguments on a supported Node.js LTS.
 *
 * The project needs Node.js >= 22 (package.json `engines`; @pulumi/pulumi >= 3.249 and
 * kubernetes-models 5 require it). Where the `node` on PATH already is >= 22 this simply runs it: nothing
 * is downloaded. Where it is older (Node 20 reached end of life in April 2026, yet is still the system
 * Node on some CI images, including ours), it runs the version pinned in `.nvmrc` instead, installed once
 * from the npm registry's `node-<platform>-<arch>` package (the official binary, ~190 MB) into
 * `.toolchain/` (git-ignored) and reused afterwards. So `npm ci && npm test` stays the whole set-up on
 * any machine, and only a machine that needs a second Node pays for one.
 *
 * Plain CommonJS with no dependencies, so that it runs on any Node that can start npm.
 * Usage (from package.json scripts): node tools/toolchain/node.cjs <node arguments...>
 */
"use strict";
const { spawn, spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..", "..");

/** The lowest major the project supports, from package.json `engines.node` (">=22"). */
function minimumMajor() {
    const range = require(path.join(ROOT, "package.json")).engines.node;
    const m = /^>=\s*(\d+)/.exec(range);
    if (!m) throw new Error(`package.json engines.node must read ">=N", found ${JSON.stringify(range)}`);
    return Number(m[1]);
}

/** The exact version to provision, from .nvmrc (also what nvm/fnm/volta users get). */
function pinnedVersion() {
    const v = fs.readFileSync(path.join(ROOT, ".nvmrc"), "utf8").trim().replace(/^v/, "");
    if (!/^\d+\.\d+\.\d+$/.test(v)) throw new Error(`.nvmrc must hold an exact version like 24.22.3, found ${JSON.stringify(v)}`);
    return v;
}

/** Path to a Node binary that satisfies the project, installing the pinned one if needed. */
function nodeBinary() {
    const current = Number(process.versions.node.split(".")[0]);
    if (current >= minimumMajor()) return process.execPath;

    const version = pinnedVersion();
    const platform = process.platform === "win32" ? "win" : process.platform;
    const pkg = `node-${platform}-${process.arch}`;
    const dir = path.join(ROOT, ".toolchain", `${pkg}-${version}`);
    const bin = path.join(dir, "node_modules", pkg, "bin", process.platform === "win32" ? "node.exe" : "node");
    if (!fs.existsSync(bin)) {
        process.stderr.write(`Node.js ${process.versions.node} is older than ${minimumMajor()}; installing Node.js ${version} (${pkg}) into .toolchain/ once.\n`);
        // Install into a temporary sibling and rename, so an interrupted install is never taken for a good one.
        const tmp = `${dir}.tmp-${process.pid}`;
        fs.rmSync(tmp, { recursive: true, force: true });
        fs.mkdirSync(tmp, { recursive: true });
        const npm = process.platform === "win32" ? "npm.cmd" : "npm";
        const r = spawnSync(npm, ["install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--prefix", tmp, `${pkg}@${version}`], {
            stdio: ["ignore", "inherit", "inherit"],
        });
        if (r.status !== 0) {
            fs.rmSync(tmp, { recursive: true, force: true });
            throw new Error(`could not install ${pkg}@${version} from the npm registry (exit ${r.status}); install Node.js >= ${minimumMajor()} yourself and run again`);
        }
        fs.rmSync(dir, { recursive: true, force: true });
        fs.renameSync(tmp, dir);
    }
    return bin;
}

function main() {
    let bin;
    try {
        bin = nodeBinary();
    } catch (e) {
        process.stderr.write(`tools/toolchain/node.cjs: ${e.message}\n`);
        process.exit(1);
    }
    // The provisioned Node also goes first on PATH: what the command starts in turn (the Pulumi CLI's
    // Node.js language host running the program, under `npm run rollout`) then runs on it too.
    const env = bin === process.execPath ? process.env : { ...process.env, PATH: `${path.dirname(bin)}${path.delimiter}${process.env.PATH ?? ""}` };
    const child = spawn(bin, process.argv.slice(2), { stdio: "inherit", env });
    for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => child.kill(sig));
    child.on("exit", (code, signal) => {
        if (signal) process.kill(process.pid, signal);
        else process.exit(code ?? 1);
    });
}

if (require.main === module) main();

module.exports = { minimumMajor, pinnedVersion, nodeBinary };
