/**
 * Network: one VPC over 2+ zones, public and private subnets per zone, NAT, an S3 gateway endpoint.
 *
 * Built from @pulumi/aws resources rather than awsx.ec2.Vpc: the subnet plan is ours
 * (network-plan.ts) so every CIDR is known before deploy, shows in the offline plan and is asserted
 * by tests; each resource carries this region's explicit provider, where the remote awsx component
 * would hide its children behind one resource and its own provider wiring.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { flowLogsPolicy, serviceTrust } from "./iam-policies";
import { natLayout, planSubnets, subnetTags } from "./network-plan";

export interface NetworkArgs {
    /** The region's provider; every child uses it. */
    readonly provider: aws.Provider;
    /** The region's code, e.g. "ap-northeast-2". */
    readonly region: string;
    /** The VPC's IPv4 CIDR, /16 to /20. */
    readonly vpcCidr: string;
    /** How many zones to span (2 or more). */
    readonly azCount: number;
    /**
     * Zone names to use. @default the first `azCount` zones the region offers that need no opt-in
     */
    readonly availabilityZones?: readonly string[];
    /** `single` NAT gateway or one `per-az`. @default "single" */
    readonly natGateways?: "single" | "per-az";
    /** VPC flow logs (all traffic) to CloudWatch Logs. @default false */
    readonly flowLogs?: boolean;
    /** Retention of the flow-log group, in days. @default 90 */
    readonly logRetentionDays?: number;
    /**
     * Extra tags on the private subnets only, e.g. the discovery tag of a compute mode that picks the
     * node subnets by tag (Karpenter). @default {}
     */
    readonly privateSubnetTags?: Readonly<Record<string, string>>;
}

export class Network extends pulumi.ComponentResource {
    public readonly vpcId: pulumi.Output<string>;
    public readonly vpcCidr: pulumi.Output<string>;
    public readonly availabilityZones: pulumi.Output<string[]>;
    public readonly publicSubnetIds: pulumi.Output<string[]>;
    public readonly privateSubnetIds: pulumi.Output<string[]>;
    public readonly privateRouteTableIds: pulumi.Output<string[]>;
    public readonly natGatewayIds: pulumi.Output<string[]>;
    /** The planned subnet CIDRs, known before deploy (e.g. for NetworkPolicies). */
    public readonly publicSubnetCidrs: readonly string[];
    public readonly privateSubnetCidrs: readonly string[];

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:index:Network", name, {}, opts);
        const o = { parent: this, provider: args.provider };
        const plan = planSubnets(args.vpcCidr, args.azCount);
        const nat = natLayout(args.natGateways ?? "single", args.azCount);

        const zones = args.availabilityZones
            ? pulumi.output([...args.availabilityZones])
            : aws.getAvailabilityZonesOutput({
                state: "available",
                filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
            }, o).names.apply((names) => {
                if (names.length < args.azCount) {
                    throw new Error(`${name}: the region offers ${names.length} zones, fewer than azCount ${args.azCount}`);
                }
                return names.slice(0, args.azCount);
            });

        const vpc = new aws.ec2.Vpc(`${name}-vpc`, {
            cidrBlock: args.vpcCidr,
            enableDnsHostnames: true,
            enableDnsSupport: true,
            tags: { Name: `${name}-vpc` },
        }, o);
        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: { Name: `${name}-igw` } }, o);

        const subnets = plan.map((s) => new aws.ec2.Subnet(`${name}-${s.tier}-${s.zone}`, {
            vpcId: vpc.id,
            cidrBlock: s.cidr,
            availabilityZone: zones.apply((z) => z[s.zone]),
            // Nothing in a public subnet needs an automatic public IP: NAT gateways and load
            // balancers get theirs explicitly, and nodes live in private subnets.
            mapPublicIpOnLaunch: false,
            tags: subnetTags(name, s, s.tier === "private" ? args.privateSubnetTags : undefined),
        }, o));
        const publicSubnets = subnets.filter((_, i) => plan[i].tier === "public");
        const privateSubnets = subnets.filter((_, i) => plan[i].tier === "private");

        const publicRt = new aws.ec2.RouteTable(`${name}-public-rt`, { vpcId: vpc.id, tags: { Name: `${name}-public-rt` } }, o);
        new aws.ec2.Route(`${name}-public-default`, {
            routeTableId: publicRt.id,
            destinationCidrBlock: "0.0.0.0/0",
            gatewayId: igw.id,
        }, o);
        publicSubnets.forEach((subnet, zone) =>
            new aws.ec2.RouteTableAssociation(`${name}-public-${zone}-rta`, { subnetId: subnet.id, routeTableId: publicRt.id }, o));

        const natGateways = Array.from({ length: nat.count }, (_, i) => {
            const eip = new aws.ec2.Eip(`${name}-nat-${i}-eip`, { domain: "vpc", tags: { Name: `${name}-nat-${i}` } }, o);
            return new aws.ec2.NatGateway(`${name}-nat-${i}`, {
                allocationId: eip.id,
                subnetId: publicSubnets[i].id,
                tags: { Name: `${name}-nat-${i}` },
            }, { ...o, dependsOn: [igw] });
        });

        const privateRts = privateSubnets.map((subnet, zone) => {
            const rt = new aws.ec2.RouteTable(`${name}-private-${zone}-rt`, { vpcId: vpc.id, tags: { Name: `${name}-private-${zone}-rt` } }, o);
            new aws.ec2.Route(`${name}-private-${zone}-default`, {
                routeTableId: rt.id,
                destinationCidrBlock: "0.0.0.0/0",
                natGatewayId: natGateways[nat.natForZone(zone)].id,
            }, o);
            new aws.ec2.RouteTableAssociation(`${name}-private-${zone}-rta`, { subnetId: subnet.id, routeTableId: rt.id }, o);
            return rt;
        });

        // Image layers from ECR live in S3: a gateway endpoint keeps that traffic off the NAT gateways
        // (no per-GB NAT charge). https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html
        new aws.ec2.VpcEndpoint(`${name}-s3`, {
            vpcId: vpc.id,
            serviceName: `com.amazonaws.${args.region}.s3`,
            vpcEndpointType: "Gateway",
            routeTableIds: privateRts.map((rt) => rt.id),
            tags: { Name: `${name}-s3` },
        }, o);

        if (args.flowLogs ?? false) {
            const logGroup = new aws.cloudwatch.LogGroup(`${name}-flow-logs`, {
                retentionInDays: args.logRetentionDays ?? 90,
            }, o);
            const role = new aws.iam.Role(`${name}-flow-logs-role`, {
                assumeRolePolicy: JSON.stringify(serviceTrust("vpc-flow-logs.amazonaws.com")),
            }, o);
            new aws.iam.RolePolicy(`${name}-flow-logs-policy`, {
                role: role.id,
                policy: logGroup.arn.apply((arn) => JSON.stringify(flowLogsPolicy(arn))),
            }, o);
            new aws.ec2.FlowLog(`${name}-flow-log`, {
                vpcId: vpc.id,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: logGroup.arn,
                iamRoleArn: role.arn,
                maxAggregationInterval: 60,
            }, o);
        }

        this.publicSubnetCidrs = plan.filter((s) => s.tier === "public").map((s) => s.cidr);
        this.privateSubnetCidrs = plan.filter((s) => s.tier === "private").map((s) => s.cidr);
        this.vpcId = vpc.id;
        this.vpcCidr = vpc.cidrBlock;
        this.availabilityZones = zones;
        this.publicSubnetIds = pulumi.output(publicSubnets.map((s) => s.id));
        this.privateSubnetIds = pulumi.output(privateSubnets.map((s) => s.id));
        this.privateRouteTableIds = pulumi.output(privateRts.map((rt) => rt.id));
        this.natGatewayIds = pulumi.output(natGateways.map((n) => n.id));
        this.registerOutputs({
            vpcId: this.vpcId,
            vpcCidr: this.vpcCidr,
            availabilityZones: this.availabilityZones,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            privateRouteTableIds: this.privateRouteTableIds,
            natGatewayIds: this.natGatewayIds,
        });
    }
}
