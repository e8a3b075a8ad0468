#!/usr/bin/env node
"use strict";
// A recording stand-in for the `pulumi` CLI, for the Automation API adapter tests.
//
// - `version` prints $FAKE_PULUMI_VERSION, else v3.200.0: at or below 3.205 the SDK reads engine events from the
//   `--event-log <file>` it passes (above, it would start a gRPC events server instead).
// - Every call appends {argv, env} as one JSON line to $FAKE_PULUMI_LOG.
// - What each command does comes from the JSON file $FAKE_PULUMI_SCRIPT:
//   { config, outputs, maskedOutputs, commands: { "<command>": { events, stdout, stderr, exitCode,
//     waitForSigint } } }, where <command> is "preview", "up", "refresh", "refresh --preview-only",
//   "cancel", "destroy", "stack select", "stack init" or "stack rm". A command with waitForSigint logs {waitingForSigint: true} once its
//   handler is in place, blocks until SIGINT, then writes stderr and exits with exitCode (the CLI's
//   graceful cancellation); it gives up after 10 s.
const fs = require("fs");

// Only as a program: `mocha tests/rollout` loads every .js file under the directory, this one too.
if (require.main === module) main();

function main() {
    const argv = process.argv.slice(2);
    if (argv[0] === "version") {
        process.stdout.write(`${process.env.FAKE_PULUMI_VERSION || "v3.200.0"}\n`);
        return process.exit(0);
    }
    if (process.env.FAKE_PULUMI_LOG) {
        const env = {};
        for (const k of ["PULUMI_DEBUG_COMMANDS", "PULUMI_AUTOMATION_API", "FAKE_PULUMI_TAG", "EKS_PLATFORM_REGIONS"]) env[k] = process.env[k];
        fs.appendFileSync(process.env.FAKE_PULUMI_LOG, `${JSON.stringify({ argv, env })}\n`);
    }
    const script = process.env.FAKE_PULUMI_SCRIPT ? JSON.parse(fs.readFileSync(process.env.FAKE_PULUMI_SCRIPT, "utf8")) : {};
    const has = (flag) => argv.includes(flag);
    const valueOf = (flag) => { const i = argv.indexOf(flag); return i >= 0 ? argv[i + 1] : undefined; };

    function run(behaviour) {
        const b = behaviour || {};
        const log = valueOf("--event-log");
        let sequence = 0;
        for (const e of b.events || []) {
            if (log) fs.appendFileSync(log, `${JSON.stringify({ sequence: sequence++, timestamp: Math.floor(Date.now() / 1000), ...e })}\n`);
        }
        const end = () => {
            if (b.stdout !== undefined) process.stdout.write(typeof b.stdout === "string" ? b.stdout : JSON.stringify(b.stdout));
            if (b.stderr) process.stderr.write(b.stderr);
            process.exit(b.exitCode || 0);
        };
        if (b.waitForSigint) {
            process.on("SIGINT", () => {
                if (process.env.FAKE_PULUMI_LOG) fs.appendFileSync(process.env.FAKE_PULUMI_LOG, `${JSON.stringify({ signal: "SIGINT" })}\n`);
                end();
            });
            // Say when the handler is in place, so a test aborts only then (a SIGINT before it would
            // kill this process without a trace on a loaded machine).
            if (process.env.FAKE_PULUMI_LOG) fs.appendFileSync(process.env.FAKE_PULUMI_LOG, `${JSON.stringify({ waitingForSigint: true })}\n`);
            // Never outlive a broken test: without the SDK's SIGINT, give up after 10 s (exit 124).
            setTimeout(() => {
                process.stderr.write("fake pulumi: no SIGINT within 10 s\n");
                process.exit(124);
            }, 10_000);
            return;
        }
        end();
    }

    const [a, b] = argv;
    if (a === "stack" && b === "select") run(script.commands && script.commands["stack select"]);
    else if (a === "stack" && (b === "init" || b === "rm")) run(script.commands && script.commands[`stack ${b}`]);
    else if (a === "config") run({ stdout: script.config || {} });
    else if (a === "stack" && b === "output") run({ stdout: has("--show-secrets") ? script.outputs || {} : script.maskedOutputs || script.outputs || {} });
    else if (a === "stack" && b === "history") {
        run({ stdout: [{ kind: "update", result: "succeeded", startTime: "2026-01-01T00:00:00Z", endTime: "2026-01-01T00:01:00Z",
            version: 7, message: "", environment: {}, config: {}, resourceChanges: script.historyChanges || { same: 1 } }] });
    } else if (a === "refresh" && has("--preview-only")) run(script.commands && script.commands["refresh --preview-only"]);
    else if (["preview", "up", "refresh", "cancel", "destroy"].includes(a)) run(script.commands && script.commands[a]);
    else {
        process.stderr.write(`fake pulumi: unscripted command: ${argv.join(" ")}\n`);
        process.exit(64);
    }
}
