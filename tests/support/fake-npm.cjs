#!/usr/bin/env node
/**
 * A stand-in for `npm pack <spec> --pack-destination <dir>` in the launcher's tests: copies the
 * prepared tarball FAKE_NPM_TARBALL into <dir> after FAKE_NPM_DELAY ms, appending one line per call to
 * FAKE_NPM_LOG and its pid to FAKE_NPM_PIDS (so a test can check the child ended with its launcher).
 */
"use strict";
const fs = require("fs");
const path = require("path");
const args = process.argv.slice(2);
if (process.env.FAKE_NPM_PIDS) fs.appendFileSync(process.env.FAKE_NPM_PIDS, `${process.pid}\n`);
if (process.env.FAKE_NPM_LOG) fs.appendFileSync(process.env.FAKE_NPM_LOG, `${args.join(" ")}\n`);
if (args[0] !== "pack") { process.stderr.write(`fake npm: only pack, not ${args[0]}\n`); process.exit(2); }
const dest = args[args.indexOf("--pack-destination") + 1];
setTimeout(() => {
    fs.copyFileSync(process.env.FAKE_NPM_TARBALL, path.join(dest, `${args[1].replace("@", "-")}.tgz`));
}, Number(process.env.FAKE_NPM_DELAY ?? 0));
