/**
 * A few of the carried Gateway API CRDs' CEL rules (`x-kubernetes-validations`), re-implemented for the
 * fields this platform writes: no CEL evaluator is installed (an ajv schema check ignores them), and these
 * are the ones a change to components/gateway-api/ could break. Each names the rule text it stands for; a
 * test checks that text is in the carried CRD, so a Gateway API bump that changes a rule shows here.
 * Rules not listed are not evaluated (the plan says "valid" for the schema, not for CEL).
 */
import type { ManifestError } from "./model";

type Obj = Record<string, any>;

export interface CelRule {
    readonly apiVersion: string;
    readonly kind: string;
    /** The rule's `rule` text in the CRD, whitespace collapsed. */
    readonly rule: string;
    readonly check: (o: Obj) => ManifestError[];
}

const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v : []);

export const CEL_RULES: readonly CelRule[] = [
    {
        apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway",
        rule: "self.all(l, l.protocol in ['HTTP', 'TCP', 'UDP'] ? !has(l.tls) : true)",
        check: (o) => arr(o.spec?.listeners).flatMap((l, i) => (["HTTP", "TCP", "UDP"].includes(l.protocol) && l.tls !== undefined
            ? [{ field: `spec.listeners[${i}].tls`, message: "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP'] (CEL)" }] : [])),
    },
    {
        apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway",
        rule: "self.all(l1, self.exists_one(l2, l1.name == l2.name))",
        check: (o) => arr(o.spec?.listeners).flatMap((l, i, all) => (all.filter((x) => x.name === l.name).length !== 1
            ? [{ field: `spec.listeners[${i}].name`, message: "Listener name must be unique within the Gateway (CEL)" }] : [])),
    },
    {
        apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute",
        rule: "(has(self.backendRefs) && size(self.backendRefs) > 0) ? (!has(self.filters) || self.filters.all(f, !has(f.requestRedirect))): true",
        check: (o) => arr(o.spec?.rules).flatMap((r, i) => (arr(r.backendRefs).length > 0 && arr(r.filters).some((f) => f.requestRedirect !== undefined)
            ? [{ field: `spec.rules[${i}]`, message: "RequestRedirect filter must not be used together with backendRefs (CEL)" }] : [])),
    },
    {
        apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute",
        rule: "(size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true",
        check: (o) => arr(o.spec?.rules).flatMap((r, i) => arr(r.backendRefs).flatMap((b, j) => ((b.group ?? "") === "" && (b.kind ?? "Service") === "Service" && b.port === undefined
            ? [{ field: `spec.rules[${i}].backendRefs[${j}].port`, message: "Must have port for Service reference (CEL)" }] : []))),
    },
];

/** Violations of the re-implemented CEL rules for one object. */
export function celErrors(o: Obj): ManifestError[] {
    return CEL_RULES.filter((r) => r.apiVersion === o.apiVersion && r.kind === o.kind).flatMap((r) => r.check(o));
}
