/**
 * `npm run facts -- --refresh`, per table, against recorded fake clients (shaped as the AWS SDK v3
 * answers): paging, throttling, a region that answers nothing, an API error, no credentials, an entry
 * the table cannot parse. A failing table's file stays byte for byte; the others are still written.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FACT_TABLES } from "../../facts/index";
import type { FactTable } from "../../facts/ledger";
import { main } from "../../tools/facts/cli";
import type { AwsReaders, EksReader } from "../../tools/facts/refresh/clients";
import { mergeEntries } from "../../tools/facts/refresh/merge";
import { refreshers, writeAtomically } from "../../tools/facts/refresh/run";
import { prices } from "../../tools/facts/refresh/tables";
import type { GetProductsInput } from "../../tools/plan/cost/refresh";

const ROOT = path.join(__dirname, "..", "..");
const dirs: string[] = [];
after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

/** A copy of the ledger's data files to refresh. */
function ledgerCopy(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "facts-refresh-"));
    dirs.push(dir);
    fs.mkdirSync(path.join(dir, "data"));
    for (const f of fs.readdirSync(path.join(ROOT, "facts", "data"))) fs.copyFileSync(path.join(ROOT, "facts", "data", f), path.join(dir, "data", f));
    return dir;
}

const read = (dir: string, name: string) => JSON.parse(fs.readFileSync(path.join(dir, "data", `${name}.json`), "utf8")) as FactTable<any>;
const bytes = (dir: string, name: string) => fs.readFileSync(path.join(dir, "data", `${name}.json`), "utf8");

const unused = (what: string) => () => { throw new Error(`unexpected call: ${what}`); };
function fakeAws(parts: Partial<Record<"eks" | "ssm" | "ec2" | "pricing", any>>): AwsReaders & { calls: string[] } {
    const calls: string[] = [];
    return {
        calls,
        homeRegion: "us-east-1",
        eks: () => parts.eks ?? ({ describeClusterVersions: unused("eks"), describeAddonVersions: unused("eks") } as unknown as EksReader),
        ssm: parts.ssm ?? (unused("ssm") as never),
        ec2: parts.ec2 ?? (unused("ec2") as never),
        pricing: parts.pricing ?? (unused("pricing") as never),
    };
}

async function refresh(dir: string, aws: AwsReaders, tables: string[], only = refreshers()) {
    let out = "";
    let err = "";
    const code = await main(["--refresh", ...tables, "--today", "2026-12-05"], { stdout: (s) => { out += s; }, stderr: (s) => { err += s; } }, { refresh: { aws, dir, refreshers: only } });
    return { code, out, err };
}

const d = (s: string) => new Date(`${s}T00:00:00Z`);
const throttled = () => Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });

describe("facts --refresh: eks-versions (eks:DescribeClusterVersions)", () => {
    const page1 = { clusterVersions: [{ clusterVersion: "1.36", releaseDate: d("2026-06-02"), endOfStandardSupportDate: d("2027-08-02"), endOfExtendedSupportDate: d("2028-08-02") }], nextToken: "t1" };
    const page2 = { clusterVersions: [
        { clusterVersion: "1.32", releaseDate: d("2025-01-25"), endOfStandardSupportDate: d("2026-03-21"), endOfExtendedSupportDate: d("2027-03-21") },
        // A minor the ledger does not have yet (1.37 is in it since issue 16.7).
        { clusterVersion: "1.38", releaseDate: d("2027-02-10"), endOfStandardSupportDate: d("2028-04-10"), endOfExtendedSupportDate: d("2029-04-10") },
    ] };

    it("reads every page, rewrites only the changed entry, adds the new minor, keeps the rest, prints the diff", async () => {
        const dir = ledgerCopy();
        const tokens: Array<string | undefined> = [];
        const eks = { describeClusterVersions: async (i: { nextToken?: string; includeAll?: boolean }) => { tokens.push(i.nextToken); assert.equal(i.includeAll, true); return i.nextToken ? page2 : page1; }, describeAddonVersions: unused("addons") } as unknown as EksReader;
        const before = read(dir, "eks-versions");
        const r = await refresh(dir, fakeAws({ eks }), ["eks-versions"]);
        assert.equal(r.code, 0, r.err);
        assert.deepEqual(tokens, [undefined, "t1"]);
        const after = read(dir, "eks-versions");
        const e = (t: FactTable<any>, k: string) => t.entries.find((x) => x.key === k);
        assert.deepEqual(e(after, "1.32"), { key: "1.32", value: { released: "2025-01-25", endOfStandardSupport: "2026-03-21", endOfExtendedSupport: "2027-03-21" }, source: "eks:DescribeClusterVersions (us-east-1)", read: "2026-12-05" });
        assert.deepEqual(e(after, "1.36"), e(before, "1.36"), "same value, read recently: untouched");
        assert.deepEqual(e(after, "1.31"), e(before, "1.31"), "not in the answer: kept");
        assert.equal(e(after, "1.38")!.read, "2026-12-05");
        assert.match(r.out, /^eks-versions: 1 changed, 1 added, 0 re-dated, 7 not in AWS's answer \(kept\)$/m);
        assert.match(r.out, /~ 1\.32: .*"endOfStandardSupport":"2026-03-23".* -> .*"endOfStandardSupport":"2026-03-21"/);
        assert.match(r.out, /\+ 1\.38: /);
        assert.deepEqual(fs.readdirSync(path.join(dir, "data")).filter((f) => f.endsWith(".tmp")), [], "no temp file left");
        assert.equal(after.name, "eks-versions");
        assert.equal(after.shelfLifeDays, before.shelfLifeDays);
    });

    for (const [title, eks, cause] of [
        ["throttling left after the SDK's retries", { describeClusterVersions: async () => { throw throttled(); } }, /ThrottlingException: Rate exceeded/],
        ["no credentials", { describeClusterVersions: async () => { throw Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }); } }, /CredentialsProviderError: Could not load credentials/],
        ["an empty answer", { describeClusterVersions: async () => ({ clusterVersions: [] }) }, /answered no versions/],
        ["an entry it cannot parse", { describeClusterVersions: async () => ({ clusterVersions: [{ clusterVersion: "1.37", releaseDate: d("2026-10-20"), endOfStandardSupportDate: undefined, endOfExtendedSupportDate: d("2028-12-20") }] }) }, /1\.37 endOfStandardSupportDate is undefined, not a date/],
        ["a paging loop", { describeClusterVersions: async () => ({ clusterVersions: page2.clusterVersions, nextToken: "same" }) }, /same nextToken twice/],
    ] as const) {
        it(`fails closed on ${title}: the file unchanged, the table and the cause named, exit 1`, async () => {
            const dir = ledgerCopy();
            const before = bytes(dir, "eks-versions");
            const r = await refresh(dir, fakeAws({ eks: eks as unknown as EksReader }), ["eks-versions"]);
            assert.equal(r.code, 1);
            assert.match(r.err, /^eks-versions: refresh failed, the table is unchanged: /m);
            assert.match(r.err, cause);
            assert.equal(bytes(dir, "eks-versions"), before);
        });
    }
});

describe("facts --refresh: ami-releases (ssm:GetParameter)", () => {
    it("pins v<date> of the recommended AL2023 release for the default Kubernetes version; refuses a value it cannot parse", async () => {
        const dir = ledgerCopy();
        const names: string[] = [];
        const ssm = () => ({ getParameter: async (i: { Name: string }) => { names.push(i.Name); return { Parameter: { Name: i.Name, Value: "1.36.2-20261118" } }; } });
        const r = await refresh(dir, fakeAws({ ssm }), ["ami-releases"]);
        assert.equal(r.code, 0, r.err);
        assert.deepEqual(names, ["/aws/service/eks/optimized-ami/1.36/amazon-linux-2023/x86_64/standard/recommended/release_version"]);
        assert.equal(read(dir, "ami-releases").entries[0].value, "v20261118");

        const before = bytes(dir, "ami-releases");
        const bad = await refresh(dir, fakeAws({ ssm: () => ({ getParameter: async () => ({ Parameter: { Value: "latest" } }) }) }), ["ami-releases"]);
        assert.equal(bad.code, 1);
        assert.match(bad.err, /ami-releases: refresh failed, the table is unchanged: .*release_version is "latest", not <k8s patch>-<YYYYMMDD>/);
        assert.equal(bytes(dir, "ami-releases"), before);
    });
});

describe("facts --refresh: zones (ec2:DescribeRegions, then DescribeAvailabilityZones per enabled region)", () => {
    const answer = (region: string) => ({ AvailabilityZones: (region === "us-west-1" ? ["b", "c"] : ["a", "b", "c"]).map((l) => ({ ZoneName: `${region}${l}`, RegionName: region })) });
    // As DescribeRegions with AllRegions answers an account that enabled no opt-in region but me-central-1.
    const regionsOf = (dir: string, notOptedIn: readonly string[] = []) => async () => ({
        Regions: read(dir, "zones").entries.map((e) => e.key).filter((k) => !/^(cn-|us-gov-)/.test(k))
            .map((RegionName) => ({ RegionName, OptInStatus: notOptedIn.includes(RegionName) ? "not-opted-in" : "opt-in-not-required" })),
    });

    it("asks each region of the aws partition, rewrites what changed; other partitions are kept", async () => {
        const dir = ledgerCopy();
        const asked: string[] = [];
        const ec2 = (region: string) => ({ describeRegions: regionsOf(dir), describeAvailabilityZones: async () => { asked.push(region); return answer(region); } });
        const r = await refresh(dir, fakeAws({ ec2 }), ["zones"]);
        assert.equal(r.code, 0, r.err);
        assert.ok(asked.includes("us-west-1") && !asked.some((x) => x.startsWith("cn-") || x.startsWith("us-gov-")));
        const t = read(dir, "zones");
        assert.deepEqual(t.entries.find((e) => e.key === "us-west-1")!.value, ["us-west-1b", "us-west-1c"]);
        assert.equal(t.mockOnly, true, "the table stays marked mock only");
        assert.match(r.out, /kept \(AWS did not answer for them\): cn-north-1, cn-northwest-1, us-gov-east-1, us-gov-west-1/);
    });

    it("skips an opt-in region the account has not enabled, keeping and listing its entry, instead of failing", async () => {
        const dir = ledgerCopy();
        const optIn = read(dir, "zones").entries.map((e) => e.key).find((k) => k === "me-south-1" || k === "af-south-1")!;
        assert.ok(optIn, "the table holds an opt-in region");
        const before = read(dir, "zones").entries.find((e) => e.key === optIn)!.value;
        const asked: string[] = [];
        const ec2 = (region: string) => ({
            describeRegions: regionsOf(dir, [optIn]),
            describeAvailabilityZones: async () => {
                asked.push(region);
                // What a disabled opt-in region answers every other EC2 call.
                if (region === optIn) throw Object.assign(new Error("AWS was not able to validate the provided access credentials"), { name: "AuthFailure" });
                return answer(region);
            },
        });
        const r = await refresh(dir, fakeAws({ ec2 }), ["zones"]);
        assert.equal(r.code, 0, r.err);
        assert.ok(!asked.includes(optIn), `${optIn} was asked`);
        assert.ok(asked.includes("us-west-1"));
        assert.deepEqual(read(dir, "zones").entries.find((e) => e.key === optIn)!.value, before);
        assert.match(r.out, new RegExp(`kept \\(AWS did not answer for them\\): .*${optIn}`));
    });

    it("fails closed when an enabled region answers nothing or errors, naming the region", async () => {
        for (const [zonesOf, cause] of [
            [(region: string) => async () => (region === "eu-west-3" ? { AvailabilityZones: [] } : answer(region)), /eu-west-3 answered no availability zones/],
            [(region: string) => async () => { if (region === "me-south-1") throw Object.assign(new Error("AWS was not able to validate the provided access credentials"), { name: "AuthFailure" }); return answer(region); }, /me-south-1: AWS was not able to validate/],
        ] as const) {
            const dir = ledgerCopy();
            const ec2 = (region: string) => ({ describeRegions: regionsOf(dir), describeAvailabilityZones: zonesOf(region) });
            const before = bytes(dir, "zones");
            const r = await refresh(dir, fakeAws({ ec2 }), ["zones"]);
            assert.equal(r.code, 1);
            assert.match(r.err, cause);
            assert.equal(bytes(dir, "zones"), before);
        }
    });
});

describe("facts --refresh: prices (pricing:GetProducts)", () => {
    const doc = (usd: string, usagetype: string) => JSON.stringify({ product: { attributes: { usagetype } }, terms: { OnDemand: { a: { priceDimensions: { b: { beginRange: "0", pricePerUnit: { USD: usd } } } } } } });

    it("prices every region it is given; what the Price List does not answer stays as it was (never guessed)", async () => {
        const dir = ledgerCopy();
        const pricing = () => ({
            getProducts: async (i: GetProductsInput) => {
                const region = i.Filters.find((f) => f.Field === "regionCode")!.Value;
                if (i.ServiceCode === "AmazonEC2" && i.Filters.some((f) => f.Field === "instanceType")) return { PriceList: [doc(region === "ca-central-1" ? "0.107" : "0.096", "BoxUsage:m6i.large")] };
                return { PriceList: [] };
            },
        });
        const only = { ...refreshers(), prices: () => prices(() => ["ca-central-1", "us-east-1"], () => ["m6i.large"]) };
        const before = read(dir, "prices");
        const r = await refresh(dir, fakeAws({ pricing }), ["prices"], only);
        assert.equal(r.code, 0, r.err);
        const t = read(dir, "prices") as FactTable<any> & { regions: string[]; currency: string };
        assert.equal(t.entries.find((e) => e.key === "ec2.m6i.large@ca-central-1")!.value.usd, 0.107);
        assert.ok(t.regions.includes("ca-central-1") && t.regions.includes("ap-northeast-2"), "regions: the old ones and the new");
        assert.equal(t.currency, "USD");
        assert.deepEqual(t.entries.find((e) => e.key === "alb.hour@ap-northeast-1"), before.entries.find((e) => e.key === "alb.hour@ap-northeast-1"));
        assert.equal(t.entries.some((e) => e.key.startsWith("nat.hour@ca-central-1")), false, "no answer, no price");
    });

    it("an API error leaves the table as it was", async () => {
        const dir = ledgerCopy();
        const before = bytes(dir, "prices");
        const only = { ...refreshers(), prices: () => prices(() => ["us-east-1"], () => ["m6i.large"]) };
        const r = await refresh(dir, fakeAws({ pricing: () => ({ getProducts: async () => { throw Object.assign(new Error("User is not authorized to perform: pricing:GetProducts"), { name: "AccessDeniedException" }); } }) }), ["prices"], only);
        assert.equal(r.code, 1);
        assert.match(r.err, /prices: refresh failed, the table is unchanged: AccessDeniedException: User is not authorized/);
        assert.equal(bytes(dir, "prices"), before);
    });
});

describe("facts --refresh: the run", () => {
    it("one table failing does not stop the others; exit 1", async () => {
        const dir = ledgerCopy();
        const ssm = () => ({ getParameter: async () => ({ Parameter: { Value: "1.36.2-20261118" } }) });
        const eks = { describeClusterVersions: async () => { throw throttled(); } } as unknown as EksReader;
        const r = await refresh(dir, fakeAws({ ssm, eks }), ["eks-versions", "ami-releases"]);
        assert.equal(r.code, 1);
        assert.match(r.err, /eks-versions: refresh failed/);
        assert.equal(read(dir, "ami-releases").entries[0].value, "v20261118");
    });

    it("refuses a table AWS cannot answer, an unknown table, --json with --refresh (exit 2, nothing called)", async () => {
        const dir = ledgerCopy();
        const aws = fakeAws({});
        const manual = await refresh(dir, aws, ["karpenter"]);
        assert.equal(manual.code, 2);
        assert.match(manual.err, /AWS cannot answer karpenter; re-read by hand:\n {2}karpenter: by hand: https:\/\/github\.com\/aws\/karpenter-provider-aws/);
        const unknown = await refresh(dir, aws, ["nosuchtable"]);
        assert.equal(unknown.code, 2);
        assert.match(unknown.err, /no table "nosuchtable" in the ledger/);
        let err = "";
        assert.equal(await main(["--refresh", "--json"], { stdout: () => undefined, stderr: (s) => { err += s; } }), 2);
        assert.match(err, /--refresh takes neither --json nor --strict/);
    });

    it("re-dates an unchanged entry only when more than half its shelf life is gone", () => {
        const t: FactTable<number> = { name: "t", title: "t", shelfLifeDays: 30, refresh: "r", entries: [{ key: "a", value: 1, source: "s", read: "2026-11-01" }, { key: "b", value: 2, source: "s", read: "2026-11-30" }] };
        const m = mergeEntries(t, [{ key: "a", value: 1, source: "api" }, { key: "b", value: 2, source: "api" }], "2026-12-05");
        assert.deepEqual(m.redated, ["a"]);
        assert.deepEqual(m.entries.map((e) => [e.key, e.read, e.source]), [["a", "2026-12-05", "api"], ["b", "2026-11-30", "s"]]);
    });

    it("writes atomically: the new content replaces the file whole, no temp file stays", () => {
        const dir = ledgerCopy();
        const file = path.join(dir, "data", "quotas.json");
        writeAtomically(file, "{}\n");
        assert.equal(fs.readFileSync(file, "utf8"), "{}\n");
        assert.deepEqual(fs.readdirSync(path.join(dir, "data")).filter((f) => f.includes(".tmp")), []);
        assert.throws(() => writeAtomically(path.join(dir, "no-such-folder", "x.json"), "{}"), /ENOENT/);
    });

    it("every table it can refresh is in the ledger", () => {
        for (const name of Object.keys(refreshers())) assert.ok(FACT_TABLES.some((t) => t.name === name), name);
    });
});

describe("facts --refresh: which regions prices are read for", () => {
    it("every region the schema accepts in the aws partition, and no other partition's", () => {
        const { priceRegions } = require("../../tools/facts/refresh/run") as typeof import("../../tools/facts/refresh/run");
        const { AWS_REGIONS } = require("../../stacks/schema") as typeof import("../../stacks/schema");
        const regions = priceRegions();
        for (const r of ["us-east-1", "ap-northeast-2", "ca-central-1", "eu-south-2", "mx-central-1"]) assert.ok(regions.includes(r), r);
        assert.ok(!regions.some((r) => /^(cn-|us-gov-|us-iso)/.test(r)));
        assert.ok(regions.length >= 30 && regions.every((r) => AWS_REGIONS.includes(r)));
    });
});

describe("facts --refresh: addon-versions (the pinned table; eks:DescribeAddonVersions)", () => {
    it("records AWS's default beside a verified pin without moving it, replaces an unverified pin, and fills a new minor's row", async () => {
        const dir = ledgerCopy();
        const answer = (addonName: string) => {
            if (addonName === "kube-proxy") {
                return [
                    { addonVersion: "v1.36.1-eksbuild.2", compatibilities: [{ clusterVersion: "1.36", defaultVersion: true }] },
                    { addonVersion: "v1.37.0-eksbuild.1", compatibilities: [{ clusterVersion: "1.37", defaultVersion: true }] },
                ];
            }
            if (addonName === "vpc-cni") return [{ addonVersion: "v1.21.2-eksbuild.1", compatibilities: [{ clusterVersion: "1.36", defaultVersion: true }] }];
            return [{ addonVersion: "v0.0.1-eksbuild.1", compatibilities: [] }];
        };
        const eks = {
            describeClusterVersions: unused("versions"),
            describeAddonVersions: async (i: { addonName: string }) => ({ addons: [{ addonName: i.addonName, addonVersions: answer(i.addonName) }] }),
        } as unknown as EksReader;
        const before = read(dir, "addon-versions");
        const r = await refresh(dir, fakeAws({ eks }), ["addon-versions"]);
        assert.equal(r.code, 0, r.err);
        const t = read(dir, "addon-versions");
        const e = (k: string) => t.entries.find((x) => x.key === k)!;
        const was = (k: string) => before.entries.find((x) => x.key === k)!;
        // Verified pin (kube-proxy, from AWS's page): the version, its source and note stay; AWS's default is recorded.
        assert.deepEqual(e("kube-proxy@1.36").value, { version: "v1.36.0-eksbuild.14", awsDefault: "v1.36.1-eksbuild.2", awsDefaultRead: "2026-12-05" });
        assert.equal(e("kube-proxy@1.36").source, was("kube-proxy@1.36").source);
        // Unverified sample (vpc-cni): replaced by AWS's default, no longer unverified.
        assert.deepEqual(e("vpc-cni@1.36").value, { version: "v1.21.2-eksbuild.1" });
        assert.match(e("vpc-cni@1.36").source, /^eks:DescribeAddonVersions \(us-east-1, default for 1\.36\)$/);
        // A minor of the EKS calendar the table had no row for.
        assert.deepEqual(e("kube-proxy@1.37").value, { version: "v1.37.0-eksbuild.1" });
        assert.equal(was("coredns@1.36").value.version, e("coredns@1.36").value.version, "not answered: kept");
        assert.match(r.out, /\+ kube-proxy@1\.37: /);
    });

    it("reads every page of an add-on's versions; an add-on AWS answers no versions for fails the table closed", async () => {
        const seen: string[] = [];
        const eks = {
            describeClusterVersions: unused("versions"),
            describeAddonVersions: async (i: { addonName: string; nextToken?: string }) => {
                seen.push(`${i.addonName}:${i.nextToken ?? ""}`);
                if (i.addonName !== "kube-proxy") return { addons: [{ addonName: i.addonName, addonVersions: [{ addonVersion: "v0.0.1-eksbuild.1", compatibilities: [] }] }] };
                if (!i.nextToken) return { addons: [{ addonName: "kube-proxy", addonVersions: [{ addonVersion: "v1.35.9-eksbuild.1", compatibilities: [{ clusterVersion: "1.35", defaultVersion: false }] }] }], nextToken: "p2" };
                return { addons: [{ addonName: "kube-proxy", addonVersions: [{ addonVersion: "v1.36.1-eksbuild.2", compatibilities: [{ clusterVersion: "1.36", defaultVersion: true }] }] }] };
            },
        } as unknown as EksReader;
        const dir = ledgerCopy();
        const ok = await refresh(dir, fakeAws({ eks }), ["addon-versions"]);
        assert.equal(ok.code, 0, ok.err);
        assert.ok(seen.includes("kube-proxy:p2"), "read the second page");
        assert.equal(read(dir, "addon-versions").entries.find((e) => e.key === "kube-proxy@1.36")!.value.awsDefault, "v1.36.1-eksbuild.2", "the default from page 2");

        const dir2 = ledgerCopy();
        const before = bytes(dir2, "addon-versions");
        const none = { ...eks, describeAddonVersions: async (i: { addonName: string }) => (i.addonName === "coredns" ? { addons: [] } : eks.describeAddonVersions(i)) } as unknown as EksReader;
        const r = await refresh(dir2, fakeAws({ eks: none }), ["addon-versions"]);
        assert.equal(r.code, 1);
        assert.match(r.err, /^addon-versions: refresh failed, the table is unchanged: DescribeAddonVersions in us-east-1 answered no versions of coredns/m);
        assert.equal(bytes(dir2, "addon-versions"), before);
    });
});

describe("facts --refresh: ami-release-coverage (ssm:GetParameters)", () => {
    /** A ledger folder with just these tables. */
    function ledger(tables: Record<string, object>): string {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "facts-refresh-"));
        dirs.push(dir);
        fs.mkdirSync(path.join(dir, "data"));
        for (const [name, entries] of Object.entries(tables)) {
            fs.writeFileSync(path.join(dir, "data", `${name}.json`), `${JSON.stringify({ name, title: name, shelfLifeDays: 30, refresh: "r", entries }, null, 2)}\n`);
        }
        return dir;
    }
    const calendar = [
        { key: "1.35", value: { released: "2026-01-28", endOfStandardSupport: "2027-03-27", endOfExtendedSupport: "2028-03-27" }, source: "s", read: "2026-11-29" },
        { key: "1.36", value: { released: "2026-06-02", endOfStandardSupport: "2027-08-02", endOfExtendedSupport: "2028-08-02" }, source: "s", read: "2026-11-29" },
    ];

    it("lists the minors each release has AMIs for (the pinned one included); a release with none fails the table", async () => {
        const dir = ledger({
            "eks-versions": calendar,
            "ami-releases": [{ key: "al2023", value: "v20261118", source: "s", read: "2026-11-29" }],
            "ami-release-coverage": [{ key: "al2023@v20260714", value: { published: "2026-07-13", minors: ["1.30", "1.36"] }, source: "s", read: "2026-11-29" }],
        });
        const asked: string[][] = [];
        const ssm = () => ({
            getParameters: async (i: { Names: string[] }) => {
                asked.push(i.Names);
                const present = i.Names.filter((n) => !(n.includes("v20261118") && n.includes("/1.35/")));
                return { Parameters: present.map((Name) => ({ Name, Value: "ami-0abc", LastModifiedDate: d("2026-11-18") })), InvalidParameters: i.Names.filter((n) => !present.includes(n)) };
            },
        });
        const r = await refresh(dir, fakeAws({ ssm }), ["ami-release-coverage"]);
        assert.equal(r.code, 0, r.err);
        assert.equal(asked[0][0], "/aws/service/eks/optimized-ami/1.35/amazon-linux-2023/x86_64/standard/amazon-eks-node-al2023-x86_64-standard-1.35-v20260714/image_id");
        const t = read(dir, "ami-release-coverage");
        assert.deepEqual(t.entries.find((e) => e.key === "al2023@v20260714")!.value, { published: "2026-07-13", minors: ["1.35", "1.36"] });
        assert.deepEqual(t.entries.find((e) => e.key === "al2023@v20261118")!.value, { published: "2026-11-18", minors: ["1.36"] });

        const before = bytes(dir, "ami-release-coverage");
        const none = await refresh(dir, fakeAws({ ssm: () => ({ getParameters: async (i: { Names: string[] }) => ({ Parameters: [], InvalidParameters: i.Names }) }) }), ["ami-release-coverage"]);
        assert.equal(none.code, 1);
        assert.match(none.err, /ami-release-coverage: refresh failed, the table is unchanged: al2023@v20260714: no AL2023 AMI parameter of release v20260714/);
        assert.equal(bytes(dir, "ami-release-coverage"), before);
    });
});
