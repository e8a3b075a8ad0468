/**
 * Reads a stack's config the way the Pulumi CLI hands it to the program: `Pulumi.<stack>.yaml` values
 * over the project defaults declared in `Pulumi.yaml`, structured values as JSON strings. Encrypted
 * (`secure:`) values are never decrypted: they arrive as a placeholder and are marked secret.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { SECRET_PLACEHOLDER, sealStackFileValue } from "../../stacks/secrets";

export { SECRET_PLACEHOLDER };

export interface StackConfig {
    readonly stack: string;
    /** `namespace:key` -> value as the CLI passes it (strings as-is, everything else JSON). */
    readonly config: Record<string, string>;
    /** Keys holding an encrypted value, at the top or nested (`pulumi config set --path --secret`). */
    readonly secretKeys: string[];
    /** The `secure:` ciphertexts found: they must never reach any output. */
    readonly ciphertexts: string[];
}

export class StackFileError extends Error {}

function asCliString(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** Stack names that have a `Pulumi.<stack>.yaml` in `dir`. */
export function listStacks(dir: string): string[] {
    return fs.readdirSync(dir)
        .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

export function readStackConfig(dir: string, stack: string): StackConfig {
    const project = parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) ?? {};
    const projectName: string = project.name;
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new StackFileError(`no stack "${stack}": ${file} does not exist; stacks here: ${listStacks(dir).join(", ") || "(none)"}`);
    }
    let stackDoc: any;
    try {
        stackDoc = parse(fs.readFileSync(file, "utf8")) ?? {};
    } catch (e) {
        throw new StackFileError(`${file} is not valid YAML: ${(e as Error).message}`);
    }
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const ciphertexts: string[] = [];
    // Project defaults first (keys declared in Pulumi.yaml are in the project's namespace).
    for (const [key, decl] of Object.entries<any>(project.config ?? {})) {
        const full = key.includes(":") ? key : `${projectName}:${key}`;
        if (decl && typeof decl === "object" && "default" in decl) config[full] = asCliString(decl.default);
    }
    for (const [key, value] of Object.entries<any>(stackDoc.config ?? {})) {
        const full = key.includes(":") ? key : `${projectName}:${key}`;
        const found: string[] = [];
        config[full] = asCliString(sealStackFileValue(value, found));
        if (found.length > 0) {
            secretKeys.push(full);
            ciphertexts.push(...found);
        }
    }
    return { stack, config, secretKeys: secretKeys.sort(), ciphertexts: [...new Set(ciphertexts)].sort() };
}
