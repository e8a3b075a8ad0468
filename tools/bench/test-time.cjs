#!/usr/bin/env node
/**
 * `npm run bench:test -- [--runs N] [--compare DIR]`: the test suite's wall (and CPU) time over N runs.
 *
 * Runs `npm test` N times (default 3) in this checkout and prints each run's wall time, its CPU time
 * (Linux), the machine's load average when it started and the runner's closing "N passed, N failed"
 * line, then the median, min and max. With `--compare DIR` (another checkout, e.g. a `git worktree` of an older commit with its
 * own `npm ci`) it runs `npm test` there too, alternating (this, DIR, this, DIR, ...), so that both
 * sides see the same load on a shared machine, and prints both summaries and the ratio of the medians.
 *
 * A benchmark, not a test: it asserts nothing about speed. It exits 1 if any run fails.
 * Plain CommonJS with no dependencies, so that it runs on any Node that can start npm.
 */
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const ROOT = path.resolve(__dirname, "..", "..");
const USAGE = "usage: npm run bench:test -- [--runs N] [--compare DIR]";

function parseArgs(argv) {
    const opts = { runs: 3, compare: undefined };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--runs") opts.runs = Number(argv[++i]);
        else if (a === "--compare") opts.compare = path.resolve(argv[++i] ?? "");
        else if (a === "-h" || a === "--help") { console.log(USAGE); process.exit(0); }
        else { console.error(`unknown argument ${a}\n${USAGE}`); process.exit(2); }
    }
    if (!Number.isInteger(opts.runs) || opts.runs < 1) { console.error(`--runs takes a whole number >= 1\n${USAGE}`); process.exit(2); }
    return opts;
}

/**
 * CPU seconds (user + system) of this process's finished children, from /proc/self/stat (cutime and
 * cstime, in clock ticks of 1/100 s on Linux); undefined where there is no /proc. CPU time moves far
 * less than wall time with the machine's load.
 */
function childrenCpuSeconds() {
    try {
        const fields = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
        // After "pid (comm) ": state is field 3, so cutime (16) and cstime (17) are at 13 and 14.
        return (Number(fields[13]) + Number(fields[14])) / 100;
    } catch {
        return undefined;
    }
}

/** One `npm test` in `dir`: wall and CPU seconds, load average at the start, the runner's summary line. */
function runOnce(dir) {
    const load = os.loadavg()[0];
    const cpuBefore = childrenCpuSeconds();
    const start = process.hrtime.bigint();
    const r = spawnSync(process.platform === "win32" ? "npm.cmd" : "npm", ["test"], {
        cwd: dir, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"],
    });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cpuAfter = childrenCpuSeconds();
    const cpu = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
    const summary = `${r.stdout ?? ""}\n${r.stderr ?? ""}`.split("\n").filter((l) => /^\d+ passed, \d+ failed/.test(l)).pop();
    return { seconds, cpu, load, summary: summary ?? "(no summary line)", ok: r.status === 0 };
}

function stats(xs) {
    const s = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return { median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s[s.length - 1] };
}

const fmt = (x) => `${x.toFixed(1)} s`;

function main() {
    const opts = parseArgs(process.argv.slice(2));
    const sides = [{ label: "this", dir: ROOT, runs: [] }];
    if (opts.compare) sides.push({ label: "compare", dir: opts.compare, runs: [] });
    console.log(`npm test x${opts.runs}${opts.compare ? `, alternating with ${opts.compare}` : ""}; ${os.cpus().length} CPUs`);
    let failed = false;
    for (let i = 1; i <= opts.runs; i++) {
        for (const side of sides) {
            const r = runOnce(side.dir);
            side.runs.push(r);
            failed ||= !r.ok;
            const cpu = r.cpu === undefined ? "n/a" : fmt(r.cpu);
            console.log(`run ${i} ${side.label.padEnd(7)} ${fmt(r.seconds).padStart(8)}   cpu ${cpu.padStart(7)}   load ${r.load.toFixed(2).padStart(5)}   ${r.summary}${r.ok ? "" : "   FAILED"}`);
        }
    }
    for (const side of sides) {
        const s = stats(side.runs.map((r) => r.seconds));
        const cpus = side.runs.map((r) => r.cpu).filter((c) => c !== undefined);
        const cpu = cpus.length === side.runs.length ? `; cpu median ${fmt(stats(cpus).median)}` : "";
        console.log(`${side.label.padEnd(7)} wall median ${fmt(s.median)}  min ${fmt(s.min)}  max ${fmt(s.max)}${cpu}  (${side.dir})`);
    }
    if (sides.length === 2) {
        const [a, b] = sides.map((side) => stats(side.runs.map((r) => r.seconds)).median);
        console.log(`this / compare (medians): ${(a / b).toFixed(2)}`);
    }
    process.exitCode = failed ? 1 : 0;
}

main();
