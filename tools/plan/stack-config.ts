/**
 * A stack's config for the plan: read as the CLI would hand it to the program (tools/harness), with
 * every encrypted value left encrypted and replaced by the secret placeholder, then validated.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { SECRET_PLACEHOLDER, listStacks, readStackConfig } from "../harness/stack-files";
import { PlatformConfig, parsePlatformConfig, rawProjectConfig } from "../../stacks/config";

export class UsageError extends Error {
    constructor(message: string, readonly stacks: readonly string[]) {
        super(message);
        this.name = "UsageError";
    }
}

export interface LoadedStack {
    readonly stack: string;
    /** `namespace:key` -> value as the CLI passes it; encrypted values are SECRET_PLACEHOLDER. */
    readonly config: Record<string, string>;
    readonly secretKeys: string[];
    /** The `secure:` ciphertexts of the stack file: they must never reach the plan's output. */
    readonly ciphertexts: string[];
}

function isSecure(v: unknown): v is { secure: string } {
    return v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 && "secure" in v;
}

/** Replaces nested `{secure: ...}` values (set with `pulumi config set --path --secret`) by the placeholder. */
function scrubSecure(value: unknown, found: string[]): unknown {
    if (isSecure(value)) {
        found.push(String(value.secure));
        return SECRET_PLACEHOLDER;
    }
    if (Array.isArray(value)) return value.map((v) => scrubSecure(v, found));
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubSecure(v, found)]));
    }
    return value;
}

export function assertStackExists(dir: string, stack: string): void {
    const stacks = listStacks(dir);
    if (!stacks.includes(stack)) {
        throw new UsageError(`unknown stack "${stack}": there is no Pulumi.${stack}.yaml in ${dir}`, stacks);
    }
}

/** Reads the stack file (StackFileError when it is not valid YAML). */
export function loadStack(dir: string, stack: string): LoadedStack {
    assertStackExists(dir, stack);
    const files = readStackConfig(dir, stack);
    const config: Record<string, string> = {};
    const secretKeys = [...files.secretKeys];
    const ciphertexts: string[] = [];
    for (const [key, value] of Object.entries(files.config)) {
        let parsed: unknown;
        try {
            parsed = JSON.parse(value);
        } catch {
            config[key] = value;
            continue;
        }
        if (parsed === null || typeof parsed !== "object") {
            config[key] = value;
            continue;
        }
        const found: string[] = [];
        const scrubbed = scrubSecure(parsed, found);
        config[key] = found.length > 0 ? JSON.stringify(scrubbed) : value;
        if (found.length > 0 && !secretKeys.includes(key)) secretKeys.push(key);
        ciphertexts.push(...found);
    }
    // Top-level secure values never leave readStackConfig; collect their ciphertexts for the leak check.
    const doc = parse(fs.readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8")) ?? {};
    scrubSecure(doc, ciphertexts);
    return { stack, config, secretKeys: secretKeys.sort(), ciphertexts: [...new Set(ciphertexts)].sort() };
}

/** The validated platform config (ConfigError naming each bad key). */
export function platformConfig(loaded: LoadedStack): PlatformConfig {
    return parsePlatformConfig(rawProjectConfig(loaded.config), loaded.stack);
}
