/**
 * The command: arguments, exit codes, config errors, and one run as a real process.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../../tools/harness/program";
import { EXIT, main } from "../../tools/plan/cli";
import { plan, UsageError } from "../../tools/plan/plan";
import { captureIo, stackDir, tempDir } from "./helpers";

describe("plan command", function () {
    this.timeout(60000);

    it("exits 2 for an unknown stack, listing the stacks that exist", async () => {
        const io = captureIo();
        assert.equal(await main(["staging"], io), EXIT.usage);
        const err = io.err.join("");
        assert.match(err, /unknown stack "staging"/);
        assert.match(err, /stacks: dev, prod/);
        await assert.rejects(plan("staging", { out: false }), (e: unknown) =>
            e instanceof UsageError && e.stacks.join(",") === "dev,prod");
    });

    it("exits 2 for an unknown flag, a missing stack or two stacks", async () => {
        for (const argv of [["dev", "--verbose"], [], ["dev", "prod"], ["dev", "--out"]]) {
            const io = captureIo();
            assert.equal(await main(argv, io), EXIT.usage, argv.join(" "));
            assert.match(io.err.join(""), /stacks: dev, prod/, argv.join(" "));
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
        const dir = stackDir("typo", "dev", (t) => t.replace("eks-platform:flowLogs: false", "eks-platform:flowLog: false"));
        const io = captureIo();
        assert.equal(await main(["typo", "--dir", dir, "--out", tempDir("typo-out")], io), EXIT.invalid);
        const err = io.err.join("");
        assert.match(err, /eks-platform:flowLog = false: unknown key/);
        assert.match(err, /eks-platform:flowLogs = \(missing\): is required/);
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

    it("runs as `npm run plan` does: a real process, exit 0 and the plan on stdout", () => {
        const out = tempDir("process");
        const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "tools/plan/cli.ts", "dev", "--out", out], {
            cwd: PROJECT_DIR, encoding: "utf8", timeout: 60000,
        });
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, /^Offline plan of stack "dev"/);
        assert.match(r.stdout, /Planned: \d+ resources in 1 region/);
        assert.deepEqual(fs.readdirSync(out).sort(), ["architecture.md", "cost.json", "cost.md", "manifests", "resources.json", "timeline.md"]);
        const unknown = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "tools/plan/cli.ts", "qa"], {
            cwd: PROJECT_DIR, encoding: "utf8", timeout: 60000,
        });
        assert.equal(unknown.status, 2);
        assert.match(unknown.stderr, /stacks: dev, prod/);
    });

    it("replaces a stale manifest file of a region the stack no longer has, and nothing else", async () => {
        const out = tempDir("stale");
        fs.mkdirSync(path.join(out, "manifests"));
        fs.writeFileSync(path.join(out, "manifests", "eu-west-1.yaml"), "stale");
        fs.writeFileSync(path.join(out, "notes.txt"), "mine");
        const r = await plan("dev", { out });
        assert.equal(r.status, "planned");
        assert.deepEqual(fs.readdirSync(path.join(out, "manifests")), ["ap-northeast-2.yaml"]);
        assert.equal(fs.readFileSync(path.join(out, "notes.txt"), "utf8"), "mine");
    });
});
