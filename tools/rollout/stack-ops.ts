/**
 * The few stack operations a rollout needs. The orchestrator is written against this interface only;
 * `automation.ts` implements it with the Pulumi Automation API and the tests with a scripted fake.
 */
import type { EngineEvent, OpMap, OutputMap } from "@pulumi/pulumi/automation";

export interface OperationOptions {
    /** Aborting it cancels the running operation: the Automation API sends SIGINT to the CLI. */
    readonly signal: AbortSignal;
    /** Engine events (resource steps, diagnostics, policy violations) as they happen. */
    readonly onEvent: (event: EngineEvent) => void;
}

export interface PolicyOptions {
    /** Local policy pack directories run with the operation (`--policy-pack`). @default [] */
    readonly policyPacks?: readonly string[];
    /** Config files for those packs (`--policy-pack-config`). @default [] */
    readonly policyPackConfigs?: readonly string[];
}

export interface RegistrationOptions {
    /**
     * The regions the program registers during the operation (stacks/region-selection.ts,
     * REGIONS_ENV); every configured region when absent.
     */
    readonly regions?: readonly string[];
}

export interface PreviewRequest extends OperationOptions, PolicyOptions, RegistrationOptions {
    /** URNs or URN globs to preview; the whole stack when absent. */
    readonly target?: readonly string[];
    /** Refresh state from the cloud before previewing. @default false */
    readonly refresh?: boolean;
}

export interface UpRequest extends OperationOptions, PolicyOptions, RegistrationOptions {
    /** URNs or URN globs to update; nothing else in the stack changes. */
    readonly target: readonly string[];
    /** Recorded in the stack's update history (`--message`). */
    readonly message?: string;
}

export interface DriftRequest extends OperationOptions {
    /** Fail (kind `changes-not-expected`) when the refresh would change the state. */
    readonly expectNoChanges: boolean;
}

export interface ChangeOutcome {
    /** Resource count per operation, from the engine's summary. Empty when the engine sent none. */
    readonly changeSummary: OpMap;
}

/** Why an operation failed, as far as a rollout needs to tell. */
export type FailureKind =
    /** Another update holds the stack (ConcurrentUpdateError). */
    | "locked"
    /** Our abort signal fired: the operation was cancelled. */
    | "cancelled"
    /** The stack does not exist in the current backend. */
    | "stack-not-found"
    /** `expectNoChanges` was set and the engine found changes (drift). */
    | "changes-not-expected"
    /** Anything else: program error, provider error, policy violation, ... */
    | "failed";

export class StackOperationError extends Error {
    constructor(
        readonly kind: FailureKind,
        message: string,
        /** The CLI's full error text, for the report. */
        readonly detail?: string,
    ) {
        super(message);
        this.name = "StackOperationError";
    }
}

/**
 * A stack's config as the rollout may hold it: every encrypted value replaced by the placeholder
 * `[secret]` (stacks/secrets.ts), and the plaintexts that were replaced, only to redact them from
 * whatever the rollout prints or writes should one come back (e.g. in an engine diagnostic).
 */
export interface StackConfigValues {
    /** `namespace:key` -> value as `pulumi config --json` gives it (objects as JSON text), secrets sealed. */
    readonly values: Record<string, string>;
    readonly secrets: readonly string[];
}

export interface RolloutStack {
    /** The stack name as selected (`prod`, or `org/prod`, `org/project/prod` on Pulumi Cloud). */
    readonly name: string;
    /** The Pulumi project name (Pulumi.yaml `name`), the second part of every URN. */
    readonly project: string;
    /** The stack's config, secrets sealed. */
    config(): Promise<StackConfigValues>;
    preview(request: PreviewRequest): Promise<ChangeOutcome>;
    /** A targeted update. */
    up(request: UpRequest): Promise<ChangeOutcome>;
    /** Refreshes the whole stack's state from the cloud. */
    refresh(request: OperationOptions): Promise<ChangeOutcome>;
    /** A refresh in preview mode: what a refresh would change (drift), changing nothing. */
    previewRefresh(request: DriftRequest): Promise<ChangeOutcome>;
    /** The stack outputs of the last update, secrets decrypted and flagged. */
    outputs(): Promise<OutputMap>;
    /**
     * Marks the backend's in-progress update as cancelled (`pulumi cancel`). Only for a forced stop of
     * our own update, which would otherwise leave the stack locked for the next run.
     */
    cancel(): Promise<void>;
}
