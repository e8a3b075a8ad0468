/**
 * Rules that relate several config fields. Each returns issues rather than throwing, so a user sees
 * every problem of a stack file in one run.
 */
import { minorOf } from "../facts/eks-versions";
import { cidrsOverlap, parseCidr } from "./cidr";
import { roleNameProblem } from "./name-limits";
import { SUPPORTED_PARTITIONS, partitionOf } from "./partitions";
import { amiArchitecture, instanceArchitecture, instanceFamily } from "./instance-architecture";
import { appIssues, gatewayOnAutoModeIssues } from "./apps-validate";
import { appRuleIssues } from "./app-rules";
import { dnsIssues } from "./dns-validate";
import { LIMIT_CHECKS } from "./limits";
import { bakeIssues, rolloutIssues } from "./rollout-schema";
import { observabilityEnabled, observabilityIssues } from "./observability-schema";
import { ConfigIssue, ConfigPath, issueAt as issue } from "./errors";
import { MAX_AZS, NodeGroupSpec, ParsedPlatform, VPC_PREFIX_MAX, VPC_PREFIX_MIN } from "./schema";
import { autoModeIssues, autoModeSchema } from "./auto-mode-schema";
import { AUTO_MODE_MIN_KUBERNETES, AUTO_MODE_REGIONS_NOT_OFFERED } from "../facts/eks-auto-mode";
import { karpenterIssues } from "./karpenter-schema";
import { accountIssues } from "./account-schema";
import { addonVersionIssues } from "./addon-versions";
import { amiCoverageIssues } from "./ami-coverage";
import { KARPENTER } from "../facts/karpenter";
import { SYSTEM_TAINT } from "./system-taint";
import { regionComputeMode } from "./compute-mode";

type Check = (config: ParsedPlatform) => ConfigIssue[];

function duplicates<T>(items: readonly T[], keyOf: (t: T) => string): number[] {
    const seen = new Set<string>();
    const dupes: number[] = [];
    items.forEach((item, i) => {
        const k = keyOf(item);
        if (seen.has(k)) dupes.push(i);
        seen.add(k);
    });
    return dupes;
}

/** The IAM documents are written for the `aws` partition (stacks/partitions.ts). */
const regionsInSupportedPartition: Check = (c) =>
    c.regions.flatMap((r, i) => {
        const partition = partitionOf(r.region);
        return SUPPORTED_PARTITIONS.includes(partition) ? [] : [issue(c, ["regions", i, "region"],
            `is in the ${partition} partition; the platform's IAM policies and access policy ARNs are written for the aws ` +
            "partition (arn:aws:...) and do not exist there; allowed: a region of the aws partition (not cn-*, us-gov-*, eusc-* or an ISO region)")];
    });

/** Auto-named IAM roles stay within IAM's 64 characters (stacks/name-limits.ts). */
const roleNamesFit: Check = (c) =>
    c.regions.flatMap((r, i) => {
        const problem = roleNameProblem(c.environment, r.region);
        return problem ? [issue(c, ["regions", i, "region"], problem)] : [];
    });

const regionsAreDistinct: Check = (c) =>
    duplicates(c.regions, (r) => r.region).map((i) =>
        issue(c, ["regions", i, "region"], "region is listed twice; each region appears once per stack"));

const vpcPrefixFitsSubnetPlan: Check = (c) =>
    c.regions.flatMap((r, i) => {
        const block = parseCidr(r.vpcCidr);
        if (!block || (block.bitmask >= VPC_PREFIX_MIN && block.bitmask <= VPC_PREFIX_MAX)) return [];
        return [issue(c, ["regions", i, "vpcCidr"],
            `prefix /${block.bitmask} does not fit the subnet plan; allowed: /${VPC_PREFIX_MIN} to /${VPC_PREFIX_MAX} ` +
            "(private subnets take 1/8 of the VPC each, public subnets 1/256, the smallest AWS allows is /28)")];
    });

const vpcCidrsDoNotOverlap: Check = (c) => {
    const out: ConfigIssue[] = [];
    c.regions.forEach((r, i) => {
        for (let j = 0; j < i; j++) {
            if (cidrsOverlap(r.vpcCidr, c.regions[j].vpcCidr)) {
                out.push(issue(c, ["regions", i, "vpcCidr"],
                    `overlaps ${c.regions[j].vpcCidr} of ${c.regions[j].region} (regions[${j}]); ` +
                    "regions of one stack need disjoint VPC CIDRs so they can be peered or routed"));
            }
        }
    });
    return out;
};

const zonesMatchRegion: Check = (c) =>
    c.regions.flatMap((r, i) => {
        const zones = r.availabilityZones;
        if (!zones) return [];
        const out: ConfigIssue[] = [];
        if (zones.length < 2) {
            out.push(issue(c, ["regions", i, "availabilityZones"], "needs at least 2 availability zones"));
        }
        if (zones.length > MAX_AZS) {
            out.push(issue(c, ["regions", i, "availabilityZones"], `lists ${zones.length} zones; the subnet plan allows 2 to ${MAX_AZS}`));
        }
        zones.forEach((z, k) => {
            if (!z.startsWith(r.region) || z.length !== r.region.length + 1) {
                out.push(issue(c, ["regions", i, "availabilityZones", k], `is not a zone of ${r.region} (expected ${r.region}a, ${r.region}b, ...)`));
            }
        });
        duplicates(zones, (z) => z).forEach((k) =>
            out.push(issue(c, ["regions", i, "availabilityZones", k], "zone is listed twice")));
        return out;
    });

/** Node group sizes: min <= desired <= max, names unique; for the stack list and every override. */
const nodeGroupsAreSane: Check = (c) => {
    const lists: Array<{ path: ConfigPath; groups: NodeGroupSpec[] }> = c.nodeGroups ? [{ path: ["nodeGroups"], groups: c.nodeGroups }] : [];
    c.regions.forEach((r, i) => {
        if (r.overrides?.nodeGroups) lists.push({ path: ["regions", i, "overrides", "nodeGroups"], groups: r.overrides.nodeGroups });
    });
    return lists.flatMap(({ path, groups }) => {
        const out: ConfigIssue[] = [];
        if (groups.length === 0) out.push(issue(c, path, "needs at least one node group"));
        groups.forEach((g, k) => {
            if (g.minSize > g.desiredSize) {
                out.push(issue(c, [...path, k, "minSize"], `is greater than desiredSize (${g.desiredSize}); need minSize <= desiredSize <= maxSize`));
            }
            if (g.desiredSize > g.maxSize) {
                out.push(issue(c, [...path, k, "desiredSize"], `is greater than maxSize (${g.maxSize}); need minSize <= desiredSize <= maxSize`));
            }
            // An AMI for one architecture on instances of the other never joins the cluster.
            const ami = amiArchitecture(g.amiType);
            g.instanceTypes.forEach((t, j) => {
                const arch = instanceArchitecture(t);
                if (ami && arch && arch !== ami) {
                    out.push(issue(c, [...path, k, "instanceTypes", j], `is ${arch} (${instanceFamily(t)} family) but amiType ${g.amiType} ` +
                        `runs on ${ami}; allowed: ${ami} instance types with this amiType (stacks/instance-architecture.ts), or an ${arch} amiType`));
                }
            });
        });
        duplicates(groups, (g) => g.name).forEach((k) =>
            out.push(issue(c, [...path, k, "name"], "node group name is used twice")));
        return out;
    });
};

const fargateNamesAreDistinct: Check = (c) =>
    duplicates(c.fargateProfiles, (p) => p.name).map((k) =>
        issue(c, ["fargateProfiles", k, "name"], "Fargate profile name is used twice"));

/**
 * Endpoint access and its allow-list, stack-wide and per region. A public endpoint needs an
 * explicit allow-list; production may not expose the API to the whole internet.
 * https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html
 */
const endpointAccessIsSafe: Check = (c) => {
    const out: ConfigIssue[] = [];
    // Checked per region, on the values that region actually uses (its override, else the
    // stack-wide key) and reported at the key they come from; issues of a stack-wide key that
    // several regions inherit are reported once (see crossFieldIssues).
    const regionUsesStackCidrs = (o: ParsedPlatform["regions"][number]["overrides"]) =>
        (o?.endpointAccess ?? c.endpointAccess) !== "private" && o?.publicAccessCidrs === undefined;
    // A stack-wide allow-list is dead only when no region inherits it with a public endpoint: a
    // region may override a private stack-wide mode and rely on the stack-wide CIDRs.
    if (c.endpointAccess === "private" && c.publicAccessCidrs.length > 0 && !c.regions.some((r) => regionUsesStackCidrs(r.overrides))) {
        out.push(issue(c, ["publicAccessCidrs"], "has no effect with endpointAccess \"private\"; remove it"));
    }
    c.regions.forEach((r, i) => {
        const o = r.overrides;
        const base: ConfigPath = ["regions", i, "overrides"];
        const modePath: ConfigPath = o?.endpointAccess !== undefined ? [...base, "endpointAccess"] : ["endpointAccess"];
        const mode = o?.endpointAccess ?? c.endpointAccess;
        const ownCidrs = o?.publicAccessCidrs !== undefined;
        const cidrPath: ConfigPath = ownCidrs ? [...base, "publicAccessCidrs"] : ["publicAccessCidrs"];
        const cidrs = o?.publicAccessCidrs ?? c.publicAccessCidrs;
        const isPublic = mode !== "private";
        if (c.production && mode === "public") {
            out.push(issue(c, modePath, "a production environment may not use a public-only endpoint; allowed: \"public-and-private\" (with an allow-list) or \"private\""));
        }
        if (isPublic && cidrs.length === 0) {
            out.push(issue(c, cidrPath, `endpointAccess "${mode}" needs an explicit allow-list of CIDRs (e.g. your office or CI egress /32s)`));
        }
        if (!isPublic && ownCidrs && cidrs.length > 0) {
            out.push(issue(c, cidrPath, "has no effect with endpointAccess \"private\"; remove it"));
        }
        if (c.production && isPublic) {
            cidrs.forEach((cidr, k) => {
                if (parseCidr(cidr)?.bitmask === 0) {
                    out.push(issue(c, [...cidrPath, k], "a production environment may not open the API endpoint to the whole internet; list specific CIDRs"));
                }
            });
        }
    });
    return out;
};

/** Production keeps egress up when a zone fails: one NAT gateway per zone. */
const productionNatIsPerZone: Check = (c) => {
    if (!c.production) return [];
    const paths: ConfigPath[] = c.natGateways === "single" ? [["natGateways"]] : [];
    c.regions.forEach((r, i) => {
        if (r.overrides?.natGateways === "single") paths.push(["regions", i, "overrides", "natGateways"]);
    });
    return paths.map((p) => issue(c, p, "a production environment needs \"per-az\" NAT gateways (a single one is a cross-zone single point of failure)"));
};

/**
 * Karpenter, in the regions whose compute mode is `karpenter`: the pinned release supports the
 * Kubernetes version; the region has a system node group for the controller (on-demand, tainted
 * CriticalAddonsOnly, 2+ nodes for its 2 replicas); pools and classes make sense together.
 */
const karpenterIsSound: Check = (c) => {
    const out: ConfigIssue[] = [];
    const regions = c.regions.map((r, i) => ({ r, i, mode: regionComputeMode(c.computeMode, r) })).filter((x) => x.mode === "karpenter");
    if (regions.length === 0) {
        if (c.karpenter !== undefined) {
            const auto = c.regions.some((r) => regionComputeMode(c.computeMode, r) === "auto");
            out.push(issue(c, ["karpenter"], auto
                ? "Karpenter settings make no sense with computeMode \"auto\": EKS Auto Mode runs its own Karpenter-based autoscaling; declare custom pools in eks-platform:autoMode.nodePools (same shape as karpenter.nodePools), or remove this key"
                : "has no effect: no region has computeMode \"karpenter\"; set eks-platform:computeMode (or a region's overrides.computeMode) to \"karpenter\", or remove it"));
        }
        return out;
    }
    const v = minorOf(c.kubernetesVersion);
    if (v < minorOf(KARPENTER.kubernetes.min) || v > minorOf(KARPENTER.kubernetes.max)) {
        out.push(issue(c, ["kubernetesVersion"], `Karpenter ${KARPENTER.version} (computeMode "karpenter") supports Kubernetes ${KARPENTER.kubernetes.min} to ${KARPENTER.kubernetes.max} (its compatibility matrix, https://karpenter.sh/docs/upgrading/compatibility/); allowed here: one of those, or computeMode "managed-node-groups"`));
    }
    for (const { r, i } of regions) {
        const own = r.overrides?.nodeGroups !== undefined;
        const path: ConfigPath = own ? ["regions", i, "overrides", "nodeGroups"] : ["nodeGroups"];
        const groups = r.overrides?.nodeGroups ?? c.nodeGroups ?? [];
        const system = groups.filter((g) => g.capacityType === "ON_DEMAND" && g.minSize >= 2
            && g.taints.some((t) => t.key === SYSTEM_TAINT.key && t.effect === SYSTEM_TAINT.effect));
        if (system.length === 0) {
            out.push(issue(c, path, `computeMode "karpenter" in ${r.region} needs a system node group for the controller: ON_DEMAND, minSize >= 2 (two replicas on separate nodes), taint { key: ${SYSTEM_TAINT.key}, value: "${SYSTEM_TAINT.value}", effect: ${SYSTEM_TAINT.effect} }`));
        }
    }
    const spec = c.karpenter ?? undefined;
    if (spec) out.push(...karpenterIssues(c, ["karpenter"], spec, { production: c.production, regions: regions.map((x) => x.r.region) }));
    return out;
};

/**
 * EKS Auto Mode, in the regions whose compute mode is `auto`: the region offers it, the Kubernetes
 * version is one it runs on, no config that only makes sense without it (node groups, Fargate
 * profiles: the platform registers neither there), and `autoMode` itself is sound.
 * https://docs.aws.amazon.com/eks/latest/userguide/migrate-auto.html (requirements)
 */
const autoModeIsSound: Check = (c) => {
    const out: ConfigIssue[] = [];
    const regions = c.regions.map((r, i) => ({ r, i, mode: regionComputeMode(c.computeMode, r) }));
    const auto = regions.filter((x) => x.mode === "auto");
    if (auto.length === 0) {
        if (c.autoMode !== undefined) out.push(issue(c, ["autoMode"], "has no effect: no region has computeMode \"auto\"; set eks-platform:computeMode (or a region's overrides.computeMode) to \"auto\", or remove it"));
        return out;
    }
    if (minorOf(c.kubernetesVersion) < minorOf(AUTO_MODE_MIN_KUBERNETES)) {
        out.push(issue(c, ["kubernetesVersion"], `EKS Auto Mode (computeMode "auto") needs Kubernetes ${AUTO_MODE_MIN_KUBERNETES} or later; allowed here: ${AUTO_MODE_MIN_KUBERNETES} or later, or another computeMode`));
    }
    for (const { r, i } of auto) {
        if (AUTO_MODE_REGIONS_NOT_OFFERED.includes(r.region)) {
            out.push(issue(c, ["regions", i, "region"], `EKS Auto Mode is not offered in ${r.region} (facts/data/eks-auto-mode.json); allowed: another region, or overrides.computeMode "managed-node-groups" or "karpenter" for this one`));
        }
        if (r.overrides?.nodeGroups !== undefined) {
            out.push(issue(c, ["regions", i, "overrides", "nodeGroups"], `node groups make no sense with computeMode "auto" in ${r.region}: Auto Mode launches every node (built-in or autoMode.nodePools); remove them, or pick computeMode "managed-node-groups" or "karpenter"`));
        }
    }
    // Stack-wide lists are refused only when no region could use them.
    const everyRegionAuto = auto.length === regions.length;
    if (everyRegionAuto && c.nodeGroups !== undefined) {
        out.push(issue(c, ["nodeGroups"], "node groups make no sense with computeMode \"auto\" in every region: Auto Mode launches every node; remove eks-platform:nodeGroups, or declare custom pools in eks-platform:autoMode.nodePools"));
    }
    if (c.fargateProfiles.length > 0 && auto.length > 0) {
        out.push(issue(c, ["fargateProfiles"], "Fargate profiles are not registered in computeMode \"auto\" regions (the platform keeps one kind of compute per region: Auto Mode runs every pod); remove them, or use another computeMode"));
    }
    out.push(...autoModeIssues(c, ["autoMode"], c.autoMode ?? autoModeSchema.parse({}), { production: c.production, regions: auto.map((x) => x.r.region) }));
    return out;
};

/** EKS allows one access entry per principal: a principal is an admin or a previewer, not both. */
const principalsHaveOneEntry: Check = (c) =>
    c.previewPrincipals.flatMap((arn, i) => c.adminPrincipals.includes(arn)
        ? [issue(c, ["previewPrincipals", i], `is also in eks-platform:adminPrincipals; EKS allows one access entry per principal ` +
            "(an admin can preview already): list it in one of the two")]
        : []);

const CHECKS: Check[] = [
    accountIssues,
    addonVersionIssues,
    regionsInSupportedPartition,
    roleNamesFit,
    principalsHaveOneEntry,
    productionNatIsPerZone,
    regionsAreDistinct,
    vpcPrefixFitsSubnetPlan,
    vpcCidrsDoNotOverlap,
    zonesMatchRegion,
    nodeGroupsAreSane,
    fargateNamesAreDistinct,
    endpointAccessIsSafe,
    karpenterIsSound,
    autoModeIsSound,
    amiCoverageIssues,
    (c) => appIssues({ production: c.production, regions: c.regions.map((r) => r.region), apps: c.apps, featureGates: c.albControllerFeatureGates }),
    (c) => gatewayOnAutoModeIssues(c, c.apps, c.regions.filter((r) => regionComputeMode(c.computeMode, r) === "auto").map((r) => r.region)),
    (c) => appRuleIssues({ regions: c.regions.map((r) => r.region), apps: c.apps }),
    (c) => dnsIssues({ dns: c.dns, regions: c.regions.map((r) => r.region), apps: c.apps }),
    ...LIMIT_CHECKS,
    (c) => rolloutIssues({ regions: c.regions.map((r) => r.region), rollout: c.rollout }),
    (c) => observabilityIssues({ production: c.production, apps: c.apps, observability: c.observability }),
    (c) => bakeIssues({ production: c.production, observability: observabilityEnabled(c.observability, c.production), regions: c.regions.map((r) => r.region), rollout: c.rollout }),
];

export function crossFieldIssues(config: ParsedPlatform): ConfigIssue[] {
    // A stack-wide key inherited by several regions is checked once per region: report it once.
    const seen = new Set<string>();
    return CHECKS.flatMap((check) => check(config)).filter((i) => {
        const id = `${i.key}\u0000${i.message}`;
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
    });
}
