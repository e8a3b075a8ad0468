/**
 * Custom resources the project carries CRDs for (Karpenter's NodePool and EC2NodeClass; EKS Auto Mode's
 * NodeClass and IngressClassParams, written from the AWS docs: components/compute/auto/crds/; the Gateway
 * API's and the load balancer controller's gateway.k8s.aws kinds) are checked
 * against the OpenAPI v3 schema of the CRD, with ajv (a maintained JSON-schema validator), as the API
 * server's structural validation would: types, enums, patterns, required fields, bounds. Kubernetes
 * extensions (`x-kubernetes-*`, CEL rules) are not evaluated here (crd-cel.ts re-implements a few Gateway API ones); `format` is not checked (Kubernetes
 * formats such as int64 are not JSON-schema formats). Unknown fields are reported, as the API server
 * prunes or (with strict field validation) rejects them.
 */
import Ajv, { ValidateFunction } from "ajv";
import * as fs from "fs";
import { parseAllDocuments } from "yaml";
import { KARPENTER_CRD_FILES } from "../../components/compute/karpenter/crds";
import { AUTO_MODE_CRD_FILES } from "../../components/compute/auto/crds";
import { gatewayCrdObjects } from "../../components/gateway-api/crds";

interface CrdVersion {
    name: string;
    served: boolean;
    schema?: { openAPIV3Schema?: Record<string, unknown> };
}

/** Adds `additionalProperties: false` to every object schema that lists its properties and allows no others. */
function closeObjects(schema: unknown): unknown {
    if (Array.isArray(schema)) return schema.map(closeObjects);
    if (schema === null || typeof schema !== "object") return schema;
    const s = schema as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s)) out[k] = k === "properties" ? Object.fromEntries(Object.entries(v as object).map(([p, ps]) => [p, closeObjects(ps)])) : closeObjects(v);
    if (s.type === "object" && s.properties && s.additionalProperties === undefined && s["x-kubernetes-preserve-unknown-fields"] !== true) {
        out.additionalProperties = false;
    }
    return out;
}

/** The CRD files the project carries: Karpenter's (YAML, as upstream ships them) and the Gateway API's (JSON). */
function carriedCrds(): Array<{ spec: { group: string; names: { kind: string }; versions: CrdVersion[] } }> {
    const out = [];
    for (const file of [...KARPENTER_CRD_FILES, ...AUTO_MODE_CRD_FILES]) {
        for (const doc of parseAllDocuments(fs.readFileSync(file, "utf8"))) out.push(doc.toJS());
    }
    out.push(...gatewayCrdObjects().crds);
    return out;
}

let schemas: Map<string, Record<string, unknown>> | undefined;
const compiled = new Map<string, ValidateFunction>();
let ajv: Ajv | undefined;

/** `apiVersion kind` -> schema, for every served version of every carried CRD. */
function crdSchemas(): Map<string, Record<string, unknown>> {
    if (schemas) return schemas;
    schemas = new Map();
    for (const crd of carriedCrds()) {
        for (const v of crd.spec.versions.filter((x) => x.served && x.schema?.openAPIV3Schema)) {
            schemas.set(`${crd.spec.group}/${v.name} ${crd.spec.names.kind}`, v.schema!.openAPIV3Schema!);
        }
    }
    return schemas;
}

/** The `apiVersion kind` pairs the carried CRDs serve. */
export function crdKinds(): string[] {
    return [...crdSchemas().keys()].sort();
}

/**
 * The validator for an object's apiVersion and kind, when the project carries its CRD. Compiled on first
 * use (the Gateway API's HTTPRoute schema alone takes ajv a quarter of a second), once per process.
 */
export function crdValidator(apiVersion: string, kind: string): ValidateFunction | undefined {
    const key = `${apiVersion} ${kind}`;
    const done = compiled.get(key);
    if (done) return done;
    const raw = crdSchemas().get(key);
    if (!raw) return undefined;
    ajv ??= new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const schema = closeObjects(raw) as Record<string, unknown>;
    // metadata is the API server's to check (ObjectMeta), not the CRD's.
    const props = { ...(schema.properties as Record<string, unknown>), metadata: { type: "object" } };
    const validate = ajv.compile({ ...schema, properties: props });
    compiled.set(key, validate);
    return validate;
}

/** One value standing for all of `values`: objects merged key by key, arrays concatenated, else the first. */
function mergeInstances(values: readonly unknown[]): unknown {
    const objects = values.filter((v): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v));
    if (objects.length > 0) {
        const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))];
        return Object.fromEntries(keys.map((k) => [k, mergeInstances(objects.filter((o) => k in o).map((o) => o[k]))]));
    }
    const arrays = values.filter(Array.isArray);
    if (arrays.length > 0) return arrays.flat();
    return values[0];
}

/**
 * The part of a (closed) schema an instance can reach: under `properties`, only the properties the instance
 * has (at any depth, array items merged). Validating the instance against it is validating it against the
 * whole schema: a property it lacks is checked only by `required`, which stays, and one it has stays with its
 * schema, so unknown fields still meet `additionalProperties: false`. It makes ajv compile a few kilobytes
 * instead of the whole CRD (HTTPRoute: about 300 kB, a quarter of a second).
 */
export function pruneToInstance(schema: unknown, instance: unknown): unknown {
    if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return schema;
    const s = schema as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s)) {
        if (k === "properties" && v && typeof v === "object") {
            const present = instance !== null && typeof instance === "object" && !Array.isArray(instance) ? instance as Record<string, unknown> : {};
            out.properties = Object.fromEntries(Object.entries(v as Record<string, unknown>)
                .filter(([p]) => p in present).map(([p, ps]) => [p, pruneToInstance(ps, present[p])]));
        } else if (k === "items") {
            out.items = pruneToInstance(v, mergeInstances(Array.isArray(instance) ? instance : []));
        } else if (k === "additionalProperties" && v && typeof v === "object") {
            const present = instance !== null && typeof instance === "object" && !Array.isArray(instance) ? Object.values(instance as object) : [];
            out.additionalProperties = pruneToInstance(v, mergeInstances(present));
        } else if ((k === "anyOf" || k === "oneOf" || k === "allOf") && Array.isArray(v)) {
            out[k] = v.map((x) => pruneToInstance(x, instance));
        } else if (k === "x-kubernetes-validations" || k === "description") {
            continue; // not evaluated here (see the top of this file); left out of what ajv compiles
        } else {
            out[k] = v;
        }
    }
    return out;
}

const prunedCompiled = new Map<string, ValidateFunction>();
const closedSchemas = new Map<string, unknown>();

/**
 * The validator for one object, when the project carries its CRD: the CRD's schema pruned to the object
 * (pruneToInstance), compiled once per distinct pruned schema.
 */
export function crdValidatorFor(object: Record<string, unknown>): ValidateFunction | undefined {
    const kindKey = `${String(object.apiVersion ?? "")} ${String(object.kind ?? "")}`;
    const raw = crdSchemas().get(kindKey);
    if (!raw) return undefined;
    if (!closedSchemas.has(kindKey)) closedSchemas.set(kindKey, closeObjects(raw));
    const schema = pruneToInstance(closedSchemas.get(kindKey), object) as Record<string, unknown>;
    // metadata is the API server's to check (ObjectMeta), not the CRD's.
    const pruned = { ...schema, properties: { ...(schema.properties as Record<string, unknown>), metadata: { type: "object" } } };
    const key = JSON.stringify(pruned);
    let validate = prunedCompiled.get(key);
    if (!validate) {
        ajv ??= new Ajv({ strict: false, allErrors: true, validateFormats: false });
        validate = ajv.compile(pruned);
        prunedCompiled.set(key, validate);
    }
    return validate;
}
