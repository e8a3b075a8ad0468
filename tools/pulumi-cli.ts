/**
 * The oldest Pulumi CLI whose engine does what the program relies on, and the check `npm run rollout` and
 * `npm run e2e` make before they touch a stack (Pulumi.yaml `requiredPulumiVersion` says the same, but only
 * CLIs from v3.219 read that key: pulumi/pulumi #21627; older ones ignore it, so it cannot stop them).
 *
 * - v3.158.0: a child of a component takes `retainOnDelete` from its parent when it sets none
 *   (pulumi/pulumi #18956, pkg/resource/deploy/source_eval.go `inheritFromParent`; v3.157 copies only
 *   DeletedWith and Protect). The Gateway API CRDs are the children of a remote ConfigGroup that sets it
 *   (components/ingress.ts): on an older CLI their state never records it, and removing the last gateway
 *   app deletes the CRDs and every Gateway and route in the cluster.
 * - v3.151.0: a change of a resource's explicit provider is diffed with the new provider's DiffConfig
 *   instead of replaced (pulumi/pulumi #18509, step_generator.go `providerChanged`): the Spot service-linked
 *   role's and the Gateway CRDs' moves to providers of their own (components/service-linked-roles.ts,
 *   components/region.ts) are in-place there, and replacements (IAM refuses a second role; a replaced CRD is
 *   deleted) before.
 */
import type { PulumiCommand } from "@pulumi/pulumi/automation";

export const MIN_PULUMI_CLI = "3.158.0";

function parts(version: string): [number, number, number] | undefined {
    const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
    return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** The refusal for a CLI older than MIN_PULUMI_CLI, else undefined (also when the version cannot be read). */
export function pulumiCliRefusal(version: string | undefined): string | undefined {
    const have = version === undefined ? undefined : parts(version);
    const need = parts(MIN_PULUMI_CLI)!;
    if (!have) return undefined;
    for (let i = 0; i < 3; i++) {
        if (have[i] > need[i]) return undefined;
        if (have[i] < need[i]) {
            return `the Pulumi CLI is ${version!.trim()}, older than ${MIN_PULUMI_CLI}, whose engine this project needs ` +
                "(it keeps the Gateway API CRDs on delete and moves resources between providers in place; tools/pulumi-cli.ts): " +
                "upgrade it (https://www.pulumi.com/docs/iac/download-install/) and run again; nothing was changed";
        }
    }
    return undefined;
}

/** The Automation API's switch for its own (lower) CLI version check, honoured here as the SDK honours it. */
const SKIP_VERSION_CHECK = "PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK";

/**
 * The CLI every workspace of a command runs (`given`, else `pulumi` on PATH), refused when older than
 * MIN_PULUMI_CLI: `PulumiCommand.get` runs `pulumi version` once, and handing the command to the
 * workspaces spares each of them another run.
 */
export async function checkedPulumiCommand(given: PulumiCommand | undefined, env: Readonly<Record<string, string>> = {}): Promise<PulumiCommand> {
    // Loaded here: the e2e and rollout help paths never pay for the Automation API.
    const { PulumiCommand: Command } = require("@pulumi/pulumi/automation") as typeof import("@pulumi/pulumi/automation");
    const command = given ?? await Command.get({ skipVersionCheck: !!env[SKIP_VERSION_CHECK] || !!process.env[SKIP_VERSION_CHECK] });
    const tooOld = pulumiCliRefusal(command.version?.toString());
    if (tooOld) throw new Error(tooOld);
    return command;
}
