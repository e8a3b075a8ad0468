/**
 * Validates Kubernetes objects against the official Kubernetes API schemas, through the maintained
 * `kubernetes-models` package: its model classes carry validators compiled (ajv) from the
 * Kubernetes OpenAPI spec. Version 5.1.0 is generated from Kubernetes v1.36.0 (its CHANGELOG: 5.x
 * "Update schema version to v1.36.0"; ESM-only, which CommonJS code loads through Node 22+'s require(esm)).
 *
 * What the schemas cannot tell, and how this file handles it:
 * - The package merges the specs of older releases to keep removed APIs, so an object of an API that
 *   the configured release no longer serves would validate; REMOVED_APIS rejects those.
 * - Custom resources whose CRDs the project carries (Karpenter's NodePool and EC2NodeClass) are
 *   checked against those CRDs' schemas (crd-schemas.ts). Other custom resources (e.g. the load
 *   balancer controller's IngressClassParams) have no schema here; they are reported as
 *   "not-checked", never as valid.
 * - Like the OpenAPI spec itself, the schemas allow unknown fields (the API server's strict field
 *   validation rejects them; the typed @pulumi/kubernetes constructors catch them at compile time).
 */
import * as fs from "fs";
import * as path from "path";
import { crdValidatorFor } from "./crd-schemas";
import { celErrors } from "./crd-cel";
import type { Manifest, ManifestCheck, ManifestError, SchemaInfo } from "./model";

export const SCHEMA_PACKAGE = "kubernetes-models";
/** The Kubernetes release the installed kubernetes-models version was generated from. */
export const SCHEMA_KUBERNETES_VERSION = "1.36.0";
/** The package version SCHEMA_KUBERNETES_VERSION was read for; a test pins the installed one to it. */
export const SCHEMA_PACKAGE_VERSION = "5.1.0";

/**
 * The installed package's folder. kubernetes-models 5 exports only an `import` condition, so neither
 * `require.resolve("kubernetes-models")` nor `require("kubernetes-models/apps/v1")` resolves; its files are
 * found on the module search path and loaded by file name (Node 22.12+ `require` loads ES modules).
 */
function packageDir(): string {
    for (const dir of require.resolve.paths(SCHEMA_PACKAGE) ?? []) {
        const candidate = path.join(dir, SCHEMA_PACKAGE);
        if (fs.existsSync(path.join(candidate, "package.json"))) return candidate;
    }
    throw new Error(`${SCHEMA_PACKAGE} is not installed; run npm ci`);
}

export function installedSchemaPackageVersion(): string {
    return JSON.parse(fs.readFileSync(path.join(packageDir(), "package.json"), "utf8")).version;
}

export function schemaInfo(configuredVersion: string): SchemaInfo {
    const minor = SCHEMA_KUBERNETES_VERSION.split(".").slice(0, 2).join(".");
    return {
        package: `${SCHEMA_PACKAGE}@${installedSchemaPackageVersion()}`,
        kubernetesVersion: SCHEMA_KUBERNETES_VERSION,
        configuredVersion,
        matches: minor === configuredVersion,
    };
}

/**
 * APIs removed from Kubernetes that the package still has schemas for, with the release that
 * stopped serving them. https://kubernetes.io/docs/reference/using-api/deprecation-guide/
 */
export const REMOVED_APIS: ReadonlyArray<{ apiVersion: string; kinds: readonly string[]; removedIn: string; use: string }> = [
    { apiVersion: "extensions/v1beta1", kinds: ["DaemonSet", "Deployment", "ReplicaSet", "NetworkPolicy", "PodSecurityPolicy"], removedIn: "1.16", use: "apps/v1, networking.k8s.io/v1" },
    { apiVersion: "apps/v1beta1", kinds: ["*"], removedIn: "1.16", use: "apps/v1" },
    { apiVersion: "apps/v1beta2", kinds: ["*"], removedIn: "1.16", use: "apps/v1" },
    { apiVersion: "extensions/v1beta1", kinds: ["Ingress"], removedIn: "1.22", use: "networking.k8s.io/v1" },
    { apiVersion: "networking.k8s.io/v1beta1", kinds: ["Ingress", "IngressClass"], removedIn: "1.22", use: "networking.k8s.io/v1" },
    { apiVersion: "admissionregistration.k8s.io/v1beta1", kinds: ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"], removedIn: "1.22", use: "admissionregistration.k8s.io/v1" },
    { apiVersion: "apiextensions.k8s.io/v1beta1", kinds: ["*"], removedIn: "1.22", use: "apiextensions.k8s.io/v1" },
    { apiVersion: "apiregistration.k8s.io/v1beta1", kinds: ["*"], removedIn: "1.22", use: "apiregistration.k8s.io/v1" },
    { apiVersion: "authentication.k8s.io/v1beta1", kinds: ["*"], removedIn: "1.22", use: "authentication.k8s.io/v1" },
    { apiVersion: "authorization.k8s.io/v1beta1", kinds: ["*"], removedIn: "1.22", use: "authorization.k8s.io/v1" },
    { apiVersion: "certificates.k8s.io/v1beta1", kinds: ["CertificateSigningRequest"], removedIn: "1.22", use: "certificates.k8s.io/v1" },
    { apiVersion: "coordination.k8s.io/v1beta1", kinds: ["*"], removedIn: "1.22", use: "coordination.k8s.io/v1" },
    { apiVersion: "rbac.authorization.k8s.io/v1beta1", kinds: ["*"], removedIn: "1.22", use: "rbac.authorization.k8s.io/v1" },
    { apiVersion: "scheduling.k8s.io/v1beta1", kinds: ["*"], removedIn: "1.22", use: "scheduling.k8s.io/v1" },
    { apiVersion: "storage.k8s.io/v1beta1", kinds: ["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"], removedIn: "1.22", use: "storage.k8s.io/v1" },
    { apiVersion: "batch/v1beta1", kinds: ["*"], removedIn: "1.25", use: "batch/v1" },
    { apiVersion: "discovery.k8s.io/v1beta1", kinds: ["*"], removedIn: "1.25", use: "discovery.k8s.io/v1" },
    { apiVersion: "events.k8s.io/v1beta1", kinds: ["*"], removedIn: "1.25", use: "events.k8s.io/v1" },
    { apiVersion: "autoscaling/v2beta1", kinds: ["*"], removedIn: "1.25", use: "autoscaling/v2" },
    { apiVersion: "policy/v1beta1", kinds: ["*"], removedIn: "1.25", use: "policy/v1 (PodSecurityPolicy: Pod Security Admission)" },
    { apiVersion: "node.k8s.io/v1beta1", kinds: ["*"], removedIn: "1.25", use: "node.k8s.io/v1" },
    { apiVersion: "flowcontrol.apiserver.k8s.io/v1beta1", kinds: ["*"], removedIn: "1.26", use: "flowcontrol.apiserver.k8s.io/v1" },
    { apiVersion: "autoscaling/v2beta2", kinds: ["*"], removedIn: "1.26", use: "autoscaling/v2" },
    { apiVersion: "storage.k8s.io/v1beta1", kinds: ["CSIStorageCapacity"], removedIn: "1.27", use: "storage.k8s.io/v1" },
    { apiVersion: "flowcontrol.apiserver.k8s.io/v1beta2", kinds: ["*"], removedIn: "1.29", use: "flowcontrol.apiserver.k8s.io/v1" },
    { apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3", kinds: ["*"], removedIn: "1.32", use: "flowcontrol.apiserver.k8s.io/v1" },
];

function minorOf(version: string): number {
    const m = /^1\.(\d+)/.exec(version);
    return m ? Number(m[1]) : NaN;
}

export function removedApi(apiVersion: string, kind: string, kubernetesVersion: string) {
    return REMOVED_APIS.find((r) => r.apiVersion === apiVersion && (r.kinds.includes("*") || r.kinds.includes(kind))
        && minorOf(kubernetesVersion) >= minorOf(r.removedIn));
}

/** `/spec/containers/0/ports/0` -> `spec.containers[0].ports[0]`. */
export function fieldPath(instancePath: string, child?: string): string {
    const segments = instancePath.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
    if (child !== undefined) segments.push(child);
    let out = "";
    for (const s of segments) {
        if (/^\d+$/.test(s)) out += `[${s}]`;
        else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += out ? `.${s}` : s;
        else out += `[${JSON.stringify(s)}]`;
    }
    return out || "(object)";
}

interface AjvError {
    instancePath: string;
    keyword: string;
    message?: string;
    params: Record<string, any>;
}

function toManifestErrors(errors: readonly AjvError[]): ManifestError[] {
    const out: ManifestError[] = [];
    const seen = new Set<string>();
    for (const e of errors) {
        let field = fieldPath(e.instancePath);
        let message = e.message ?? e.keyword;
        if (e.keyword === "required") {
            field = fieldPath(e.instancePath, e.params.missingProperty);
            message = "is required";
        } else if (e.keyword === "enum") {
            message = `must be one of ${(e.params.allowedValues ?? []).map((v: unknown) => JSON.stringify(v)).join(", ")}`;
        } else if (e.keyword === "additionalProperties") {
            field = fieldPath(e.instancePath, e.params.additionalProperty);
            message = "is not a field of this object";
        }
        const key = `${field}\u0000${message}`;
        if (!seen.has(key)) {
            seen.add(key);
            out.push({ field, message });
        }
    }
    return out;
}

type ModelClass = new (data: unknown) => { validate(): void };

/** Files of the model for apiVersion/kind inside the package; the core group has no group folder. */
function modelLocation(apiVersion: string, kind: string): { groupDir: string; kindFile: string } {
    const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [undefined, apiVersion];
    const root = packageDir();
    const versionDir = group ? path.join(root, group, version) : path.join(root, version);
    return { groupDir: group ? path.join(root, group) : versionDir, kindFile: path.join(versionDir, `${kind}.js`) };
}

function loadModel(apiVersion: string, kind: string): ModelClass | "unknown-group" | "unknown-kind" {
    if (!/^[A-Za-z0-9]+$/.test(kind) || !/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion)) return "unknown-kind";
    const { groupDir, kindFile } = modelLocation(apiVersion, kind);
    if (!fs.existsSync(kindFile)) return fs.existsSync(groupDir) ? "unknown-kind" : "unknown-group";
    const mod = require(kindFile);
    const cls = mod[kind] as ModelClass | undefined;
    return cls ?? "unknown-kind";
}

/**
 * Checks one object (unredacted: secrets are checked as the API server would see them; only the
 * field paths and schema messages are reported, never values).
 */
export function checkObject(object: Record<string, unknown>, kubernetesVersion: string): Pick<ManifestCheck, "status" | "reason" | "errors"> {
    const apiVersion = String(object.apiVersion ?? "");
    const kind = String(object.kind ?? "");
    const removed = removedApi(apiVersion, kind, kubernetesVersion);
    if (removed) {
        return {
            status: "invalid",
            errors: [{ field: "apiVersion", message: `${apiVersion} ${kind} is not served since Kubernetes ${removed.removedIn} (configured: ${kubernetesVersion}); use ${removed.use}` }],
        };
    }
    const crd = crdValidatorFor(object);
    if (crd) {
        const errors = [...(crd(object) ? [] : toManifestErrors(crd.errors as AjvError[])), ...celErrors(object)];
        return errors.length === 0 ? { status: "valid", errors: [] } : { status: "invalid", errors };
    }
    const model = loadModel(apiVersion, kind);
    if (model === "unknown-group") {
        return { status: "not-checked", reason: `custom resource: ${SCHEMA_PACKAGE} has no schema for ${apiVersion}`, errors: [] };
    }
    if (model === "unknown-kind") {
        return {
            status: "invalid",
            errors: [{ field: "kind", message: `${apiVersion} has no kind ${JSON.stringify(kind)} in Kubernetes ${SCHEMA_KUBERNETES_VERSION}` }],
        };
    }
    try {
        new model(object).validate();
        return { status: "valid", errors: [] };
    } catch (e) {
        const errors = (e as { errors?: AjvError[] }).errors;
        if (!Array.isArray(errors)) throw e;
        return { status: "invalid", errors: toManifestErrors(errors) };
    }
}

/** Checks every manifest; `raw` gives the unredacted object of each (by resource key). */
export function checkManifests(
    manifests: readonly Manifest[],
    raw: ReadonlyMap<string, Record<string, unknown>>,
    kubernetesVersion: string,
): ManifestCheck[] {
    return manifests.map((m) => ({
        resource: m.resource,
        region: m.region,
        apiVersion: m.apiVersion,
        kind: m.kind,
        name: m.name,
        namespace: m.namespace,
        // `<Kind>Patch` resources (server-side apply patches) hold a partial object by design.
        ...(m.resource.split("::")[0].endsWith("Patch")
            ? { status: "not-checked" as const, reason: "patch: a partial object, not checked against the full schema", errors: [] }
            : checkObject(raw.get(m.resource) ?? m.object, kubernetesVersion)),
    }));
}
