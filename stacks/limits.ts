/**
 * Config that validates as shapes but that AWS, EKS or Kubernetes would reject or break on: tags,
 * the API allow-list, how many node groups and profiles a cluster may have, whether anything can
 * run at all, and which AMI an accelerated instance needs.
 */
import { ACCELERATED_AMI_TYPES, acceleratorOf, amiAccelerator } from "./accelerators";
import { parseCidr } from "./cidr";
import { ConfigIssue, ConfigPath, issueAt as issue } from "./errors";
import type { ParsedPlatform } from "./schema";
import { QUOTAS } from "../facts/quotas";
import { SYSTEM_TAINT } from "./system-taint";
import { tagKeyProblem, tagValueProblem } from "./tag-rules";
import { regionComputeMode } from "./compute-mode";

/**
 * AWS and EKS limits (the AWS quotas, with their sources, are in the ledger: facts/data/quotas.json), and
 * the platform's own counts beside them.
 */
export const LIMITS = {
    tagsPerResource: QUOTAS.tagsPerResource,
    /** The platform's own tags on every resource (components/tags.ts). */
    platformTags: ["project", "environment", "region", "managed-by"],
    /** A resource's own tags besides those (Name, a subnet's role and discovery tags). */
    resourceOwnTags: 4,
    nodeGroupsPerCluster: QUOTAS.nodeGroupsPerCluster,
    fargateProfilesPerCluster: QUOTAS.fargateProfilesPerCluster,
    publicAccessCidrsPerCluster: QUOTAS.publicAccessCidrsPerCluster,
    /** Not an AWS limit: a sane cap on apps, so a runaway list fails here and not out of memory. */
    apps: 200,
} as const;

export const MAX_STACK_TAGS = LIMITS.tagsPerResource - LIMITS.platformTags.length - LIMITS.resourceOwnTags;

type Check = (c: ParsedPlatform) => ConfigIssue[];

const tagsFit: Check = (c) => {
    const out: ConfigIssue[] = [];
    const keys = Object.keys(c.tags);
    for (const k of keys) {
        const problem = tagKeyProblem(k) ?? tagValueProblem(c.tags[k]);
        if (problem) out.push(issue(c, ["tags", k], problem));
        if (k.toLowerCase().startsWith("aws:")) out.push(issue(c, ["tags", k], "a tag key may not start with \"aws:\" (AWS reserves that prefix)"));
        if ((LIMITS.platformTags as readonly string[]).includes(k)) {
            out.push(issue(c, ["tags", k], `is one of the platform's own tags (${LIMITS.platformTags.join(", ")}), which always win; remove it or use another key`));
        }
    }
    if (keys.length > MAX_STACK_TAGS) {
        out.push(issue(c, ["tags"], `has ${keys.length} tags; at most ${MAX_STACK_TAGS} fit (AWS allows ${LIMITS.tagsPerResource} per resource; ` +
            `the platform's ${LIMITS.platformTags.length} and up to ${LIMITS.resourceOwnTags} of a resource's own take the rest)`));
    }
    return out;
};

/** The allow-list of each region's public endpoint: no duplicates, not inside the VPC, within EKS's count. */
const publicCidrsFit: Check = (c) => {
    const out: ConfigIssue[] = [];
    c.regions.forEach((r, i) => {
        const own = r.overrides?.publicAccessCidrs !== undefined;
        const path: ConfigPath = own ? ["regions", i, "overrides", "publicAccessCidrs"] : ["publicAccessCidrs"];
        const cidrs = r.overrides?.publicAccessCidrs ?? c.publicAccessCidrs;
        if ((r.overrides?.endpointAccess ?? c.endpointAccess) === "private") return;
        if (cidrs.length > LIMITS.publicAccessCidrsPerCluster) {
            out.push(issue(c, path, `has ${cidrs.length} CIDRs; EKS accepts at most ${LIMITS.publicAccessCidrsPerCluster} public access CIDR blocks per cluster`));
        }
        const seen = new Map<string, number>();
        cidrs.forEach((cidr, k) => {
            if (seen.has(cidr)) out.push(issue(c, [...path, k], `is listed twice (also [${seen.get(cidr)}])`));
            seen.set(cidr, k);
            const block = parseCidr(cidr);
            const vpc = parseCidr(r.vpcCidr);
            if (block && vpc && block.bitmask >= vpc.bitmask && vpc.contains(block.base)) {
                out.push(issue(c, [...path, k], `is inside ${r.region}'s VPC ${r.vpcCidr}: the public endpoint sees the internet address of a caller, never a VPC address, so this entry admits no one; ` +
                    "list the public (egress) addresses of your office, VPN or CI; callers inside the VPC use the private endpoint"));
            }
        });
    });
    return out;
};

interface GroupList {
    readonly path: ConfigPath;
    readonly groups: NonNullable<ParsedPlatform["nodeGroups"]>;
    readonly regions: readonly string[];
}

/** The node group lists in use: the stack-wide one (if some region inherits it) and each override. */
function groupLists(c: ParsedPlatform): GroupList[] {
    // Auto Mode regions launch no node groups (stacks/validate.ts refuses them there).
    const inheriting = c.regions.filter((r) => !r.overrides?.nodeGroups && regionComputeMode(c.computeMode, r) !== "auto").map((r) => r.region);
    const lists: GroupList[] = inheriting.length > 0 && c.nodeGroups ? [{ path: ["nodeGroups"], groups: c.nodeGroups, regions: inheriting }] : [];
    c.regions.forEach((r, i) => {
        if (r.overrides?.nodeGroups) lists.push({ path: ["regions", i, "overrides", "nodeGroups"], groups: r.overrides.nodeGroups, regions: [r.region] });
    });
    return lists;
}

const BLOCKING_EFFECTS = ["NoSchedule", "NoExecute"];

/** Counts EKS allows, and whether system pods and the controller have anywhere to run. */
const computeFits: Check = (c) => {
    const out: ConfigIssue[] = [];
    if (c.fargateProfiles.length > LIMITS.fargateProfilesPerCluster) {
        out.push(issue(c, ["fargateProfiles"], `has ${c.fargateProfiles.length} profiles; EKS allows at most ${LIMITS.fargateProfilesPerCluster} Fargate profiles per cluster`));
    }
    if (c.apps.length > LIMITS.apps) out.push(issue(c, ["apps"], `has ${c.apps.length} apps; at most ${LIMITS.apps} per stack`));
    const fargateSystem = c.fargateProfiles.some((p) => p.selectors.some((s) => s.namespace === "kube-system" && !s.labels));
    for (const { path, groups, regions } of groupLists(c)) {
        if (groups.length > LIMITS.nodeGroupsPerCluster) {
            out.push(issue(c, path, `has ${groups.length} node groups; EKS allows at most ${LIMITS.nodeGroupsPerCluster} managed node groups per cluster`));
        }
        if (groups.length === 0 || fargateSystem) continue;
        const where = regions.join(", ");
        // CoreDNS and the controller tolerate the system taint (components/compute/system-nodes.ts), no other.
        if (groups.every((g) => g.taints.some((t) => BLOCKING_EFFECTS.includes(t.effect) && t.key !== SYSTEM_TAINT.key))) {
            out.push(issue(c, path, `every node group in ${where} has a NoSchedule or NoExecute taint other than ${SYSTEM_TAINT.key}: CoreDNS and the load balancer controller tolerate none of them and cannot schedule; ` +
                "leave at least one group untainted (or use PreferNoSchedule), or select kube-system with a Fargate profile"));
        }
        if (groups.every((g) => g.desiredSize === 0)) {
            out.push(issue(c, path, `every node group in ${where} starts with desiredSize 0: no node would run CoreDNS, the controller or an autoscaler; give one group desiredSize >= 2`));
        }
    }
    return out;
};

/** `targetType: instance` routes to node ports; a pod on Fargate has no node to route to. */
const fargateTargets: Check = (c) => c.apps.flatMap((app, i) => {
    if (app.targetType !== "instance") return [];
    const profile = c.fargateProfiles.find((p) => p.selectors.some((s) => s.namespace === app.namespace));
    return profile
        ? [issue(c, ["apps", i, "targetType"], `is "instance", but Fargate profile ${profile.name} selects namespace ${app.namespace} and Fargate has no nodes to route to; use "ip"`)]
        : [];
});

/** Accelerated instances need the AMI with their drivers; an accelerated AMI on plain instances is waste. */
const acceleratorsMatch: Check = (c) => groupLists(c).flatMap(({ path, groups }) => groups.flatMap((g, k) => {
    const wanted = new Set(g.instanceTypes.map(acceleratorOf));
    const ami = amiAccelerator(g.amiType);
    const out: ConfigIssue[] = [];
    for (const kind of ["nvidia", "neuron"] as const) {
        if (wanted.has(kind) && ami !== kind) {
            out.push(issue(c, [...path, k, "amiType"], `is ${g.amiType}, but instanceTypes include ${kind === "nvidia" ? "NVIDIA GPU" : "AWS Neuron"} instances ` +
                `(${g.instanceTypes.filter((t) => acceleratorOf(t) === kind).join(", ")}) whose drivers only an accelerated AMI has; use one of ${ACCELERATED_AMI_TYPES[kind].join(", ")}`));
        }
    }
    if (wanted.size > 1) {
        out.push(issue(c, [...path, k, "instanceTypes"], "mixes accelerated and other instances (or NVIDIA and Neuron); one AMI type serves a group, so give each kind its own group"));
    }
    if (ami && !wanted.has(ami) && out.length === 0) {
        out.push(issue(c, [...path, k, "amiType"], `is an accelerated AMI (${ami}), but no instance type of the group has that accelerator; use a standard AMI type`));
    }
    return out;
}));

export const LIMIT_CHECKS: readonly Check[] = [tagsFit, publicCidrsFit, computeFits, fargateTargets, acceleratorsMatch];
