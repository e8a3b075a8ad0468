#!/usr/bin/env node
/**
 * Runs Node.js with the given arguments on a supported Node.js LTS.
 *
 * The project needs Node.js >= 22 (package.json `engines`; @pulumi/pulumi >= 3.249 and
 * kubernetes-models 5 require it). Where the `node` on PATH already is >= 22 this simply runs it: nothing
 * is downloaded. Where it is older (Node 20 reached end of life in April 2026, yet is still the system
 * Node on some CI images, including ours), it runs the version pinned in `.nvmrc` instead, installed once
 * from the npm registry's `node-<platform>-<arch>` package (the official binary, ~190 MB) into
 * `.toolchain/` (git-ignored) and reused afterwards: checked against the sha512 pinned in
 * facts/node-toolchain.json, unpacked without running any package script, and used only after it ran
 * and reported the pinned version (tools/toolchain/provision.cjs). So `npm ci && npm test` stays the
 * whole set-up on any machine, and only a machine that needs a second Node pays for one.
 *
 * Plain CommonJS with no dependencies, so that it runs on any Node that can start npm.
 * Usage (from package.json scripts): node tools/toolchain/node.cjs <node arguments...>
 */
"use strict";
const { spawn } = require("child_process");
const fs = require("fs");
const path = require("path");
const { ensureNodeInterruptibly } = require("./provision.cjs");

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

/** The ledger table of pinned tarball integrities (facts/node-toolchain.json). */
function integrityTable() {
    return JSON.parse(fs.readFileSync(path.join(ROOT, "facts", "node-toolchain.json"), "utf8"));
}

/**
 * Path to a Node binary that satisfies the project: this one when it is new enough, otherwise the
 * pinned one, provisioned once into `.toolchain/` (tools/toolchain/provision.cjs).
 */
async function nodeBinary() {
    const current = Number(process.versions.node.split(".")[0]);
    if (current >= minimumMajor()) return process.execPath;
    return ensureNodeInterruptibly({
        home: path.join(ROOT, ".toolchain"), homeLabel: ".toolchain/", version: pinnedVersion(), platform: process.platform,
        arch: process.arch, integrityTable: integrityTable(), log: (line) => process.stderr.write(`${line}\n`),
    });
}

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"];

async function main() {
    let bin;
    try {
        bin = await nodeBinary();
    } catch (e) {
        process.stderr.write(`tools/toolchain/node.cjs: ${e.message}\n`);
        process.exit(1);
    }
    // The provisioned Node also goes first on PATH: what the command starts in turn (the Pulumi CLI's
    // Node.js language host running the program, under `npm run rollout`) then runs on it too.
    const env = bin === process.execPath ? process.env : { ...process.env, PATH: `${path.dirname(bin)}${path.delimiter}${process.env.PATH ?? ""}` };
    const child = spawn(bin, process.argv.slice(2), { stdio: "inherit", env });
    for (const sig of SIGNALS) process.on(sig, () => child.kill(sig));
    child.on("exit", (code, signal) => {
        if (signal) process.kill(process.pid, signal);
        else process.exit(code ?? 1);
    });
}

if (require.main === module) main();

module.exports = { minimumMajor, pinnedVersion, nodeBinary, integrityTable };
