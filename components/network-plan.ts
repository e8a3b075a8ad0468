/**
 * The subnet plan of one VPC, as pure functions the Network component and the tests share.
 *
 * Private subnets (nodes and pods: the VPC CNI gives every pod a VPC address) take 1/8 of the VPC
 * each, from the bottom; public subnets (NAT gateways and internet-facing load balancers only) take
 * 1/256 each from the top 1/8. A /16 gives /19 private (8,187 usable addresses) and /24 public
 * subnets. With at most 6 zones (MAX_AZS) the seventh eighth of the VPC stays free and the eighth
 * holds the public subnets. The plan depends only on the CIDR and the zone index, so adding a zone
 * never renumbers an existing subnet.
 */
import { parseCidr, subBlock } from "../stacks/cidr";
import { MAX_AZS } from "../stacks/schema";

export type SubnetTier = "public" | "private";

export interface SubnetPlan {
    readonly tier: SubnetTier;
    /** Zone index, 0-based, in the order the zones are listed. */
    readonly zone: number;
    readonly cidr: string;
}

/** Load-balancer discovery tags the AWS Load Balancer Controller (and the in-tree cloud provider) read.
 *  https://docs.aws.amazon.com/eks/latest/userguide/network-load-balancing.html#_subnet_tagging */
export const SUBNET_ROLE_TAGS: Record<SubnetTier, Record<string, string>> = {
    public: { "kubernetes.io/role/elb": "1" },
    private: { "kubernetes.io/role/internal-elb": "1" },
};

export function planSubnets(vpcCidr: string, azCount: number): SubnetPlan[] {
    const vpc = parseCidr(vpcCidr);
    if (!vpc) throw new Error(`not a CIDR: ${vpcCidr}`);
    if (azCount < 2 || azCount > MAX_AZS) throw new Error(`azCount ${azCount} outside 2..${MAX_AZS}`);
    const privatePrefix = vpc.bitmask + 3;
    const publicPrefix = vpc.bitmask + 8;
    const publicRange = subBlock(vpcCidr, privatePrefix, 7);
    const plan: SubnetPlan[] = [];
    for (let zone = 0; zone < azCount; zone++) {
        plan.push({ tier: "public", zone, cidr: subBlock(publicRange, publicPrefix, zone) });
        plan.push({ tier: "private", zone, cidr: subBlock(vpcCidr, privatePrefix, zone) });
    }
    return plan;
}

/** How many NAT gateways, and which one serves each zone's private subnets. */
export function natLayout(strategy: "single" | "per-az", azCount: number): { count: number; natForZone: (zone: number) => number } {
    return strategy === "per-az"
        ? { count: azCount, natForZone: (zone) => zone }
        : { count: 1, natForZone: () => 0 };
}

/** A subnet's tags: its name, its tier's load-balancer role, then any `extra` (which cannot replace those). */
export function subnetTags(name: string, s: SubnetPlan, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
    return { ...extra, Name: `${name}-${s.tier}-${s.zone}`, ...SUBNET_ROLE_TAGS[s.tier] };
}
