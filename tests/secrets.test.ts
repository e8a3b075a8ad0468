/**
 * Secret config in the program itself (`pulumi up` without the plan or the rollout): it sees values
 * decrypted and only which top-level keys hold a secret. A secret top-level key other than `apps` is
 * refused without showing its value; an app's secret environment never shows in a message.
 */
import * as assert from "assert";
import { parsePlatformConfig, sealSecretKeys } from "../stacks/config";
import { ConfigError } from "../stacks/errors";
import { secretPlacementIssues } from "../stacks/secrets";
import { runProgram } from "../tools/harness/program";
import { cliConfig, configErrorOf, validRaw } from "./support/fixtures";

const PLAINTEXT = "tag-PLAINTEXT-91d2";

describe("secret config in the program", () => {
    it("refuses a secret tag map at its key, showing [secret], when the engine says the key is secret", async () => {
        const config = cliConfig({ ...validRaw(), tags: { billing: PLAINTEXT } });
        const err = await configErrorOf(runProgram("x", { config, secretKeys: ["eks-platform:tags"] }));
        assert.match(err.message, /eks-platform:tags = "\[secret\]": is a secret \(set with --secret\), but this key cannot keep a secret/);
        assert.ok(!err.message.includes(PLAINTEXT), err.message);
    });

    it("leaves a secret apps key to the plan and rollout (secretEnv may be secret) and other namespaces alone", () => {
        const sealed = sealSecretKeys({ "eks-platform:apps": "[]", "eks-platform:environment": "dev", "aws:secretKey": "k" }, () => true);
        assert.deepEqual(sealed, { "eks-platform:apps": "[]", "eks-platform:environment": "[secret]", "aws:secretKey": "k" });
    });

    it("accepts a sealed value only under apps[].secretEnv.<NAME>", () => {
        const app = { name: "web", namespace: "shop", image: "nginx:1.27.3", containerPort: 80 };
        assert.deepEqual(secretPlacementIssues({ apps: [{ ...app, secretEnv: { TOKEN: "[secret]" } }] }), []);
        assert.deepEqual(secretPlacementIssues({ apps: [{ ...app, env: { TOKEN: "[secret]" } }] }).map((i) => i.key), ["eks-platform:apps[0].env.TOKEN"]);
        assert.deepEqual(secretPlacementIssues({ apps: [{ ...app, secretEnv: "[secret]" }] }).map((i) => i.key), ["eks-platform:apps[0].secretEnv"]);
        assert.doesNotThrow(() => parsePlatformConfig({ ...validRaw(), apps: [{ ...app, secretEnv: { TOKEN: "[secret]" } }] }, "x"));
    });

    it("never shows an app's secret environment, whether the issue is about a variable, the map, an app or the list", () => {
        const app = { name: "web", secretEnv: { TOKEN: PLAINTEXT } };
        const err = new ConfigError("x", [
            { key: "eks-platform:apps[0].secretEnv.TOKEN", value: PLAINTEXT, message: "m1" },
            { key: "eks-platform:apps[0].secretEnv", value: { TOKEN: PLAINTEXT }, message: "m2" },
            { key: "eks-platform:apps[0]", value: app, message: "m3" },
            { key: "eks-platform:apps", value: [app], message: "m4" },
        ]);
        assert.ok(!err.message.includes(PLAINTEXT) && !JSON.stringify(err.issues).includes(PLAINTEXT), err.message);
        assert.deepEqual(err.issues.map((i) => i.value), ["[secret]", { TOKEN: "[secret]" }, { name: "web", secretEnv: { TOKEN: "[secret]" } }, [{ name: "web", secretEnv: { TOKEN: "[secret]" } }]]);
    });
});
