import { strict as assert } from "assert";
import { PINNED_ADDONS } from "../../facts/addon-versions";
import { eksVersion, supportState } from "../../facts/eks-versions";
import { AMI_RELEASE } from "../../facts/ami-releases";
import { amiReleaseCoverage } from "../../facts/ami-release-coverage";
import { parsePlatformConfig } from "../../stacks/config";
import { ConfigError } from "../../stacks/errors";
import { regionWarnings } from "../../tools/plan/warnings";
import { validKarpenterRaw, validRaw } from "../support/fixtures";
import { issuePairs } from "../support/config-issues";

const TODAY = "2026-12-04";
/** Every add-on given for 1.37, as a stack must until the pinned table has a 1.37 row. */
const ADDONS_137 = Object.fromEntries(PINNED_ADDONS.map((a) => [a, "v1.0.0-eksbuild.1"]));

const issues = (raw: Record<string, unknown>) => issuePairs(() => parsePlatformConfig(raw, "test", { today: TODAY }));

describe("Kubernetes 1.37", () => {
    it("is in the calendar (secondary source, derived end dates, said so) and in standard support on the day", () => {
        const v = eksVersion("1.37")!;
        assert.equal(v.released, "2026-10-02");
        assert.equal(supportState(v, TODAY), "standard");
        assert.equal(v.endOfStandardSupport, "2027-12-02");
    });

    it("is allowed with managed node groups, once every add-on has a version for it", () => {
        assert.deepEqual(issues({ ...validRaw(), kubernetesVersion: "1.37", addonVersions: ADDONS_137 }), []);
        const missing = issues({ ...validRaw(), kubernetesVersion: "1.37" });
        assert.deepEqual(missing.map(([k]) => k), ["eks-platform:kubernetesVersion"]);
        assert.match(missing[0][1], /pins no version of .* for Kubernetes 1\.37 .*npm run facts -- --refresh addon-versions/);
    });

    it("is refused with computeMode karpenter, naming the pinned release's compatibility matrix and the AMI release's coverage", () => {
        const found = issues({ ...validKarpenterRaw(), kubernetesVersion: "1.37", addonVersions: ADDONS_137 });
        assert.deepEqual(found.map(([k]) => k), ["eks-platform:kubernetesVersion", "eks-platform:kubernetesVersion"]);
        assert.match(found[0][1], /Karpenter 1\.14\.1 \(computeMode "karpenter"\) supports Kubernetes 1\.26 to 1\.36 \(its compatibility matrix/);
        assert.match(found[1][1], /AMI release the Karpenter node classes pin, al2023@v20260714 .*has AMIs for Kubernetes 1\.30 to 1\.36 only, so no node could launch on 1\.37/);
    });
});

describe("AMI release coverage", () => {
    it("knows which minors the pinned release covers", () => {
        const coverage = amiReleaseCoverage("al2023", AMI_RELEASE.al2023)!;
        assert.deepEqual(coverage.minors, ["1.30", "1.31", "1.32", "1.33", "1.34", "1.35", "1.36"]);
    });

    it("refuses a Karpenter stack on a minor the pinned release lacks (1.29, extended support on its day), naming what is allowed", () => {
        const raw = { ...validKarpenterRaw(), kubernetesVersion: "1.32", extendedSupport: true };
        assert.deepEqual(issues(raw), []);
        const onDay = (r: Record<string, unknown>, today: string) => {
            try { parsePlatformConfig(r, "t", { today }); return []; } catch (e) { return (e as ConfigError).issues.map((i) => i.message); }
        };
        const old = onDay({ ...raw, kubernetesVersion: "1.29", addonVersions: ADDONS_137 }, "2026-01-10");
        assert.equal(old.length, 1, old.join("\n"));
        assert.match(old[0], /al2023@v20260714 .*1\.30 to 1\.36 only, so no node could launch on 1\.29; allowed: a minor it covers; no release known here covers 1\.29 yet/);
    });

    it("the plan warns when the pinned release is older than 60 days on the plan's day, only where Karpenter runs", () => {
        const published = amiReleaseCoverage("al2023", AMI_RELEASE.al2023)!.published;
        const decisions = (mode: string) => ({ region: "ap-northeast-2", compute: { mode, nodePools: [] }, cluster: { endpointAccess: "private", kubernetesVersion: "1.36" },
            vpcCidr: "10.0.0.0/16", nodeGroups: [], fargateProfiles: [], natGateways: { count: 2 }, availabilityZones: ["a", "b"], apps: [], addons: [], helmReleases: [] } as any);
        const warn = (today: string, mode = "karpenter") => regionWarnings({ today, production: false } as any, decisions(mode), 0).filter((w) => w.subject === "karpenter AMI");
        assert.equal(published, "2026-07-13");
        assert.equal(warn("2026-09-11").length, 0, "60 days: not yet");
        const late = warn("2026-09-12");
        assert.equal(late.length, 1);
        assert.match(late[0].message, /al2023@v20260714 .*published 2026-07-13: 61 days old on 2026-09-12/);
        assert.equal(warn("2026-12-04", "managed-node-groups").length, 0);
    });
});
