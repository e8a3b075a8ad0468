/**
 * The mock engine answers each region's real zone list (facts/data/zones.json), so a stack plans
 * with as many zones as the region has, and asking for more ends in the plan's own "cannot plan"
 * message, on stdout as valid JSON with --json.
 */
import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import { answerInvoke } from "../../tools/harness/invokes";
import { regionsWithZones, zonesOf } from "../../facts/zones";
import { EXIT, main } from "../../tools/plan/cli";
import { captureIo, stackDir, tempDir } from "./helpers";
import { runWithMocks } from "../../tools/harness/engine";

const AZ_INVOKE = "aws:index/getAvailabilityZones:getAvailabilityZones";

describe("plan: zones per region", function () {
    this.timeout(60000);

    it("holds each commercial, China and GovCloud region the provider knows, with the real letters", () => {
        const known = (Object.values(aws.Region) as string[]).filter((r) => !/-iso|eusc-/.test(r));
        assert.deepEqual(regionsWithZones(), [...known].sort());
        assert.deepEqual(zonesOf("us-east-1"), ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"]);
        assert.deepEqual(zonesOf("ap-northeast-1"), ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]);
        assert.deepEqual(answerInvoke(AZ_INVOKE, {}, "ap-northeast-2").zoneIds, ["apne2-az1", "apne2-az2", "apne2-az3", "apne2-az4"]);
        assert.throws(() => answerInvoke(AZ_INVOKE, {}, "us-iso-east-1"), /no zone list for region us-iso-east-1/);
    });

    it("a failed invoke keeps its message through the SDK (which rethrows new Error(err.details)), never an empty one", async () => {
        await assert.rejects(runWithMocks(async () => {
            const provider = new aws.Provider("p", { region: "us-iso-east-1" });
            return aws.getAvailabilityZones({}, { provider });
        }, { stack: "zones" }), /mock harness: no zone list for region us-iso-east-1/);
    });

    it("plans six zones in us-east-1", async () => {
        const dir = stackDir("six", "dev", (t) => t.replace(/ap-northeast-2/g, "us-east-1").replace("azCount: 2", "azCount: 6"));
        const io = captureIo();
        assert.equal(await main(["six", "--dir", dir, "--json", "--out", tempDir("six")], io), EXIT.ok, io.err.join(""));
        const summary = JSON.parse(io.out.join(""));
        assert.equal(summary.regions[0].decisions.availabilityZones.length, 6);
    });

    it("more zones than the region has: cannot plan, with the reason, and --json stays valid JSON", async () => {
        const dir = stackDir("five", "dev", (t) => t.replace("azCount: 2", "azCount: 5"));
        const io = captureIo();
        assert.equal(await main(["five", "--dir", dir, "--json", "--out", tempDir("five")], io), EXIT.invalid);
        const summary = JSON.parse(io.out.join(""));
        assert.equal(summary.status, "program-error");
        assert.match(summary.error, /^dev-ap-northeast-2-network: the region offers 4 zones, fewer than azCount 5\n\s+at components\/network\.ts/);
        assert.doesNotMatch(summary.error, /error serializing property/);
        assert.match(io.err.join(""), /^Cannot plan: the program failed under the mock engine\./);
    });
});
