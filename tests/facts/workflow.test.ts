/**
 * .github/workflows/facts.yml: weekly and on demand, a read-only role through OIDC, one pull request,
 * a switch to turn it off; and its refresh step's command run here, in-process, against recorded fake
 * clients (the real clients are only ever built by the command itself, never by a switch).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { main } from "../../tools/facts/cli";
import { AwsReaders, EksReader, REFRESH_ACTIONS } from "../../tools/facts/refresh/clients";
import { refreshers } from "../../tools/facts/refresh/run";
import { prices } from "../../tools/facts/refresh/tables";

const ROOT = path.join(__dirname, "..", "..");
const FILE = path.join(ROOT, ".github", "workflows", "facts.yml");
const text = fs.readFileSync(FILE, "utf8");
const workflow = parse(text);
const job = workflow.jobs.refresh;
const step = (pred: (s: any) => boolean) => job.steps.find(pred);

describe("facts workflow (.github/workflows/facts.yml)", () => {
    it("runs weekly and on demand, with one job that can be switched off", () => {
        assert.deepEqual(Object.keys(workflow.on).sort(), ["schedule", "workflow_dispatch"]);
        assert.equal(workflow.on.schedule.length, 1);
        const [min, hour, dom, month, dow] = workflow.on.schedule[0].cron.split(" ");
        assert.ok(/^\d+$/.test(min) && /^\d+$/.test(hour) && dom === "*" && month === "*" && /^[0-6]$/.test(dow), "once a week");
        assert.deepEqual(Object.keys(workflow.jobs), ["refresh"]);
        assert.equal(job.if, "${{ vars.FACTS_REFRESH != 'off' }}");
        assert.match(text, /vars\.FACTS_REFRESH\s+set to `off` to turn the job off/);
    });

    it("assumes a role through OIDC (no keys), with the least GitHub permissions, and lists the role's read-only actions", () => {
        assert.deepEqual(workflow.permissions, { contents: "read" });
        assert.deepEqual(job.permissions, { "contents": "write", "pull-requests": "write", "id-token": "write" });
        const creds = step((s) => String(s.uses).startsWith("aws-actions/configure-aws-credentials@"));
        assert.equal(creds.with["role-to-assume"], "${{ vars.FACTS_ROLE_ARN }}");
        assert.ok(!/aws-access-key-id|aws-secret-access-key|secrets\.AWS/.test(text), "no long-lived keys");
        const listed = [...text.matchAll(/^#\s+([a-z0-9]+:[A-Za-z]+)\s+Resource "([^"]+)"/gm)].map((m) => [m[1], m[2]]);
        assert.deepEqual(listed, REFRESH_ACTIONS.map(([a, r]) => [a, r]));
        assert.ok(listed.every(([a]) => /:(Describe|Get|List)/.test(a)), "read-only actions only");
    });

    it("opens or updates one pull request from one branch, committing facts/ only", () => {
        const pr = step((s) => s.name === "Open or update the pull request").run as string;
        assert.match(pr, /git diff --quiet -- facts\//);
        assert.match(pr, /git add facts\/\n/);
        assert.equal([...new Set(pr.match(/facts\/refresh/g))].length, 1);
        assert.match(pr, /gh pr edit facts\/refresh/);
        assert.match(pr, /gh pr create --head facts\/refresh/);
        const input = job.env.TABLES;
        assert.equal(input, "${{ inputs.tables }}", "the dispatch input reaches the script as an environment variable, never spliced into it");
        assert.ok(!/\$\{\{\s*inputs\./.test(JSON.stringify(job.steps)), "no expression of the input inside a script");
    });

    it("its refresh step's command refreshes every table AWS can answer (run here against recorded fakes)", async () => {
        const run = step((s) => s.id === "refresh").run as string;
        const line = run.split("\n").find((l) => l.includes("npm run -s facts --"))!;
        const m = /npm run -s facts -- (.*?) \$TABLES >/.exec(line);
        assert.ok(m, line);
        const args = [...m[1].split(" "), "--today", "2026-12-05"];

        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "facts-workflow-"));
        try {
            fs.mkdirSync(path.join(dir, "data"));
            for (const f of fs.readdirSync(path.join(ROOT, "facts", "data"))) fs.copyFileSync(path.join(ROOT, "facts", "data", f), path.join(dir, "data", f));
            const d = (s: string) => new Date(`${s}T00:00:00Z`);
            const eks = {
                describeClusterVersions: async () => ({ clusterVersions: [{ clusterVersion: "1.37", releaseDate: d("2026-10-20"), endOfStandardSupportDate: d("2027-12-20"), endOfExtendedSupportDate: d("2028-12-20") }] }),
                describeAddonVersions: async (i: { addonName: string }) => ({ addons: [{ addonName: i.addonName, addonVersions: [{ addonVersion: "v1.0.0-eksbuild.1", compatibilities: [{ clusterVersion: "1.36", defaultVersion: true }] }] }] }),
            } as unknown as EksReader;
            const aws: AwsReaders = {
                homeRegion: "us-east-1",
                eks: () => eks,
                ssm: () => ({
                    getParameter: async () => ({ Parameter: { Value: "1.36.2-20261118" } }),
                    getParameters: async (i: { Names: string[] }) => ({ Parameters: i.Names.map((Name) => ({ Name, Value: "ami-0123456789abcdef0", LastModifiedDate: d("2026-11-18") })) }),
                }),
                ec2: (region) => ({
                    describeRegions: async () => ({ Regions: [] }),
                    describeAvailabilityZones: async () => ({ AvailabilityZones: ["a", "b", "c"].map((l) => ({ ZoneName: `${region}${l}` })) }),
                }),
                pricing: () => ({ getProducts: async () => ({ PriceList: [] }) }),
            };
            // The price refresh over every schema region is the same code with a longer list: two regions here.
            const only = { ...refreshers(), prices: () => prices(() => ["us-east-1", "eu-west-1"], () => ["m6i.large"]) };
            let out = "";
            let err = "";
            const code = await main(args, { stdout: (s) => { out += s; }, stderr: (s) => { err += s; } }, { refresh: { aws, dir, refreshers: only } });
            assert.equal(code, 0, err);
            for (const name of Object.keys(refreshers())) assert.match(out, new RegExp(`^${name}: \\d+ changed`, "m"));
            assert.match(out, /re-read by hand \(AWS cannot answer them\): .*karpenter/);
            const versions = JSON.parse(fs.readFileSync(path.join(dir, "data", "eks-versions.json"), "utf8"));
            assert.ok(versions.entries.some((e: { key: string }) => e.key === "1.37"));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
