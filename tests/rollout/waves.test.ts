import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { stackRun } from "../support/fixtures";
import type { ResourceRecord } from "../../tools/harness/records";
import {
    DNS_TYPE, REGIONAL_PLATFORM_TYPE, componentUrn, regionOfUrn, regionTargets, shortStackName, targetMatches,
    trafficTargets, waveTargets,
} from "../../tools/rollout/waves";
import { parseUrn } from "../../tools/urn";

const scope = { stack: "prod", project: "eks-platform", environment: "prod" };

describe("wave targets", () => {
    it("targets a region's component by URN and its subtree by a glob on the type chain and name prefix", () => {
        assert.deepEqual(regionTargets(scope, "ap-northeast-2"), [
            "urn:pulumi:prod::eks-platform::eks-platform:index:RegionalPlatform::prod-ap-northeast-2",
            "urn:pulumi:prod::eks-platform::eks-platform:index:RegionalPlatform$**::prod-ap-northeast-2-**",
        ]);
        assert.deepEqual(waveTargets(scope, ["ap-northeast-2", "ap-northeast-1"]).length, 4);
        // With eks-platform:dns, also the shared DNS resources (component, provider, validation records), once.
        const withDns = waveTargets(scope, ["ap-northeast-2", "ap-northeast-1"], true);
        assert.deepEqual(withDns.slice(0, 4), waveTargets(scope, ["ap-northeast-2", "ap-northeast-1"]));
        assert.deepEqual(withDns.slice(4), [
            "urn:pulumi:prod::eks-platform::eks-platform:index:Dns::*",
            "urn:pulumi:prod::eks-platform::eks-platform:index:Dns$pulumi:providers:aws::*",
            "urn:pulumi:prod::eks-platform::eks-platform:index:Dns$aws:route53/record:Record::prod-dns-validation-*",
        ]);
    });

    it("uses the bare stack name in URNs for org/stack and org/project/stack names", () => {
        assert.equal(shortStackName("acme/eks-platform/prod"), "prod");
        assert.equal(shortStackName("acme/prod"), "prod");
        assert.equal(componentUrn({ ...scope, stack: "acme/eks-platform/prod" }, "us-west-2"),
            "urn:pulumi:prod::eks-platform::eks-platform:index:RegionalPlatform::prod-us-west-2");
    });

    it("matches targets like the engine: literal URNs exactly, * within a :-part, ** across anything, $ literally", () => {
        const urn = "urn:pulumi:prod::eks-platform::eks-platform:index:RegionalPlatform$aws:ec2/vpc:Vpc::prod-ap-northeast-2-vpc";
        assert.equal(targetMatches(urn, urn), true);
        assert.equal(targetMatches(urn.replace("vpc", "VPC"), urn), false);
        assert.equal(targetMatches("urn:pulumi:prod::eks-platform::*", urn), false, "* stops at ':'");
        assert.equal(targetMatches("urn:pulumi:prod::eks-platform::**", urn), true);
        assert.equal(targetMatches("urn:pulumi:prod::eks-platform::eks-platform:index:RegionalPlatform$**::prod-ap-northeast-2-*", urn), true);
        assert.equal(targetMatches("urn:pulumi:prod::eks-platform::eks-platform:index:RegionalPlatformX**::prod-ap-northeast-2-**", urn), false);
    });

    it("tells the region of a URN from its type chain and name", () => {
        const regions = ["ap-northeast-2", "ap-northeast-1"];
        const child = "urn:pulumi:prod::eks-platform::eks-platform:index:RegionalPlatform$eks-platform:index:Cluster$aws:eks/cluster:Cluster::prod-ap-northeast-1-cluster";
        assert.equal(regionOfUrn(child, scope, regions), "ap-northeast-1");
        assert.equal(regionOfUrn(componentUrn(scope, "ap-northeast-2"), scope, regions), "ap-northeast-2");
        assert.equal(regionOfUrn("urn:pulumi:prod::eks-platform::pulumi:pulumi:Stack::eks-platform-prod", scope, regions), undefined);
        assert.equal(regionOfUrn("urn:pulumi:prod::eks-platform::aws:s3/bucket:Bucket::prod-ap-northeast-1-x", scope, regions), undefined,
            "outside a RegionalPlatform");
        assert.deepEqual(parseUrn(child)?.type, "aws:eks/cluster:Cluster");
    });

    it("names the component type components/region.ts registers", () => {
        const source = fs.readFileSync(path.join(__dirname, "..", "..", "components", "region.ts"), "utf8");
        assert.ok(source.includes(`super("${REGIONAL_PLATFORM_TYPE}"`), "RegionalPlatform's type token changed: update waves.ts");
    });
});

describe("wave targets against the real program (prod stack under mocks)", function () {
    this.timeout(60_000);
    let urns: Array<{ urn: string; regionalAncestor?: string }>;

    before(async () => {
        const { records } = await stackRun("prod");
        const byKey = new Map(records.map((r) => [r.key, r]));
        const chain = (r: ResourceRecord): ResourceRecord[] => (r.parent && byKey.get(r.parent) ? [...chain(byKey.get(r.parent)!), r] : [r]);
        urns = records.map((r) => {
            const lineage = chain(r).filter((x) => x.type !== "pulumi:pulumi:Stack");
            const qualifiedType = lineage.map((x) => x.type).join("$");
            const urn = r.type === "pulumi:pulumi:Stack"
                ? `urn:pulumi:prod::eks-platform::pulumi:pulumi:Stack::${r.name}`
                : `urn:pulumi:prod::eks-platform::${qualifiedType}::${r.name}`;
            const regional = lineage.find((x) => x.type === REGIONAL_PLATFORM_TYPE);
            return { urn, regionalAncestor: regional?.name };
        });
    });

    for (const region of ["ap-northeast-2", "ap-northeast-1"]) {
        it(`selects exactly the resources under prod-${region}, for ${region}`, () => {
            const targets = regionTargets(scope, region);
            const selected = urns.filter((u) => targets.some((t) => targetMatches(t, u.urn))).map((u) => u.urn).sort();
            const expected = urns.filter((u) => u.regionalAncestor === `prod-${region}`).map((u) => u.urn).sort();
            assert.ok(expected.length > 20, `expected a real subtree, got ${expected.length}`);
            assert.deepEqual(selected, expected);
            assert.ok(selected.every((u) => regionOfUrn(u, scope, ["ap-northeast-2", "ap-northeast-1"]) === region));
        });
    }

    it("leaves only the Stack resource outside every wave and its traffic step", () => {
        const regions = ["ap-northeast-2", "ap-northeast-1"];
        const all = [...waveTargets(scope, regions, true), ...trafficTargets(scope, regions)];
        const outside = urns.filter((u) => !all.some((t) => targetMatches(t, u.urn))).map((u) => u.urn);
        assert.deepEqual(outside, ["urn:pulumi:prod::eks-platform::pulumi:pulumi:Stack::eks-platform-prod"]);
    });

    it("keeps a region's traffic (alias records, health checks) out of every wave's first update, and selects it in its own traffic step only", () => {
        const regions = ["ap-northeast-2", "ap-northeast-1"];
        const first = waveTargets(scope, regions, true);
        const dns = urns.filter((u) => u.urn.includes(`::${DNS_TYPE}$`));
        for (const region of regions) {
            const traffic = dns.filter((u) => regionOfUrn(u.urn, scope, regions) === region);
            // hello.example.com, the regional endpoint name, the health check.
            assert.deepEqual(traffic.map((u) => parseUrn(u.urn)!.name).sort(),
                [`prod-dns-${region}-hello-endpoint`, `prod-dns-${region}-hello-health`, `prod-dns-${region}-hello.example.com`]);
            for (const u of traffic) {
                assert.ok(!first.some((t) => targetMatches(t, u.urn)), `${u.urn} is in a wave's first update`);
                assert.ok(trafficTargets(scope, [region]).some((t) => targetMatches(t, u.urn)), `${u.urn} is not in ${region}'s traffic step`);
                const other = regions.find((r) => r !== region)!;
                assert.ok(!trafficTargets(scope, [other]).some((t) => targetMatches(t, u.urn)), `${u.urn} is in ${other}'s traffic step`);
            }
        }
        // The shared validation record is in every wave's first update (each region's certificate waits on it).
        const shared = dns.filter((u) => regionOfUrn(u.urn, scope, regions) === undefined).map((u) => u.urn);
        assert.ok(shared.some((u) => u.endsWith("::prod-dns-validation-hello.example.com")));
        for (const region of regions) {
            for (const u of shared) assert.ok(waveTargets(scope, [region], true).some((t) => targetMatches(t, u)), `${u} is not in ${region}'s wave`);
        }
    });
});
