/** Regions outside the aws partition are refused at their key (the IAM documents name arn:aws:). */
import * as assert from "assert";
import { parsePlatformConfig } from "../stacks/config";
import { ConfigError } from "../stacks/errors";
import { partitionOf } from "../stacks/partitions";
import { validRaw } from "./support/fixtures";

function regionIssues(region: string): string[] {
    try {
        parsePlatformConfig({ ...validRaw(), regions: [{ region, vpcCidr: "10.20.0.0/16", azCount: 2 }] } as any, "x");
        return [];
    } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        return e.issues.filter((i) => i.key === "eks-platform:regions[0].region").map((i) => i.message);
    }
}

describe("AWS partitions", () => {
    it("tells a region's partition from its code", () => {
        assert.deepStrictEqual(
            ["ap-northeast-2", "cn-north-1", "cn-northwest-1", "us-gov-west-1", "us-iso-east-1", "us-isob-east-1", "us-isof-south-1", "eu-isoe-west-1"].map(partitionOf),
            ["aws", "aws-cn", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-f", "aws-iso-e"]);
    });

    it("refuses China and GovCloud regions with the partition and what is allowed, accepts commercial ones", () => {
        assert.match(regionIssues("cn-north-1").join("\n"), /is in the aws-cn partition; .*allowed: a region of the aws partition/);
        assert.match(regionIssues("us-gov-west-1").join("\n"), /is in the aws-us-gov partition/);
        assert.deepStrictEqual(regionIssues("eu-west-1"), []);
    });
});
