import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { automationE2eStack } from "../../tools/e2e/stack";

/**
 * The e2e stack through the real Automation API and the rollout tests' recording stand-in CLI
 * (tests/rollout/support/fake-pulumi.js): a run creates its stack (never selects one), destroys and
 * removes it; the sweep selects a stack a run left.
 */
describe("npm run e2e: the disposable stack through the Automation API (fake pulumi CLI)", function () {
    this.timeout(20_000);
    let root: string;
    let command: PulumiCommand;

    before(async () => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-fake-pulumi-"));
        fs.mkdirSync(path.join(root, "bin"));
        const fake = path.join(__dirname, "..", "rollout", "support", "fake-pulumi.js");
        fs.writeFileSync(path.join(root, "bin", "pulumi"), `#!/bin/sh\nexec "${process.execPath}" "${fake}" "$@"\n`, { mode: 0o755 });
        fs.mkdirSync(path.join(root, "project"));
        fs.writeFileSync(path.join(root, "project", "Pulumi.yaml"), "name: eks-platform\nruntime: nodejs\n");
        command = await PulumiCommand.get({ root, skipVersionCheck: true });
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it("creates the run's stack with stack init, destroys it with pulumi destroy and removes it keeping the stack file for the run", async () => {
        const log = path.join(root, "calls.jsonl");
        const script = path.join(root, "script.json");
        fs.writeFileSync(script, JSON.stringify({ commands: { destroy: {
            events: [{ summaryEvent: { maybeCorrupt: false, durationSeconds: 1, resourceChanges: { delete: 3 }, policyPacks: {} } }],
            stdout: "",
        } } }));
        const envVars = { FAKE_PULUMI_LOG: log, FAKE_PULUMI_SCRIPT: script };
        const stack = await automationE2eStack({ stackName: "e2e-0a1b2c", workDir: path.join(root, "project"), pulumiCommand: command, envVars }, true);
        assert.equal(stack.rollout.name, "e2e-0a1b2c");
        assert.equal(stack.rollout.project, "eks-platform");
        await stack.destroy({ signal: new AbortController().signal, onEvent: () => undefined });
        await stack.remove();
        const opened = await automationE2eStack({ stackName: "e2e-0a1b2c", workDir: path.join(root, "project"), pulumiCommand: command, envVars }, false);
        assert.equal(opened.rollout.name, "e2e-0a1b2c");
        const logged = fs.readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l));
        assert.ok(logged.every((c) => c.env.EKS_PLATFORM_REGIONS === ""), "every command registers every region, whatever the shell exported");
        const argv = logged.map((c) => c.argv as string[])
            .map((a) => a.map((x, i) => (a[i - 1] === "--event-log" ? "<file>" : x)));
        assert.deepEqual(argv[0], ["stack", "init", "e2e-0a1b2c", "--non-interactive"], "a run creates its stack; it never selects an existing one");
        const destroy = argv.find((a) => a[0] === "destroy")!;
        assert.ok(destroy.includes("--yes") && destroy.includes("--skip-preview") && destroy.includes("--stack") && destroy.includes("e2e-0a1b2c"), destroy.join(" "));
        assert.deepEqual(argv.find((a) => a[0] === "stack" && a[1] === "rm"), ["stack", "rm", "--yes", "--preserve-config", "e2e-0a1b2c", "--non-interactive"]);
        assert.deepEqual(argv[argv.length - 1], ["stack", "select", "--stack", "e2e-0a1b2c", "--non-interactive"], "the sweep selects a stack a run left");
    });

    it("refuses a Pulumi CLI older than the project needs before it creates the run's stack", async () => {
        const oldRoot = fs.mkdtempSync(path.join(root, "old-cli-"));
        fs.mkdirSync(path.join(oldRoot, "bin"));
        const fake = path.join(__dirname, "..", "rollout", "support", "fake-pulumi.js");
        fs.writeFileSync(path.join(oldRoot, "bin", "pulumi"), `#!/bin/sh\nFAKE_PULUMI_VERSION=v3.157.2 exec "${process.execPath}" "${fake}" "$@"\n`, { mode: 0o755 });
        const oldCommand = await PulumiCommand.get({ root: oldRoot, skipVersionCheck: true });
        const log = path.join(oldRoot, "calls.jsonl");
        const script = path.join(oldRoot, "script.json");
        fs.writeFileSync(script, "{}");
        await assert.rejects(automationE2eStack({ stackName: "e2e-0a1b2c", workDir: path.join(root, "project"), pulumiCommand: oldCommand, envVars: { FAKE_PULUMI_LOG: log, FAKE_PULUMI_SCRIPT: script } }, true),
            /the Pulumi CLI is 3\.157\.2, older than 3\.158\.0/);
        assert.equal(fs.existsSync(log), false, "no stack init (nor any other command) ran");
    });
});
