/**
 * Config problems are reported all at once, each naming the stack-config key as a user writes it
 * (`eks-platform:regions[0].vpcCidr`), the value found and what is allowed.
 */
export const PROJECT = "eks-platform";

/** What a secret value shows as, wherever the project prints, writes or validates it (stacks/secrets.ts). */
export const SECRET_PLACEHOLDER = "[secret]";

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

/** True for the path of an app's secret environment (the map or one variable). */
export function isSecretEnvPath(path: ConfigPath): boolean {
    return path.length >= 3 && path[0] === "apps" && typeof path[1] === "number" && path[2] === "secretEnv";
}

const sealMap = (v: unknown): unknown => (v !== null && typeof v === "object" && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).map((k) => [k, SECRET_PLACEHOLDER]))
    : SECRET_PLACEHOLDER);
const sealApp = (app: unknown): unknown => (app !== null && typeof app === "object" && !Array.isArray(app) && "secretEnv" in app
    ? { ...app, secretEnv: sealMap((app as Record<string, unknown>).secretEnv) }
    : app);

/** The value an issue may show: an app's secret environment never shows, whatever its marking. */
function displayable(key: string, value: unknown): unknown {
    if (value === undefined) return value;
    if (/^[^:]+:apps\[\d+\]\.secretEnv\./.test(key)) return SECRET_PLACEHOLDER;
    if (/^[^:]+:apps\[\d+\]\.secretEnv$/.test(key)) return sealMap(value);
    if (/^[^:]+:apps\[\d+\]$/.test(key)) return sealApp(value);
    if (/^[^:]+:apps$/.test(key) && Array.isArray(value)) return value.map(sealApp);
    return value;
}

export function showValue(value: unknown): string {
    if (value === undefined) return "(missing)";
    const s = JSON.stringify(value);
    return s.length > 100 ? `${s.slice(0, 97)}...` : s;
}

export class ConfigError extends Error {
    readonly issues: readonly ConfigIssue[];

    constructor(readonly stack: string, issues: readonly ConfigIssue[]) {
        issues = issues.map((i) => ({ ...i, value: displayable(i.key, i.value) }));
        super(
            `Invalid stack config for stack "${stack}" (${issues.length} problem${issues.length === 1 ? "" : "s"}; ` +
            `set them in Pulumi.${stack}.yaml or with \`pulumi config set --path\`):\n` +
            issues.map((i) => `  - ${i.key} = ${showValue(i.value)}: ${i.message}`).join("\n"),
        );
        this.name = "ConfigError";
        this.issues = issues;
    }
}
