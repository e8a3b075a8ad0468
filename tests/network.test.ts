/**
 * Network: the subnet plan (pure) and the inputs the component hands to each AWS resource.
 */
import * as assert from "assert";
import { cidrsOverlap, parseCidr } from "../stacks/cidr";
import { Network } from "../components/network";
import { SUBNET_ROLE_TAGS, natLayout, planSubnets, subnetTags } from "../components/network-plan";
import type { ResourceRecord } from "../tools/harness/records";
import { T, TEST_PROVIDER_KEY, json, ofType, one, runComponent } from "./support/fixtures";

function networkOutputs(n: Network) {
    return {
        vpcId: n.vpcId,
        availabilityZones: n.availabilityZones,
        publicSubnetIds: n.publicSubnetIds,
        privateSubnetIds: n.privateSubnetIds,
        privateRouteTableIds: n.privateRouteTableIds,
        natGatewayIds: n.natGatewayIds,
    };
}

type Outputs = { vpcId: string; availabilityZones: string[]; publicSubnetIds: string[]; privateSubnetIds: string[]; privateRouteTableIds: string[]; natGatewayIds: string[] };

describe("Network", () => {
    describe("subnet plan", () => {
        it("gives a /16 small /24 public subnets from the top eighth and large /19 private subnets from the bottom", () => {
            const plan = planSubnets("10.20.0.0/16", 3);
            assert.deepStrictEqual(plan.filter((s) => s.tier === "public").map((s) => s.cidr), ["10.20.224.0/24", "10.20.225.0/24", "10.20.226.0/24"]);
            assert.deepStrictEqual(plan.filter((s) => s.tier === "private").map((s) => s.cidr), ["10.20.0.0/19", "10.20.32.0/19", "10.20.64.0/19"]);
            assert.deepStrictEqual(plan.map((s) => s.zone), [0, 0, 1, 1, 2, 2]);
        });

        it("never overlaps and stays inside the VPC for every supported prefix and zone count", () => {
            for (let prefix = 16; prefix <= 20; prefix++) {
                const vpc = `10.${prefix}.0.0/${prefix}`;
                const block = parseCidr(vpc)!;
                for (let azs = 2; azs <= 6; azs++) {
                    const plan = planSubnets(vpc, azs);
                    assert.strictEqual(plan.length, 2 * azs);
                    for (const s of plan) {
                        const b = parseCidr(s.cidr)!;
                        assert.ok(b, `${s.cidr} is a canonical CIDR`);
                        assert.strictEqual(b.bitmask, s.tier === "public" ? prefix + 8 : prefix + 3, s.cidr);
                        assert.ok(block.contains(s.cidr), `${s.cidr} inside ${vpc}`);
                        assert.ok(b.bitmask <= 28, `${s.cidr} is at least the /28 AWS allows`);
                    }
                    plan.forEach((a, i) => plan.slice(i + 1).forEach((b) =>
                        assert.ok(!cidrsOverlap(a.cidr, b.cidr), `${a.cidr} overlaps ${b.cidr} (${vpc}, ${azs} zones)`)));
                }
            }
        });

        it("does not renumber existing subnets when a zone is added", () => {
            const three = planSubnets("10.40.0.0/16", 3);
            const four = planSubnets("10.40.0.0/16", 4);
            assert.deepStrictEqual(four.slice(0, three.length), three);
        });

        it("refuses zone counts outside 2..6 and malformed CIDRs", () => {
            assert.throws(() => planSubnets("10.20.0.0/16", 1), /azCount 1/);
            assert.throws(() => planSubnets("10.20.0.0/16", 7), /azCount 7/);
            assert.throws(() => planSubnets("10.20.0.0/33", 2), /not a CIDR/);
        });

        it("lays out one shared NAT or one per zone", () => {
            const single = natLayout("single", 3);
            assert.strictEqual(single.count, 1);
            assert.deepStrictEqual([0, 1, 2].map(single.natForZone), [0, 0, 0]);
            const perAz = natLayout("per-az", 3);
            assert.strictEqual(perAz.count, 3);
            assert.deepStrictEqual([0, 1, 2].map(perAz.natForZone), [0, 1, 2]);
        });

        it("tags public subnets for internet-facing and private subnets for internal load balancers", () => {
            assert.deepStrictEqual(subnetTags("n", { tier: "public", zone: 1, cidr: "10.0.225.0/24" }), { Name: "n-public-1", "kubernetes.io/role/elb": "1" });
            assert.deepStrictEqual(subnetTags("n", { tier: "private", zone: 0, cidr: "10.0.0.0/19" }), { Name: "n-private-0", "kubernetes.io/role/internal-elb": "1" });
            assert.deepStrictEqual(Object.keys(SUBNET_ROLE_TAGS).sort(), ["private", "public"]);
        });

        it("adds a compute mode's extra tags without letting them replace the name or the load-balancer role", () => {
            assert.deepStrictEqual(
                subnetTags("n", { tier: "private", zone: 0, cidr: "10.0.0.0/19" }, { "karpenter.sh/discovery": "c", Name: "x", "kubernetes.io/role/internal-elb": "0" }),
                { "karpenter.sh/discovery": "c", Name: "n-private-0", "kubernetes.io/role/internal-elb": "1" });
        });
    });

    describe("component", () => {
        // One shared NAT over three zones the region reports, flow logs off (the defaults).
        let single: { records: ResourceRecord[]; outputs: Outputs };
        // A NAT per zone over two pinned zones, flow logs on.
        let perAz: { records: ResourceRecord[]; outputs: Outputs };

        before(async () => {
            single = await runComponent((provider) => networkOutputs(new Network("n", {
                provider, region: "ap-northeast-2", vpcCidr: "10.20.0.0/16", azCount: 3,
            })));
            perAz = await runComponent((provider) => networkOutputs(new Network("n", {
                provider, region: "ap-northeast-2", vpcCidr: "10.40.0.0/16", azCount: 2,
                availabilityZones: ["ap-northeast-2a", "ap-northeast-2c"],
                natGateways: "per-az", flowLogs: true, logRetentionDays: 30,
                privateSubnetTags: { "karpenter.sh/discovery": "test-cluster" },
            })));
        });

        it("creates the VPC with DNS hostnames and DNS support on", () => {
            const vpc = one(single.records, T.vpc, "n-vpc");
            assert.strictEqual(vpc.inputs.cidrBlock, "10.20.0.0/16");
            assert.strictEqual(vpc.inputs.enableDnsHostnames, true);
            assert.strictEqual(vpc.inputs.enableDnsSupport, true);
        });

        it("creates the subnets of the plan, with load-balancer role tags and no public IPs on launch", () => {
            const subnets = ofType(single.records, T.subnet);
            const plan = planSubnets("10.20.0.0/16", 3);
            assert.deepStrictEqual(subnets.map((s) => s.name).sort(), plan.map((s) => `n-${s.tier}-${s.zone}`).sort());
            for (const s of plan) {
                const r = one(single.records, T.subnet, `n-${s.tier}-${s.zone}`);
                assert.strictEqual(r.inputs.cidrBlock, s.cidr);
                assert.strictEqual(r.inputs.mapPublicIpOnLaunch, false, r.name);
                const other = s.tier === "public" ? "kubernetes.io/role/internal-elb" : "kubernetes.io/role/elb";
                const mine = s.tier === "public" ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb";
                assert.strictEqual(r.inputs.tags[mine], "1", r.name);
                assert.strictEqual(r.inputs.tags[other], undefined, r.name);
            }
        });

        it("puts the extra private-subnet tags on the private subnets only", () => {
            const subnets = ofType(perAz.records, T.subnet);
            assert.strictEqual(subnets.length, 4);
            for (const s of subnets) {
                const expected = s.name.includes("-private-") ? "test-cluster" : undefined;
                assert.strictEqual(s.inputs.tags["karpenter.sh/discovery"], expected, s.name);
            }
            assert.ok(ofType(single.records, T.subnet).every((s) => !("karpenter.sh/discovery" in s.inputs.tags)), "none unless asked");
        });

        it("puts zone i's public and private subnet in the i-th zone the region offers", () => {
            const zones = single.outputs.availabilityZones;
            assert.strictEqual(zones.length, 3);
            assert.strictEqual(new Set(zones).size, 3);
            for (let z = 0; z < 3; z++) {
                assert.strictEqual(one(single.records, T.subnet, `n-public-${z}`).inputs.availabilityZone, zones[z]);
                assert.strictEqual(one(single.records, T.subnet, `n-private-${z}`).inputs.availabilityZone, zones[z]);
            }
            assert.deepStrictEqual(zones.map((z) => z.slice(-1)), ["a", "b", "c"], "the first azCount zones, in order");
        });

        it("uses pinned zones as given", () => {
            assert.deepStrictEqual(perAz.outputs.availabilityZones, ["ap-northeast-2a", "ap-northeast-2c"]);
            assert.strictEqual(one(perAz.records, T.subnet, "n-private-1").inputs.availabilityZone, "ap-northeast-2c");
        });

        it("routes public subnets to the internet gateway through one public route table", () => {
            const rtas = ofType(single.records, T.rta).filter((r) => r.name.startsWith("n-public-"));
            assert.deepStrictEqual(rtas.map((r) => r.inputs.subnetId).sort(), [...single.outputs.publicSubnetIds].sort());
            const publicRt = new Set(rtas.map((r) => r.inputs.routeTableId));
            assert.strictEqual(publicRt.size, 1);
            const route = one(single.records, T.route, "n-public-default");
            assert.strictEqual(route.inputs.destinationCidrBlock, "0.0.0.0/0");
            assert.match(route.inputs.gatewayId, /^igw-/);
            assert.strictEqual(route.inputs.natGatewayId, undefined);
            assert.ok(publicRt.has(route.inputs.routeTableId));
        });

        it("with a single NAT: one NAT gateway (and EIP) in the first public subnet, used by every private route", () => {
            const { records, outputs } = single;
            assert.strictEqual(ofType(records, T.nat).length, 1);
            assert.strictEqual(ofType(records, T.eip).length, 1);
            assert.strictEqual(one(records, T.eip, "n-nat-0-eip").inputs.domain, "vpc");
            const nat = one(records, T.nat, "n-nat-0");
            assert.strictEqual(nat.inputs.subnetId, outputs.publicSubnetIds[0]);
            assert.deepStrictEqual(nat.dependsOn, [`${T.igw}::n-igw`]);
            for (let z = 0; z < 3; z++) {
                const route = one(records, T.route, `n-private-${z}-default`);
                assert.strictEqual(route.inputs.destinationCidrBlock, "0.0.0.0/0");
                assert.strictEqual(route.inputs.natGatewayId, outputs.natGatewayIds[0]);
                assert.strictEqual(route.inputs.routeTableId, outputs.privateRouteTableIds[z]);
                const rta = one(records, T.rta, `n-private-${z}-rta`);
                assert.strictEqual(rta.inputs.subnetId, outputs.privateSubnetIds[z]);
                assert.strictEqual(rta.inputs.routeTableId, outputs.privateRouteTableIds[z]);
            }
        });

        it("per-az: one NAT gateway per zone, each in its zone's public subnet and used by that zone's private route", () => {
            const { records, outputs } = perAz;
            assert.strictEqual(ofType(records, T.nat).length, 2);
            assert.strictEqual(ofType(records, T.eip).length, 2);
            assert.strictEqual(new Set(outputs.natGatewayIds).size, 2);
            for (let z = 0; z < 2; z++) {
                assert.strictEqual(one(records, T.nat, `n-nat-${z}`).inputs.subnetId, outputs.publicSubnetIds[z]);
                assert.strictEqual(one(records, T.route, `n-private-${z}-default`).inputs.natGatewayId, outputs.natGatewayIds[z]);
            }
        });

        it("adds the S3 gateway endpoint to the private route tables only", () => {
            const ep = one(single.records, T.vpcEndpoint, "n-s3");
            assert.strictEqual(ep.inputs.serviceName, "com.amazonaws.ap-northeast-2.s3");
            assert.strictEqual(ep.inputs.vpcEndpointType, "Gateway");
            assert.strictEqual(ep.inputs.vpcId, single.outputs.vpcId);
            assert.deepStrictEqual([...ep.inputs.routeTableIds].sort(), [...single.outputs.privateRouteTableIds].sort());
            const publicRt = one(single.records, T.rta, "n-public-0-rta").inputs.routeTableId;
            assert.ok(!ep.inputs.routeTableIds.includes(publicRt));
        });

        it("has no flow logs unless asked", () => {
            for (const type of [T.flowLog, T.logGroup, T.role, T.rolePolicy]) {
                assert.deepStrictEqual(ofType(single.records, type).map((r) => r.name), [], type);
            }
        });

        it("with flow logs: all traffic of the VPC to a log group with the retention, through a role only flow logs can assume", () => {
            const { records, outputs } = perAz;
            const group = one(records, T.logGroup, "n-flow-logs");
            assert.strictEqual(group.inputs.retentionInDays, 30);
            const role = one(records, T.role, "n-flow-logs-role");
            assert.deepStrictEqual(json(role.inputs.assumeRolePolicy).Statement, [
                { Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" },
            ]);
            const policy = json(one(records, T.rolePolicy, "n-flow-logs-policy").inputs.policy);
            // Delivery into this group only; the account-wide list action on "*", where IAM authorizes it.
            assert.deepStrictEqual(policy.Statement, [
                { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Resource: [group.state.arn, `${group.state.arn}:*`] },
                { Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
            ]);
            const log = one(records, T.flowLog, "n-flow-log");
            assert.strictEqual(log.inputs.vpcId, outputs.vpcId);
            assert.strictEqual(log.inputs.trafficType, "ALL");
            assert.strictEqual(log.inputs.logDestinationType, "cloud-watch-logs");
            assert.strictEqual(log.inputs.logDestination, group.state.arn);
            assert.strictEqual(log.inputs.iamRoleArn, role.state.arn);
        });

        it("registers every child under the component, on the given provider, named after it", () => {
            for (const run of [single, perAz]) {
                const children = run.records.filter((r) => r.parent === `${T.network}::n`);
                assert.ok(children.length >= 20);
                for (const c of children) {
                    assert.strictEqual(c.provider, TEST_PROVIDER_KEY, c.key);
                    assert.ok(c.name.startsWith("n-"), c.key);
                }
                assert.deepStrictEqual(run.records.filter((r) => r.custom && r.type.startsWith("aws:") && r.parent !== `${T.network}::n`).map((r) => r.key), []);
            }
        });
    });
});
