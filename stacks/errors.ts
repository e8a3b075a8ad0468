/**
 * Config problems are reported all at once, each naming the stack-config key as a user writes it
 * (`eks-platform:regions[0].vpcCidr`), the value found and what is allowed.
 */
export const PROJECT = "eks-platform";

export type ConfigPath = ReadonlyArray<string | number>;

export interface ConfigIssue {
    /** Full stack-config key, e.g. `eks-platform:regions[1].vpcCidr`. */
    readonly key: string;
    readonly value: unknown;
    readonly message: string;
}

export function configKey(path: ConfigPath): string {
    let key = `${PROJECT}:`;
    path.forEach((segment, i) => {
        if (typeof segment === "number") key += `[${segment}]`;
        else key += i === 0 ? segment : `.${segment}`;
    });
    return key;
}

export function valueAt(root: unknown, path: ConfigPath): unknown {
    let v: any = root;
    for (const segment of path) {
        if (v === null || typeof v !== "object") return undefined;
        v = v[segment as any];
    }
    return v;
}

/** An issue at `path`, with the value found there in `root` (the parsed or raw config). */
export function issueAt(root: unknown, path: ConfigPath, message: string): ConfigIssue {
    return { key: configKey(path), value: valueAt(root, path), message };
}

export function showValue(value: unknown): string {
    if (value === undefined) return "(missing)";
    const s = JSON.stringify(value);
    return s.length > 100 ? `${s.slice(0, 97)}...` : s;
}

export class ConfigError extends Error {
    constructor(readonly stack: string, readonly issues: readonly ConfigIssue[]) {
        super(
            `Invalid stack config for stack "${stack}" (${issues.length} problem${issues.length === 1 ? "" : "s"}; ` +
            `set them in Pulumi.${stack}.yaml or with \`pulumi config set --path\`):\n` +
            issues.map((i) => `  - ${i.key} = ${showValue(i.value)}: ${i.message}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}
