/**
 * IAM role names: the worst case (10-character environment, the longest region code) against IAM's 64,
 * from the roles the real program registers.
 */
import * as assert from "assert";
import * as aws from "@pulumi/aws";
import { parsePlatformConfig } from "../stacks/config";
import { ConfigError } from "../stacks/errors";
import { AUTONAME_SUFFIX_LENGTH, IAM_ROLE_NAME_MAX, LONGEST_ROLE_SUFFIX, worstRoleNameLength } from "../stacks/name-limits";
import { stackRun, validRaw } from "./support/fixtures";

const LONGEST_REGION = Object.values(aws.Region).reduce((a, b) => (String(b).length > a.length ? String(b) : a), "");

describe("IAM role names within 64 characters", function () {
    this.timeout(60_000);

    it("names the longest role the program registers (dev and prod stacks, Karpenter included)", async () => {
        const suffixes: string[] = [];
        for (const stack of ["dev", "prod"] as const) {
            const { records } = await stackRun(stack);
            for (const r of records.filter((x) => x.type === "aws:iam/role:Role")) {
                assert.strictEqual(r.inputs.name, undefined, `${r.name}: auto-named`);
                const prefix = /^[a-z0-9-]+?-[a-z]{2}(?:-[a-z]+)+-\d/.exec(r.name)![0];
                suffixes.push(r.name.slice(prefix.length));
            }
        }
        const longest = suffixes.reduce((a, b) => (b.length > a.length ? b : a));
        assert.strictEqual(longest, LONGEST_ROLE_SUFFIX);
    });

    it("computes the worst case: 10-character environment and the longest region code", () => {
        assert.strictEqual(AUTONAME_SUFFIX_LENGTH, 8);
        assert.strictEqual(LONGEST_REGION.length, 15, LONGEST_REGION);
        // 10 + 1 + 15 + 31 + 8 = 65: one over, so the check matters; with a 14-character region it is 64.
        assert.strictEqual(worstRoleNameLength("abcdefghij", LONGEST_REGION), 65);
        assert.strictEqual(worstRoleNameLength("abcdefghij", "ap-southeast-1"), IAM_ROLE_NAME_MAX);
    });

    it("refuses an environment and region whose role names would not fit, at the region's key", () => {
        const raw = { ...validRaw(), environment: "abcdefghij", regions: [{ region: LONGEST_REGION, vpcCidr: "10.20.0.0/16", azCount: 2 }] };
        let error: ConfigError | undefined;
        try {
            parsePlatformConfig(raw as any, "x");
        } catch (e) {
            if (e instanceof ConfigError) error = e;
        }
        // (That region is also refused for its partition, stacks/partitions.ts: both are said.)
        const issue = error?.issues.find((i) => i.key === "eks-platform:regions[0].region" && i.message.includes("IAM role names"));
        assert.ok(issue, JSON.stringify(error?.issues));
        assert.match(issue!.message, /reach 65 characters .*IAM allows 64\. Allowed: an environment of at most 9 characters with this region/);
        const fits = { ...raw, regions: [{ region: "ap-southeast-1", vpcCidr: "10.20.0.0/16", azCount: 2 }] };
        assert.doesNotThrow(() => parsePlatformConfig(fits as any, "x"));
    });
});
