import { strict as assert } from "assert";
import {
    DEFAULT_ROLLOUT, HEALTH_CHECK_DEFAULTS, resolveWaves, rolloutIssues, rolloutSchema,
} from "../../stacks/rollout-schema";

const REGIONS = ["ap-northeast-2", "ap-northeast-1", "us-west-2"];

describe("rollout schema (eks-platform:rollout)", () => {
    it("fills every default when the key is absent or empty", () => {
        assert.deepEqual(DEFAULT_ROLLOUT, {
            pauseSeconds: 0,
            healthCheck: { http: "internet-facing", timeoutSeconds: 5, retries: 12, intervalSeconds: 10 },
        });
        assert.deepEqual(rolloutSchema.parse({ healthCheck: { retries: 3 } }).healthCheck, { ...HEALTH_CHECK_DEFAULTS, retries: 3 });
    });

    it("rejects unknown keys and out-of-range values", () => {
        const r = rolloutSchema.safeParse({ wave: [], pauseSeconds: -1, healthCheck: { retries: 1.5, timeoutSeconds: 0, http: "some" } });
        assert.equal(r.success, false);
        const paths = r.error!.issues.map((i) => `${i.path.join(".")}:${i.code}`).sort();
        assert.deepEqual(paths, [
            ":unrecognized_keys",
            "healthCheck.http:invalid_value",
            "healthCheck.retries:invalid_type",
            "healthCheck.timeoutSeconds:too_small",
            "pauseSeconds:too_small",
        ].sort());
    });

    it("rejects wave names that are not DNS-label-like", () => {
        const r = rolloutSchema.safeParse({ waves: [{ name: "Canary Wave", regions: ["ap-northeast-2"] }] });
        assert.equal(r.success, false);
        assert.match(r.error!.issues[0].message, /lower-case letters/);
    });
});

describe("resolveWaves", () => {
    it("defaults to the first region alone, then all the others", () => {
        assert.deepEqual(resolveWaves(undefined, REGIONS), [
            { name: "canary", regions: ["ap-northeast-2"] },
            { name: "rest", regions: ["ap-northeast-1", "us-west-2"] },
        ]);
    });

    it("makes one wave for a one-region stack", () => {
        assert.deepEqual(resolveWaves({}, ["ap-northeast-2"]), [{ name: "canary", regions: ["ap-northeast-2"] }]);
    });

    it("keeps configured waves in order and names unnamed ones by position", () => {
        const waves = resolveWaves({ waves: [{ regions: ["us-west-2"] }, { name: "asia", regions: ["ap-northeast-2", "ap-northeast-1"] }] }, REGIONS);
        assert.deepEqual(waves, [
            { name: "wave-1", regions: ["us-west-2"] },
            { name: "asia", regions: ["ap-northeast-2", "ap-northeast-1"] },
        ]);
    });
});

describe("rolloutIssues", () => {
    const check = (waves: Array<{ name?: string; regions: string[] }>) => rolloutIssues({ regions: REGIONS, rollout: { waves } });

    it("accepts waves that cover every configured region once", () => {
        assert.deepEqual(check([{ regions: ["ap-northeast-2"] }, { regions: ["ap-northeast-1", "us-west-2"] }]), []);
        assert.deepEqual(rolloutIssues({ regions: REGIONS }), []);
    });

    it("names a wave region that is not configured, with the allowed regions", () => {
        const issues = check([{ regions: ["ap-northeast-2"] }, { regions: ["ap-northeast-1", "us-west-2", "eu-west-1"] }]);
        assert.equal(issues.length, 1);
        assert.equal(issues[0].key, "eks-platform:rollout.waves[1].regions[2]");
        assert.equal(issues[0].value, "eu-west-1");
        assert.match(issues[0].message, /not one of this stack's regions.*allowed: ap-northeast-2, ap-northeast-1, us-west-2/);
    });

    it("names a region listed in two waves", () => {
        const issues = check([{ regions: ["ap-northeast-2"] }, { regions: ["ap-northeast-1", "us-west-2", "ap-northeast-2"] }]);
        assert.deepEqual(issues.map((i) => [i.key, i.value]), [["eks-platform:rollout.waves[1].regions[2]", "ap-northeast-2"]]);
        assert.match(issues[0].message, /already in waves\[0\]; each region is updated in exactly one wave/);
    });

    it("names a configured region that is in no wave", () => {
        const issues = check([{ regions: ["ap-northeast-2"] }, { regions: ["us-west-2"] }]);
        assert.equal(issues.length, 1);
        assert.equal(issues[0].key, "eks-platform:rollout.waves");
        assert.match(issues[0].message, /configured region ap-northeast-1 \(eks-platform:regions\[1\]\) is in no wave/);
    });

    it("names an empty wave and an empty wave list", () => {
        const empty = check([{ regions: ["ap-northeast-2"] }, { name: "later", regions: [] }, { regions: ["ap-northeast-1", "us-west-2"] }]);
        assert.deepEqual(empty.map((i) => i.key), ["eks-platform:rollout.waves[1].regions"]);
        assert.match(empty[0].message, /at least one region; allowed: ap-northeast-2/);
        const none = check([]);
        assert.deepEqual(none.map((i) => i.key), ["eks-platform:rollout.waves"]);
        assert.match(none[0].message, /at least one wave/);
    });

    it("names duplicate wave names, counting default names", () => {
        const issues = check([{ name: "wave-2", regions: ["ap-northeast-2"] }, { regions: ["ap-northeast-1", "us-west-2"] }]);
        assert.deepEqual(issues.map((i) => i.key), ["eks-platform:rollout.waves[1].name"]);
    });
});
