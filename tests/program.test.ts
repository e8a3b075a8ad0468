/**
 * The whole program (index.ts) on the real stack files, Pulumi.dev.yaml and Pulumi.prod.yaml: what
 * each region gets, that every resource is on its own region's explicit providers, names, outputs.
 */
import { protectEksClusterOnly } from "../components/cluster-protection";
import * as assert from "assert";
import { cidrsOverlap } from "../stacks/cidr";
import { CONTROL_PLANE_LOG_TYPES } from "../components/cluster-settings";
import type { ResourceRecord } from "../tools/harness/records";
import { T, byKey, ofType, one, regionalAncestor, stackRun } from "./support/fixtures";
import { expectedDns } from "./support/dns-expected";
import { stackFileConfig } from "./support/stack-files";

interface Expected {
    readonly stack: "dev" | "prod";
    readonly regions: string[];
    readonly azs: number;
    readonly nats: number;
    readonly flowLogs: boolean;
    readonly protect: boolean;
    readonly nodeGroups: string[];
    readonly retention: number;
    readonly tags: Record<string, string>;
}

const STACKS: Expected[] = [
    {
        stack: "dev", regions: ["ap-northeast-2"], azs: 2, nats: 1, flowLogs: false, protect: false,
        nodeGroups: ["general"], retention: 7, tags: { team: "platform", "cost-center": "dev-shared" },
    },
    {
        stack: "prod", regions: ["ap-northeast-2", "ap-northeast-1"], azs: 3, nats: 3, flowLogs: true, protect: true,
        nodeGroups: ["system"], retention: 365, tags: { team: "platform", "cost-center": "prod", "data-classification": "internal" },
    },
];

/** The `<pkg>` of a resource type `<pkg>:<module>:<Type>`. */
function pkgOf(type: string): string {
    return type.split(":")[0];
}

for (const x of STACKS) {
    describe(`program: the ${x.stack} stack (Pulumi.${x.stack}.yaml through index.ts)`, () => {
        let records: ResourceRecord[];
        let outputs: Record<string, any>;
        before(async () => {
            ({ records, outputs } = await stackRun(x.stack));
        });

        const within = (region: string) => (r: ResourceRecord) => regionalAncestor(records, r)?.name === `${x.stack}-${region}`;

        it(`builds one RegionalPlatform per configured region, in order: ${x.regions.join(", ")}`, () => {
            assert.deepStrictEqual(ofType(records, T.regional).map((r) => r.name), x.regions.map((r) => `${x.stack}-${r}`));
            for (const r of ofType(records, T.regional)) assert.strictEqual(r.parent, `${T.stack}::eks-platform-${x.stack}`);
        });

        it("gives each region an AWS provider for that region, tagging everything with the stack's and the platform's tags", () => {
            for (const region of x.regions) {
                const p = one(records, T.provider, `${x.stack}-${region}-aws`);
                assert.strictEqual(p.inputs.region, region);
                assert.strictEqual(p.parent, `${T.regional}::${x.stack}-${region}`);
                assert.deepStrictEqual(json(p.inputs.defaultTags).tags, {
                    ...x.tags, project: "eks-platform", environment: x.stack, region, "managed-by": "pulumi",
                });
            }
            // Plus, with eks-platform:dns (prod's stack file, not dev's), the stack-level Route 53 provider (components/dns.ts).
            const dns = expectedDns(stackFileConfig(x.stack)).providers;
            assert.strictEqual(dns, x.stack === "prod" ? 1 : 0);
            const dnsProviders = ofType(records, T.provider).filter((p) => p.name === `${x.stack}-dns-aws`);
            assert.strictEqual(dnsProviders.length, dns);
            assert.strictEqual(ofType(records, T.provider).length, x.regions.length + dns);
            for (const p of dnsProviders) assert.strictEqual(p.parent, `eks-platform:index:Dns::${x.stack}-dns`);
        });

        it(`spans ${x.azs} zones per region with ${x.nats} NAT gateway(s)${x.flowLogs ? " and flow logs" : ", no flow logs"}`, () => {
            for (const region of x.regions) {
                const mine = records.filter(within(region));
                const subnets = ofType(mine, T.subnet);
                assert.strictEqual(subnets.filter((s) => s.inputs.tags["kubernetes.io/role/elb"] === "1").length, x.azs, region);
                assert.strictEqual(subnets.filter((s) => s.inputs.tags["kubernetes.io/role/internal-elb"] === "1").length, x.azs, region);
                assert.strictEqual(ofType(mine, T.nat).length, x.nats, region);
                assert.strictEqual(ofType(mine, T.route).filter((r) => r.inputs.natGatewayId !== undefined).length, x.azs, region);
                assert.strictEqual(ofType(mine, T.flowLog).length, x.flowLogs ? 1 : 0, region);
                assert.strictEqual(ofType(mine, T.vpc).length, 1, region);
                assert.strictEqual(one(mine, T.vpcEndpoint, `${x.stack}-${region}-network-s3`).inputs.serviceName, `com.amazonaws.${region}.s3`);
            }
        });

        it("keeps the regions' VPC CIDRs disjoint", () => {
            const cidrs = ofType(records, T.vpc).map((v) => v.inputs.cidrBlock as string);
            assert.strictEqual(cidrs.length, x.regions.length);
            cidrs.forEach((a, i) => cidrs.slice(i + 1).forEach((b) => assert.ok(!cidrsOverlap(a, b), `${a} overlaps ${b}`)));
        });

        it("creates one EKS cluster per region, named <env>-<region>, on that region's provider", () => {
            for (const region of x.regions) {
                const name = `${x.stack}-${region}`;
                const eks = one(records, T.eksCluster, `${name}-cluster-eks`);
                assert.strictEqual(eks.inputs.name, name);
                assert.deepStrictEqual(eks.providers, { aws: `${T.provider}::${name}-aws` });
                assert.strictEqual(regionalAncestor(records, eks)?.name, name);
                assert.deepStrictEqual(eks.inputs.enabledClusterLogTypes, [...CONTROL_PLANE_LOG_TYPES]);
                assert.strictEqual(one(records, T.logGroup, `${name}-cluster-control-plane-logs`).inputs.retentionInDays, x.retention);
            }
        });

        it("wires the region's own subnets: the cluster and the nodes get exactly the private ones", () => {
            for (const region of x.regions) {
                const name = `${x.stack}-${region}`;
                const mine = records.filter(within(region));
                const subnetOf = (tier: string) => Array.from({ length: x.azs }, (_, z) => one(mine, T.rta, `${name}-network-${tier}-${z}-rta`).inputs.subnetId);
                const eks = one(mine, T.eksCluster, `${name}-cluster-eks`);
                // pulumi-eks v4.3.0 hands `subnetIds` to vpcConfig.subnetIds as is (cluster.ts l.503).
                assert.deepStrictEqual(eks.inputs.subnetIds, subnetOf("private"));
                assert.strictEqual(eks.inputs.publicSubnetIds, undefined);
                assert.strictEqual(eks.inputs.privateSubnetIds, undefined);
                const groups = ofType(mine, T.nodeGroup);
                assert.deepStrictEqual(groups.map((g) => g.name), x.nodeGroups.map((g) => `${name}-nodes-${g}`));
                for (const g of groups) {
                    assert.deepStrictEqual(g.inputs.subnetIds, subnetOf("private"), g.name);
                    assert.strictEqual(g.inputs.clusterName, name, g.name);
                }
            }
        });

        it("puts every aws: and kubernetes: resource on an explicit provider of its own region's RegionalPlatform", () => {
            const index = byKey(records);
            // Route 53 is global: the zone's records and health checks belong to the stack-level Dns component and
            // its own provider, checked in tests/dns.test.ts.
            const checked = records.filter((r) => r.custom && /^(aws|kubernetes):/.test(r.type) && r.parent !== `eks-platform:index:Dns::${x.stack}-dns`);
            assert.ok(checked.length > 40 * x.regions.length, `only ${checked.length} resources`);
            for (const r of checked) {
                const regional = regionalAncestor(records, r);
                assert.ok(regional, `${r.key} is not under a RegionalPlatform`);
                const pkg = pkgOf(r.type);
                assert.ok(r.provider?.startsWith(`pulumi:providers:${pkg}::${regional.name}-`), `${r.key} is on provider ${r.provider ?? "(default)"}, not ${regional.name}'s ${pkg} provider`);
                const provider = index.get(r.provider!);
                assert.ok(provider, `${r.key}: provider ${r.provider} was not registered`);
                assert.strictEqual(provider.parent, regional.key, `${r.key}: provider ${r.provider} belongs to another region`);
            }
        });

        it("leaves nothing on a default provider", () => {
            const providers = records.filter((r) => r.type.startsWith("pulumi:providers:"));
            assert.deepStrictEqual(providers.filter((p) => p.name.startsWith("default")).map((p) => p.key), []);
            const onDefault = records.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:") && r.provider === undefined);
            assert.deepStrictEqual(onDefault.map((r) => r.key), []);
            const components = records.filter((r) => !r.custom && !r.type.startsWith("pulumi:pulumi:") && !r.type.startsWith("eks-platform:"));
            for (const c of components) {
                // A component of a provider's own package (kubernetes:yaml/v2:ConfigGroup) takes it as `provider`;
                // others (eks:index:Cluster) through `providers`.
                const given = { ...c.providers, ...(c.provider ? { [pkgOf(c.type)]: c.provider } : {}) };
                assert.ok(Object.keys(given).length > 0, `remote component ${c.key} has no providers`);
                for (const [pkg, key] of Object.entries(given)) {
                    assert.ok(key.startsWith(`pulumi:providers:${pkg}::${regionalAncestor(records, c)?.name}-`), `${c.key}: ${pkg} provider ${key}`);
                }
            }
        });

        it("names every child of a component with the component's name as prefix", () => {
            const index = byKey(records);
            for (const r of records) {
                const parent = r.parent ? index.get(r.parent) : undefined;
                if (!parent || parent.type === T.stack) continue;
                assert.ok(r.name.startsWith(`${parent.name}-`), `${r.key} is not named ${parent.name}-...`);
            }
        });

        it(`${x.protect ? "protects" : "does not protect"} the cluster and its key, with matching EKS deletion protection`, () => {
            for (const region of x.regions) {
                const name = `${x.stack}-${region}`;
                const eks = one(records, T.eksCluster, `${name}-cluster-eks`);
                // Pulumi `protect` reaches only the EKS cluster inside the component, through a transform
                // (components/cluster-protection.ts), never the whole component.
                assert.strictEqual(eks.protect, false);
                assert.deepStrictEqual(eks.transforms, x.protect ? [protectEksClusterOnly] : []);
                assert.strictEqual(eks.inputs.deletionProtection, x.protect);
                assert.strictEqual(one(records, T.kmsKey, `${name}-cluster-secrets-key`).protect, x.protect);
            }
        });

        it("exports per region the VPC id, cluster name, endpoint and kubeconfig", () => {
            assert.deepStrictEqual(Object.keys(outputs.regions), x.regions);
            for (const region of x.regions) {
                const o = outputs.regions[region];
                const name = `${x.stack}-${region}`;
                // The region's own VPC: the id its network's resources (and its cluster) were given.
                assert.match(o.vpcId, /^vpc-/);
                assert.strictEqual(one(records, T.vpcEndpoint, `${name}-network-s3`).inputs.vpcId, o.vpcId);
                assert.strictEqual(one(records, T.eksCluster, `${name}-cluster-eks`).inputs.vpcId, o.vpcId);
                assert.strictEqual(o.clusterName, name);
                assert.match(o.clusterEndpoint, /^https:\/\//);
                assert.ok(o.clusterEndpoint.includes(`.${region}.eks.amazonaws.com`), o.clusterEndpoint);
                const kubeconfig = JSON.parse(o.kubeconfig);
                assert.strictEqual(kubeconfig.clusters[0].cluster.server, o.clusterEndpoint);
                assert.deepStrictEqual(kubeconfig.users[0].user.exec.args.slice(0, 4), ["eks", "get-token", "--cluster-name", name]);
                assert.deepStrictEqual(o.compute, x.stack === "prod"
                    ? { mode: "karpenter", controller: "deployed", nodePools: { "on-demand": "True", spot: "True" } }
                    : { mode: "managed-node-groups" });
            }
            const vpcIds = x.regions.map((r) => outputs.regions[r].vpcId);
            assert.strictEqual(new Set(vpcIds).size, x.regions.length);
        });
    });
}

function json(value: unknown): any {
    return typeof value === "string" ? JSON.parse(value) : value;
}
