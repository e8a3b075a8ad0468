/**
 * amiType against the instance types' architecture: the fact table (stacks/instance-architecture.ts)
 * and the config check that refuses a mismatch at its key.
 */
import * as assert from "assert";
import { parsePlatformConfig } from "../stacks/config";
import { amiArchitecture, instanceArchitecture } from "../stacks/instance-architecture";
import { validRaw } from "./support/fixtures";
import { issuePairs } from "./support/config-issues";

function issues(raw: Record<string, any>): string[] {
    return issuePairs(() => parsePlatformConfig(raw as any, "x")).map(([key, message]) => `${key}: ${message}`);
}

describe("instance architecture against amiType", () => {
    it("knows the architecture of instance families by the naming convention and its exceptions", () => {
        for (const t of ["m7g.large", "c6gn.xlarge", "r8gd.2xlarge", "t4g.medium", "g5g.xlarge", "im4gn.large", "is4gen.large", "x2gd.xlarge", "a1.large"]) {
            assert.strictEqual(instanceArchitecture(t), "arm64", t);
        }
        for (const t of ["m6i.large", "m5.large", "t3a.large", "c7a.large", "g5.xlarge", "g4dn.xlarge", "p5.48xlarge", "inf2.xlarge", "trn1.2xlarge", "m7i-flex.large"]) {
            assert.strictEqual(instanceArchitecture(t), "x86_64", t);
        }
        assert.strictEqual(instanceArchitecture("u-6tb1.metal"), undefined, "a name outside the convention is not judged");
        assert.deepStrictEqual(
            ["AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD", "BOTTLEROCKET_x86_64", "BOTTLEROCKET_ARM_64", "AL2023_x86_64_NVIDIA"].map(amiArchitecture),
            ["x86_64", "arm64", "x86_64", "arm64", "x86_64"]);
    });

    it("refuses an ARM AMI on x86 instances, and the reverse, naming the key, the value and what is allowed", () => {
        const raw = validRaw();
        raw.nodeGroups = [{ name: "arm", instanceTypes: ["m7g.large", "m6i.large"], amiType: "AL2023_ARM_64_STANDARD", minSize: 1, desiredSize: 1, maxSize: 2 }];
        assert.deepStrictEqual(issues(raw), [
            "eks-platform:nodeGroups[0].instanceTypes[1]: is x86_64 (m6i family) but amiType AL2023_ARM_64_STANDARD runs on arm64; " +
            "allowed: arm64 instance types with this amiType (stacks/instance-architecture.ts), or an x86_64 amiType",
        ]);
        const bottle = validRaw();
        bottle.regions[0].overrides = { nodeGroups: [{ name: "b", instanceTypes: ["c7g.large"], amiType: "BOTTLEROCKET_x86_64", minSize: 1, desiredSize: 1, maxSize: 1 }] };
        assert.match(issues(bottle)[0], /^eks-platform:regions\[0\]\.overrides\.nodeGroups\[0\]\.instanceTypes\[0\]: is arm64/);
        const ok = validRaw();
        ok.nodeGroups = [{ name: "arm", instanceTypes: ["m7g.large", "c7g.large"], amiType: "BOTTLEROCKET_ARM_64", minSize: 1, desiredSize: 1, maxSize: 2 }];
        assert.deepStrictEqual(issues(ok), []);
    });
});
