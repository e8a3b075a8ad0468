import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { E2E_USAGE } from "../../tools/e2e/args";

const ROOT = path.resolve(__dirname, "..", "..");
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), "utf8");

describe("npm run e2e: docs, README and the workflow", () => {
    const docs = read("docs/e2e.md");
    const readme = read("README.md");

    it("documents every flag, every exit code and every AWS action the run makes", () => {
        const flags = [...E2E_USAGE.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]);
        assert.ok(flags.length >= 12, flags.join(" "));
        for (const f of flags.filter((x) => x !== "--help")) assert.ok(docs.includes(f) || readme.includes(f), `${f} documented`);
        for (const code of ["0 passed", "1 a step", "2 refused", "4 leftovers", "130 interrupted"]) assert.ok(docs.includes(code), code);
        const actions = [...read("tools/e2e/aws.ts").matchAll(/new (?:\w+)\.(\w+)Command\(/g)].map((m) => m[1]);
        assert.ok(actions.length >= 15);
        for (const a of new Set(actions)) assert.match(docs, new RegExp(`:${a}"`), `the CI role's policy lists ${a}`);
    });

    it("the README says what a user needs and where the rest is, and that no live run happened", () => {
        const section = readme.slice(readme.indexOf("## Try it in a sandbox account"), readme.indexOf("## Layout"));
        for (const s of ["npm run e2e -- --account", "sandbox account", "pulumi login", "--sweep", "--keep", "docs/e2e.md", "No live run has happened"]) {
            assert.ok(section.includes(s), s);
        }
        assert.match(docs, /## What the first live run should watch/);
    });

    it("the workflow: manual dispatch or opt-in schedule, OIDC role, one run per account, inputs as environment variables, the report kept", () => {
        const wf = parse(read(".github/workflows/e2e.yml"));
        assert.ok(wf.on.workflow_dispatch && wf.on.schedule);
        const job = wf.jobs.e2e;
        assert.match(job.if, /vars\.E2E_SCHEDULE == 'true'/);
        assert.equal(job.permissions["id-token"], "write");
        assert.equal(job.concurrency["cancel-in-progress"], false);
        const creds = job.steps.find((s: any) => String(s.uses).startsWith("aws-actions/configure-aws-credentials"));
        assert.equal(creds.with["role-to-assume"], "${{ vars.E2E_ROLE_ARN }}");
        const run = job.steps.find((s: any) => String(s.run ?? "").startsWith("npm run e2e"));
        assert.match(run.run, /--account "\$ACCOUNT" .*--yes --out e2e-out/);
        assert.doesNotMatch(run.run, /\$\{\{/, "no expression inside the script");
        assert.ok(job.steps.some((s: any) => String(s.uses).startsWith("actions/upload-artifact") && s.if === "always()"));
        assert.ok(job["timeout-minutes"] > 90 + 45, "the job outlives the run's time limit and destroy allowance");
    });
});
