/**
 * Kubernetes objects from records, and their check against the Kubernetes API schemas: hand-made
 * objects, and a real run with one object broken on purpose.
 */
import { strict as assert } from "assert";
import type { ResourceRecord } from "../../tools/harness/records";
import { exitCodeFor } from "../../tools/plan/cli";
import { listedInputs, manifestFor, manifestObject, manifestsYaml, objectType } from "../../tools/plan/manifests";
import { gatewayCrdManifest } from "../../components/gateway-api/crds";
import { apps } from "../../tools/plan/decisions";
import { assemble, renderFiles, statusOf } from "../../tools/plan/plan";
import { loadStack, platformConfig } from "../../tools/plan/stack-config";
import { PROJECT_DIR } from "../../tools/harness/program";
import { renderText } from "../../tools/plan/render-text";
import { checkObject, fieldPath } from "../../tools/plan/validate-manifests";
import { stackRun } from "../support/fixtures";
import { yamlObjects } from "./helpers";

function deployment(over: Record<string, any> = {}): Record<string, any> {
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web", namespace: "web", labels: { app: "web" } },
        spec: {
            replicas: 2,
            selector: { matchLabels: { app: "web" } },
            template: {
                metadata: { labels: { app: "web" } },
                spec: { containers: [{ name: "web", image: "nginx:1.27.3", ports: [{ name: "http", containerPort: 8080 }] }] },
            },
            ...over,
        },
    };
}

describe("plan: Kubernetes manifests", () => {
    describe("from records", () => {
        it("maps type tokens to apiVersion and kind; the core group is v1", () => {
            assert.deepEqual(objectType("kubernetes:core/v1:Service"), { apiVersion: "v1", kind: "Service" });
            assert.deepEqual(objectType("kubernetes:networking.k8s.io/v1:Ingress"), { apiVersion: "networking.k8s.io/v1", kind: "Ingress" });
            assert.deepEqual(objectType("kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams"), { apiVersion: "elbv2.k8s.aws/v1beta1", kind: "IngressClassParams" });
        });

        it("leaves out Helm releases and charts, YAML components, providers and non-Kubernetes resources", () => {
            for (const t of ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart", "kubernetes:yaml/v2:ConfigGroup",
                "kubernetes:yaml:ConfigFile", "pulumi:providers:kubernetes", "aws:ec2/vpc:Vpc", "eks-platform:index:Workloads"]) {
                assert.equal(objectType(t), undefined, t);
                assert.equal(manifestFor(`${t}::x`, t, { metadata: { name: "x" } }), undefined, t);
            }
        });

        it("lists a YAML component's JSON documents by apiVersion, kind and metadata, anything else as it is", () => {
            const cg = "kubernetes:yaml/v2:ConfigGroup";
            const listed = listedInputs(cg, { yaml: gatewayCrdManifest(), skipAwait: false }) as any;
            assert.equal(listed.skipAwait, false);
            assert.equal(listed.yaml.length, 15);
            assert.deepEqual(Object.keys(listed.yaml[0]), ["apiVersion", "kind", "metadata"]);
            assert.equal(listed.yaml[0].metadata.annotations["gateway.networking.k8s.io/bundle-version"], "v1.6.0", "a bump shows");
            assert.deepEqual(listed.yaml.map((o: any) => o.kind).slice(-2), ["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"]);
            const yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n";
            assert.deepEqual(listedInputs(cg, { yaml }), { yaml });
            assert.deepEqual(listedInputs(cg, { yaml: "{\"a\": 1}\n{oops" }), { yaml: "{\"a\": 1}\n{oops" });
            const release = { values: { yaml: gatewayCrdManifest() } };
            assert.equal(listedInputs("kubernetes:helm.sh/v3:Release", release), release);
        });

        it("builds the object from the inputs: apiVersion, kind, metadata first, then the rest", () => {
            const o = manifestObject("kubernetes:core/v1:ConfigMap", { data: { b: "2", a: "1" }, metadata: { name: "cm", namespace: "ns" }, immutable: true });
            assert.deepEqual(Object.keys(o!), ["apiVersion", "kind", "metadata", "data", "immutable"]);
            assert.deepEqual(o, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm", namespace: "ns" }, data: { a: "1", b: "2" }, immutable: true });
            const m = manifestFor("kubernetes:core/v1:ConfigMap::cm", "kubernetes:core/v1:ConfigMap", { metadata: { name: "cm", namespace: "ns" } }, "eu-west-1");
            assert.deepEqual([m!.name, m!.namespace, m!.region], ["cm", "ns", "eu-west-1"]);
        });

        it("writes one YAML document per object, each under the resource it comes from", () => {
            const a = manifestFor("kubernetes:core/v1:Namespace::n", "kubernetes:core/v1:Namespace", { metadata: { name: "web" } })!;
            const b = manifestFor("kubernetes:apps/v1:Deployment::d", "kubernetes:apps/v1:Deployment", deployment())!;
            const text = manifestsYaml(["header line"], [a, b]);
            assert.match(text, /^# header line\n---\n# kubernetes:core\/v1:Namespace::n\napiVersion: v1\nkind: Namespace\n/);
            assert.deepEqual(yamlObjects(text).map((o) => o.kind), ["Namespace", "Deployment"]);
        });

        it("derives an app from a Deployment, the Service selecting its pods and the Ingress routing to that Service", () => {
            const m = (type: string, inputs: Record<string, any>) => manifestFor(`${type}::${inputs.metadata.name}`, type, inputs)!;
            const objects = [
                m("kubernetes:apps/v1:Deployment", deployment()),
                m("kubernetes:core/v1:Service", { metadata: { name: "web-svc", namespace: "web" }, spec: { selector: { app: "web" }, ports: [{ port: 80 }] } }),
                m("kubernetes:core/v1:Service", { metadata: { name: "other", namespace: "web" }, spec: { selector: { app: "other" }, ports: [{ port: 80 }] } }),
                m("kubernetes:networking.k8s.io/v1:Ingress", {
                    metadata: { name: "web", namespace: "web" },
                    spec: {
                        ingressClassName: "internal-alb",
                        rules: [{ host: "web.example.com", http: { paths: [
                            { path: "/api", pathType: "Prefix", backend: { service: { name: "web-svc", port: { number: 80 } } } },
                            { path: "/other", pathType: "Prefix", backend: { service: { name: "other", port: { number: 80 } } } },
                        ] } }],
                    },
                }),
                m("kubernetes:networking.k8s.io/v1:IngressClass", { metadata: { name: "internal-alb" }, spec: { controller: "ingress.k8s.aws/alb", parameters: { apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: "internal-params" } } }),
                m("kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams", { metadata: { name: "internal-params" }, spec: { scheme: "internal", group: { name: "team" } } }),
            ];
            const [app] = apps(objects);
            assert.equal(app.name, "web");
            assert.equal(app.replicas, 2);
            assert.deepEqual(app.images, ["nginx:1.27.3"]);
            assert.deepEqual(app.exposure.map((e) => [e.scheme, e.group, e.routes, e.listeners]), [["internal", "team", ["web.example.com/api"], ["HTTP:80"]]]);
        });
    });

    describe("schema check (Kubernetes 1.36 API via kubernetes-models)", () => {
        it("accepts a valid object", () => {
            assert.deepEqual(checkObject(deployment(), "1.36"), { status: "valid", errors: [] });
        });

        it("names each invalid field with its path", () => {
            const bad = deployment({ replicas: "two" });
            bad.spec.template.spec.containers[0].ports[0].containerPort = "8080";
            const r = checkObject(bad, "1.36");
            assert.equal(r.status, "invalid");
            assert.deepEqual(r.errors.map((e) => e.field).sort(), ["spec.replicas", "spec.template.spec.containers[0].ports[0].containerPort"]);
            assert.match(r.errors.find((e) => e.field === "spec.replicas")!.message, /integer/);
        });

        it("names a missing required field and the allowed values of an enum", () => {
            const noSelector = deployment();
            delete noSelector.spec.selector;
            assert.deepEqual(checkObject(noSelector, "1.36").errors, [{ field: "spec.selector", message: "is required" }]);
            const svc = checkObject({ apiVersion: "v1", kind: "Service", metadata: { name: "s" }, spec: { type: "Public", ports: [{ port: 80 }] } }, "1.36");
            assert.equal(svc.errors[0].field, "spec.type");
            assert.match(svc.errors[0].message, /"ClusterIP"/);
        });

        it("rejects an API the configured version no longer serves, though the package still has its schema", () => {
            const pdb = { apiVersion: "policy/v1beta1", kind: "PodDisruptionBudget", metadata: { name: "p" }, spec: { maxUnavailable: 1 } };
            const r = checkObject(pdb, "1.36");
            assert.equal(r.status, "invalid");
            assert.equal(r.errors[0].field, "apiVersion");
            assert.match(r.errors[0].message, /not served since Kubernetes 1\.25.*policy\/v1/);
            assert.equal(checkObject({ ...pdb, apiVersion: "policy/v1" }, "1.36").status, "valid");
        });

        it("rejects a kind its API group does not have", () => {
            const r = checkObject({ apiVersion: "networking.k8s.io/v1", kind: "Ingres", metadata: { name: "x" } }, "1.36");
            assert.deepEqual(r.errors.map((e) => e.field), ["kind"]);
        });

        it("reports a custom resource as not schema-checked, never as valid", () => {
            const r = checkObject({ apiVersion: "elbv2.k8s.aws/v1beta1", kind: "IngressClassParams", metadata: { name: "alb" }, spec: { scheme: "nowhere" } }, "1.36");
            assert.equal(r.status, "not-checked");
            assert.match(r.reason!, /custom resource.*elbv2\.k8s\.aws\/v1beta1/);
        });

        it("spells field paths as a reader writes them", () => {
            assert.equal(fieldPath("/spec/template/spec/containers/0/ports/1"), "spec.template.spec.containers[0].ports[1]");
            assert.equal(fieldPath("/metadata/labels/app.kubernetes.io~1name"), "metadata.labels[\"app.kubernetes.io/name\"]");
            assert.equal(fieldPath("", "spec"), "spec");
        });
    });

    describe("a real run with one object broken on purpose", function () {
        this.timeout(60000);
        let records: ResourceRecord[];
        let run: Awaited<ReturnType<typeof stackRun>>;

        before(async () => {
            run = await stackRun("dev");
            records = run.records;
        });

        it("is caught, named with its field, and makes the plan exit 1", () => {
            const loaded = loadStack(PROJECT_DIR, "dev");
            const platform = platformConfig(loaded);
            const broken = records.map((r) => {
                if (r.type !== "kubernetes:apps/v1:Deployment") return r;
                const inputs = structuredClone(r.inputs);
                inputs.spec.replicas = "two";
                inputs.spec.template.spec.containers[0].imagePullPolicy = "Sometimes";
                return { ...r, inputs };
            });
            const { model } = assemble("dev", platform, { ...run, records: broken });
            const bad = model.regions[0].checks.filter((c) => c.status === "invalid");
            assert.deepEqual(bad.map((c) => `${c.kind} ${c.namespace}/${c.name}`), ["Deployment hello/hello"]);
            assert.deepEqual(bad[0].errors.map((e) => e.field).sort(), ["spec.replicas", "spec.template.spec.containers[0].imagePullPolicy"]);
            assert.equal(statusOf(model), "invalid-manifests");
            assert.equal(exitCodeFor(statusOf(model)), 1);
            const text = renderText(model);
            assert.match(text, /INVALID\s+Deployment hello\/hello/);
            assert.match(text, /spec\.template\.spec\.containers\[0\]\.imagePullPolicy: must be one of "Always", "IfNotPresent", "Never"/);
            assert.match(text, /NOT VALID: 1 of 17 Kubernetes objects fail/);
            // The unbroken run of the same records is valid.
            assert.equal(statusOf(assemble("dev", platform, run).model), "planned");
            assert.ok(renderFiles(model)["manifests/ap-northeast-2.yaml"].includes("replicas: two"));
        });
    });
});
