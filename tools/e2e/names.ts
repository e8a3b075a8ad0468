/**
 * Names of a disposable e2e stack: one run id makes the stack name, the environment (which names every
 * resource: `<environment>-<region>`, platform.ts regionalName) and the tag that marks every AWS
 * resource the run creates (merged into the provider's default tags by components/tags.ts and handed
 * to the load balancer controller as its default tags, components/ingress-settings.ts), which is what
 * the sweep and the guards look for.
 */
import { randomBytes } from "crypto";

/** Stack names and environments of e2e runs: `e2e-` and six hex digits (10 characters, the environment's limit). */
export const E2E_PREFIX = "e2e-";

/** The tag key every resource of an e2e run carries; its value is the run id. */
export const E2E_TAG = "eks-platform-e2e";

/** The project tag (components/tags.ts `project`) and the Pulumi project name (Pulumi.yaml). */
export const PROJECT_TAG = "project";

/** A new run id, e.g. `e2e-3f9a1c`. */
export function newRunId(random: () => Buffer = () => randomBytes(3)): string {
    return `${E2E_PREFIX}${random().toString("hex").slice(0, 6).padStart(6, "0")}`;
}

/** The stack file of a run in the project directory: written by the run, removed with the stack. */
export function stackFileName(runId: string): string {
    return `Pulumi.${runId}.yaml`;
}

/** A run id from a stack file name, or undefined for any other file. */
export function runIdOfStackFile(file: string): string | undefined {
    const m = /^Pulumi\.(e2e-[0-9a-f]{6})\.yaml$/.exec(file);
    return m?.[1];
}

/** The EKS cluster name of a run's region (platform.ts regionalName is `<environment>-<region>`). */
export function clusterNameOf(runId: string, region: string): string {
    return `${runId}-${region}`;
}
