/**
 * The rollout reads config decrypted (the Automation API only runs `pulumi config --show-secrets
 * --json`): a secret value must never reach stdout, stderr, progress lines, the JSON report or the
 * Markdown summary. Each writer is run with a secret value and grepped for the plaintext.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { ConfigMap, OutputMap, PreviewResult, UpResult } from "@pulumi/pulumi/automation";
import { AutomationRolloutStack, AutomationStack, sealConfig } from "../../tools/rollout/automation";
import { WITHHELD, redactDeep, redactText, sealDecrypted } from "../../stacks/secrets";
import { main } from "../../tools/rollout/cli";
import { EXIT } from "../../tools/rollout/exit-codes";
import { FakeStack, PROJECT, reachAll, childUrn, emit, failedStepEvents, regionOutputs, stackConfig } from "./support/fake-stack";
import { FakeAccount } from "./support/fake-account";

const TOKEN = "tok-PLAINTEXT-4f1c9e";
const CIPHER = "v1:Q0lQSEVSVEVYVA==";
const REGIONS = ["ap-northeast-2"];

/** `pulumi config --show-secrets --json` with apps[0].secretEnv.API_TOKEN secret and API_TOKEN also in env. */
function decryptedConfig(env: Record<string, string> = { API_TOKEN: "plain" }): { all: ConfigMap; file: Record<string, unknown> } {
    const values = stackConfig({ regions: REGIONS, apps: [{ name: "hello", env, secretEnv: { API_TOKEN: TOKEN } }] });
    const all: ConfigMap = {};
    for (const [k, v] of Object.entries(values)) all[k] = { value: v, secret: k === `${PROJECT}:apps` };
    const apps = JSON.parse(values[`${PROJECT}:apps`]);
    apps[0].secretEnv.API_TOKEN = { secure: CIPHER };
    return { all, file: { [`${PROJECT}:apps`]: apps } };
}

/** An `automation.Stack` stand-in answering config only (a config error stops every rollout before any operation). */
function automationStack(all: ConfigMap): AutomationStack {
    const fail = () => { throw new Error("no operation may run on an invalid config"); };
    return {
        name: "prod",
        getAllConfig: async () => all,
        preview: async (): Promise<PreviewResult> => fail(),
        up: async (): Promise<UpResult> => fail(),
        refresh: fail, previewRefresh: fail,
        outputs: async (): Promise<OutputMap> => fail(),
        cancel: async () => fail(),
    } as AutomationStack;
}

describe("rollout: secrets never reach what it prints or writes", () => {
    let dir: string;
    before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-secrets-")); });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    async function run(stack: () => Promise<AutomationRolloutStack | FakeStack>, mode: string[] = []) {
        const lines: string[] = [];
        const json = path.join(dir, `r-${Math.random().toString(36).slice(2)}.json`);
        const md = path.join(dir, `s-${Math.random().toString(36).slice(2)}.md`);
        const code = await main(["--stack", "prod", ...mode, "--json", json, "--markdown", md], {
            out: (l) => lines.push(`out: ${l}`), err: (l) => lines.push(`err: ${l}`), openStack: stack, connect: reachAll, account: new FakeAccount(),
        });
        return { code, printed: lines.join("\n"), json: fs.readFileSync(json, "utf8"), markdown: fs.readFileSync(md, "utf8") };
    }

    it("seals a secret leaf of the stack file at its path, and keeps the plain rest", () => {
        const { all, file } = decryptedConfig();
        const sealed = sealConfig(all, file, PROJECT);
        const apps = JSON.parse(sealed.values[`${PROJECT}:apps`]);
        assert.equal(apps[0].secretEnv.API_TOKEN, "[secret]");
        assert.equal(apps[0].env.API_TOKEN, "plain");
        assert.equal(apps[0].name, "hello");
        assert.deepEqual(sealed.secrets, [TOKEN]);
        assert.equal(sealed.values[`${PROJECT}:environment`], "prod");
    });

    it("seals a whole secret key the stack file does not hold (e.g. from an ESC environment)", () => {
        const sealed = sealConfig({ [`${PROJECT}:tags`]: { value: JSON.stringify({ owner: "team-secret-owner" }), secret: true } }, {}, PROJECT);
        assert.equal(sealed.values[`${PROJECT}:tags`], "[secret]");
        assert.deepEqual(sealed.secrets, ["team-secret-owner"]);
    });

    // The three ways a key can be secret: the stack file's `secure:` at the key, the CLI's word only
    // (the file shows a plain value), and nested (a `secure:` leaf inside the key).
    it("stack file `secure:` at the key: sealed whole", () => {
        const sealed = sealConfig({ [`${PROJECT}:environment`]: { value: "qa-SECRET-1", secret: true } },
            { [`${PROJECT}:environment`]: { secure: CIPHER } }, PROJECT);
        assert.equal(sealed.values[`${PROJECT}:environment`], "[secret]");
        assert.deepEqual(sealed.secrets, ["qa-SECRET-1"]);
    });

    it("CLI-only: a key the CLI calls secret is sealed whole although the stack file shows it plain", () => {
        // Set with --secret after the file was committed, or the checkout is another branch: the file's
        // plain value (equal or not) says nothing about which part is secret.
        for (const fileValue of ["prod", "qa-SECRET-2"]) {
            const sealed = sealConfig({ [`${PROJECT}:environment`]: { value: "qa-SECRET-2", secret: true } }, { [`${PROJECT}:environment`]: fileValue }, PROJECT);
            assert.equal(sealed.values[`${PROJECT}:environment`], "[secret]", fileValue);
        }
        const tags = sealConfig({ [`${PROJECT}:tags`]: { value: JSON.stringify({ owner: "team-x" }), secret: true } },
            { [`${PROJECT}:tags`]: { owner: "team-x" } }, PROJECT);
        assert.equal(tags.values[`${PROJECT}:tags`], "[secret]");
    });

    it("nested: sealed at the `secure:` leaf only when every plain part matches the file, else whole", () => {
        const { all, file } = decryptedConfig();
        const key = `${PROJECT}:apps`;
        const apps = JSON.parse(all[key].value);
        // YAML reads 8080 and the CLI may give "8080": the same plain value.
        (file[key] as any)[0].containerPort = 8080;
        apps[0].containerPort = "8080";
        const typed = sealConfig({ [key]: { value: JSON.stringify(apps), secret: true } }, file, PROJECT);
        assert.equal(JSON.parse(typed.values[key])[0].secretEnv.API_TOKEN, "[secret]");
        for (const change of [
            (a: any) => { a[0].env.API_TOKEN = "changed-after-commit"; },   // a plain leaf differs
            (a: any) => { a[0].env.EXTRA = "only-in-the-cli"; },           // a key the file lacks
            (a: any) => { a.push({ name: "second" }); },                   // a longer list
            (a: any) => { delete a[0].env; },                              // a key the CLI lacks
        ]) {
            const changed = structuredClone(apps);
            change(changed);
            const sealed = sealConfig({ [key]: { value: JSON.stringify(changed), secret: true } }, file, PROJECT);
            assert.equal(sealed.values[key], "[secret]", JSON.stringify(changed));
            assert.ok(sealed.secrets.includes(TOKEN));
        }
        assert.equal(sealDecrypted({ a: "x" }, { a: "x" }, []), "[secret]", "a file without any secure leaf never locates the secret");
    });

    it("a secret tag map is refused by the rollout, as by the plan, without showing its value", async () => {
        const values = stackConfig({ regions: REGIONS });
        const all: ConfigMap = {};
        for (const [k, v] of Object.entries(values)) all[k] = { value: v, secret: false };
        all[`${PROJECT}:tags`] = { value: JSON.stringify({ owner: "team-TAG-SECRET" }), secret: true };
        const r = await run(async () => new AutomationRolloutStack(automationStack(all), PROJECT, async () => ({ [`${PROJECT}:tags`]: { owner: "team-TAG-SECRET" } })));
        assert.equal(r.code, EXIT.USAGE);
        for (const [where, text] of Object.entries({ printed: r.printed, json: r.json, markdown: r.markdown })) {
            assert.ok(!text.includes("TAG-SECRET"), `the secret leaked into ${where}`);
            assert.match(text, /eks-platform:tags = \\?"\[secret\]\\?": is a secret/, where);
        }
    });

    it("an invalid config with a secret value: stdout, stderr, --json and --markdown show [secret], never the value", async () => {
        const { all, file } = decryptedConfig();
        const r = await run(async () => new AutomationRolloutStack(automationStack(all), PROJECT, async () => file));
        assert.equal(r.code, EXIT.USAGE);
        for (const [where, text] of Object.entries({ printed: r.printed, json: r.json, markdown: r.markdown })) {
            assert.ok(!text.includes(TOKEN), `the secret leaked into ${where}`);
            assert.match(text, /eks-platform:apps\[0\]\.secretEnv\.API_TOKEN = \\?"\[secret\]\\?": is also set in env/, where);
        }
        const report = JSON.parse(r.json);
        assert.equal(report.failure.step, "config");
    });

    it("a secret that comes back in an engine diagnostic is redacted from progress lines and both reports", async () => {
        const stack = new FakeStack("prod", stackConfig({ regions: REGIONS }));
        stack.secrets = [TOKEN];
        stack.outputsValue = regionOutputs(REGIONS);
        const urn = childUrn("prod", "prod", REGIONS[0], "aws:ec2/vpc:Vpc", "vpc");
        stack.scripts.preview = (req) => {
            emit(req, failedStepEvents(urn, "aws:ec2/vpc:Vpc", "create", `provider said: bad token ${TOKEN}`));
            throw new Error(`preview failed: ${TOKEN}`);
        };
        const r = await run(async () => stack, ["--preview"]);
        assert.equal(r.code, EXIT.FAILED);
        for (const [where, text] of Object.entries({ printed: r.printed, json: r.json, markdown: r.markdown })) {
            assert.ok(!text.includes(TOKEN), `the secret leaked into ${where}`);
            assert.ok(text.includes(WITHHELD), where);
            assert.ok(!/bad token/.test(text), `the line holding the secret is withheld whole in ${where}`);
        }
    });
});

describe("secret redaction of text (the last net)", () => {
    it("also withholds a line holding a secret JSON-escaped (quotes, backslashes, newlines in the value)", () => {
        const secret = 'p"a\\ss\nword';
        const inJson = JSON.stringify({ message: `engine said ${secret}` });
        assert.ok(!inJson.includes(secret), "the raw value is not in JSON text: only the escaped form is");
        assert.equal(redactText(inJson, [secret]), WITHHELD);
        assert.equal(redactText(`before\nplain ${secret} text\nafter`, [secret]), `before\n${WITHHELD}\n${WITHHELD}\nafter`);
    });

    it("replaces the whole line, so what it replaced cannot show the secret (\"stored in [secret]text\" would say \"plain\")", () => {
        assert.equal(redactText("its value would be stored in plaintext", ["plain"]), WITHHELD);
        assert.equal(redactText("nothing here", ["plain"]), "nothing here");
    });

    it("two secrets, one inside the other (a password and a connection string holding it): no part of either survives", () => {
        const password = "hunter2-pw";
        const dsn = `postgres://app:${password}@db.internal:5432/shop`;
        for (const secrets of [[password, dsn], [dsn, password]]) {
            const out = redactText(`connect failed: ${dsn} (retrying)`, secrets);
            for (const part of ["postgres://app:", "hunter2", "@db.internal", "5432/shop"]) assert.ok(!out.includes(part), `${part} leaked: ${out}`);
            const deep = redactDeep({ [`key ${password}`]: [dsn] }, secrets);
            assert.ok(!JSON.stringify(deep).includes("hunter2") && !JSON.stringify(deep).includes("db.internal"), JSON.stringify(deep));
        }
    });
});
