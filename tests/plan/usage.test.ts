/**
 * Usage errors and stack files the plan cannot read: each says what is wrong, with the right exit
 * code and no stack trace.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../../tools/harness/program";
import { listStacks, readStackConfig } from "../../tools/harness/stack-files";
import { EXIT, main } from "../../tools/plan/cli";
import { regionSelectionProblem } from "../../tools/plan/plan";
import { captureIo, stackDir, tempDir } from "./helpers";

async function run(argv: string[]) {
    const io = captureIo();
    const code = await main(argv, io);
    return { code, err: io.err.join(""), out: io.out.join("") };
}

describe("plan: usage errors and unreadable stack files", function () {
    this.timeout(60000);

    it("--dir to a missing folder or one without Pulumi.yaml is a usage error (exit 2) without a stack trace", async () => {
        const empty = tempDir("no-project");
        for (const [dir, message] of [[path.join(empty, "missing"), /missing: no such folder/], [empty, /is not a Pulumi project: it has no Pulumi\.yaml/]] as const) {
            const r = await run(["dev", "--dir", dir, "--out", tempDir("o")]);
            assert.equal(r.code, EXIT.usage, r.err);
            assert.match(r.err, message);
            assert.doesNotMatch(r.err, /\n\s+at |internal error/);
        }
    });

    it("a stack file that is not a mapping, or whose config is not one, says so (exit 1)", async () => {
        const cases: Array<[string, RegExp]> = [
            ["- just\n- a list\n", /is not a Pulumi stack file: expected a mapping with a `config:` section, found a list/],
            ["config:\n  - eks-platform:environment: dev\n", /`config` must be a mapping of keys to values .* found a list/],
            ["config: hello\n", /`config` must be a mapping .* found a string/],
        ];
        for (const [text, message] of cases) {
            const dir = stackDir("odd", "dev", () => text);
            const r = await run(["odd", "--dir", dir, "--out", tempDir("o")]);
            assert.equal(r.code, EXIT.invalid, r.err);
            assert.match(r.err, message);
            assert.doesNotMatch(r.err, /\n\s+at /);
        }
    });

    it("refuses a stack file without a value for a typed project key that has no default, as the Pulumi CLI does", () => {
        const dir = stackDir("nolog", "dev", (t) => t.replace(/^  eks-platform:flowLogs: .*\n/m, ""));
        assert.throws(() => readStackConfig(dir, "nolog"), /Stack 'nolog' is missing configuration value 'eks-platform:flowLogs' \(typed in Pulumi\.yaml with no default/);
        // Every shipped stack sets them all (the CLI would refuse it otherwise).
        for (const stack of listStacks(PROJECT_DIR)) assert.doesNotThrow(() => readStackConfig(PROJECT_DIR, stack), stack);
    });

    it("lists only stack files the Pulumi CLI reads: Pulumi.x.yml next to Pulumi.yaml is not a stack, and says why", async () => {
        const dir = stackDir("dev", "dev", (t) => t);
        fs.copyFileSync(path.join(dir, "Pulumi.dev.yaml"), path.join(dir, "Pulumi.x.yml"));
        assert.deepEqual(listStacks(dir), ["dev"]);
        const r = await run(["x", "--dir", dir, "--out", tempDir("o")]);
        assert.equal(r.code, EXIT.usage);
        assert.match(r.err, /unknown stack "x": there is no Pulumi\.x\.yaml .*\(Pulumi\.x\.yml is not read: with Pulumi\.yaml the Pulumi CLI reads Pulumi\.x\.yaml\)/);
        assert.match(r.err, /stacks: dev\n/);
    });

    it("EKS_PLATFORM_REGIONS exported in the shell is refused with what to do (exit 2), not a crash in the tree", async () => {
        assert.equal(regionSelectionProblem({}), undefined);
        assert.equal(regionSelectionProblem({ EKS_PLATFORM_REGIONS: " " }), undefined, "empty means every region");
        assert.match(regionSelectionProblem({ EKS_PLATFORM_REGIONS: "ap-northeast-1" })!,
            /EKS_PLATFORM_REGIONS="ap-northeast-1" is set in the environment; .*covers every region .*Unset it/);
        const before = process.env.EKS_PLATFORM_REGIONS;
        process.env.EKS_PLATFORM_REGIONS = "ap-northeast-1";
        try {
            const r = await run(["dev", "--out", tempDir("o")]);
            assert.equal(r.code, EXIT.usage, r.err);
            assert.match(r.err, /^error: EKS_PLATFORM_REGIONS="ap-northeast-1" is set in the environment/);
        } finally {
            if (before === undefined) delete process.env.EKS_PLATFORM_REGIONS; else process.env.EKS_PLATFORM_REGIONS = before;
        }
    });
});
