/**
 * Runs tools/toolchain/provision.cjs's ensureNodeInterruptibly in a process of its own, as the launcher
 * does, with the options given as JSON in argv[2]; prints the binary's path, or the error and exit 1.
 */
"use strict";
const { ensureNodeInterruptibly } = require("../../tools/toolchain/provision.cjs");
const opts = JSON.parse(process.argv[2]);
ensureNodeInterruptibly({ ...opts, log: (line) => process.stderr.write(`log: ${line}\n`) })
    .then((bin) => process.stdout.write(`${bin}\n`))
    .catch((e) => { process.stderr.write(`${e.message}\n`); process.exit(1); });
