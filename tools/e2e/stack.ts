/**
 * The disposable stack through the Automation API: created (never selected: a run only ever touches
 * the stack it created), rolled out by the project's rollout (tools/rollout: the `RolloutStack` the
 * orchestrator takes), destroyed and removed. The sweep opens a stack an interrupted run left.
 */
import { checkedPulumiCommand } from "../pulumi-cli";
import type { LocalWorkspaceOptions, PulumiCommand } from "@pulumi/pulumi/automation";
import { REGIONS_ENV } from "../../stacks/region-selection";
import { AutomationRolloutStack, toOperationError } from "../rollout/automation";
import type { ChangeOutcome, OperationOptions, RolloutStack } from "../rollout/stack-ops";

export interface E2eStack {
    /** What the rollout and the drift check use. */
    readonly rollout: RolloutStack;
    /** `pulumi destroy` of the whole stack. */
    destroy(o: OperationOptions): Promise<ChangeOutcome>;
    /** `pulumi stack rm` (after a destroy: an empty stack). */
    remove(): Promise<void>;
}

export interface StackOpenOptions {
    readonly stackName: string;
    readonly workDir: string;
    /** A specific CLI (tests: the fake); default `pulumi` on PATH. */
    readonly pulumiCommand?: PulumiCommand;
    readonly envVars?: LocalWorkspaceOptions["envVars"];
}

/** Creates (`create`) or selects the stack; the stack file Pulumi.<name>.yaml must be in workDir. */
export async function automationE2eStack(o: StackOpenOptions, create: boolean): Promise<E2eStack> {
    // Loaded on first use: `npm run e2e -- --help` and the in-process tests never pay for it.
    const { LocalWorkspace } = require("@pulumi/pulumi/automation") as typeof import("@pulumi/pulumi/automation");
    let stack;
    try {
        const args = { stackName: o.stackName, workDir: o.workDir };
        // Every region for every command, whatever the shell exported (as the rollout's openStack does).
        const envVars = { ...o.envVars, [REGIONS_ENV]: "" };
        // The CLI's version first, before the stack is created or selected.
        const opts = { pulumiCommand: await checkedPulumiCommand(o.pulumiCommand, envVars), envVars };
        stack = create ? await LocalWorkspace.createStack(args, opts) : await LocalWorkspace.selectStack(args, opts);
    } catch (e) {
        throw toOperationError(e, { stack: o.stackName });
    }
    const project = (await stack.workspace.projectSettings()).name;
    const workspace = stack.workspace as unknown as { envVars: Record<string, string> };
    workspace.envVars ??= {};
    const rollout = new AutomationRolloutStack(stack, project, async () => (await stack.workspace.stackSettings(stack.name)).config, workspace.envVars);
    return {
        rollout,
        async destroy(r) {
            try {
                const result = await stack.destroy({ onEvent: r.onEvent, signal: r.signal });
                return { changeSummary: result.summary?.resourceChanges ?? {} };
            } catch (e) {
                throw toOperationError(e, { stack: o.stackName, signal: r.signal });
            }
        },
        async remove() {
            try {
                // preserveConfig: the stack file is ours to delete (run.ts), after the sweep.
                await stack.workspace.removeStack(stack.name, { preserveConfig: true });
            } catch (e) {
                throw toOperationError(e, { stack: o.stackName });
            }
        },
    };
}
