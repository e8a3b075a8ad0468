/**
 * The command line of `npm run rollout -- ...`, parsed with Node's `util.parseArgs`. Pure: it returns
 * options or a usage error, and `cli.ts` decides what to print and which exit code to use.
 */
import { parseArgs } from "util";
import type { Mode } from "./report";

export interface CliOptions {
    /** `--stack`: the stack to roll out, as Pulumi names it (`prod`, `org/prod`). */
    readonly stack: string;
    readonly mode: Mode;
    /** `--refresh`: up: refresh the stack before the first wave; preview: refresh while previewing. */
    readonly refresh: boolean;
    /** `--json FILE`: write the full report there. */
    readonly json?: string;
    /** `--markdown FILE`: append a Markdown summary (e.g. `$GITHUB_STEP_SUMMARY`). */
    readonly markdown?: string;
    readonly policyPacks: readonly string[];
    readonly policyPackConfigs: readonly string[];
    /** `--cwd DIR`: the Pulumi project directory. @default the repository root */
    readonly cwd?: string;
    /** `--ignore-insights`: go ahead despite ERROR upgrade insights (a warning in the report). */
    readonly ignoreInsights: boolean;
    /** `--skip-bake`: no bake after the waves (a warning in the report). */
    readonly skipBake: boolean;
    /** `--ignore-preexisting-alarms`: start a wave although its regions' alarms stand in ALARM (warned). */
    readonly ignorePreexistingAlarms: boolean;
}

export type ParsedArgs =
    | { readonly kind: "run"; readonly options: CliOptions }
    | { readonly kind: "help" }
    | { readonly kind: "error"; readonly message: string };

export const USAGE = `Usage: npm run rollout -- --stack <name> [mode] [options]

Modes (default: up, the waves from eks-platform:rollout):
  --preview                 Preview every region; fail on errors or mandatory policy violations.
  --drift                   Refresh in preview mode expecting no changes; exit 3 on drift.

Options:
  -s, --stack <name>        Stack to operate on (required), e.g. prod or org/prod.
  --refresh                 up: refresh the whole stack before the first wave;
                            preview: refresh state while previewing (nothing is saved).
  --policy-pack <dir>       Run a local policy pack with previews and updates (repeatable).
  --policy-pack-config <f>  Config file for the policy packs (repeatable).
  --json <file>             Write the full JSON report to <file>.
  --markdown <file>         Append a Markdown summary to <file> (e.g. $GITHUB_STEP_SUMMARY).
  --cwd <dir>               Pulumi project directory (default: this repository's root).
  --ignore-insights         up: go ahead although EKS upgrade insights report ERROR for a
                            cluster whose Kubernetes version the wave changes (warned in the report).
  --skip-bake               up: do not watch the waves' alarms for eks-platform:rollout.bakeMinutes
                            after their health checks (warned in the report).
  --ignore-preexisting-alarms
                            up: start a wave although its regions' alarms are in ALARM (warned).
  -h, --help                Show this help.

Backend and credentials come from the usual Pulumi environment (PULUMI_BACKEND_URL or
\`pulumi login\`, PULUMI_ACCESS_TOKEN, PULUMI_CONFIG_PASSPHRASE, AWS credentials).

Exit codes: 0 ok, 1 failed (update, preview or health check), 2 usage or config error,
3 drift found, 4 stack locked by another update, 5 alarm (during a bake, or standing before
a wave), 130 cancelled (SIGINT/SIGTERM).`;

export function parseCliArgs(argv: readonly string[]): ParsedArgs {
    let values: Record<string, string | boolean | string[] | undefined>;
    try {
        ({ values } = parseArgs({
            args: [...argv],
            strict: true,
            allowPositionals: false,
            options: {
                stack: { type: "string", short: "s" },
                preview: { type: "boolean" },
                drift: { type: "boolean" },
                refresh: { type: "boolean" },
                json: { type: "string" },
                markdown: { type: "string" },
                "policy-pack": { type: "string", multiple: true },
                "policy-pack-config": { type: "string", multiple: true },
                cwd: { type: "string" },
                "ignore-insights": { type: "boolean" },
                "skip-bake": { type: "boolean" },
                "ignore-preexisting-alarms": { type: "boolean" },
                help: { type: "boolean", short: "h" },
            },
        }));
    } catch (e) {
        return { kind: "error", message: (e as Error).message };
    }
    if (values.help) return { kind: "help" };
    const stack = typeof values.stack === "string" ? values.stack.trim() : "";
    if (!stack) return { kind: "error", message: "--stack <name> is required (e.g. --stack prod)" };
    if (values.preview && values.drift) return { kind: "error", message: "--preview and --drift are different modes; give at most one" };
    const policyPacks = (values["policy-pack"] as string[] | undefined) ?? [];
    const policyPackConfigs = (values["policy-pack-config"] as string[] | undefined) ?? [];
    if (values.drift && values.refresh) return { kind: "error", message: "--refresh has no effect with --drift, which is a refresh already" };
    if (values.drift && (policyPacks.length > 0 || policyPackConfigs.length > 0)) {
        return { kind: "error", message: "--policy-pack applies to previews and updates, not to --drift (a refresh runs no policies)" };
    }
    if (policyPackConfigs.length > 0 && policyPacks.length === 0) {
        return { kind: "error", message: "--policy-pack-config needs at least one --policy-pack" };
    }
    for (const flag of ["json", "markdown", "cwd"] as const) {
        if (values[flag] === "") return { kind: "error", message: `--${flag} needs a non-empty value` };
    }
    return {
        kind: "run",
        options: {
            stack,
            mode: values.preview ? "preview" : values.drift ? "drift" : "up",
            refresh: values.refresh === true,
            json: values.json as string | undefined,
            markdown: values.markdown as string | undefined,
            policyPacks,
            policyPackConfigs,
            cwd: values.cwd as string | undefined,
            ignoreInsights: values["ignore-insights"] === true,
            skipBake: values["skip-bake"] === true,
            ignorePreexistingAlarms: values["ignore-preexisting-alarms"] === true,
        },
    };
}
