/**
 * Stack config: parsing, defaults, per-region merges and every validation rule. Each rejected config
 * is checked three ways: the issue names the stack-config key, shows the bad value and says what is
 * allowed; the real program rejects it with a ConfigError; and nothing was registered before that.
 */
import * as assert from "assert";
import { cidrsOverlap, isCidr, parseCidr, subBlock } from "../stacks/cidr";
import { parsePlatformConfig, rawProjectConfig } from "../stacks/config";
import { PINNED_ADDONS, addonPin } from "../facts/addon-versions";
import { ConfigError, configKey, showValue } from "../stacks/errors";
import { nodeGroupSchema, platformSchema, regionSchema } from "../stacks/schema";
import { runProgram } from "../tools/harness/program";
import { T, cliConfig, configErrorOf, runProgramKeepingRecords, validProdRaw, validRaw } from "./support/fixtures";
import { configErrorThrownBy } from "./support/config-issues";

function parse(raw: Record<string, unknown>) {
    return parsePlatformConfig(raw, "x");
}

const parseError = (raw: Record<string, unknown>) => configErrorThrownBy(() => parse(raw));

function allowedKeysOf(schema: { shape: Record<string, unknown> }): string[] {
    return Object.keys(schema.shape);
}

describe("stack config", () => {
    describe("cidr helpers", () => {
        it("parses only canonical a.b.c.d/n blocks", () => {
            assert.strictEqual(parseCidr("10.20.0.0/16")?.bitmask, 16);
            for (const bad of ["10.20.1.0/16", "10.20.0.0/33", "010.20.0.0/16", "10.256.0.0/16", "10.20.0.0", "10.20.0/16", " 10.20.0.0/16", "fd00::/8"]) {
                assert.strictEqual(isCidr(bad), false, bad);
            }
        });

        it("detects overlap in both directions and only real overlap", () => {
            assert.strictEqual(cidrsOverlap("10.20.0.0/16", "10.20.128.0/17"), true);
            assert.strictEqual(cidrsOverlap("10.20.128.0/17", "10.20.0.0/16"), true);
            assert.strictEqual(cidrsOverlap("10.20.0.0/16", "10.21.0.0/16"), false);
            assert.strictEqual(cidrsOverlap("10.20.0.0/15", "10.21.0.0/16"), true);
        });

        it("cuts the n-th sub-block and refuses blocks that do not fit", () => {
            assert.strictEqual(subBlock("10.20.0.0/16", 19, 0), "10.20.0.0/19");
            assert.strictEqual(subBlock("10.20.0.0/16", 19, 7), "10.20.224.0/19");
            assert.throws(() => subBlock("10.20.0.0/16", 19, 8), /holds 8 blocks/);
            assert.throws(() => subBlock("10.20.0.0/16", 15, 0), /does not fit/);
            assert.throws(() => subBlock("10.20.1.0/16", 19, 0), /not a CIDR/);
        });
    });

    describe("parsing", () => {
        it("applies the schema's defaults", () => {
            const raw = validRaw();
            delete raw.production;
            delete raw.endpointAccess;
            delete raw.logRetentionDays;
            delete raw.regions[0].azCount;
            const c = parse(raw);
            assert.strictEqual(c.project, "eks-platform");
            assert.strictEqual(c.stack, "x");
            assert.strictEqual(c.production, false);
            assert.deepStrictEqual(c.tags, {});
            const r = c.regions[0];
            assert.strictEqual(r.azCount, 3);
            assert.strictEqual(r.availabilityZones, undefined);
            assert.deepStrictEqual(r.cluster, {
                version: "1.36",
                extendedSupport: false,
                endpointAccess: "public-and-private",
                publicAccessCidrs: ["203.0.113.0/24"],
                adminPrincipals: ["arn:aws:iam::123456789012:role/platform-admin"],
                previewPrincipals: [],
                logRetentionDays: 90,
                // The pinned table's row for the default version (facts/data/addon-versions.json).
                addonVersions: Object.fromEntries(PINNED_ADDONS.map((a) => [a, addonPin(a, "1.36")!.version])),
            });
            assert.deepStrictEqual(r.fargateProfiles, []);
            assert.deepStrictEqual(r.nodeGroups[0], {
                name: "general", instanceTypes: ["t3.large"], capacityType: "ON_DEMAND",
                minSize: 1, desiredSize: 2, maxSize: 3, diskSizeGiB: 50, amiType: "AL2023_x86_64_STANDARD",
                labels: {}, taints: [], maxUnavailable: 1, autoscaler: false,
            });
        });

        it("takes the zone count from pinned availability zones", () => {
            const raw = validRaw();
            raw.regions[0].availabilityZones = ["ap-northeast-2a", "ap-northeast-2c", "ap-northeast-2d"];
            const r = parse(raw).regions[0];
            assert.strictEqual(r.azCount, 3);
            assert.deepStrictEqual(r.availabilityZones, ["ap-northeast-2a", "ap-northeast-2c", "ap-northeast-2d"]);
        });

        it("reads CLI config: strings stay strings, structured values are JSON, other namespaces are ignored", () => {
            const raw = rawProjectConfig({
                "eks-platform:kubernetesVersion": "1.30",
                "eks-platform:environment": "dev",
                "eks-platform:natGateways": "single",
                "eks-platform:protect": "true",
                "eks-platform:logRetentionDays": "30",
                "eks-platform:regions": "[{\"region\":\"ap-northeast-2\",\"vpcCidr\":\"10.20.0.0/16\"}]",
                "aws:region": "us-west-2",
                "pulumi:disable-default-providers": "[\"aws\"]",
            });
            assert.deepStrictEqual(raw, {
                kubernetesVersion: "1.30",
                environment: "dev",
                natGateways: "single",
                protect: true,
                logRetentionDays: 30,
                regions: [{ region: "ap-northeast-2", vpcCidr: "10.20.0.0/16" }],
            });
        });

        it("merges per-region overrides of natGateways, endpointAccess and nodeGroups, leaving other regions on the stack-wide values", () => {
            const raw = validRaw();
            raw.regions = [
                {
                    region: "ap-northeast-2", vpcCidr: "10.20.0.0/16", azCount: 2,
                    overrides: {
                        natGateways: "per-az",
                        endpointAccess: "private",
                        flowLogs: true,
                        nodeGroups: [{ name: "small", instanceTypes: ["t3.medium"], minSize: 1, desiredSize: 1, maxSize: 2 }],
                    },
                },
                {
                    region: "ap-northeast-1", vpcCidr: "10.21.0.0/16", azCount: 3,
                    overrides: { publicAccessCidrs: ["198.51.100.0/24"] },
                },
                { region: "us-west-2", vpcCidr: "10.22.0.0/16" },
            ];
            const [a, b, c] = parse(raw).regions;
            assert.deepStrictEqual(a.network, { natGateways: "per-az", flowLogs: true });
            assert.strictEqual(a.cluster.endpointAccess, "private");
            assert.deepStrictEqual(a.cluster.publicAccessCidrs, [], "a private endpoint gets no allow-list");
            assert.deepStrictEqual(a.nodeGroups.map((g) => g.name), ["small"]);
            assert.strictEqual(a.nodeGroups[0].capacityType, "ON_DEMAND", "override node groups get the schema defaults too");

            assert.deepStrictEqual(b.network, { natGateways: "single", flowLogs: false });
            assert.strictEqual(b.cluster.endpointAccess, "public-and-private");
            assert.deepStrictEqual(b.cluster.publicAccessCidrs, ["198.51.100.0/24"]);
            assert.deepStrictEqual(b.nodeGroups.map((g) => g.name), ["general"]);

            assert.deepStrictEqual(c.cluster.publicAccessCidrs, ["203.0.113.0/24"]);
            assert.strictEqual(c.azCount, 3);
        });

        it("lets a region open a private stack-wide endpoint with the stack-wide allow-list", () => {
            const raw = validRaw();
            raw.endpointAccess = "private";
            raw.regions = [
                { region: "ap-northeast-2", vpcCidr: "10.20.0.0/16", overrides: { endpointAccess: "public-and-private" } },
                { region: "ap-northeast-1", vpcCidr: "10.21.0.0/16" },
            ];
            const [a, b] = parse(raw).regions;
            assert.deepStrictEqual(a.cluster.publicAccessCidrs, ["203.0.113.0/24"]);
            assert.strictEqual(b.cluster.endpointAccess, "private");
            assert.deepStrictEqual(b.cluster.publicAccessCidrs, []);
        });

        it("accepts a valid production config", () => {
            const c = parse(validProdRaw());
            assert.strictEqual(c.production, true);
            assert.strictEqual(c.protect, true);
            assert.strictEqual(c.regions[0].network.natGateways, "per-az");
        });
    });

    interface Case {
        readonly title: string;
        readonly base?: () => Record<string, any>;
        readonly mutate: (raw: Record<string, any>) => void;
        /** Every key the error must name, in order. */
        readonly keys: string[];
        /** The value shown for the first key. */
        readonly shown: string;
        /** What the first issue must say is allowed. */
        readonly allowed: RegExp;
    }

    const CASES: Case[] = [
        {
            title: "a malformed VPC CIDR",
            mutate: (r) => { r.regions[0].vpcCidr = "10.20.0.0/33"; },
            keys: ["eks-platform:regions[0].vpcCidr"], shown: "\"10.20.0.0/33\"", allowed: /expected a\.b\.c\.d\/n .*e\.g\. 10\.20\.0\.0\/16/,
        },
        {
            title: "a VPC CIDR with host bits set",
            mutate: (r) => { r.regions[0].vpcCidr = "10.20.1.0/16"; },
            keys: ["eks-platform:regions[0].vpcCidr"], shown: "\"10.20.1.0/16\"", allowed: /no host bits set/,
        },
        {
            title: "a /8 VPC (too large for the subnet plan)",
            mutate: (r) => { r.regions[0].vpcCidr = "10.0.0.0/8"; },
            keys: ["eks-platform:regions[0].vpcCidr"], shown: "\"10.0.0.0/8\"", allowed: /prefix \/8 .*allowed: \/16 to \/20/,
        },
        {
            title: "a /24 VPC (too small for the subnet plan)",
            mutate: (r) => { r.regions[0].vpcCidr = "10.0.0.0/24"; },
            keys: ["eks-platform:regions[0].vpcCidr"], shown: "\"10.0.0.0/24\"", allowed: /prefix \/24 .*allowed: \/16 to \/20/,
        },
        {
            title: "VPC CIDRs of two regions that overlap",
            mutate: (r) => { r.regions.push({ region: "ap-northeast-1", vpcCidr: "10.20.128.0/17" }); },
            keys: ["eks-platform:regions[1].vpcCidr"], shown: "\"10.20.128.0/17\"", allowed: /overlaps 10\.20\.0\.0\/16 of ap-northeast-2 .*disjoint/,
        },
        {
            title: "a region listed twice",
            mutate: (r) => { r.regions.push({ region: "ap-northeast-2", vpcCidr: "10.21.0.0/16" }); },
            keys: ["eks-platform:regions[1].region"], shown: "\"ap-northeast-2\"", allowed: /appears once per stack/,
        },
        {
            title: "an unknown region name",
            mutate: (r) => { r.regions[0].region = "ap-northeast-9"; },
            keys: ["eks-platform:regions[0].region"], shown: "\"ap-northeast-9\"", allowed: /expected a region code such as ap-northeast-2/,
        },
        {
            title: "fewer than 2 availability zones (azCount)",
            mutate: (r) => { r.regions[0].azCount = 1; },
            keys: ["eks-platform:regions[0].azCount"], shown: "1", allowed: /at least 2 availability zones/,
        },
        {
            title: "fewer than 2 availability zones (pinned)",
            mutate: (r) => { r.regions[0].availabilityZones = ["ap-northeast-2a"]; },
            keys: ["eks-platform:regions[0].availabilityZones"], shown: "[\"ap-northeast-2a\"]", allowed: /at least 2 availability zones/,
        },
        {
            title: "more pinned zones than the subnet plan holds",
            mutate: (r) => {
                r.regions[0] = { region: "us-east-1", vpcCidr: "10.20.0.0/16", availabilityZones: ["a", "b", "c", "d", "e", "f", "g"].map((l) => `us-east-1${l}`) };
            },
            keys: ["eks-platform:regions[0].availabilityZones"], shown: "[\"us-east-1a\",\"us-east-1b\"", allowed: /allows 2 to 6/,
        },
        {
            title: "a pinned zone of another region",
            mutate: (r) => { r.regions[0].availabilityZones = ["ap-northeast-2a", "ap-northeast-1c"]; },
            keys: ["eks-platform:regions[0].availabilityZones[1]"], shown: "\"ap-northeast-1c\"", allowed: /expected ap-northeast-2a, ap-northeast-2b/,
        },
        {
            title: "minSize greater than desiredSize",
            mutate: (r) => { r.nodeGroups[0].minSize = 3; },
            keys: ["eks-platform:nodeGroups[0].minSize"], shown: "3", allowed: /need minSize <= desiredSize <= maxSize/,
        },
        {
            title: "desiredSize greater than maxSize",
            mutate: (r) => { r.nodeGroups[0].desiredSize = 4; },
            keys: ["eks-platform:nodeGroups[0].desiredSize"], shown: "4", allowed: /need minSize <= desiredSize <= maxSize/,
        },
        {
            title: "minSize greater than desiredSize in a region's override",
            mutate: (r) => { r.regions[0].overrides = { nodeGroups: [{ name: "o", instanceTypes: ["t3.large"], minSize: 2, desiredSize: 1, maxSize: 3 }] }; },
            keys: ["eks-platform:regions[0].overrides.nodeGroups[0].minSize"], shown: "2", allowed: /need minSize <= desiredSize <= maxSize/,
        },
        {
            title: "empty instance types",
            mutate: (r) => { r.nodeGroups[0].instanceTypes = []; },
            keys: ["eks-platform:nodeGroups[0].instanceTypes"], shown: "[]", allowed: /at least one instance type/,
        },
        {
            title: "a node group name used twice",
            mutate: (r) => { r.nodeGroups.push({ ...r.nodeGroups[0] }); },
            keys: ["eks-platform:nodeGroups[1].name"], shown: "\"general\"", allowed: /used twice/,
        },
        {
            title: "a 0.0.0.0/0 public endpoint in production",
            base: validProdRaw,
            mutate: (r) => { r.publicAccessCidrs = ["198.51.100.0/24", "0.0.0.0/0"]; },
            keys: ["eks-platform:publicAccessCidrs[1]"], shown: "\"0.0.0.0/0\"", allowed: /may not open the API endpoint to the whole internet; list specific CIDRs/,
        },
        {
            title: "a 0.0.0.0/0 public endpoint in a production region's override",
            base: validProdRaw,
            mutate: (r) => { r.regions[0].overrides = { publicAccessCidrs: ["0.0.0.0/0"] }; },
            keys: ["eks-platform:regions[0].overrides.publicAccessCidrs[0]"], shown: "\"0.0.0.0/0\"", allowed: /list specific CIDRs/,
        },
        {
            title: "a public-only endpoint in production",
            base: validProdRaw,
            mutate: (r) => { r.endpointAccess = "public"; },
            keys: ["eks-platform:endpointAccess"], shown: "\"public\"", allowed: /allowed: "public-and-private" \(with an allow-list\) or "private"/,
        },
        {
            title: "a public-only endpoint in a production region's override",
            base: validProdRaw,
            mutate: (r) => { r.regions[0].overrides = { endpointAccess: "public" }; },
            keys: ["eks-platform:regions[0].overrides.endpointAccess"], shown: "\"public\"", allowed: /allowed: "public-and-private"/,
        },
        {
            title: "a single NAT gateway in production",
            base: validProdRaw,
            mutate: (r) => { r.natGateways = "single"; },
            keys: ["eks-platform:natGateways"], shown: "\"single\"", allowed: /needs "per-az" NAT gateways/,
        },
        {
            title: "a single NAT gateway in a production region's override",
            base: validProdRaw,
            mutate: (r) => { r.regions[0].overrides = { natGateways: "single" }; },
            keys: ["eks-platform:regions[0].overrides.natGateways"], shown: "\"single\"", allowed: /needs "per-az"/,
        },
        {
            title: "an unknown endpoint mode",
            mutate: (r) => { r.endpointAccess = "internal"; },
            keys: ["eks-platform:endpointAccess"], shown: "\"internal\"", allowed: /expected one of "public"\|"public-and-private"\|"private"/,
        },
        {
            title: "a public endpoint without an allow-list",
            mutate: (r) => { r.publicAccessCidrs = []; },
            keys: ["eks-platform:publicAccessCidrs"], shown: "[]", allowed: /needs an explicit allow-list of CIDRs/,
        },
        {
            title: "an allow-list on a private endpoint",
            mutate: (r) => { r.endpointAccess = "private"; },
            keys: ["eks-platform:publicAccessCidrs"], shown: "[\"203.0.113.0/24\"]", allowed: /has no effect with endpointAccess "private"; remove it/,
        },
        {
            title: "a Fargate profile with no selector",
            mutate: (r) => { r.fargateProfiles = [{ name: "batch", selectors: [] }]; },
            keys: ["eks-platform:fargateProfiles[0].selectors"], shown: "[]", allowed: /at least one selector \(namespace, optional labels\)/,
        },
        {
            title: "missing required keys",
            mutate: (r) => { delete r.environment; delete r.regions; delete r.nodeGroups; delete r.protect; },
            keys: ["eks-platform:environment", "eks-platform:protect", "eks-platform:regions", "eks-platform:nodeGroups"],
            shown: "(missing)", allowed: /is required/,
        },
        {
            title: "a value of the wrong type",
            mutate: (r) => { r.protect = "yes"; },
            keys: ["eks-platform:protect"], shown: "\"yes\"", allowed: /expected boolean/,
        },
        {
            title: "an unknown top-level key",
            mutate: (r) => { r.vpcCidr = "10.20.0.0/16"; },
            keys: ["eks-platform:vpcCidr"], shown: "\"10.20.0.0/16\"", allowed: new RegExp(`allowed here: ${allowedKeysOf(platformSchema).join(", ")}$`),
        },
        {
            title: "an unknown key in a region",
            mutate: (r) => { r.regions[0].cidr = "10.20.0.0/16"; },
            keys: ["eks-platform:regions[0].cidr"], shown: "\"10.20.0.0/16\"", allowed: new RegExp(`allowed here: ${allowedKeysOf(regionSchema).join(", ")}$`),
        },
        {
            title: "an unknown key in a node group",
            mutate: (r) => { r.nodeGroups[0].diskSize = 80; },
            keys: ["eks-platform:nodeGroups[0].diskSize"], shown: "80", allowed: new RegExp(`allowed here: ${allowedKeysOf(nodeGroupSchema).join(", ")}$`),
        },
        {
            title: "an unknown key in a region's overrides",
            mutate: (r) => { r.regions[0].overrides = { nat: "per-az" }; },
            keys: ["eks-platform:regions[0].overrides.nat"], shown: "\"per-az\"",
            allowed: /allowed here: natGateways, flowLogs, endpointAccess, publicAccessCidrs, computeMode, nodeGroups$/,
        },
    ];

    describe("validation", () => {
        for (const c of CASES) {
            describe(`rejects ${c.title}`, () => {
                const raw = (c.base ?? validRaw)();
                c.mutate(raw);

                it("names the key, shows the value and says what is allowed", () => {
                    const err = parseError(raw);
                    assert.deepStrictEqual(err.issues.map((i) => i.key), c.keys);
                    const first = err.issues[0];
                    assert.ok(showValue(first.value).startsWith(c.shown), `shown ${showValue(first.value)}, expected ${c.shown}`);
                    assert.match(first.message, c.allowed);
                    assert.ok(err.message.includes(`  - ${first.key} = ${c.shown}`), err.message);
                    assert.match(err.message, /^Invalid stack config for stack "x"/);
                });

                it("makes the program fail with a ConfigError before registering anything", async () => {
                    const config = cliConfig(raw);
                    const err = await configErrorOf(runProgram("x", { config }));
                    assert.deepStrictEqual(err.issues.map((i) => i.key), c.keys);

                    const { records, error } = await runProgramKeepingRecords("x", config);
                    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
                    assert.deepStrictEqual(records.filter((r) => r.type !== T.stack).map((r) => r.key), []);
                });
            });
        }

        it("sees what a program registers when its config is valid (so the checks above are not vacuous)", async () => {
            const { records, error } = await runProgramKeepingRecords("x", cliConfig(validRaw()));
            assert.strictEqual(error, undefined);
            assert.ok(records.some((r) => r.type === T.vpc), "a VPC was registered");
            assert.ok(records.some((r) => r.type === T.eksCluster), "a cluster was registered");
        });

        it("reports every problem of a stack file at once", () => {
            const raw = validProdRaw();
            raw.environment = "Prod";
            raw.natGateways = "single";
            raw.regions.push({ region: "ap-northeast-1", vpcCidr: "10.20.0.0/16" });
            // Shape errors are reported first; fix them and the cross-field rules report theirs together.
            assert.deepStrictEqual(parseError(raw).issues.map((i) => i.key), ["eks-platform:environment"]);
            raw.environment = "prod";
            const err = parseError(raw);
            assert.deepStrictEqual(err.issues.map((i) => i.key).sort(), ["eks-platform:natGateways", "eks-platform:regions[1].vpcCidr"]);
            assert.match(err.message, /\(2 problems;/);
        });

        it("reports a stack-wide key that several regions inherit once", () => {
            const raw = validProdRaw();
            raw.publicAccessCidrs = ["0.0.0.0/0"];
            raw.regions = [
                { region: "ap-northeast-2", vpcCidr: "10.40.0.0/16" },
                { region: "ap-northeast-1", vpcCidr: "10.41.0.0/16", overrides: { endpointAccess: "public-and-private" } },
            ];
            assert.deepStrictEqual(parseError(raw).issues.map((i) => i.key), ["eks-platform:publicAccessCidrs[0]"]);
        });

        it("keeps the config key spelling users write", () => {
            assert.strictEqual(configKey(["regions", 1, "overrides", "nodeGroups", 0, "minSize"]), "eks-platform:regions[1].overrides.nodeGroups[0].minSize");
            assert.strictEqual(showValue(undefined), "(missing)");
            assert.strictEqual(showValue("x".repeat(200)).length, 100);
        });
    });
});
