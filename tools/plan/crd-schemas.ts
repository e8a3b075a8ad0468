/**
 * Custom resources the project carries CRDs for (Karpenter's NodePool and EC2NodeClass; EKS Auto Mode's
 * NodeClass and IngressClassParams, written from the AWS docs: components/compute/auto/crds/) are checked
 * against the OpenAPI v3 schema of the CRD, with ajv (a maintained JSON-schema validator), as the API
 * server's structural validation would: types, enums, patterns, required fields, bounds. Kubernetes
 * extensions (`x-kubernetes-*`, CEL rules) are not evaluated; `format` is not checked (Kubernetes
 * formats such as int64 are not JSON-schema formats). Unknown fields are reported, as the API server
 * prunes or (with strict field validation) rejects them.
 */
import Ajv, { ValidateFunction } from "ajv";
import * as fs from "fs";
import { parseAllDocuments } from "yaml";
import { KARPENTER_CRD_FILES } from "../../components/compute/karpenter/crds";
import { AUTO_MODE_CRD_FILES } from "../../components/compute/auto/crds";

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

let validators: Map<string, ValidateFunction> | undefined;

/** `apiVersion kind` -> validator, for every served version of every carried CRD. */
export function crdValidators(): Map<string, ValidateFunction> {
    if (validators) return validators;
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    validators = new Map();
    for (const file of [...KARPENTER_CRD_FILES, ...AUTO_MODE_CRD_FILES]) {
        for (const doc of parseAllDocuments(fs.readFileSync(file, "utf8"))) {
            const crd = doc.toJS() as { spec: { group: string; names: { kind: string }; versions: CrdVersion[] } };
            for (const v of crd.spec.versions.filter((x) => x.served && x.schema?.openAPIV3Schema)) {
                const schema = closeObjects(v.schema!.openAPIV3Schema) as Record<string, unknown>;
                // metadata is the API server's to check (ObjectMeta), not the CRD's.
                const props = { ...(schema.properties as Record<string, unknown>), metadata: { type: "object" } };
                validators.set(`${crd.spec.group}/${v.name} ${crd.spec.names.kind}`, ajv.compile({ ...schema, properties: props }));
            }
        }
    }
    return validators;
}

/** The validator for an object's apiVersion and kind, when the project carries its CRD. */
export function crdValidator(apiVersion: string, kind: string): ValidateFunction | undefined {
    return crdValidators().get(`${apiVersion} ${kind}`);
}
