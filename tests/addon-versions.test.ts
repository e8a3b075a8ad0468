import { strict as assert } from "assert";
import { Addons } from "../components/addons";
import { ADDONS } from "../components/addons-plan";
import { OBSERVABILITY_ADDON } from "../components/observability-plan";
import { ADDON_VERSION_TABLE, PINNED_ADDONS, addonPin, pinnedMinors } from "../facts/addon-versions";
import { parsePlatformConfig } from "../stacks/config";
import { INVOKES } from "../tools/harness/invokes";
import { plan } from "../tools/plan/plan";
import { T, ofType, runComponent, sharedRunner, stackRun, validRaw } from "./support/fixtures";
import { issuePairs } from "./support/config-issues";

const GET_ADDON_VERSION = "aws:eks/getAddonVersion:getAddonVersion";
const TODAY = "2026-12-04";

function parse(patch: Record<string, unknown>, today = TODAY) {
    return parsePlatformConfig({ ...validRaw(), ...patch }, "test", { today });
}
const issues = (patch: Record<string, unknown>, today = TODAY) => issuePairs(() => parse(patch, today));

describe("pinned add-on versions (facts/data/addon-versions.json)", () => {
    it("pins every add-on the platform installs, for every minor of the table, in AWS's version shape", () => {
        // Every add-on the platform installs: the ADDONS list, and the observability add-on where it is on.
        assert.deepEqual([...PINNED_ADDONS].sort(), [...ADDONS.map((a) => a.name), OBSERVABILITY_ADDON].sort());
        assert.deepEqual(pinnedMinors(), ["1.32", "1.33", "1.34", "1.35", "1.36"]);
        for (const e of ADDON_VERSION_TABLE.entries) {
            assert.match(e.value.version, /^v\d+\.\d+\.\d+-eksbuild\.\d+$/, e.key);
            // Honest sources: a value is either read from an AWS page or marked unverified.
            assert.ok(e.value.unverified === true || e.source.startsWith("https://docs.aws.amazon.com/"), e.key);
        }
    });

    it("installs the table's versions whatever AWS's default is: two runs with different defaults register the same versions, and never ask", async () => {
        // The harness has no getAddonVersion answer (the program never asks; an unknown invoke throws): this
        // test lends it one, answering like the provider with a different default each run, and counts the asks.
        assert.equal(INVOKES[GET_ADDON_VERSION], undefined);
        const runWith = async (build: string) => {
            let asked = 0;
            INVOKES[GET_ADDON_VERSION] = (inputs, region) => {
                asked++;
                return { addonName: inputs.addonName, kubernetesVersion: inputs.kubernetesVersion, mostRecent: false, version: `v9.9.9-eksbuild.${build}`, region, id: String(inputs.addonName) };
            };
            try {
                const run = await runComponent((provider) => new Addons("a", {
                    provider, clusterName: "c", clusterArn: "arn:aws:eks:ap-northeast-2:123456789012:cluster/c", kubernetesVersion: "1.36",
                    kubernetesProvider: undefined as any,
                }));
                return { asked, versions: Object.fromEntries(ofType(run.records, T.addon).map((r) => [r.inputs.addonName, r.inputs.addonVersion])) };
            } finally {
                delete INVOKES[GET_ADDON_VERSION];
            }
        };
        const [a, b] = [await runWith("1"), await runWith("2")];
        assert.equal(a.asked + b.asked, 0, "the program does not ask AWS for a default");
        assert.deepEqual(a.versions, b.versions);
        assert.equal(a.versions.coredns, addonPin("coredns", "1.36")!.version);
        assert.equal(Object.keys(a.versions).length, 4);
    });

    it("gives both stacks' add-ons exactly their row's versions", async () => {
        for (const stack of ["dev", "prod"] as const) {
            const addons = ofType((await stackRun(stack)).records, T.addon);
            // prod: two regions, each with the observability add-on (on in production); dev: one region, off.
            assert.equal(addons.length, stack === "prod" ? (ADDONS.length + 1) * 2 : ADDONS.length);
            for (const a of addons) assert.equal(a.inputs.addonVersion, addonPin(String(a.inputs.addonName), "1.36")!.version, `${stack} ${a.name}`);
        }
    });

    it("takes the new minor's row on a kubernetesVersion upgrade", () => {
        const from = parse({ kubernetesVersion: "1.35" }).regions[0].cluster.addonVersions;
        const to = parse({ kubernetesVersion: "1.36" }).regions[0].cluster.addonVersions;
        assert.equal(from["kube-proxy"], "v1.35.3-eksbuild.13");
        assert.equal(to["kube-proxy"], "v1.36.0-eksbuild.14");
        assert.equal(to.coredns, addonPin("coredns", "1.36")!.version);
        assert.notEqual(from.coredns, to.coredns);
    });

    it("lets a stack pin one add-on differently, and refuses an unknown add-on or a malformed version at its key", () => {
        const v = parse({ addonVersions: { coredns: "v1.13.1-eksbuild.7" } }).regions[0].cluster.addonVersions;
        assert.equal(v.coredns, "v1.13.1-eksbuild.7");
        assert.equal(v["vpc-cni"], addonPin("vpc-cni", "1.36")!.version);
        assert.deepEqual(issues({ addonVersions: { "aws-efs-csi-driver": "v2.1.0-eksbuild.1" } }).map(([k]) => k), ["eks-platform:addonVersions.aws-efs-csi-driver"]);
        assert.match(issues({ addonVersions: { "aws-efs-csi-driver": "v2.1.0-eksbuild.1" } })[0][1], /not an add-on the platform installs; allowed: kube-proxy, vpc-cni, /);
        for (const bad of ["1.13.2", "v1.13.2", "latest", "v1.13.2-eksbuild", "v1.13-eksbuild.1"]) {
            const found = issues({ addonVersions: { coredns: bad } });
            assert.deepEqual(found.map(([k]) => k), ["eks-platform:addonVersions.coredns"], bad);
            assert.match(found[0][1], /is not an EKS add-on version; allowed: .*describe-addon-versions --addon-name coredns/);
        }
    });

    it("refuses a minor the table has no row for, naming the key and the command that fills it", () => {
        // 1.31 is in the EKS calendar (extended support on this day) but not in the table.
        const found = issues({ kubernetesVersion: "1.31", extendedSupport: true }, "2026-06-01");
        assert.deepEqual(found.map(([k]) => k), ["eks-platform:kubernetesVersion"]);
        assert.match(found[0][1], /pins no version of kube-proxy, vpc-cni, .* for Kubernetes 1\.31 .*`npm run facts -- --refresh addon-versions`.*eks-platform:addonVersions/);
        const all = Object.fromEntries(PINNED_ADDONS.map((a) => [a, "v1.0.0-eksbuild.1"]));
        assert.deepEqual(issues({ kubernetesVersion: "1.31", extendedSupport: true, addonVersions: all }, "2026-06-01"), []);
    });

    it("the plan shows AWS's default only when a refresh recorded one that differs, and warns about unverified pins", async () => {
        const entry = ADDON_VERSION_TABLE.entries.find((e) => e.key === "kube-proxy@1.36")!;
        const before = await plan("dev", { out: false, runProgram: sharedRunner, today: TODAY });
        assert.ok(!/AWS default/.test(before.text), "nothing recorded: nothing shown");
        assert.match(before.text, /Add-ons \(pinned for 1\.36: facts\/data\/addon-versions\.json\): vpc-cni v1\.21\.1-eksbuild\.3 \(unverified\)/);
        assert.match(before.text, /addonVersions.*samples not read from AWS/);
        const saved = entry.value;
        (entry as { value: unknown }).value = { ...saved, awsDefault: "v1.36.1-eksbuild.2", awsDefaultRead: "2026-12-01" };
        try {
            const after = await plan("dev", { out: false, runProgram: sharedRunner, today: TODAY });
            assert.match(after.text, /kube-proxy v1\.36\.0-eksbuild\.14 \(AWS default v1\.36\.1-eksbuild\.2 as of 2026-12-01\)/);
        } finally {
            (entry as { value: unknown }).value = saved;
        }
    });
});
