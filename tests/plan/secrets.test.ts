/**
 * Secrets never reach the plan's output: values the program marks secret (the engine records where),
 * fields sensitive by name (kubeconfig, a Secret's data), and encrypted stack config (never decrypted).
 */
import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { runWithMocks } from "../../tools/harness/engine";
import { PROJECT_DIR } from "../../tools/harness/program";
import { keyOf, ResourceRecord } from "../../tools/harness/records";
import { assemble, assertNoLeak, plan, renderFiles } from "../../tools/plan/plan";
import { redactOutputs, redactPointers } from "../../tools/plan/redact";
import { loadStack, platformConfig } from "../../tools/plan/stack-config";
import { stackRun } from "../support/fixtures";
import { readTree, stackDir, stackPlan, tempDir, yamlObjects } from "./helpers";

const CIPHER_NESTED = "v1:Q0lQSEVSVEVYVC1ORVNURUQtZG8tbm90LXByaW50";
const CIPHER_TOP = "v1:Q0lQSEVSVEVYVC1UT1AtTEVWRUwtZG8tbm90LXByaW50";

function everything(result: { text: string; json: unknown }, out: string): string {
    return [result.text, JSON.stringify(result.json), ...[...readTree(out).values()].map((b) => b.toString("utf8"))].join("\n");
}

describe("plan: secrets", function () {
    this.timeout(60000);

    it("the engine records where inputs and outputs were secret, and hands the inputs over unwrapped", async () => {
        const r = await runWithMocks(() => {
            const provider = new aws.Provider("p", { region: "eu-west-1" });
            new aws.ssm.Parameter("param", {
                type: "SecureString",
                value: pulumi.secret("s3cr3t-value"),
                tags: { owner: "team", token: pulumi.secret("tag-token") as unknown as string },
            }, { provider });
            return { plain: "x", nested: { list: ["a", pulumi.secret("b")] }, token: pulumi.secret("out-token") };
        }, { stack: "secrets" });
        const param = r.records.find((x) => x.key === keyOf("aws:ssm/parameter:Parameter", "param"))!;
        assert.deepEqual([...(param.secretPaths ?? [])].sort(), ["/tags/token", "/value"]);
        assert.equal(param.inputs.value, "s3cr3t-value");
        assert.deepEqual(param.inputs.tags, { owner: "team", token: "tag-token" });
        assert.deepEqual([...r.secretOutputs].sort(), ["/nested/list/1", "/token"]);
        assert.deepEqual(redactOutputs(r.outputs as any, r.secretOutputs), { plain: "x", nested: { list: ["a", "[secret]"] }, token: "[secret]" });
        assert.deepEqual(redactPointers(param.inputs, param.secretPaths!), { type: "SecureString", value: "[secret]", tags: { owner: "team", token: "[secret]" } });
    });

    it("the engine gives resources the region of their provider, also under a component", async () => {
        const r = await stackRun("dev");
        const subnetZones = r.records.filter((x) => x.type === "aws:ec2/subnet:Subnet").map((x) => x.inputs.availabilityZone).sort();
        assert.deepEqual(subnetZones, ["ap-northeast-2a", "ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2b"]);
    });

    it("no kubeconfig appears in any file, the printed plan or the JSON summary", async () => {
        const run = await stackRun("prod");
        const kubeconfigs = Object.values(run.outputs.regions as Record<string, any>).map((r) => r.kubeconfig as string);
        assert.equal(kubeconfigs.length, 2);
        assert.ok(kubeconfigs.every((k) => k.includes("get-token")), "the mock kubeconfig is the real thing to hide");
        const providers = run.records.filter((x) => x.type === "pulumi:providers:kubernetes");
        assert.equal(providers.length, 4, "per region the region's provider and the one for the shared Gateway API CRDs");
        assert.ok(providers.every((p) => (p.secretPaths ?? []).includes("/kubeconfig")), "the program marks the provider's kubeconfig secret");

        const { result, out } = await stackPlan("prod");
        const all = everything(result, out);
        for (const k of kubeconfigs) {
            assert.ok(!all.includes(k) && !all.includes(JSON.stringify(k)), "a kubeconfig leaked");
        }
        assert.ok(!all.includes("certificate-authority-data") && !all.includes("get-token"));
        const doc = JSON.parse(readTree(out).get("resources.json")!.toString());
        assert.equal(doc.outputs.regions["ap-northeast-1"].kubeconfig, "[secret]");
        const planned = doc.resources.filter((r: any) => r.type === "pulumi:providers:kubernetes");
        assert.equal(planned.length, providers.length);
        assert.ok(planned.every((r: any) => r.inputs.kubeconfig === "[secret]"));
    });

    it("encrypted stack config is neither decrypted nor printed; it shows as [secret]", async () => {
        const dir = stackDir("sealed", "dev", (t) => t
            .replace("      targetType: ip\n", `      targetType: ip\n      secretEnv:\n        API_TOKEN:\n          secure: ${CIPHER_NESTED}\n`)
            .replace("config:\n", `config:\n  aws:secretKey:\n    secure: ${CIPHER_TOP}\n`));
        const loaded = loadStack(dir, "sealed");
        assert.deepEqual(loaded.ciphertexts, [CIPHER_NESTED, CIPHER_TOP].sort());
        assert.deepEqual(loaded.secretKeys, ["aws:secretKey", "eks-platform:apps"]);
        assert.equal(JSON.parse(loaded.config["eks-platform:apps"])[0].secretEnv.API_TOKEN, "[secret]");

        const out = tempDir("sealed-out");
        const result = await plan("sealed", { dir, out });
        assert.equal(result.status, "planned", result.text);
        const all = everything(result, out);
        assert.ok(!all.includes(CIPHER_NESTED) && !all.includes(CIPHER_TOP), "a ciphertext reached the output");
        assert.ok(!all.includes("Q0lQSEVSVEVYVC"), "part of a ciphertext reached the output");
        const doc = JSON.parse(readTree(out).get("resources.json")!.toString());
        const secret = doc.resources.find((r: any) => r.type === "kubernetes:core/v1:Secret");
        assert.equal(secret.inputs.stringData, "[secret]");
    });

    it("a secret where it cannot stay secret (a tag, a plain env variable) is refused at its key, never shown", async () => {
        const dir = stackDir("misplaced", "dev", (t) => t
            .replace("    cost-center: dev-shared\n", `    cost-center: dev-shared\n    billing-token:\n      secure: ${CIPHER_NESTED}\n`)
            .replace("      targetType: ip\n", `      targetType: ip\n      env:\n        DB_PASSWORD:\n          secure: ${CIPHER_TOP}\n`));
        const result = await plan("misplaced", { dir, out: false });
        assert.equal(result.status, "invalid-config");
        assert.match(result.text, /eks-platform:tags\.billing-token = "\[secret\]": is a secret \(set with --secret\), but this key cannot keep a secret[^\n]*Secrets belong in eks-platform:apps\[\]\.secretEnv/);
        assert.match(result.text, /eks-platform:apps\[0\]\.env\.DB_PASSWORD = "\[secret\]": is a secret/);
        assert.ok(!result.text.includes("Q0lQSEVSVEVYVC"), "a ciphertext reached the output");
    });

    describe("objects the program marks secret, and Secret objects", () => {
        let run: Awaited<ReturnType<typeof stackRun>>;
        before(async () => {
            run = await stackRun("dev");
        });

        it("are redacted in resources.json and the manifests", () => {
            const parent = "eks-platform:index:Workloads::dev-ap-northeast-2-workloads";
            const provider = "pulumi:providers:kubernetes::dev-ap-northeast-2-k8s";
            const extra = (type: string, name: string, inputs: Record<string, any>, secretPaths: string[]): ResourceRecord => ({
                type, name, key: keyOf(type, name), inputs, secretPaths, state: {}, custom: true, parent, provider,
                providers: {}, dependsOn: [], protect: false,
            });
            const records = [
                ...run.records,
                extra("kubernetes:core/v1:Secret", "db", {
                    apiVersion: "v1", kind: "Secret", metadata: { name: "db", namespace: "hello" },
                    stringData: { password: "hunter2-password" }, type: "Opaque",
                }, []),
                extra("kubernetes:core/v1:ConfigMap", "cfg", {
                    apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "hello" },
                    data: { endpoint: "db.internal", apiKey: "key-0123456789" },
                }, ["/data/apiKey"]),
            ];
            const platform = platformConfig(loadStack(PROJECT_DIR, "dev"));
            const { model, secretValues } = assemble("dev", platform, { ...run, records });
            assert.ok(secretValues.includes("key-0123456789") && secretValues.includes("hunter2-password"));
            const files = renderFiles(model);
            const all = Object.values(files).join("\n");
            assert.ok(!all.includes("hunter2-password") && !all.includes("key-0123456789"));
            const objects = yamlObjects(files["manifests/ap-northeast-2.yaml"]);
            assert.deepEqual(objects.find((o) => o.kind === "Secret").stringData, { password: "[secret]" });
            assert.deepEqual(objects.find((o) => o.kind === "ConfigMap").data, { apiKey: "[secret]", endpoint: "db.internal" });
            // Both are still schema-checked (on the real values), and pass.
            const checks = model.regions[0].checks.filter((c) => c.kind === "Secret" || c.kind === "ConfigMap");
            assert.deepEqual(checks.map((c) => c.status), ["valid", "valid"]);
        });

        it("fail closed: a secret value that would be printed stops the plan", () => {
            assert.throws(() => assertNoLeak({ "resources.json": "{\"x\": \"key-0123456789\"}" }, ["key-0123456789"]), /secret value would appear in resources\.json/);
            assert.throws(() => assertNoLeak({ "the printed plan": "a \\\"quoted\\\" b" }, ["a \"quoted\" b"]), /the printed plan/);
            assert.doesNotThrow(() => assertNoLeak({ "resources.json": "{\"x\": \"[secret]\"}" }, ["key-0123456789"]));
        });
    });
});
