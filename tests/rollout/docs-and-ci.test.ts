import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { healthCheckSchema, rolloutSchema, waveSchema } from "../../stacks/rollout-schema";
import { USAGE } from "../../tools/rollout/args";
import { EXIT } from "../../tools/rollout/exit-codes";

const ROOT = path.join(__dirname, "..", "..");
const doc = fs.readFileSync(path.join(ROOT, "docs", "rollout.md"), "utf8");
const workflow = parse(fs.readFileSync(path.join(ROOT, ".github", "workflows", "platform.yml"), "utf8"));

describe("docs/rollout.md matches the code", () => {
    it("documents every exit code", () => {
        for (const [name, code] of Object.entries(EXIT)) {
            assert.match(doc, new RegExp(`^\\| ${code} \\| .+\\|$`, "m"), `exit code ${name} = ${code}`);
        }
    });

    it("documents every command-line flag", () => {
        const flags = [...USAGE.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]);
        assert.ok(flags.length >= 10);
        for (const flag of new Set(flags)) assert.ok(doc.includes(`\`${flag}`), `flag ${flag}`);
    });

    it("documents every rollout config key", () => {
        const keys = [
            ...Object.keys(rolloutSchema.shape),
            ...Object.keys(waveSchema.shape).map((k) => `waves[].${k}`),
            ...Object.keys(healthCheckSchema.shape).map((k) => `healthCheck.${k}`),
        ];
        for (const key of keys) assert.ok(doc.includes(`| \`${key}\` |`), `config key ${key}`);
    });
});

describe("CI workflow (.github/workflows/platform.yml)", () => {
    const steps = (job: string): any[] => workflow.jobs[job].steps;
    const runs = (job: string) => steps(job).map((s) => s.run ?? "").join("\n");

    it("previews every stack on pull requests with a Markdown summary for the job summary", () => {
        const preview = workflow.jobs.preview;
        assert.match(preview.if, /pull_request/);
        assert.deepEqual(preview.strategy.matrix.stack, ["dev", "prod"]);
        assert.match(runs("preview"), /npm run rollout -- --stack \$\{\{ matrix\.stack \}\} --preview[\s\S]*--markdown/);
        assert.match(runs("preview"), /GITHUB_STEP_SUMMARY/);
    });

    it("plans every stack file offline for the cost diff, sandbox included", () => {
        const stacks = fs.readdirSync(ROOT).map((f) => /^Pulumi\.([a-z0-9-]+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => s !== undefined).sort();
        assert.ok(stacks.includes("sandbox"), stacks.join(","));
        assert.deepEqual([...workflow.jobs.cost.strategy.matrix.stack].sort(), stacks);
    });

    it("rolls out dev then prod on main, one concurrency group per stack, never cancelling a running update", () => {
        for (const stack of ["dev", "prod"]) {
            const job = workflow.jobs[`rollout-${stack}`];
            assert.deepEqual(job.concurrency, { group: `pulumi-${stack}`, "cancel-in-progress": false });
            assert.match(runs(`rollout-${stack}`), new RegExp(`npm run rollout -- --stack ${stack} --json`));
        }
        assert.match(workflow.jobs["rollout-dev"].if, /push.*refs\/heads\/main/);
        assert.equal(workflow.jobs["rollout-prod"].needs, "rollout-dev");
        assert.deepEqual(workflow.on.push.branches, ["main"]);
    });

    it("gets AWS credentials by OIDC role assumption, the Pulumi backend from secrets, and installs with npm ci", () => {
        for (const job of ["preview", "rollout-dev", "rollout-prod", "drift"]) {
            assert.equal(workflow.jobs[job].permissions["id-token"], "write", job);
            const aws = steps(job).find((s) => String(s.uses).startsWith("aws-actions/configure-aws-credentials@"));
            assert.equal(aws.with["role-to-assume"], "${{ vars.AWS_ROLE_ARN }}", job);
            assert.ok(steps(job).some((s) => String(s.uses).startsWith("pulumi/actions@") && !s.with?.command), `${job}: CLI install only`);
            assert.match(runs(job), /npm ci/);
        }
        assert.equal(workflow.env.PULUMI_BACKEND_URL, "${{ secrets.PULUMI_BACKEND_URL }}");
        assert.equal(workflow.env.PULUMI_ACCESS_TOKEN, "${{ secrets.PULUMI_ACCESS_TOKEN }}");
        const sdk = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).dependencies["@pulumi/pulumi"];
        assert.equal(workflow.env.PULUMI_CLI_VERSION, sdk, "CLI pinned to the SDK's version");
    });

    it("runs the jobs that reach the clusters on the configurable runner, and says what it needs", () => {
        for (const job of ["preview", "rollout-dev", "rollout-prod", "drift"]) {
            assert.equal(workflow.jobs[job]["runs-on"], "${{ fromJSON(vars.PLATFORM_RUNNER_LABELS || '\"ubuntu-latest\"') }}", job);
        }
        assert.equal(workflow.jobs.test["runs-on"], "ubuntu-latest", "tests need no cluster");
        const text = fs.readFileSync(path.join(ROOT, ".github", "workflows", "platform.yml"), "utf8");
        assert.match(text, /vars\.PLATFORM_RUNNER_LABELS[\s\S]*eks-platform:publicAccessCidrs/);
        const doc = fs.readFileSync(path.join(ROOT, "docs", "rollout.md"), "utf8");
        const section = doc.slice(doc.indexOf("## What the runner needs"), doc.indexOf("## CI:"));
        for (const needle of ["TCP 443", "PLATFORM_RUNNER_LABELS", "eks-platform:publicAccessCidrs", "Preflight"]) assert.ok(section.includes(needle), needle);
    });

    it("checks drift on a schedule in the stack's concurrency group", () => {
        assert.ok(workflow.on.schedule.length > 0);
        assert.equal(workflow.jobs.drift.concurrency.group, "pulumi-${{ matrix.stack }}");
        assert.match(runs("drift"), /--drift/);
    });
});
