/**
 * Kubernetes objects from the registered resources, generically: any resource of type
 * `kubernetes:<group>/<version>:<Kind>` is an object the Kubernetes provider would apply, with its
 * inputs (metadata, spec, data, ...) as the object's body. Helm releases and charts, YAML/kustomize
 * components and the provider itself are not objects. Serialized as YAML, one file per region.
 */
import { stringify } from "yaml";
import type { Manifest } from "./model";
import { plainData } from "./redact";

/** `kubernetes:<group>/<version>:<Kind>`; `core` is the legacy group (apiVersion `v1`). */
const OBJECT_TYPE = /^kubernetes:([a-z0-9.-]+)\/([a-z0-9]+):([A-Za-z0-9]+)$/;

/** Groups whose types are Pulumi components or Helm resources, not API objects. */
const NOT_OBJECTS = new Set(["helm.sh", "yaml", "kustomize"]);

export interface ObjectType {
    readonly apiVersion: string;
    readonly kind: string;
}

/** apiVersion and kind for an object type token, or undefined for anything else. */
export function objectType(type: string): ObjectType | undefined {
    const m = OBJECT_TYPE.exec(type);
    if (!m || NOT_OBJECTS.has(m[1])) return undefined;
    const [, group, version, kind] = m;
    return { apiVersion: group === "core" ? version : `${group}/${version}`, kind };
}

/** Helm releases (v3 Release) and charts (v4 Chart): listed, not exported as objects. */
export function isHelmType(type: string): boolean {
    return type.startsWith("kubernetes:helm.sh/");
}

/** The YAML components (pulumi-kubernetes yaml/v2), whose `objs` input holds whole objects. */
const YAML_COMPONENTS = new Set(["kubernetes:yaml/v2:ConfigGroup", "kubernetes:yaml/v2:ConfigFile"]);

let listed: { text: string; heads: unknown[] | undefined } | undefined;

/**
 * A YAML component's inputs as resources.json lists them: a `yaml` that is a stream of one JSON document a
 * line (the carried Gateway API CRDs: components/gateway-api/crds.ts `gatewayCrdManifest`, about 0.8 MB a
 * region, which the plan checks on their own in crd-schemas.ts) by each document's apiVersion, kind and
 * metadata (names, labels, annotations such as the bundle version). Listed whole they made resources.json
 * ten times larger. Any other YAML text, and every other input, is listed as it is.
 */
export function listedInputs(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
    if (!YAML_COMPONENTS.has(type) || typeof inputs.yaml !== "string" || !inputs.yaml.startsWith("{")) return inputs;
    const text = inputs.yaml;
    if (listed?.text !== text) {
        let heads: unknown[] | undefined;
        try {
            heads = text.split("\n").map((line) => {
                const { apiVersion, kind, metadata } = JSON.parse(line) as Record<string, unknown>;
                return { apiVersion, kind, metadata };
            });
        } catch {
            heads = undefined;
        }
        listed = { text, heads };
    }
    return listed.heads ? { ...inputs, yaml: listed.heads } : inputs;
}

/** The object as it would be sent: apiVersion, kind, metadata first, then the rest by key. */
export function manifestObject(type: string, inputs: Record<string, unknown>): Record<string, unknown> | undefined {
    const t = objectType(type);
    if (!t) return undefined;
    const body = plainData(inputs) as Record<string, unknown>;
    const out: Record<string, unknown> = {
        apiVersion: typeof body.apiVersion === "string" ? body.apiVersion : t.apiVersion,
        kind: typeof body.kind === "string" ? body.kind : t.kind,
    };
    if (body.metadata !== undefined) out.metadata = body.metadata;
    for (const k of Object.keys(body).sort()) {
        if (!(k in out)) out[k] = body[k];
    }
    return out;
}

export function manifestFor(resource: string, type: string, inputs: Record<string, unknown>, region?: string): Manifest | undefined {
    const object = manifestObject(type, inputs);
    if (!object) return undefined;
    const metadata = (object.metadata ?? {}) as Record<string, unknown>;
    return {
        resource,
        region,
        apiVersion: object.apiVersion as string,
        kind: object.kind as string,
        name: typeof metadata.name === "string" ? metadata.name : undefined,
        namespace: typeof metadata.namespace === "string" ? metadata.namespace : undefined,
        object,
    };
}

/** Apply-like order: namespaces, then cluster-scoped objects, then namespaced ones; by kind and name. */
export function compareManifests(a: Manifest, b: Manifest): number {
    const rank = (m: Manifest) => (m.kind === "Namespace" ? 0 : m.namespace === undefined ? 1 : 2);
    const keys = (m: Manifest) => [String(rank(m)), m.namespace ?? "", m.kind, m.name ?? "", m.resource];
    const ka = keys(a);
    const kb = keys(b);
    for (let i = 0; i < ka.length; i++) {
        if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    }
    return 0;
}

/** Multi-document YAML, each object preceded by the Pulumi resource it comes from. */
export function manifestsYaml(header: readonly string[], manifests: readonly Manifest[]): string {
    const docs = manifests.map((m) =>
        `# ${m.resource}\n${stringify(m.object, { lineWidth: 0, sortMapEntries: false })}`);
    const head = header.map((l) => `# ${l}`.trimEnd()).join("\n");
    if (docs.length === 0) return `${head}\n`;
    return `${head}\n---\n${docs.join("---\n")}`;
}
