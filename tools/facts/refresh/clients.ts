/**
 * The AWS calls `npm run facts -- --refresh` makes, as narrow interfaces (field names as the AWS SDK v3
 * clients take and answer them), so that tests drive each table's refresh with recorded fakes and the
 * listing never loads the SDK. `awsReaders()` is the real one: the SDK's clients with the default
 * credential chain (environment, profile, SSO, web identity in CI) and its standard retries.
 *
 * References: @aws-sdk/client-eks DescribeClusterVersions and DescribeAddonVersions
 * (node_modules/@aws-sdk/client-eks/dist-types/models/models_0.d.ts), @aws-sdk/client-ssm GetParameter,
 * @aws-sdk/client-ec2 DescribeRegions and DescribeAvailabilityZones, @aws-sdk/client-pricing GetProducts.
 */
import type { PriceListClient } from "../../plan/cost/refresh";

/**
 * Every IAM action the refresh calls, with its resource: the read-only role of .github/workflows/facts.yml
 * needs these and nothing else (tests/facts/workflow.test.ts holds the workflow's list to this one).
 */
export const REFRESH_ACTIONS: ReadonlyArray<readonly [action: string, resource: string]> = [
    ["eks:DescribeClusterVersions", "*"],
    ["eks:DescribeAddonVersions", "*"],
    ["ec2:DescribeRegions", "*"],
    ["ec2:DescribeAvailabilityZones", "*"],
    ["ssm:GetParameter", "arn:aws:ssm:*::parameter/aws/service/eks/*"],
    ["ssm:GetParameters", "arn:aws:ssm:*::parameter/aws/service/eks/*"],
    ["pricing:GetProducts", "*"],
];

export interface ClusterVersionInfo {
    readonly clusterVersion?: string;
    readonly releaseDate?: Date;
    readonly endOfStandardSupportDate?: Date;
    readonly endOfExtendedSupportDate?: Date;
    readonly versionStatus?: string;
}

export interface AddonVersionInfo {
    readonly addonVersion?: string;
    readonly compatibilities?: ReadonlyArray<{ readonly clusterVersion?: string; readonly defaultVersion?: boolean }>;
}

export interface EksReader {
    describeClusterVersions(input: { includeAll?: boolean; nextToken?: string; maxResults?: number }): Promise<{ clusterVersions?: readonly ClusterVersionInfo[]; nextToken?: string }>;
    describeAddonVersions(input: { addonName: string; nextToken?: string; maxResults?: number }): Promise<{ addons?: ReadonlyArray<{ addonName?: string; addonVersions?: readonly AddonVersionInfo[] }>; nextToken?: string }>;
}

export interface SsmReader {
    getParameter(input: { Name: string }): Promise<{ Parameter?: { Name?: string; Value?: string } }>;
    /** Up to 10 names a call; names that do not exist come back in InvalidParameters. */
    getParameters(input: { Names: string[] }): Promise<{ Parameters?: ReadonlyArray<{ Name?: string; Value?: string; LastModifiedDate?: Date }>; InvalidParameters?: string[] }>;
}

export interface Ec2Reader {
    /** With AllRegions, every region of the partition with the account's OptInStatus (opt-in-not-required, opted-in, not-opted-in). */
    describeRegions(input: { AllRegions: boolean }): Promise<{ Regions?: ReadonlyArray<{ RegionName?: string; OptInStatus?: string }> }>;
    describeAvailabilityZones(input: { Filters: ReadonlyArray<{ Name: string; Values: string[] }> }): Promise<{ AvailabilityZones?: ReadonlyArray<{ ZoneName?: string; ZoneId?: string; State?: string; RegionName?: string }> }>;
}

/** Clients per region (EKS, SSM and EC2 answer for the region they are called in). */
export interface AwsReaders {
    /** The region EKS's calendar, add-on versions and SSM's public parameters are read in. */
    readonly homeRegion: string;
    eks(region: string): EksReader;
    ssm(region: string): SsmReader;
    ec2(region: string): Ec2Reader;
    /** The Price List API (endpoint in us-east-1, prices of every region). */
    pricing(): PriceListClient;
}

/* eslint-disable @typescript-eslint/no-require-imports */
/** The real clients. Loaded only here, so nothing else needs the SDK or credentials. */
export function awsReaders(env: NodeJS.ProcessEnv = process.env): AwsReaders {
    const homeRegion = env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1";
    const cache = new Map<string, unknown>();
    const once = <T>(key: string, make: () => T): T => {
        if (!cache.has(key)) cache.set(key, make());
        return cache.get(key) as T;
    };
    return {
        homeRegion,
        eks: (region) => once(`eks:${region}`, () => {
            const sdk = require("@aws-sdk/client-eks");
            const client = new sdk.EKSClient({ region });
            return {
                describeClusterVersions: (input) => client.send(new sdk.DescribeClusterVersionsCommand(input)),
                describeAddonVersions: (input) => client.send(new sdk.DescribeAddonVersionsCommand(input)),
            } satisfies EksReader;
        }),
        ssm: (region) => once(`ssm:${region}`, () => {
            const sdk = require("@aws-sdk/client-ssm");
            const client = new sdk.SSMClient({ region });
            return {
                getParameter: (input) => client.send(new sdk.GetParameterCommand(input)),
                getParameters: (input) => client.send(new sdk.GetParametersCommand(input)),
            } satisfies SsmReader;
        }),
        ec2: (region) => once(`ec2:${region}`, () => {
            const sdk = require("@aws-sdk/client-ec2");
            const client = new sdk.EC2Client({ region });
            return {
                describeRegions: (input) => client.send(new sdk.DescribeRegionsCommand(input)),
                describeAvailabilityZones: (input) => client.send(new sdk.DescribeAvailabilityZonesCommand(input)),
            } satisfies Ec2Reader;
        }),
        pricing: () => once("pricing", () => {
            const sdk = require("@aws-sdk/client-pricing");
            const client = new sdk.PricingClient({ region: "us-east-1" });
            return { getProducts: (input) => client.send(new sdk.GetProductsCommand(input)) } satisfies PriceListClient;
        }),
    };
}
