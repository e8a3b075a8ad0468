/**
 * Secret stack config, the one way this project handles it: an encrypted (`secure:`) value is replaced
 * by the placeholder `[secret]` where it enters a tool (the offline plan reads the stack file, the
 * rollout reads `pulumi config --json`), so validation, messages and reports never hold the plaintext;
 * and a secret may only sit where the program keeps it secret end to end: `apps[].secretEnv`.
 *
 * What Pulumi tells whom (pulumi/pulumi sdk/go/common/resource/config/object.go, value.go):
 * - the stack file keeps each encrypted leaf as `{secure: <ciphertext>}` at its nested path;
 * - `pulumi config --json` flags a whole top-level key `secret` when any leaf under it is encrypted,
 *   and with `--show-secrets` (the only way the Automation API reads config) gives the decrypted value;
 * - a program sees decrypted values and only the top-level secret keys (PULUMI_CONFIG_SECRET_KEYS).
 */
import { ConfigIssue, PROJECT, SECRET_PLACEHOLDER, configKey, isSecretEnvPath } from "./errors";

export { SECRET_PLACEHOLDER };

/** The only config keys whose values may be secret: an app's secret environment (a Kubernetes Secret). */
export const SECRET_CAPABLE = "apps[].secretEnv.<NAME>";

function isObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** A stack file's encrypted value: exactly `{ secure: <ciphertext> }`. */
export function isSecureValue(v: unknown): v is { secure: string } {
    return isObject(v) && Object.keys(v).length === 1 && "secure" in v;
}

/** Every string under `value` of at least `minLength` characters. */
export function stringsIn(value: unknown, minLength = 1, out: string[] = []): string[] {
    if (typeof value === "string") {
        if (value.length >= minLength) out.push(value);
    } else if (Array.isArray(value)) {
        value.forEach((v) => stringsIn(v, minLength, out));
    } else if (isObject(value)) {
        Object.values(value).forEach((v) => stringsIn(v, minLength, out));
    }
    return out;
}

/**
 * A stack file's value with every `{secure: ...}` leaf, top-level or nested, replaced by the
 * placeholder; the ciphertexts are collected into `found`.
 */
export function sealStackFileValue(value: unknown, found: string[]): unknown {
    if (isSecureValue(value)) {
        found.push(String(value.secure));
        return SECRET_PLACEHOLDER;
    }
    if (Array.isArray(value)) return value.map((v) => sealStackFileValue(v, found));
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sealStackFileValue(v, found)]));
    return value;
}

/**
 * A decrypted value with the placeholder wherever `structure` (the same key in the stack file) has an
 * encrypted leaf; the plaintexts replaced are collected into `found`. Where the structure does not
 * reach (a key the stack file lacks, e.g. one from an ESC environment), the whole value is sealed:
 * which part of it was encrypted cannot be known.
 */
export function sealDecrypted(decrypted: unknown, structure: unknown, found: string[]): unknown {
    const sealWhole = () => {
        stringsIn(decrypted, 1, found);
        return SECRET_PLACEHOLDER;
    };
    if (structure === undefined || isSecureValue(structure)) return sealWhole();
    if (Array.isArray(structure) && Array.isArray(decrypted)) {
        return decrypted.map((v, i) => (i < structure.length ? sealDecrypted(v, structure[i], found) : sealWhole()));
    }
    if (isObject(structure) && isObject(decrypted)) {
        return Object.fromEntries(Object.entries(decrypted).map(([k, v]) => [k, k in structure ? sealDecrypted(v, structure[k], found) : sealWhole()]));
    }
    // A plain leaf in the file (its YAML and the CLI may type it differently: 1.30 vs "1.30"), kept;
    // a container where the file has a leaf, or the other way round, came from elsewhere: sealed.
    const container = (v: unknown) => v !== null && typeof v === "object";
    return container(structure) || container(decrypted) ? sealWhole() : decrypted;
}

/** Text with every secret value replaced by the placeholder (also in its JSON-escaped form). */
export function redactText(text: string, secrets: readonly string[]): string {
    let out = text;
    for (const s of [...secrets].sort((a, b) => b.length - a.length)) {
        if (s.length === 0 || s === SECRET_PLACEHOLDER) continue;
        out = out.split(s).join(SECRET_PLACEHOLDER);
        const escaped = JSON.stringify(s).slice(1, -1);
        if (escaped !== s) out = out.split(escaped).join(SECRET_PLACEHOLDER);
    }
    return out;
}

/** A deep copy of plain data with every string redacted (see `redactText`). */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
    if (secrets.length === 0) return value;
    const walk = (v: unknown): unknown => {
        if (typeof v === "string") return redactText(v, secrets);
        if (Array.isArray(v)) return v.map(walk);
        if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, c]) => [redactText(k, secrets), walk(c)]));
        return v;
    };
    return walk(value) as T;
}

/**
 * Item "secret values only where they stay secret": every placeholder in the raw config outside
 * `apps[].secretEnv` is refused. Elsewhere a value lands unmarked in resource inputs (a Deployment's
 * env, the provider's default tags, a launch template, Helm values), i.e. in plaintext in the state.
 */
export function secretPlacementIssues(raw: Record<string, unknown>): ConfigIssue[] {
    const out: ConfigIssue[] = [];
    const walk = (v: unknown, path: Array<string | number>) => {
        if (v === SECRET_PLACEHOLDER) {
            if (!isSecretEnvPath(path) || path.length !== 4) {
                out.push({
                    key: configKey(path),
                    value: SECRET_PLACEHOLDER,
                    message: "is a secret (set with --secret), but this key cannot keep a secret: its value would be stored " +
                        "in plaintext in resource inputs and the Pulumi state. " +
                        `Secrets belong in ${PROJECT}:${SECRET_CAPABLE} (a Kubernetes Secret, secret in state); keep this key plain`,
                });
            }
            return;
        }
        if (Array.isArray(v)) v.forEach((c, i) => walk(c, [...path, i]));
        else if (isObject(v)) Object.entries(v).forEach(([k, c]) => walk(c, [...path, k]));
    };
    for (const [key, value] of Object.entries(raw)) walk(value, [key]);
    return out;
}
