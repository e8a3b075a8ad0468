/**
 * Reads a stack's config the way the Pulumi CLI hands it to the program: `Pulumi.<stack>.yaml` values
 * over the project defaults declared in `Pulumi.yaml`, structured values as JSON strings. Encrypted
 * (`secure:`) values are never decrypted: they arrive as a placeholder and are marked secret.
 */
import * as fs from "fs";
import * as path from "path";
import { isPair, isScalar, isSeq, parse, parseDocument, visit } from "yaml";
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

/**
 * Every number of a YAML text that is not finite (`.inf`, `-.inf`, `.nan`, or one too large for a double,
 * e.g. `1e400`), as `<key path> = <text as written>`: shown as written, never as the `null` JSON makes of it.
 */
export function nonFiniteNumbers(text: string): string[] {
    const out: string[] = [];
    visit(parseDocument(text), {
        Scalar(_key, node, path) {
            if (typeof node.value !== "number" || Number.isFinite(node.value)) return;
            // The key path as config keys are written: map keys joined by ".", list items as [i].
            const chain = [...path, node];
            let key = "";
            chain.forEach((p, i) => {
                if (isPair(p) && isScalar(p.key) && p.key.value !== "config") key += `${key ? "." : ""}${String(p.key.value)}`;
                if (isSeq(p)) key += `[${p.items.indexOf(chain[i + 1] as never)}]`;
            });
            const written = node.range ? text.slice(node.range[0], node.range[1]) : String(node.value);
            out.push(`${key || "(a value)"} = ${written}`);
        },
    });
    return out;
}

function asCliString(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * The project file of `dir` (`Pulumi.yaml`, or `Pulumi.yml`), or undefined. The CLI reads a stack's
 * config from `Pulumi.<stack>` with the project file's own extension (pulumi/pulumi
 * sdk/go/common/workspace/paths.go ProjectStackPath), so a `Pulumi.dev.yml` next to a `Pulumi.yaml`
 * is not a stack file.
 */
export function projectFile(dir: string): string | undefined {
    return ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
}

/** The parsed project file at `file` (an empty one reads as {}). */
function readProjectFile(file: string): Record<string, any> {
    return parse(fs.readFileSync(file, "utf8")) ?? {};
}

/** The project's name (its project file's `name`), or undefined when `dir` has no project file or it names none. */
export function projectName(dir: string): string | undefined {
    const file = projectFile(dir);
    const name = file ? readProjectFile(file).name : undefined;
    return name === undefined || name === null ? undefined : String(name);
}

function stackFileExtension(dir: string): string {
    return path.extname(projectFile(dir) ?? "Pulumi.yaml");
}

/** Stack names that have a stack file (`Pulumi.<stack>.yaml`, or `.yml` with a `Pulumi.yml`) in `dir`. */
export function listStacks(dir: string): string[] {
    const ext = stackFileExtension(dir);
    return fs.readdirSync(dir)
        .filter((f) => f.endsWith(ext) && f.startsWith("Pulumi.") && f !== `Pulumi${ext}`)
        .map((f) => f.slice("Pulumi.".length, -ext.length))
        .sort();
}

/** Stack files the CLI would not read (the other YAML extension than the project file's). */
export function ignoredStackFiles(dir: string): string[] {
    const ext = stackFileExtension(dir);
    return fs.readdirSync(dir).filter((f) => /^Pulumi\..+\.ya?ml$/.test(f) && !f.endsWith(ext)).sort();
}

function isMapping(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function readStackConfig(dir: string, stack: string): StackConfig {
    const projectPath = projectFile(dir);
    if (!projectPath) throw new StackFileError(`${dir} is not a Pulumi project: it has no Pulumi.yaml`);
    const project = readProjectFile(projectPath);
    const projectName: string = project.name;
    const file = path.join(dir, `Pulumi.${stack}${path.extname(projectPath)}`);
    if (!fs.existsSync(file)) {
        throw new StackFileError(`no stack "${stack}": ${file} does not exist; stacks here: ${listStacks(dir).join(", ") || "(none)"}`);
    }
    const text = fs.readFileSync(file, "utf8");
    let stackDoc: unknown;
    try {
        stackDoc = parse(text) ?? {};
    } catch (e) {
        throw new StackFileError(`${file} is not valid YAML: ${(e as Error).message}`);
    }
    if (!isMapping(stackDoc)) {
        throw new StackFileError(`${file} is not a Pulumi stack file: expected a mapping with a \`config:\` section, found ${Array.isArray(stackDoc) ? "a list" : `a ${typeof stackDoc}`}`);
    }
    const stackConfig = stackDoc.config ?? {};
    if (!isMapping(stackConfig)) {
        throw new StackFileError(`${file}: \`config\` must be a mapping of keys to values (e.g. \`eks-platform:environment: dev\`), found ${Array.isArray(stackConfig) ? "a list" : `a ${typeof stackConfig}`}`);
    }
    const nonFinite = nonFiniteNumbers(text);
    if (nonFinite.length > 0) {
        throw new StackFileError(`${file}: ${nonFinite.map((t) => `${t} is not a finite number`).join("; ")} (YAML reads it as infinity or ` +
            "not-a-number, which JSON and the Pulumi CLI cannot carry: it would arrive as null); give a number such as 100");
    }
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const ciphertexts: string[] = [];
    // Project defaults first (keys declared in Pulumi.yaml are in the project's namespace).
    for (const [key, decl] of Object.entries<any>(project.config ?? {})) {
        const full = key.includes(":") ? key : `${projectName}:${key}`;
        if (decl && typeof decl === "object" && "default" in decl) config[full] = asCliString(decl.default);
    }
    for (const [key, value] of Object.entries(stackConfig)) {
        const full = key.includes(":") ? key : `${projectName}:${key}`;
        const found: string[] = [];
        config[full] = asCliString(sealStackFileValue(value, found));
        if (found.length > 0) {
            secretKeys.push(full);
            ciphertexts.push(...found);
        }
    }
    // As the Pulumi CLI does: a typed project key with no default must have a value in the stack
    // (pulumi/pulumi sdk/go/common/workspace, ValidateStackConfigAndApplyProjectConfig:
    // "Stack 'dev' is missing configuration value ..."), so the plan refuses what `pulumi up` would.
    const missing = Object.entries<any>(project.config ?? {})
        .filter(([, decl]) => decl && typeof decl === "object" && "type" in decl && !("default" in decl))
        .map(([key]) => (key.includes(":") ? key : `${projectName}:${key}`))
        .filter((full) => !(full in config));
    if (missing.length > 0) {
        throw new StackFileError(`Stack '${stack}' is missing configuration value${missing.length > 1 ? "s" : ""} ${missing.map((k) => `'${k}'`).join(", ")} ` +
            `(typed in Pulumi.yaml with no default, so the Pulumi CLI requires it); set it in ${path.basename(file)} or with \`pulumi config set\``);
    }
    return { stack, config, secretKeys: secretKeys.sort(), ciphertexts: [...new Set(ciphertexts)].sort() };
}
