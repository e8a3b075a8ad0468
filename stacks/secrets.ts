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

/** Whether a stack file's value holds an encrypted (`{secure: ...}`) leaf anywhere. */
export function hasSecureLeaf(value: unknown): boolean {
    if (isSecureValue(value)) return true;
    if (Array.isArray(value)) return value.some(hasSecureLeaf);
    if (isObject(value)) return Object.values(value).some(hasSecureLeaf);
    return false;
}

/**
 * A plain leaf of the stack file and the CLI's value agree: the same value, allowing only for how YAML
 * and the CLI type a scalar (`1.30` read as a number by YAML, `"1.30"` from the CLI).
 */
function sameScalar(file: unknown, cli: unknown): boolean {
    const scalar = (v: unknown) => typeof v === "string" || typeof v === "number" || typeof v === "boolean";
    if (!scalar(file) || !scalar(cli)) return file === null && cli === null;
    if (file === cli || String(file) === String(cli)) return true;
    const n = (v: unknown) => (typeof v === "number" ? v : /^-?\d+(\.\d+)?$/.test(String(v)) ? Number(v) : NaN);
    return Number.isFinite(n(file)) && n(file) === n(cli);
}

/** `decrypted` with the placeholder at each `{secure: ...}` leaf of `structure`, or undefined where the two differ in shape or plain value. */
function overlaySecure(decrypted: unknown, structure: unknown, found: string[]): { value: unknown } | undefined {
    if (isSecureValue(structure)) {
        stringsIn(decrypted, 1, found);
        return { value: SECRET_PLACEHOLDER };
    }
    if (Array.isArray(structure)) {
        if (!Array.isArray(decrypted) || decrypted.length !== structure.length) return undefined;
        const items = decrypted.map((v, i) => overlaySecure(v, structure[i], found));
        return items.every((i) => i !== undefined) ? { value: items.map((i) => i!.value) } : undefined;
    }
    if (isObject(structure)) {
        if (!isObject(decrypted)) return undefined;
        const keys = Object.keys(structure);
        if (Object.keys(decrypted).length !== keys.length || !keys.every((k) => Object.prototype.hasOwnProperty.call(decrypted, k))) return undefined;
        const entries = keys.map((k) => [k, overlaySecure(decrypted[k], structure[k], found)] as const);
        return entries.every(([, e]) => e !== undefined) ? { value: Object.fromEntries(entries.map(([k, e]) => [k, e!.value])) } : undefined;
    }
    return sameScalar(structure, decrypted) ? { value: decrypted } : undefined;
}

/**
 * Seals the decrypted value of a key the CLI calls secret, by the CLI's word: the whole value becomes
 * the placeholder, unless the stack file (`structure`, the same key there) locates the secret inside
 * it, i.e. holds at least one `{secure: ...}` leaf *and* every plain leaf of the file matches the
 * decrypted value (same keys, same list lengths, same plain values). Then only the encrypted leaves
 * are sealed. Anything else (a key the file lacks, e.g. from an ESC environment; a file showing a plain
 * value, set with `--secret` after it was committed or read from another branch; a file that differs
 * in any plain part) cannot show which part is secret, so nothing of it is kept. The plaintexts sealed
 * are collected into `found`, for the last-net redaction only.
 */
export function sealDecrypted(decrypted: unknown, structure: unknown, found: string[]): unknown {
    if (hasSecureLeaf(structure)) {
        const located: string[] = [];
        const overlaid = overlaySecure(decrypted, structure, located);
        if (overlaid !== undefined) {
            found.push(...located);
            return overlaid.value;
        }
    }
    stringsIn(decrypted, 1, found);
    return SECRET_PLACEHOLDER;
}

/**
 * What a line or a string holding a secret's text becomes. It replaces the whole line, never the secret
 * inside it: a placeholder cut into known text shows what it replaced ("stored in [secret]text" says the
 * secret is "plain"), and two secrets where one contains the other leave parts of the longer.
 */
export const WITHHELD = "[line withheld: it held the text of a secret config value]";

/** The forms a secret's text takes: as is, and JSON-escaped (a value quoted in JSON text). */
function secretForms(secrets: readonly string[]): string[] {
    const forms = new Set<string>();
    for (const s of secrets) {
        if (s.length === 0 || s === SECRET_PLACEHOLDER) continue;
        forms.add(s);
        forms.add(JSON.stringify(s).slice(1, -1));
    }
    return [...forms];
}

/**
 * The last net, for text from outside the project (engine diagnostics, CLI errors): every line that
 * holds any part of a secret's occurrence (a multi-line secret spans lines) is replaced whole by
 * `WITHHELD`. The project's own messages never hold a secret (values are sealed before validation,
 * see `sealDecrypted`), so this only fires on what others echo.
 */
export function redactText(text: string, secrets: readonly string[]): string {
    const forms = secretForms(secrets);
    if (!forms.some((f) => text.includes(f))) return text;
    const hit = new Array<boolean>(text.length).fill(false);
    for (const f of forms) {
        for (let at = text.indexOf(f); at >= 0; at = text.indexOf(f, at + 1)) hit.fill(true, at, at + f.length);
    }
    const out: string[] = [];
    let start = 0;
    for (const line of text.split("\n")) {
        out.push(hit.slice(start, start + line.length + 1).some(Boolean) ? WITHHELD : line);
        start += line.length + 1;
    }
    return out.join("\n");
}

/** A deep copy of plain data with every string (and key) redacted line by line (see `redactText`). */
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
