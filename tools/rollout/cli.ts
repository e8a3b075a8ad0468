/**
 * `npm run rollout -- --stack <name> [--preview | --drift] [--refresh] [--json FILE] [--markdown FILE]`
 *
 * Wires the command line, signals and files around the orchestrator; all decisions live in the
 * modules it calls (args.ts, orchestrator.ts, report.ts). See docs/rollout.md.
 */
import { errorText } from "../error-text";
import * as fs from "fs";
import type { Connector } from "./preflight";
import * as path from "path";
import { tildeNote, unwritableFileReason } from "../files";
import { projectFile } from "../harness/stack-files";
import { runAsScript } from "../script-entry";
import { REGIONS_ENV } from "../../stacks/region-selection";
import { USAGE, parseCliArgs } from "./args";
import { openStack, toOperationError } from "./automation";
import { EksClusterApi, awsEksClusterApi } from "./eks-api";
import { EXIT } from "./exit-codes";
import { AccountApi, AwsCredentialsRef, stsAccountApi } from "./account";
import { AlarmApi, awsAlarmApi } from "./alarms-api";
import { Interrupts, SignalSource } from "./interrupts";
import { Rollout } from "./orchestrator";
import { EXIT_BY_STATUS, RolloutReport, appendMarkdown, newReport, writeJsonReport } from "./report";
import type { RolloutStack } from "./stack-ops";

/** The repository root: the Pulumi project directory (Pulumi.yaml). */
export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

export interface CliDeps {
    /** @default openStack (Automation API, `pulumi` on PATH) */
    readonly openStack?: (options: { stackName: string; workDir: string }) => Promise<RolloutStack>;
    /** @default console.log */
    readonly out?: (line: string) => void;
    /** @default console.error */
    readonly err?: (line: string) => void;
    /** @default process */
    readonly signals?: SignalSource;
    /** Passed to the orchestrator. @default 3000 */
    readonly interruptGraceMs?: number;
    /** Passed to the orchestrator (endpoint preflight). @default connectTcp */
    readonly connect?: Connector;
    /** What the rollout asks EKS (cluster versions, upgrade insights). @default awsEksClusterApi() */
    readonly eks?: EksClusterApi;
    /** STS, for the account guard (account.ts). @default stsAccountApi() */
    readonly account?: AccountApi;
    /** What the rollout asks CloudWatch (bake, standing alarms). @default awsAlarmApi() */
    readonly alarms?: AlarmApi;
}

/** Writes the reports asked for; says which were written, and why one was not. */
function writeOutputs(report: RolloutReport, json: string | undefined, markdown: string | undefined,
    out: (l: string) => void, err: (l: string) => void): void {
    const attempts: Array<[string | undefined, string, () => void]> = [
        [json, "Report written to", () => writeJsonReport(json!, report)],
        [markdown, "Summary appended to", () => appendMarkdown(markdown!, report)],
    ];
    for (const [file, done, write] of attempts) {
        if (!file) continue;
        try {
            write();
            out(`${done} ${file}`);
        } catch (e) {
            err(`could not write ${file}: ${errorText(e)}`);
        }
    }
}

/** Usage problems with the folder and files of the command line, found before any stack is opened. */
function pathProblem(workDir: string, json: string | undefined, markdown: string | undefined): string | undefined {
    if (!fs.existsSync(workDir) || !fs.statSync(workDir).isDirectory()) return `--cwd ${workDir}: no such folder`;
    if (projectFile(workDir) === undefined) {
        return `--cwd ${workDir}: not a Pulumi project (no Pulumi.yaml there)`;
    }
    for (const [flag, file] of [["--json", json], ["--markdown", markdown]] as const) {
        const reason = file === undefined ? undefined : unwritableFileReason(file);
        if (reason) return `${flag} ${file}: ${reason}`;
    }
    const notReport = json === undefined ? undefined : notAPreviousReport(json);
    if (notReport) return `--json ${json}: ${notReport}`;
    return undefined;
}

/**
 * `--json` replaces its file: only a new file, an empty one or a previous rollout report may be
 * replaced (`rollout --json package.json` once overwrote the project's package.json).
 */
export function notAPreviousReport(file: string): string | undefined {
    let text: string;
    try {
        if (!fs.statSync(file).isFile()) return undefined; // a folder: unwritableFileReason says so
        text = fs.readFileSync(file, "utf8");
    } catch {
        return undefined; // a new file
    }
    if (text.trim() === "") return undefined;
    try {
        const r = JSON.parse(text);
        if (r && typeof r === "object" && typeof r.reportVersion === "number" && typeof r.mode === "string" && typeof r.stack === "string") return undefined;
    } catch {
        // not JSON: not a report
    }
    return "exists and is not a previous rollout report; --json replaces its file, so give a new file name (or a previous report's)";
}

/** Runs the command; resolves with the process exit code. */
export async function main(argv: readonly string[], deps: CliDeps = {}): Promise<number> {
    const out = deps.out ?? ((l: string) => console.log(l));
    const err = deps.err ?? ((l: string) => console.error(l));
    const parsed = parseCliArgs(argv);
    if (parsed.kind === "help") {
        out(USAGE);
        return EXIT.OK;
    }
    if (parsed.kind === "error") {
        err(`error: ${parsed.message}\n\n${USAGE}`);
        return EXIT.USAGE;
    }
    const options = parsed.options;
    const workDir = path.resolve(options.cwd ?? PROJECT_DIR);
    const problem = pathProblem(workDir, options.json, options.markdown);
    if (problem) {
        err(`error: ${problem}\n\n${USAGE}`);
        return EXIT.USAGE;
    }
    for (const [flag, value] of [["--json", options.json], ["--markdown", options.markdown], ["--cwd", options.cwd]] as const) {
        const tilde = tildeNote(flag, value);
        if (tilde) err(tilde);
    }
    const exported = process.env[REGIONS_ENV];
    if (exported !== undefined && exported.trim() !== "") {
        out(`Note: ${REGIONS_ENV}=${JSON.stringify(exported)} in the environment is ignored; the rollout sets it for every pulumi command it runs ` +
            "(empty, i.e. every region, except for a wave's own preview and update).");
    }

    let rollout: Rollout | undefined;
    let forced: ((code: number) => void) | undefined;
    const forcedExit = new Promise<number>((resolve) => { forced = resolve; });
    const interrupts = new Interrupts({
        onFirst: (signal) => out(`${signal} received: cancelling (send it again to force a stop).`),
        onForce: (signal) => {
            out(`${signal} received again: forcing a stop.`);
            void (async () => {
                await rollout?.forceCancel();
                forced?.(EXIT.CANCELLED);
            })();
        },
    });
    const uninstall = interrupts.install(deps.signals);

    try {
        let stack: RolloutStack;
        try {
            stack = await (deps.openStack ?? openStack)({ stackName: options.stack, workDir });
        } catch (e) {
            const failure = toOperationError(e, { stack: options.stack, signal: interrupts.signal });
            const status = failure.kind === "stack-not-found" ? "invalid" : failure.kind === "cancelled" ? "cancelled" : "failed";
            const report = newReport({ mode: options.mode, stack: options.stack, startedAt: new Date(), refresh: options.refresh, policyPacks: options.policyPacks });
            report.status = status;
            report.exitCode = EXIT_BY_STATUS[status];
            report.failure = { step: "select", message: failure.message };
            report.finishedAt = new Date().toISOString();
            err(`error: ${failure.message}`);
            writeOutputs(report, options.json, options.markdown, out, err);
            return report.exitCode;
        }

        // EKS and CloudWatch ask the account the stack changes: the assumed role's, once the guard has it.
        const awsCredentials = new AwsCredentialsRef();
        rollout = new Rollout({
            stack, signal: interrupts.signal, log: out, interruptGraceMs: deps.interruptGraceMs, connect: deps.connect,
            eks: deps.eks ?? awsEksClusterApi({ credentials: awsCredentials }),
            account: deps.account ?? stsAccountApi(),
            alarms: deps.alarms ?? awsAlarmApi(undefined, awsCredentials),
            awsCredentials,
        }, {
            ignoreInsights: options.ignoreInsights,
            skipBake: options.skipBake,
            ignorePreexistingAlarms: options.ignorePreexistingAlarms,
            mode: options.mode,
            refresh: options.refresh,
            policyPacks: options.policyPacks,
            policyPackConfigs: options.policyPackConfigs,
        });
        const code = await Promise.race([rollout.run().then((r) => r.exitCode ?? EXIT.FAILED), forcedExit]);
        const report = rollout.current;
        out(`Rollout ${report.status} (exit code ${code})${report.failure ? `: ${report.failure.step}` +
            `${report.failure.region ? ` in ${report.failure.region}` : ""}: ${report.failure.message.split("\n")[0]}` : ""}`);
        writeOutputs(report, options.json, options.markdown, out, err);
        return code;
    } finally {
        uninstall();
    }
}

if (require.main === module) void runAsScript(main, EXIT.FAILED);
