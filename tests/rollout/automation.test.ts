import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    ConcurrentUpdateError, ConfigMap, EngineEvent, OutputMap, PreviewOptions, PreviewResult, PulumiCommand, RefreshOptions,
    RefreshResult, StackNotFoundError, UpOptions, UpResult,
} from "@pulumi/pulumi/automation";
import {
    AutomationRolloutStack, AutomationStack, oncePerSequence, openStack, summarizeCliError, toOperationError,
} from "../../tools/rollout/automation";
import { main } from "../../tools/rollout/cli";
import { EXIT } from "../../tools/rollout/exit-codes";
import { Rollout } from "../../tools/rollout/orchestrator";
import { StackOperationError } from "../../tools/rollout/stack-ops";
import { regionTargets } from "../../tools/rollout/waves";
import { stackConfig } from "./support/fake-stack";

/** A stand-in for `automation.Stack` with the same method signatures, recording the options it gets. */
class RecordingStack implements AutomationStack {
    readonly calls: Array<{ method: string; opts?: any }> = [];
    failWith?: unknown;
    constructor(readonly name: string) {}
    private record(method: string, opts?: any) {
        this.calls.push({ method, opts });
        if (this.failWith) throw this.failWith;
    }
    async getAllConfig(): Promise<ConfigMap> {
        this.record("getAllConfig");
        return { "eks-platform:environment": { value: "prod", secret: false }, "eks-platform:token": { value: "s3cr3t", secret: true } };
    }
    async preview(opts?: PreviewOptions): Promise<PreviewResult> {
        this.record("preview", opts);
        return { stdout: "", stderr: "", changeSummary: { create: 2 } };
    }
    async up(opts?: UpOptions): Promise<UpResult> {
        this.record("up", opts);
        return { stdout: "", stderr: "", outputs: {}, summary: { resourceChanges: { update: 1 } } as UpResult["summary"] };
    }
    async refresh(opts?: RefreshOptions): Promise<RefreshResult> {
        this.record("refresh", opts);
        return { stdout: "", stderr: "", summary: { resourceChanges: { same: 3 } } as RefreshResult["summary"] };
    }
    async previewRefresh(opts?: RefreshOptions): Promise<PreviewResult> {
        this.record("previewRefresh", opts);
        return { stdout: "", stderr: "", changeSummary: { same: 3 } };
    }
    async outputs(): Promise<OutputMap> {
        this.record("outputs");
        return { regions: { value: {}, secret: false } };
    }
    async cancel(): Promise<void> {
        this.record("cancel");
    }
}

describe("Automation API adapter: options passed to the Stack", () => {
    const signal = new AbortController().signal;
    const received: EngineEvent[] = [];
    const onEvent = (e: EngineEvent) => { received.push(e); };
    /** The handler the Stack was given: our onEvent behind the once-per-sequence filter. */
    function forwarded(handler: unknown): unknown {
        assert.equal(typeof handler, "function");
        received.length = 0;
        const e = { sequence: 7, timestamp: 0, cancelEvent: {} } as EngineEvent;
        (handler as (e: EngineEvent) => void)(e);
        (handler as (e: EngineEvent) => void)(e);
        assert.deepEqual(received, [e], "delivered to our handler, once per sequence");
        return handler;
    }
    const targets = regionTargets({ stack: "prod", project: "eks-platform", environment: "prod" }, "ap-northeast-2");

    it("previews with targets, refresh, policy packs, the event handler and the abort signal", async () => {
        const s = new RecordingStack("prod");
        const outcome = await new AutomationRolloutStack(s, "eks-platform").preview({
            target: targets, refresh: true, policyPacks: ["policies"], policyPackConfigs: ["policies.json"], signal, onEvent,
        });
        assert.deepEqual(outcome, { changeSummary: { create: 2 } });
        assert.deepEqual(s.calls[0], {
            method: "preview",
            opts: { target: targets, refresh: true, policyPacks: ["policies"], policyPackConfigs: ["policies.json"], onEvent: forwarded(s.calls[0].opts.onEvent), signal },
        });
    });

    it("previews the whole stack when no target is given", async () => {
        const s = new RecordingStack("prod");
        await new AutomationRolloutStack(s, "eks-platform").preview({ signal, onEvent });
        assert.equal("target" in s.calls[0].opts, false);
        assert.equal("refresh" in s.calls[0].opts, false);
    });

    it("updates only the targets, without target dependents, with a message, events and the signal", async () => {
        const s = new RecordingStack("prod");
        const outcome = await new AutomationRolloutStack(s, "eks-platform").up({ target: targets, message: "wave canary", signal, onEvent, policyPacks: ["p"] });
        assert.deepEqual(outcome, { changeSummary: { update: 1 } });
        assert.deepEqual(s.calls[0].opts, { target: targets, message: "wave canary", policyPacks: ["p"], policyPackConfigs: [], onEvent: forwarded(s.calls[0].opts.onEvent), signal });
        assert.equal((s.calls[0].opts as UpOptions).targetDependents, undefined);
    });

    it("checks drift with a refresh preview expecting no changes, and refreshes with events and the signal", async () => {
        const s = new RecordingStack("prod");
        const a = new AutomationRolloutStack(s, "eks-platform");
        await a.previewRefresh({ expectNoChanges: true, signal, onEvent });
        await a.refresh({ signal, onEvent });
        assert.deepEqual(s.calls.map((c) => [c.method, c.opts]), [
            ["previewRefresh", { expectNoChanges: true, onEvent: forwarded(s.calls[0].opts.onEvent), signal }],
            ["refresh", { onEvent: forwarded(s.calls[1].opts.onEvent), signal }],
        ]);
    });

    it("reads config values through the workspace, outputs and cancel through the stack", async () => {
        const s = new RecordingStack("org/prod");
        const a = new AutomationRolloutStack(s, "eks-platform");
        // A secret key the stack file does not show the structure of is sealed whole.
        assert.deepEqual(await a.config(), { values: { "eks-platform:environment": "prod", "eks-platform:token": "[secret]" }, secrets: ["s3cr3t"] });
        await a.outputs();
        await a.cancel();
        assert.deepEqual(s.calls.map((c) => c.method), ["getAllConfig", "outputs", "cancel"]);
        assert.equal(a.name, "org/prod");
    });

    it("classifies failures: lock, unknown stack, interrupt, drift, anything else", async () => {
        const locked = new (ConcurrentUpdateError as any)("code: -2\n stderr: error: the stack is currently locked by 1 lock(s).");
        const s = new RecordingStack("prod");
        s.failWith = locked;
        await assert.rejects(new AutomationRolloutStack(s, "eks-platform").up({ target: targets, signal, onEvent }),
            (e: StackOperationError) => e.kind === "locked" && /stack prod is locked/.test(e.message));

        assert.equal(toOperationError(new (StackNotFoundError as any)("no stack named 'prod' found"), { stack: "prod" }).kind, "stack-not-found");
        const aborted = new AbortController();
        aborted.abort();
        assert.equal(toOperationError(new Error("Command failed with exit code 255"), { stack: "prod", signal: aborted.signal }).kind, "cancelled");
        const drift = new Error("stderr: error: no changes were expected but changes occurred");
        assert.equal(toOperationError(drift, { stack: "prod", expectNoChanges: true }).kind, "changes-not-expected");
        assert.equal(toOperationError(drift, { stack: "prod" }).kind, "failed");
        assert.equal(toOperationError(new Error("Command failed with exit code 7: pulumi refresh"), { stack: "prod", expectNoChanges: true }).kind,
            "changes-not-expected");
    });

    it("keeps the CLI's own error lines from a CommandError's text", () => {
        const text = "code: -2\n stdout: \n stderr: Command failed with exit code 255: pulumi up --yes\n" +
            "error: update failed\n  aws:eks:Cluster (c):\n    error: creating EKS Cluster: AccessDenied\n\n err?: Error: Command failed";
        assert.equal(summarizeCliError(text), "error: update failed\nerror: creating EKS Cluster: AccessDenied");
        assert.equal(summarizeCliError("code: -2\n stderr: Command failed with exit code 1: pulumi preview\npanic: boom"),
            "pulumi exited with code 1\npanic: boom");
    });
});

/**
 * The real Automation API (SDK 3.248) driving a recording stand-in for the `pulumi` executable
 * (tests/rollout/support/fake-pulumi.js): the exact CLI arguments, the event stream and the error
 * classification, as in production.
 */
describe("Automation API adapter: CLI arguments, through a recording stand-in pulumi executable", function () {
    this.timeout(20_000);
    let root: string;
    let workDir: string;
    let command: PulumiCommand;

    before(async () => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "fake-pulumi-"));
        fs.mkdirSync(path.join(root, "bin"));
        const fake = path.join(__dirname, "support", "fake-pulumi.js");
        fs.writeFileSync(path.join(root, "bin", "pulumi"), `#!/bin/sh\nexec "${process.execPath}" "${fake}" "$@"\n`, { mode: 0o755 });
        workDir = path.join(root, "project");
        fs.mkdirSync(workDir);
        fs.writeFileSync(path.join(workDir, "Pulumi.yaml"), "name: eks-platform\nruntime: nodejs\n");
        command = await PulumiCommand.get({ root, skipVersionCheck: true });
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    /** Opens the stack with a fresh script and call log. */
    async function open(script: object, stackName = "org/prod") {
        const dir = fs.mkdtempSync(path.join(root, "run-"));
        const log = path.join(dir, "calls.jsonl");
        const scriptFile = path.join(dir, "script.json");
        fs.writeFileSync(scriptFile, JSON.stringify(script));
        const stack = await openStack({ stackName, workDir, pulumiCommand: command, envVars: { FAKE_PULUMI_LOG: log, FAKE_PULUMI_SCRIPT: scriptFile } });
        const calls = () => fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l)) : [];
        return { stack, calls };
    }
    const withoutEventLog = (argv: string[]) => {
        const i = argv.indexOf("--event-log");
        return i < 0 ? argv : [...argv.slice(0, i + 1), "<file>", ...argv.slice(i + 2)];
    };
    const noop = () => undefined;

    it("refuses a Pulumi CLI older than the engine the project needs, before any operation", async () => {
        const oldRoot = fs.mkdtempSync(path.join(root, "old-cli-"));
        fs.mkdirSync(path.join(oldRoot, "bin"));
        const fake = path.join(__dirname, "support", "fake-pulumi.js");
        fs.writeFileSync(path.join(oldRoot, "bin", "pulumi"), `#!/bin/sh\nFAKE_PULUMI_VERSION=v3.150.0 exec "${process.execPath}" "${fake}" "$@"\n`, { mode: 0o755 });
        const oldCommand = await PulumiCommand.get({ root: oldRoot, skipVersionCheck: true });
        const scriptFile = path.join(oldRoot, "script.json");
        const log = path.join(oldRoot, "calls.jsonl");
        fs.writeFileSync(scriptFile, "{}");
        await assert.rejects(openStack({ stackName: "org/prod", workDir, pulumiCommand: oldCommand, envVars: { FAKE_PULUMI_SCRIPT: scriptFile, FAKE_PULUMI_LOG: log } }),
            /the Pulumi CLI is 3\.150\.0, older than 3\.158\.0/);
        // Only `pulumi version` ran (the fake logs every other command): no stack was selected.
        assert.equal(fs.existsSync(log), false, fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "");
    });

    it("selects the stack and reads its config with `pulumi config --show-secrets --json`", async () => {
        const { stack, calls } = await open({ config: { "eks-platform:environment": { value: "prod", secret: false } } });
        assert.equal(stack.project, "eks-platform");
        assert.deepEqual(await stack.config(), { values: { "eks-platform:environment": "prod" }, secrets: [] });
        assert.deepEqual(calls().map((c) => c.argv), [
            ["stack", "select", "--stack", "org/prod", "--non-interactive"],
            ["config", "--show-secrets", "--json", "--stack", "org/prod", "--non-interactive"],
        ]);
    });

    it("passes targets, policy packs and an event log to preview, and delivers the events", async () => {
        const urn = "urn:pulumi:prod::eks-platform::eks-platform:index:RegionalPlatform::prod-ap-northeast-2";
        const { stack, calls } = await open({ commands: { preview: { events: [
            { resourcePreEvent: { metadata: { op: "create", urn, type: "eks-platform:index:RegionalPlatform", provider: "" }, planning: true } },
            { summaryEvent: { maybeCorrupt: false, durationSeconds: 1, resourceChanges: { create: 1 }, policyPacks: {} } },
        ] } } });
        const events: EngineEvent[] = [];
        const outcome = await stack.preview({ target: ["t1", "t2"], policyPacks: ["pol"], policyPackConfigs: ["pol.json"], signal: new AbortController().signal, onEvent: (e) => events.push(e) });
        assert.deepEqual(outcome.changeSummary, { create: 1 });
        assert.deepEqual(events.map((e) => Object.keys(e).find((k) => k.endsWith("Event"))), ["resourcePreEvent", "summaryEvent"]);
        const preview = calls().find((c) => c.argv[0] === "preview");
        assert.deepEqual(withoutEventLog(preview.argv), [
            "preview", "--target", "t1", "--target", "t2", "--policy-pack", "pol", "--policy-pack-config", "pol.json",
            "--exec-kind", "auto.local", "--event-log", "<file>", "--stack", "org/prod", "--non-interactive",
        ]);
        assert.equal(preview.env.PULUMI_DEBUG_COMMANDS, "true");
    });

    it("runs up with --target per URN (globs included), a message, no --target-dependents", async () => {
        const { stack, calls } = await open({ commands: { up: {} }, outputs: {} });
        const targets = regionTargets({ stack: "org/prod", project: "eks-platform", environment: "prod" }, "ap-northeast-2");
        await stack.up({ target: targets, message: "wave canary", signal: new AbortController().signal, onEvent: noop });
        const up = calls().find((c) => c.argv[0] === "up");
        assert.deepEqual(withoutEventLog(up.argv), [
            "up", "--yes", "--skip-preview", "--message", "wave canary",
            "--target", "urn:pulumi:prod::eks-platform::eks-platform:index:RegionalPlatform::prod-ap-northeast-2",
            "--target", "urn:pulumi:prod::eks-platform::eks-platform:index:RegionalPlatform$**::prod-ap-northeast-2-**",
            "--exec-kind", "auto.local", "--event-log", "<file>", "--stack", "org/prod", "--non-interactive",
        ]);
        assert.equal(up.argv.includes("--target-dependents"), false);
    });

    it("checks drift with `refresh --preview-only --expect-no-changes` and classifies the CLI's drift error", async () => {
        const { stack, calls } = await open({ commands: { "refresh --preview-only": {
            stderr: "error: no changes were expected but changes occurred\n", exitCode: 1,
        } } });
        await assert.rejects(stack.previewRefresh({ expectNoChanges: true, signal: new AbortController().signal, onEvent: noop }),
            (e: StackOperationError) => e.kind === "changes-not-expected");
        const refresh = calls().find((c) => c.argv[0] === "refresh");
        assert.deepEqual(withoutEventLog(refresh.argv), [
            "refresh", "--preview-only", "--expect-no-changes", "--exec-kind", "auto.local", "--event-log", "<file>",
            "--stack", "org/prod", "--non-interactive",
        ]);
    });

    it("refreshes with `refresh --skip-preview --yes`", async () => {
        const { stack, calls } = await open({ commands: { refresh: {} } });
        await stack.refresh({ signal: new AbortController().signal, onEvent: noop });
        const refresh = calls().find((c) => c.argv[0] === "refresh");
        assert.deepEqual(withoutEventLog(refresh.argv).slice(0, 3), ["refresh", "--skip-preview", "--yes"]);
    });

    it("turns a DIY backend's lock message into a `locked` error, once, without retrying", async () => {
        const { stack, calls } = await open({ commands: { up: {
            stderr: "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n",
            exitCode: 255,
        } } });
        await assert.rejects(stack.up({ target: ["t"], signal: new AbortController().signal, onEvent: noop }),
            (e: StackOperationError) => e.kind === "locked");
        assert.equal(calls().filter((c) => c.argv?.[0] === "up").length, 1);
    });

    it("interrupts the running CLI with SIGINT when the signal aborts, and reports it cancelled", async () => {
        const { stack, calls } = await open({ commands: { up: { waitForSigint: true, stderr: "error: update canceled\n", exitCode: 255 } } });
        const controller = new AbortController();
        // Abort once the CLI is waiting for SIGINT, however slowly it starts.
        const poll = setInterval(() => {
            if (calls().some((c) => c.waitingForSigint)) {
                clearInterval(poll);
                controller.abort();
            }
        }, 50);
        try {
            await assert.rejects(stack.up({ target: ["t"], signal: controller.signal, onEvent: noop }),
                (e: StackOperationError) => e.kind === "cancelled");
        } finally {
            clearInterval(poll);
        }
        assert.ok(calls().some((c) => c.signal === "SIGINT"), "the CLI received SIGINT");
    });

    it("a key the CLI calls secret but the checkout's stack file shows plain: the invalid value never reaches stdout, --json or --markdown", async () => {
        // The repro of issue 17 item 1: `pulumi config set --secret eks-platform:environment <bad>` after the
        // stack file was committed (or on another branch): the CLI decrypts it, the file shows a plain value.
        const project = fs.mkdtempSync(path.join(root, "project-"));
        fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: eks-platform\nruntime: nodejs\n");
        fs.writeFileSync(path.join(project, "Pulumi.prod.yaml"), "config:\n  eks-platform:environment: prod\n");
        const config: Record<string, { value: string; secret: boolean }> = {};
        for (const [k, v] of Object.entries(stackConfig({ regions: ["ap-northeast-2"] }))) config[k] = { value: v, secret: false };
        config["eks-platform:environment"] = { value: "qa-LEAKED-7c1", secret: true };
        const dir = fs.mkdtempSync(path.join(root, "run-"));
        const scriptFile = path.join(dir, "script.json");
        fs.writeFileSync(scriptFile, JSON.stringify({ config }));
        const json = path.join(dir, "report.json");
        const md = path.join(dir, "summary.md");
        const lines: string[] = [];
        const code = await main(["--stack", "prod", "--preview", "--cwd", project, "--json", json, "--markdown", md], {
            out: (l) => lines.push(l), err: (l) => lines.push(l),
            openStack: (o) => openStack({ ...o, pulumiCommand: command, envVars: { FAKE_PULUMI_SCRIPT: scriptFile } }),
        });
        assert.equal(code, EXIT.USAGE);
        for (const [where, text] of Object.entries({ printed: lines.join("\n"), json: fs.readFileSync(json, "utf8"), markdown: fs.readFileSync(md, "utf8") })) {
            assert.ok(!text.includes("LEAKED"), `the secret leaked into ${where}`);
            assert.match(text, /eks-platform:environment = \\?"\[secret\]\\?": is a secret/, where);
        }
    });

    it("runs a one-wave rollout end to end through the real SDK", async () => {
        const urn = "urn:pulumi:prod::eks-platform::eks-platform:index:RegionalPlatform$aws:ec2/vpc:Vpc::prod-ap-northeast-2-vpc";
        const step = (op: string) => [
            { resourcePreEvent: { metadata: { op, urn, type: "aws:ec2/vpc:Vpc", provider: "" } } },
            { resOutputsEvent: { metadata: { op, urn, type: "aws:ec2/vpc:Vpc", provider: "" } } },
        ];
        const config: Record<string, { value: string; secret: boolean }> = {};
        for (const [k, v] of Object.entries(stackConfig({ regions: ["ap-northeast-2"] }))) config[k] = { value: v, secret: false };
        const { stack, calls } = await open({
            config,
            commands: {
                preview: { events: [...step("update"), { summaryEvent: { maybeCorrupt: false, durationSeconds: 1, resourceChanges: { update: 1 }, policyPacks: {} } }] },
                up: { events: step("update") },
            },
            outputs: { regions: { "ap-northeast-2": { clusterEndpoint: "https://x.eks", kubeconfig: "TOKEN" } } },
            maskedOutputs: { regions: { "ap-northeast-2": { clusterEndpoint: "https://x.eks", kubeconfig: "[secret]" } } },
        });
        const lines: string[] = [];
        // Exported in the shell, the variable must not reach any command: the rollout sets it for each.
        const exported = process.env.EKS_PLATFORM_REGIONS;
        process.env.EKS_PLATFORM_REGIONS = "ap-northeast-1";
        let report;
        try {
            report = await new Rollout({ stack, signal: new AbortController().signal, log: (l) => lines.push(l), connect: async () => undefined }, { mode: "up" }).run();
        } finally {
            if (exported === undefined) delete process.env.EKS_PLATFORM_REGIONS;
            else process.env.EKS_PLATFORM_REGIONS = exported;
        }
        assert.equal(report.exitCode, EXIT.OK, JSON.stringify(report.failure));
        assert.deepEqual(report.regions["ap-northeast-2"].changes, { update: 1 });
        assert.deepEqual(report.regions["ap-northeast-2"].outputs, { clusterEndpoint: "https://x.eks" });
        assert.ok(lines.some((l) => l.startsWith("[ap-northeast-2] up      update   aws:ec2/vpc:Vpc prod-ap-northeast-2-vpc")), lines.join("\n"));
        const ops = calls().map((c) => c.argv.slice(0, 2).join(" "));
        // Deployed regions are read from the outputs first; each output read is `stack output` twice
        // (masked and with secrets).
        assert.deepEqual(ops, ["stack select", "config --show-secrets", "stack output", "stack output", "preview --target", "up --yes",
            "stack output", "stack output", "stack history", "stack output", "stack output"]);
        // The program registers the deployed regions and the wave's (REGIONS_ENV) in the wave's preview
        // and update (including the SDK's own `stack output` / `stack history` inside up()), never in the
        // config read or the rollout's own output reads.
        // Empty means every region (stacks/region-selection.ts); the shell's value reaches none of them.
        assert.deepEqual(calls().map((c) => [c.argv.slice(0, 2).join(" "), c.env.EKS_PLATFORM_REGIONS]), [
            ["stack select", ""], ["config --show-secrets", ""], ["stack output", ""], ["stack output", ""],
            ["preview --target", "ap-northeast-2"], ["up --yes", "ap-northeast-2"],
            ["stack output", "ap-northeast-2"], ["stack output", "ap-northeast-2"], ["stack history", "ap-northeast-2"],
            ["stack output", ""], ["stack output", ""],
        ]);
    });
});

describe("Automation API adapter: engine events", () => {
    it("delivers each sequence number once (the SDK's event-log tail can repeat lines) and passes unnumbered events", () => {
        const seen: unknown[] = [];
        const deliver = oncePerSequence((e) => seen.push(e))!;
        const pre = { sequence: 0, timestamp: 1, resourcePreEvent: {} } as any;
        const summary = { sequence: 1, timestamp: 1, summaryEvent: {} } as any;
        const unnumbered = { timestamp: 1, cancelEvent: {} } as any;
        for (const e of [pre, summary, pre, summary, unnumbered, unnumbered]) deliver(e);
        assert.deepEqual(seen, [pre, summary, unnumbered, unnumbered]);
        assert.equal(oncePerSequence(undefined), undefined, "no handler: the SDK is not asked for an event log");
    });
});
