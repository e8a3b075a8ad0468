/** Regions outside the aws partition are refused at their key (the IAM documents name arn:aws:). */
import * as assert from "assert";
import { parsePlatformConfig } from "../stacks/config";
import { partitionOf } from "../stacks/partitions";
import { validRaw } from "./support/fixtures";
import { Region } from "@pulumi/aws";
import { partition as sdkPartition } from "@aws-sdk/core/client";
import { errorText, namedErrorText } from "../tools/error-text";
import { programErrorMessage } from "../tools/plan/plan";
import { issuePairs } from "./support/config-issues";

function regionIssues(region: string): string[] {
    return issuePairs(() => parsePlatformConfig({ ...validRaw(), regions: [{ region, vpcCidr: "10.20.0.0/16", azCount: 2 }] } as any, "x"))
        .filter(([key]) => key === "eks-platform:regions[0].region").map(([, message]) => message);
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

    it("knows the partition of every region the installed @pulumi/aws knows, as the installed AWS SDK does (eusc-de-east-1: aws-eusc)", () => {
        // The SDK's partition data (regionRegex per partition) is the reference; a new partition in a
        // provider upgrade fails here until facts/data/partitions.json names it.
        const regions = Object.values(Region) as string[];
        assert.ok(regions.includes("eusc-de-east-1"));
        assert.deepStrictEqual(regions.map((r) => [r, partitionOf(r)]), regions.map((r) => [r, sdkPartition(r).name]));
    });

    it("refuses every region outside the aws partition at its key, naming the partition", () => {
        for (const r of (Object.values(Region) as string[]).filter((x) => sdkPartition(x).name !== "aws")) {
            assert.match(regionIssues(r).join("\n"), new RegExp(`is in the ${sdkPartition(r).name} partition; `), r);
        }
        assert.match(regionIssues("eusc-de-east-1").join("\n"), /not cn-\*, us-gov-\*, eusc-\* or an ISO region/);
    });
});

describe("no failure prints an empty message", () => {
    it("names an error without text by its class (a mock invoke's error the SDK rethrew as new Error(undefined))", () => {
        for (const e of [new Error(""), new Error(undefined), "", undefined, Object.assign(new Error("  "), { name: "TypeError" })]) {
            assert.match(errorText(e), /\S/);
            assert.match(programErrorMessage(e), /without a message/);
        }
        assert.match(programErrorMessage(new Error('error serializing property "a": error serializing property "b": ')), /^Error without a message/);
        assert.strictEqual(errorText(new Error("disk full")), "disk full");
    });

    it("namedErrorText leads with an Error's name (an AWS SDK error code) and reads nothing else of a non-Error", () => {
        const sdk = Object.assign(new Error("User is not authorized"), { name: "AccessDeniedException" });
        assert.strictEqual(namedErrorText(sdk), "AccessDeniedException: User is not authorized");
        assert.strictEqual(namedErrorText("boom"), "boom");
        for (const e of ["", undefined, new Error("")]) assert.match(namedErrorText(e), /without a message/);
        assert.strictEqual(namedErrorText({ name: "X", message: "token=S3CRET" }), "[object Object]");
    });
});
