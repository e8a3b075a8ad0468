/**
 * A stack's config for the plan: read as the CLI would hand it to the program (tools/harness), with
 * every encrypted value left encrypted and replaced by the secret placeholder, then validated.
 */
import * as fs from "fs";
import * as path from "path";
import { StackConfig, ignoredStackFiles, listStacks, projectFile, readStackConfig } from "../harness/stack-files";
import { PlatformConfig, parsePlatformConfig, rawProjectConfig } from "../../stacks/config";

export class UsageError extends Error {
    constructor(message: string, readonly stacks: readonly string[]) {
        super(message);
        this.name = "UsageError";
    }
}

/** The stack file as the CLI would hand it over, encrypted values replaced by the placeholder. */
export type LoadedStack = StackConfig;

export function assertStackExists(dir: string, stack: string): void {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`${dir}: no such folder`, []);
    const project = projectFile(dir);
    if (!project) throw new UsageError(`${dir} is not a Pulumi project: it has no Pulumi.yaml`, []);
    const stacks = listStacks(dir);
    if (!stacks.includes(stack)) {
        const file = `Pulumi.${stack}${path.extname(project)}`;
        const ignored = ignoredStackFiles(dir).filter((f) => f.startsWith(`Pulumi.${stack}.`));
        const hint = ignored.length > 0 ? ` (${ignored.join(", ")} is not read: with ${path.basename(project)} the Pulumi CLI reads ${file})` : "";
        throw new UsageError(`unknown stack "${stack}": there is no ${file} in ${dir}${hint}`, stacks);
    }
}

/** Reads the stack file (StackFileError when it is not valid YAML). */
export function loadStack(dir: string, stack: string): LoadedStack {
    assertStackExists(dir, stack);
    return readStackConfig(dir, stack);
}

/** The validated platform config (ConfigError naming each bad key). */
export function platformConfig(loaded: LoadedStack, today?: string): PlatformConfig {
    return parsePlatformConfig(rawProjectConfig(loaded.config), loaded.stack, { today });
}
