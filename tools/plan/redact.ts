/**
 * Turning what the mock engine recorded into plain, redacted, canonically ordered data.
 *
 * Secrets are found two ways: the engine records where the program marked inputs and outputs secret
 * (`secretPaths`, `secretOutputs`); and some fields are sensitive whatever their marking (a
 * kubeconfig, a Secret's data), so they are redacted by name as well.
 */
import { fromPointer } from "../harness/records";
import { SECRET } from "./model";

export { stringsIn } from "../../stacks/secrets";

/** Inputs redacted by name, whatever the program marked: `type` -> top-level input keys. */
const SENSITIVE_INPUTS: Record<string, readonly string[]> = {
    "pulumi:providers:kubernetes": ["kubeconfig"],
    "pulumi:providers:aws": ["accessKey", "secretKey", "token"],
    "kubernetes:core/v1:Secret": ["data", "stringData"],
};

/** Keys redacted anywhere in stack outputs. */
const SENSITIVE_OUTPUT_KEYS = new Set(["kubeconfig", "kubeconfigJson"]);

function isPlainObject(v: unknown): v is Record<string, unknown> {
    if (v === null || typeof v !== "object") return false;
    const proto = Object.getPrototypeOf(v);
    return proto === Object.prototype || proto === null;
}

/**
 * Plain JSON data with keys sorted: resource references (the mock hands a resource input over as a
 * live Resource) become `{ "resource": "<type>::<name>" }`, undefined is dropped.
 */
export function plainData(value: unknown): unknown {
    if (value === undefined || value === null) return value ?? undefined;
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
    if (Array.isArray(value)) return value.map((v) => plainData(v) ?? null);
    if (typeof value === "object") {
        const v = value as Record<string, any>;
        if (v.__pulumiResource === true || (typeof v.__pulumiType === "string" && typeof v.__name === "string")) {
            return { resource: `${v.__pulumiType}::${v.__name}` };
        }
        const source: Record<string, unknown> = isPlainObject(v) ? v : Object.fromEntries(
            Object.entries(v).filter(([k]) => !k.startsWith("__")));
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(source).sort()) {
            const child = plainData(source[k]);
            if (child !== undefined) out[k] = child;
        }
        return out;
    }
    return String(value);
}

/** Replaces the value at each JSON pointer with SECRET (a deep copy; missing paths are ignored). */
export function redactPointers<T>(value: T, pointers: readonly string[]): T {
    const copy = structuredClone(value) as any;
    for (const pointer of pointers) {
        const path = fromPointer(pointer);
        if (path.length === 0) return SECRET as any;
        let node = copy;
        for (const segment of path.slice(0, -1)) {
            node = node?.[segment];
            if (node === null || typeof node !== "object") break;
        }
        const last = path[path.length - 1];
        if (node !== null && typeof node === "object" && last in node) node[last] = SECRET;
    }
    return copy;
}

/** Top-level inputs of `type` that are redacted by name (for a Secret, every value of its maps). */
export function redactSensitiveInputs(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const keys = SENSITIVE_INPUTS[type] ?? [];
    if (keys.length === 0) return inputs;
    const out = { ...inputs };
    for (const k of keys) {
        if (!(k in out)) continue;
        const v = out[k];
        out[k] = isPlainObject(v) && type === "kubernetes:core/v1:Secret"
            ? Object.fromEntries(Object.keys(v).map((name) => [name, SECRET]))
            : SECRET;
    }
    return out;
}

/** Stack outputs with secret-marked paths and every kubeconfig redacted. */
export function redactOutputs(outputs: Record<string, unknown>, secretPointers: readonly string[]): Record<string, unknown> {
    const walk = (v: unknown): unknown => {
        if (Array.isArray(v)) return v.map(walk);
        if (isPlainObject(v)) {
            return Object.fromEntries(Object.entries(v).map(([k, child]) => [k, SENSITIVE_OUTPUT_KEYS.has(k) ? SECRET : walk(child)]));
        }
        return v;
    };
    return walk(plainData(redactPointers(plainData(outputs), secretPointers))) as Record<string, unknown>;
}
