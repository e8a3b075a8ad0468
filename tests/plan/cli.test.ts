/**
 * The command: arguments, exit codes and config errors in-process (main() with captured output), and
 * what only a real process shows (exit status, stdout apart from stderr, `npm run plan`'s own command
 * line) from two processes run once, side by side, and shared by the tests that read them.
 */
import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../../tools/harness/program";
import { EXIT, main } from "../../tools/plan/cli";
import { planNodeArgs } from "../../tools/plan/command";
import { plan, UsageError } from "../../tools/plan/plan";
import { captureIo, stackDir, tempDir } from "./helpers";

describe("plan command", function () {
    this.timeout(60000);

    it("exits 2 for an unknown stack, listing the stacks that exist", async () => {
        const io = captureIo();
        assert.equal(await main(["staging"], io), EXIT.usage);
        const err = io.err.join("");
        assert.match(err, /unknown stack "staging"/);
        assert.match(err, /stacks: dev, prod, sandbox/);
        await assert.rejects(plan("staging", { out: false }), (e: unknown) =>
            e instanceof UsageError && e.stacks.join(",") === "dev,prod,sandbox");
    });

    it("exits 2 for an unknown flag, a missing stack or two stacks", async () => {
        for (const argv of [["dev", "--verbose"], [], ["dev", "prod"], ["dev", "--out"]]) {
            const io = captureIo();
            assert.equal(await main(argv, io), EXIT.usage, argv.join(" "));
            assert.match(io.err.join(""), /stacks: dev, prod, sandbox/, argv.join(" "));
            assert.deepEqual(io.out, [], "nothing on stdout");
        }
    });

    it("exits 1 with the config error naming each key of a broken stack file", async () => {
        const dir = stackDir("broken", "dev", (t) =>
            t.replace("vpcCidr: 10.20.0.0/16", "vpcCidr: 10.20.0.0/33").replace("capacityType: SPOT", "capacityType: CHEAP"));
        const out = tempDir("broken-out");
        const io = captureIo();
        assert.equal(await main(["broken", "--dir", dir, "--out", out], io), EXIT.invalid);
        const err = io.err.join("");
        assert.match(err, /Invalid stack config for stack "broken" \(2 problems/);
        assert.match(err, /eks-platform:regions\[0\]\.vpcCidr = "10\.20\.0\.0\/33": not a valid IPv4 CIDR/);
        assert.match(err, /eks-platform:nodeGroups\[0\]\.capacityType = "CHEAP"/);
        assert.deepEqual(fs.readdirSync(out), [], "nothing is written for an invalid config");
        const r = await plan("broken", { dir, out: false });
        assert.equal(r.status, "invalid-config");
    });

    it("exits 1 for a stack file that is not YAML", async () => {
        const dir = stackDir("garbled", "dev", (t) => `${t}\n  eks-platform:extra: [unclosed\n`);
        const io = captureIo();
        assert.equal(await main(["garbled", "--dir", dir, "--out", tempDir("garbled-out")], io), EXIT.invalid);
        assert.match(io.err.join(""), /Pulumi\.garbled\.yaml is not valid YAML/);
    });

    it("exits 1 for an unknown key, naming it and the keys allowed", async () => {
        const dir = stackDir("typo", "dev", (t) => t.replace("eks-platform:flowLogs: false", "eks-platform:flowLogs: false\n  eks-platform:flowLog: false"));
        const io = captureIo();
        assert.equal(await main(["typo", "--dir", dir, "--out", tempDir("typo-out")], io), EXIT.invalid);
        const err = io.err.join("");
        assert.match(err, /eks-platform:flowLog = false: unknown key/);
        // A typo *instead of* the key leaves the typed key without a value, which the Pulumi CLI refuses first.
        const only = stackDir("typo2", "dev", (t) => t.replace("eks-platform:flowLogs: false", "eks-platform:flowLog: false"));
        const io2 = captureIo();
        assert.equal(await main(["typo2", "--dir", only, "--out", tempDir("typo-out")], io2), EXIT.invalid);
        assert.match(io2.err.join(""), /Stack 'typo2' is missing configuration value 'eks-platform:flowLogs'/);
    });

    it("prints a JSON summary with --json and exits 0", async () => {
        const out = tempDir("json");
        const io = captureIo();
        assert.equal(await main(["dev", "--json", "--out", out], io), EXIT.ok);
        const summary = JSON.parse(io.out.join(""));
        assert.equal(summary.status, "planned");
        assert.deepEqual(summary.regions.map((r: any) => r.region), ["ap-northeast-2"]);
        assert.equal(summary.regions[0].decisions.cluster.kubernetesVersion, "1.36");
        assert.ok(summary.files.some((f: string) => f.endsWith("architecture.md")));
        assert.ok(fs.existsSync(path.join(out, "resources.json")));
    });

    it("starts a checkout's plan as its package.json does, through the Node launcher or not", () => {
        const dir = tempDir("scripts");
        const withScript = (plan: unknown) => fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ scripts: { plan } }));
        withScript("node tools/toolchain/node.cjs -r ./tools/toolchain/typescript.cjs tools/plan/cli.ts");
        assert.deepEqual(planNodeArgs(dir), ["-r", "./tools/toolchain/typescript.cjs", "tools/plan/cli.ts"]);
        withScript("node -r ts-node/register/transpile-only tools/plan/cli.ts");
        assert.deepEqual(planNodeArgs(dir), ["-r", "ts-node/register/transpile-only", "tools/plan/cli.ts"]);
        withScript("tsx tools/plan/cli.ts");
        assert.throws(() => planNodeArgs(dir), /scripts\.plan is not "node \[tools\/toolchain\/node\.cjs\] <args>": "tsx tools\/plan\/cli\.ts"/);
        withScript(undefined);
        assert.throws(() => planNodeArgs(dir), /scripts\.plan is not/);
    });

    describe("as a real process, started as `npm run plan` starts it", () => {
        let out: string;
        let planned: ProcessResult;
        let unknown: ProcessResult;
        before(async () => {
            out = tempDir("process");
            [planned, unknown] = await Promise.all([runPlanCommand(["dev", "--out", out]), runPlanCommand(["qa"])]);
        });

        it("exits 0 with the plan on stdout and writes the plan's files", () => {
            assert.equal(planned.status, 0, planned.stderr);
            assert.match(planned.stdout, /^Offline plan of stack "dev"/);
            assert.match(planned.stdout, /Planned: \d+ resources in 1 region/);
            assert.doesNotMatch(planned.stderr, /Offline plan|Planned:/, "the plan is not printed on stderr");
            assert.deepEqual(fs.readdirSync(out).sort(), [".eks-platform-plan", "architecture.md", "cost.json", "cost.md", "manifests", "resources.json", "timeline.md"]);
        });

        it("exits 2 for an unknown stack, with the error on stderr and nothing on stdout", () => {
            assert.equal(unknown.status, 2, unknown.stderr);
            assert.match(unknown.stderr, /unknown stack "qa"/);
            assert.match(unknown.stderr, /stacks: dev, prod, sandbox/);
            assert.equal(unknown.stdout, "");
        });
    });
});

interface ProcessResult {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/**
 * Runs the plan command as `npm run plan -- <args>` does (package.json `scripts.plan`, read, so the two
 * cannot drift apart), on this test's Node instead of through the launcher: same loader, same entry.
 */
function runPlanCommand(args: string[]): Promise<ProcessResult> {
    const argv = [...planNodeArgs(PROJECT_DIR), ...args];
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, argv, { cwd: PROJECT_DIR, timeout: 60000 });
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        child.stdout.on("data", (b: Buffer) => stdout.push(b));
        child.stderr.on("data", (b: Buffer) => stderr.push(b));
        child.on("error", reject);
        child.on("close", (status) => resolve({ status, stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8") }));
    });
}
