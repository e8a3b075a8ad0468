/**
 * `RolloutStack` on the Pulumi Automation API (@pulumi/pulumi/automation, SDK 3.248): a local
 * program in the project directory, a stack selected by name. Backend, credentials and secrets
 * provider come from the usual Pulumi environment (PULUMI_BACKEND_URL or `pulumi login`,
 * PULUMI_ACCESS_TOKEN, PULUMI_CONFIG_PASSPHRASE, AWS_* ...), never from this code, so the same
 * command works with a local file, S3 or Pulumi Cloud backend.
 *
 * Options passed, and the CLI arguments the SDK builds from them (automation/stack.js):
 * - preview: `target` -> `--target` per URN, `refresh` -> `--refresh`, `policyPacks` ->
 *   `--policy-pack`, `policyPackConfigs` -> `--policy-pack-config`; the SDK always adds `--event-log`.
 * - up: the same plus `message` -> `--message`; `onEvent` makes the SDK add `--event-log`.
 *   `targetDependents` is never set (see waves.ts for why).
 * - refresh: `--skip-preview --yes`; previewRefresh: `refresh --preview-only`, `expectNoChanges` ->
 *   `--expect-no-changes`. Refresh takes no policy packs.
 * - every operation: `signal`: on abort the SDK sends SIGINT to the CLI, which cancels gracefully.
 */
import { checkedPulumiCommand } from "../pulumi-cli";
import { errorText } from "../error-text";
import {
    ConcurrentUpdateError, ConfigMap, EngineEvent, LocalWorkspace, LocalWorkspaceOptions, PulumiCommand, Stack, StackNotFoundError,
} from "@pulumi/pulumi/automation";
import { sealDecrypted } from "../../stacks/secrets";
import {
    ChangeOutcome, DriftRequest, FailureKind, OperationOptions, PreviewRequest, RolloutStack, StackConfigValues, StackOperationError,
    UpRequest,
} from "./stack-ops";
import { REGIONS_ENV } from "../../stacks/region-selection";

/** What the adapter uses of `automation.Stack`; tests inject a recording stand-in with the same signatures. */
export type AutomationStack = Pick<Stack, "name" | "getAllConfig" | "preview" | "up" | "refresh" | "previewRefresh" | "outputs" | "cancel">;

/**
 * The useful part of a CommandError's text. Its message is `code: ..\n stdout: ..\n stderr: Command
 * failed with exit code N: <cmd>\n<stderr>\n<stdout>\n err?: ...` (automation/cmd.js), so the CLI's
 * own `error:` lines are picked out, else the exit code line and what follows it.
 */
export function summarizeCliError(text: string): string {
    const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
    const errors = [...new Set(lines.filter((l) => /^error:/i.test(l)))];
    if (errors.length > 0) return errors.slice(0, 10).join("\n");
    const failedAt = lines.findIndex((l) => /Command failed with exit code \d+/.test(l));
    if (failedAt >= 0) {
        const code = /exit code (\d+)/.exec(lines[failedAt])?.[1];
        const rest = lines.slice(failedAt + 1).filter((l) => !/^(stdout|stderr|err\?|code):/.test(l)).slice(0, 5);
        return [`pulumi exited with code ${code}`, ...rest].join("\n");
    }
    return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}

/**
 * Classifies an Automation API failure. `ConcurrentUpdateError` is the SDK's class for a stack held
 * by another update (Pulumi Cloud's 409, a DIY backend's lock file); `StackNotFoundError` for an
 * unknown stack. A refresh with `--expect-no-changes` that finds changes fails with "no changes were
 * expected" (exit code 7 on newer CLIs).
 */
export function toOperationError(error: unknown, context: { signal?: AbortSignal; stack: string; expectNoChanges?: boolean }): StackOperationError {
    if (error instanceof StackOperationError) return error;
    const text = errorText(error);
    const make = (kind: FailureKind, message: string) => new StackOperationError(kind, message, text);
    if (context.signal?.aborted) return make("cancelled", "cancelled by an interrupt; the CLI finished in-flight resource operations and saved the state");
    if (error instanceof ConcurrentUpdateError) return make("locked", `stack ${context.stack} is locked by another update`);
    if (error instanceof StackNotFoundError) {
        return make("stack-not-found", `no stack named ${context.stack} in the current backend; check --stack, PULUMI_BACKEND_URL or \`pulumi login\``);
    }
    if ((error as NodeJS.ErrnoException)?.code === "ENOENT" || /spawn pulumi ENOENT|ENOENT.*pulumi/.test(text)) {
        return make("failed", "the pulumi CLI was not found on PATH; install it (https://www.pulumi.com/docs/iac/download-install/)");
    }
    if (context.expectNoChanges && (/no changes were expected/i.test(text) || /exit code 7\b/.test(text))) {
        return make("changes-not-expected", "the refresh found changes (drift)");
    }
    return make("failed", summarizeCliError(text));
}

/**
 * Delivers each engine event once. Every event the CLI writes carries a `sequence` number; the SDK's
 * event-log reader (@pulumi/pulumi automation/stack.js `readLines`, a polling file tail) has been seen
 * here to hand the same lines over twice when the machine is loaded, which would double-count changes
 * and progress lines. Events without a sequence are passed through.
 */
export function oncePerSequence(onEvent: ((event: EngineEvent) => void) | undefined): ((event: EngineEvent) => void) | undefined {
    if (!onEvent) return undefined;
    const seen = new Set<number>();
    return (event) => {
        if (typeof event.sequence === "number") {
            if (seen.has(event.sequence)) return;
            seen.add(event.sequence);
        }
        onEvent(event);
    };
}

/**
 * Seals `pulumi config --show-secrets --json` values by the CLI's word: a key the CLI flags secret is
 * sealed whole, unless the stack file's `{secure: ...}` leaves locate the secret inside it and its
 * plain parts match the file (stacks/secrets.ts `sealDecrypted`). `fileConfig` is the stack file's
 * `config`; it is never trusted to say a key is plain.
 */
export function sealConfig(all: ConfigMap, fileConfig: Readonly<Record<string, unknown>> | undefined, project: string): StackConfigValues {
    const values: Record<string, string> = {};
    const secrets: string[] = [];
    for (const [key, v] of Object.entries(all)) {
        if (!v.secret) {
            values[key] = v.value;
            continue;
        }
        const [ns, name] = key.split(":", 2);
        const structure = fileConfig?.[key] ?? (ns === project ? fileConfig?.[name] : undefined);
        let decrypted: unknown = v.value;
        if (/^\s*[[{]/.test(v.value)) {
            try {
                decrypted = JSON.parse(v.value); // an object or list: sealed leaf by leaf where the file shows how
            } catch {
                // text after all: sealed whole
            }
        }
        const sealed = sealDecrypted(decrypted, structure, secrets);
        values[key] = typeof sealed === "string" ? sealed : JSON.stringify(sealed);
    }
    return { values, secrets: [...new Set(secrets)].filter((s) => s.length > 0).sort() };
}

export class AutomationRolloutStack implements RolloutStack {
    /**
     * @param fileConfig reads the stack file's `config` (encrypted values as `{secure: ...}`), to see
     *   which leaves of a secret key are encrypted; undefined when there is no stack file
     * @param env the workspace's environment for CLI calls (`LocalWorkspace.envVars`, which the SDK
     *   reads on every command, automation/stack.js runPulumiCmd): the region selection is set in it
     *   for one operation and emptied after (empty: every region).
     */
    constructor(
        private readonly stack: AutomationStack,
        readonly project: string,
        private readonly fileConfig: () => Promise<Record<string, unknown> | undefined> = async () => undefined,
        private readonly env: Record<string, string> = {},
    ) {
        // Every CLI call, from the first, registers every region unless an operation says otherwise.
        this.env[REGIONS_ENV] = "";
    }

    /**
     * Runs `run` with the program told to register only `regions` (none given: every region). The
     * variable is always set, empty for every region: the CLI inherits the shell's environment
     * (execa extends process.env), so a value exported there would otherwise reach the program.
     */
    private async registering<T>(regions: readonly string[] | undefined, run: () => Promise<T>): Promise<T> {
        this.env[REGIONS_ENV] = (regions ?? []).join(",");
        try {
            return await run();
        } finally {
            this.env[REGIONS_ENV] = "";
        }
    }

    get name(): string {
        return this.stack.name;
    }

    private async call<T>(run: () => Promise<T>, context: { signal?: AbortSignal; expectNoChanges?: boolean }): Promise<T> {
        try {
            return await run();
        } catch (e) {
            throw toOperationError(e, { ...context, stack: this.stack.name });
        }
    }

    async config(): Promise<StackConfigValues> {
        // `pulumi config --show-secrets --json`: what the program would see, including ESC environments;
        // the Automation API has no way to ask without --show-secrets, so the values are sealed at once.
        const all = await this.call(() => this.stack.getAllConfig(), {});
        return sealConfig(all, await this.fileConfig().catch(() => undefined), this.project);
    }

    async preview(r: PreviewRequest): Promise<ChangeOutcome> {
        const result = await this.registering(r.regions, () => this.call(() => this.stack.preview({
            ...(r.target ? { target: [...r.target] } : {}),
            ...(r.refresh ? { refresh: true } : {}),
            policyPacks: [...(r.policyPacks ?? [])],
            policyPackConfigs: [...(r.policyPackConfigs ?? [])],
            onEvent: oncePerSequence(r.onEvent),
            signal: r.signal,
        }), r));
        return { changeSummary: result.changeSummary ?? {} };
    }

    async up(r: UpRequest): Promise<ChangeOutcome> {
        const result = await this.registering(r.regions, () => this.call(() => this.stack.up({
            target: [...r.target],
            ...(r.message ? { message: r.message } : {}),
            policyPacks: [...(r.policyPacks ?? [])],
            policyPackConfigs: [...(r.policyPackConfigs ?? [])],
            onEvent: oncePerSequence(r.onEvent),
            signal: r.signal,
        }), r));
        return { changeSummary: result.summary?.resourceChanges ?? {} };
    }

    async refresh(r: OperationOptions): Promise<ChangeOutcome> {
        const result = await this.call(() => this.stack.refresh({ onEvent: oncePerSequence(r.onEvent), signal: r.signal }), r);
        return { changeSummary: result.summary?.resourceChanges ?? {} };
    }

    async previewRefresh(r: DriftRequest): Promise<ChangeOutcome> {
        const result = await this.call(() => this.stack.previewRefresh({
            ...(r.expectNoChanges ? { expectNoChanges: true } : {}),
            onEvent: oncePerSequence(r.onEvent),
            signal: r.signal,
        }), r);
        return { changeSummary: result.changeSummary ?? {} };
    }

    outputs() {
        return this.call(() => this.stack.outputs(), {});
    }

    cancel(): Promise<void> {
        return this.call(() => this.stack.cancel(), {});
    }
}

export interface OpenStackOptions {
    readonly stackName: string;
    /** The project directory (Pulumi.yaml). */
    readonly workDir: string;
    /** A specific CLI (tests: a recording stand-in); default: `pulumi` on PATH. */
    readonly pulumiCommand?: PulumiCommand;
    /** Extra environment for every CLI call. */
    readonly envVars?: LocalWorkspaceOptions["envVars"];
}

/** Selects an existing stack of the local program in `workDir` (never creates one). */
export async function openStack(options: OpenStackOptions): Promise<AutomationRolloutStack> {
    try {
        // Set for `stack select` too (empty: every region), whatever the shell exported.
        const envVars = { ...options.envVars, [REGIONS_ENV]: "" };
        // The CLI's version first, before any stack is selected.
        const opts = { pulumiCommand: await checkedPulumiCommand(options.pulumiCommand, envVars), envVars };
        const stack = await LocalWorkspace.selectStack({ stackName: options.stackName, workDir: options.workDir }, opts);
        const project = (await stack.workspace.projectSettings()).name;
        // The workspace's own envVars object (created by the SDK when none was given), shared by reference.
        const workspace = stack.workspace as unknown as { envVars: Record<string, string> };
        workspace.envVars ??= {};
        return new AutomationRolloutStack(stack, project, async () => (await stack.workspace.stackSettings(stack.name)).config, workspace.envVars);
    } catch (e) {
        throw toOperationError(e, { stack: options.stackName });
    }
}
