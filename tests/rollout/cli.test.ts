import { strict as assert } from "assert";
import { EventEmitter } from "events";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseCliArgs } from "../../tools/rollout/args";
import { PROJECT_DIR, main } from "../../tools/rollout/cli";
import { EXIT } from "../../tools/rollout/exit-codes";
import { Interrupts, SignalName } from "../../tools/rollout/interrupts";
import { StackOperationError } from "../../tools/rollout/stack-ops";
import { FakeAccount } from "./support/fake-account";
import { FakeEks } from "./support/fake-eks";
import { FakeStack, lockedError, reachAll, regionOutputs, stackConfig, untilAborted } from "./support/fake-stack";

describe("rollout command line", () => {
    it("defaults to up and reads every flag", () => {
        assert.deepEqual(parseCliArgs(["--stack", "prod"]), {
            kind: "run",
            options: { stack: "prod", mode: "up", refresh: false, json: undefined, markdown: undefined, policyPacks: [], policyPackConfigs: [], cwd: undefined, ignoreInsights: false, skipBake: false, ignorePreexistingAlarms: false },
        });
        const parsed = parseCliArgs(["-s", "org/prod", "--preview", "--refresh", "--json", "r.json", "--markdown", "s.md",
            "--policy-pack", "a", "--policy-pack", "b", "--policy-pack-config", "a.json", "--cwd", "infra"]);
        assert.deepEqual(parsed, {
            kind: "run",
            options: { stack: "org/prod", mode: "preview", refresh: true, json: "r.json", markdown: "s.md", policyPacks: ["a", "b"], policyPackConfigs: ["a.json"], cwd: "infra", ignoreInsights: false, skipBake: false, ignorePreexistingAlarms: false },
        });
        assert.equal(parseCliArgs(["--stack", "dev", "--drift"]).kind === "run" && (parseCliArgs(["--stack", "dev", "--drift"]) as any).options.mode, "drift");
    });

    it("rejects what cannot run, with a reason", () => {
        const reason = (argv: string[]) => { const p = parseCliArgs(argv); return p.kind === "error" ? p.message : `(${p.kind})`; };
        assert.match(reason([]), /--stack <name> is required/);
        assert.match(reason(["--stack", "prod", "--preview", "--drift"]), /at most one/);
        assert.match(reason(["--stack", "prod", "--drift", "--refresh"]), /no effect with --drift/);
        assert.match(reason(["--stack", "prod", "--drift", "--policy-pack", "p"]), /not to --drift/);
        assert.match(reason(["--stack", "prod", "--policy-pack-config", "c.json"]), /needs at least one --policy-pack/);
        assert.match(reason(["--stack", "prod", "--yes"]), /Unknown option '--yes'/);
        assert.match(reason(["--stack", "prod", "extra"]), /Unexpected argument 'extra'/);
        assert.equal(reason(["--help"]), "(help)");
    });

    it("runs from the repository root by default", () => {
        assert.ok(fs.existsSync(path.join(PROJECT_DIR, "Pulumi.yaml")));
    });
});

describe("rollout command: exit codes and files", () => {
    const dirs: string[] = [];
    const dir = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-cli-")); dirs.push(d); return d; };
    after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });
    // Every AWS reader faked: left out, the real SDK client would run (and call EKS wherever credentials are set).
    const quiet = { out: () => undefined, err: () => undefined, connect: reachAll, account: new FakeAccount(), eks: new FakeEks() };

    function stackFor(configure?: (s: FakeStack) => void) {
        const s = new FakeStack("prod", stackConfig({ regions: ["ap-northeast-2", "ap-northeast-1"] }));
        s.outputsValue = regionOutputs(["ap-northeast-2", "ap-northeast-1"]);
        configure?.(s);
        return s;
    }

    it("exits 2 on a usage error, before touching any stack", async () => {
        let opened = false;
        const errors: string[] = [];
        const code = await main(["--stack", "prod", "--preview", "--drift"], { ...quiet, err: (l) => errors.push(l), openStack: async () => { opened = true; return stackFor(); } });
        assert.equal(code, EXIT.USAGE);
        assert.equal(opened, false);
        assert.match(errors[0], /^error: .*at most one[\s\S]*Usage: npm run rollout/);
    });

    it("opens the stack in the project directory, rolls out, writes the JSON report and appends the Markdown summary", async () => {
        const d = dir();
        const json = path.join(d, "report.json");
        const md = path.join(d, "summary.md");
        fs.writeFileSync(md, "previous step\n");
        let openedWith: unknown;
        const eks = new FakeEks();
        const code = await main(["--stack", "prod", "--json", json, "--markdown", md], {
            ...quiet, eks, openStack: async (o) => { openedWith = o; return stackFor(); },
        });
        assert.equal(code, EXIT.OK);
        // The rollout asked EKS through the given reader, not a real SDK client.
        assert.ok(eks.calls.some((c) => c.startsWith("DescribeCluster ap-northeast-2 ")), eks.calls.join(", "));
        assert.deepEqual(openedWith, { stackName: "prod", workDir: PROJECT_DIR });
        const report = JSON.parse(fs.readFileSync(json, "utf8"));
        assert.equal(report.status, "succeeded");
        assert.deepEqual(Object.keys(report.regions), ["ap-northeast-2", "ap-northeast-1"]);
        const summary = fs.readFileSync(md, "utf8");
        assert.ok(summary.startsWith("previous step\n### ✅ Rollout of stack `prod`: succeeded"), summary);
        assert.match(summary, /\| ap-northeast-1 \| rest \| ✅ succeeded \|/);
    });

    it("exits 2 before opening the stack for a missing --cwd, a folder without Pulumi.yaml, or report files that cannot be written", async () => {
        const d = dir();
        fs.writeFileSync(path.join(d, "file"), "x");
        const cases: Array<[string[], RegExp]> = [
            [["--cwd", path.join(d, "missing")], /--cwd .*missing: no such folder/],
            [["--cwd", d], /not a Pulumi project \(no Pulumi\.yaml there\)/],
            [["--markdown", "/proc/x/r.md"], /--markdown \/proc\/x\/r\.md: .*kernel pseudo-filesystem/],
            [["--json", d], /--json .*: .* is a folder/],
            [["--json", path.join(d, "file", "r.json")], /is not a folder, so .* cannot be created/],
        ];
        for (const [argv, message] of cases) {
            let opened = false;
            const errors: string[] = [];
            const code = await main(["--stack", "prod", ...argv], { ...quiet, err: (l) => errors.push(l), openStack: async () => { opened = true; return stackFor(); } });
            assert.equal(code, EXIT.USAGE, argv.join(" "));
            assert.equal(opened, false);
            assert.match(errors.join("\n"), message);
            assert.doesNotMatch(errors.join("\n"), /\n\s+at /, "no stack trace");
        }
    });

    it("says that EKS_PLATFORM_REGIONS exported in the shell is ignored (the adapter sets it for every command)", async () => {
        const before = process.env.EKS_PLATFORM_REGIONS;
        const lines: string[] = [];
        try {
            process.env.EKS_PLATFORM_REGIONS = "ap-northeast-1";
            await main(["--stack", "prod", "--preview"], { ...quiet, out: (l) => lines.push(l), openStack: async () => stackFor() });
        } finally {
            if (before === undefined) delete process.env.EKS_PLATFORM_REGIONS; else process.env.EKS_PLATFORM_REGIONS = before;
        }
        assert.match(lines[0], /^Note: EKS_PLATFORM_REGIONS="ap-northeast-1" in the environment is ignored/);
        assert.ok(lines.some((l) => l.startsWith("Previewing stack prod (all regions: ap-northeast-2, ap-northeast-1)")), lines.join("\n"));
    });

    it("says a report was written only when it was", async () => {
        const d = dir();
        const json = path.join(d, "r.json");
        const lines: string[] = [];
        const errors: string[] = [];
        const stack = stackFor();
        // The report's folder turns into a file while the rollout runs: the write fails.
        stack.scripts.up = () => { fs.writeFileSync(path.join(d, "late"), "x"); };
        const code = await main(["--stack", "prod", "--json", json, "--markdown", path.join(d, "late", "s.md")], {
            ...quiet, out: (l) => lines.push(l), err: (l) => errors.push(l), openStack: async () => stack,
        });
        assert.equal(code, EXIT.OK);
        assert.ok(lines.includes(`Report written to ${json}`), lines.join("\n"));
        assert.ok(!lines.some((l) => l.startsWith("Summary appended to")), lines.join("\n"));
        assert.match(errors.join("\n"), /could not write .*late\/s\.md: .*late is not a folder/);
    });

    it("exits 4 when the stack is locked and 1 when an update fails", async () => {
        const locked = await main(["--stack", "prod"], { ...quiet, openStack: async () => stackFor((s) => { s.scripts.up = () => { throw lockedError(); }; }) });
        assert.equal(locked, EXIT.LOCKED);
        const failed = await main(["--stack", "prod"], {
            ...quiet, openStack: async () => stackFor((s) => { s.scripts.up = () => { throw new StackOperationError("failed", "error: boom"); }; }),
        });
        assert.equal(failed, EXIT.FAILED);
    });

    it("exits 2 with a report when the stack does not exist", async () => {
        const d = dir();
        const json = path.join(d, "r.json");
        const code = await main(["--stack", "nope", "--json", json], {
            ...quiet, openStack: async () => { throw new StackOperationError("stack-not-found", "no stack named nope in the current backend"); },
        });
        assert.equal(code, EXIT.USAGE);
        const report = JSON.parse(fs.readFileSync(json, "utf8"));
        assert.deepEqual([report.status, report.failure.step], ["invalid", "select"]);
    });

    it("exits 130 on SIGTERM, cancelling the running update, with the report written", async () => {
        const d = dir();
        const json = path.join(d, "r.json");
        const signals = new EventEmitter();
        const lines: string[] = [];
        const stack = stackFor((s) => {
            s.scripts.up = (req) => {
                setTimeout(() => signals.emit("SIGTERM", "SIGTERM"), 5);
                return untilAborted(req);
            };
        });
        const code = await main(["--stack", "prod", "--json", json], {
            out: (l) => lines.push(l), err: () => undefined, signals: signals as any, interruptGraceMs: 10, openStack: async () => stack, connect: reachAll, account: new FakeAccount(),
        });
        assert.equal(code, EXIT.CANCELLED);
        assert.equal(JSON.parse(fs.readFileSync(json, "utf8")).status, "cancelled");
        assert.ok(lines.some((l) => l.startsWith("SIGTERM received: cancelling")));
        assert.equal(signals.listenerCount("SIGTERM"), 0, "signal handlers removed afterwards");
        assert.deepEqual(stack.opsCalled(), ["outputs", "preview", "up"]);
    });

    it("forces the stop on a second signal: pulumi cancel for the update in flight, exit 130", async () => {
        const signals = new EventEmitter();
        const stack = stackFor((s) => {
            s.scripts.up = () => {
                setTimeout(() => signals.emit("SIGINT", "SIGINT"), 5);
                setTimeout(() => signals.emit("SIGINT", "SIGINT"), 20);
                return new Promise(() => undefined); // a CLI that does not stop
            };
        });
        const code = await main(["--stack", "prod"], { ...quiet, signals: signals as any, interruptGraceMs: 200, openStack: async () => stack });
        assert.equal(code, EXIT.CANCELLED);
        assert.equal(stack.cancelled, 1);
    });
});

describe("interrupt handling", () => {
    it("aborts on the first SIGINT or SIGTERM and forces on the second", () => {
        const source = new EventEmitter();
        const seen: string[] = [];
        const interrupts = new Interrupts({ onFirst: (s) => seen.push(`first ${s}`), onForce: (s) => seen.push(`force ${s}`) });
        const uninstall = interrupts.install(source as any);
        assert.equal(interrupts.signal.aborted, false);
        source.emit("SIGTERM", "SIGTERM" as SignalName);
        assert.equal(interrupts.signal.aborted, true);
        source.emit("SIGINT", "SIGINT" as SignalName);
        assert.deepEqual(seen, ["first SIGTERM", "force SIGINT"]);
        uninstall();
        assert.equal(source.listenerCount("SIGINT") + source.listenerCount("SIGTERM"), 0);
    });
});
