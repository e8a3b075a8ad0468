/**
 * The `eks-platform:karpenter` key: Karpenter's EC2NodeClasses and NodePools, as a stack declares them.
 * Shapes and single-field rules here (zod); rules relating several fields in `karpenterIssues`.
 * Defaults are what a new user can run as they are: one hardened node class, one general-purpose pool
 * on on-demand capacity with limits.
 */
import { z } from "zod";
import { ConfigIssue, ConfigPath, issueAt } from "./errors";
import { instanceArchitecture } from "./instance-architecture";
import { TAINT_EFFECTS, dnsLabel, labels, taintSchema } from "./schema-blocks";

export const KARPENTER_CAPACITY_TYPES = ["on-demand", "spot"] as const;
export const ARCHITECTURES = ["amd64", "arm64"] as const;
export const AMI_FAMILIES = ["al2023"] as const;
/** NodePool `spec.disruption.consolidationPolicy` values of the pinned CRD (v1.14.1). */
export const CONSOLIDATION_POLICIES = ["WhenEmpty", "WhenEmptyOrUnderutilized", "Balanced"] as const;
/** NodePool `spec.disruption.budgets[].reasons` values of the pinned CRD (v1.14.1). */
export const DISRUPTION_REASONS = ["Underutilized", "Empty", "Drifted"] as const;
/** Instance categories Karpenter's `karpenter.k8s.aws/instance-category` label takes (the EC2 family letters). */
export const INSTANCE_CATEGORIES = ["a", "c", "d", "f", "g", "h", "i", "im", "is", "m", "p", "r", "t", "trn", "u", "vt", "x", "z"] as const;
export { TAINT_EFFECTS };

const name = dnsLabel;

/** Go durations as the CRDs accept them (hours/minutes/seconds), e.g. "720h", "5m", "1h30m". */
const duration = z.string().regex(/^([0-9]+(s|m|h))+$/, { message: "must be a duration such as 720h, 30m or 1h30m" });


export const nodeClassSchema = z.strictObject({
    /** EC2NodeClass name, unique; pools refer to it. */
    name: name(40),
    /** AMI family of the alias; the version is pinned in facts/data/ami-releases.json. @default "al2023" */
    amiFamily: z.enum(AMI_FAMILIES).default("al2023"),
    /** Root volume (gp3, encrypted) in GiB. @default 50 */
    diskSizeGiB: z.number().int().min(20).max(16384).default(50),
});

export const budgetSchema = z.strictObject({
    /** Nodes that may be disrupted at once: a count ("2") or a percentage ("10%"). */
    nodes: z.string().regex(/^((100|[0-9]{1,2})%|[0-9]+)$/, { message: "must be a node count such as \"2\" or a percentage such as \"10%\"" }),
    /** Disruption reasons the budget limits. @default all */
    reasons: z.array(z.enum(DISRUPTION_REASONS)).min(1).optional(),
    /** Cron schedule (UTC) when the budget starts; needs `duration`. */
    schedule: z.string().regex(/^(@(annually|yearly|monthly|weekly|daily|midnight|hourly))|((.+)\s(.+)\s(.+)\s(.+)\s(.+))$/, {
        message: "must be a cron schedule such as \"0 9 * * mon-fri\" or @daily",
    }).optional(),
    /** How long the budget is active after each schedule hit (minutes/hours), e.g. "8h". */
    duration: z.string().regex(/^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$/, { message: "must be minutes or hours such as 8h or 90m" }).optional(),
});

export const DEFAULT_BUDGETS = [{ nodes: "10%" }];

export const nodePoolSchema = z.strictObject({
    /** NodePool name, unique. */
    name: name(40),
    /** The EC2NodeClass (by name) its nodes launch with. @default "default" */
    nodeClass: name(40).default("default"),
    /** Capacity types; with both, Karpenter prefers spot and falls back to on-demand. @default ["on-demand"] */
    capacityTypes: z.array(z.enum(KARPENTER_CAPACITY_TYPES)).min(1).default(["on-demand"]),
    /** Pools with a higher weight are tried first (a spot pool above an on-demand fallback). @default none */
    weight: z.number().int().min(1).max(100).optional(),
    /** Instance categories (EC2 family letters). @default ["c", "m", "r"] */
    instanceCategories: z.array(z.enum(INSTANCE_CATEGORIES)).min(1).default(["c", "m", "r"]),
    /** Instance families, e.g. m7i, m7g; when set, only these. @default any of the categories */
    instanceFamilies: z.array(z.string().regex(/^[a-z]+[0-9]+[a-z-]*$/, { message: "not an EC2 instance family such as m7i or c7g" })).min(1).optional(),
    /** Oldest instance generation allowed. @default 5 */
    minInstanceGeneration: z.number().int().min(1).max(20).default(5),
    /** CPU architectures. @default ["amd64"] */
    architectures: z.array(z.enum(ARCHITECTURES)).min(1).default(["amd64"]),
    /** Zones (of the region) to launch in. @default every zone of the region's private subnets */
    zones: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, { message: "not an availability zone name such as ap-northeast-2a" })).min(1).optional(),
    /** @default {} */
    labels: labels.default({}),
    /** @default [] */
    taints: z.array(taintSchema).default([]),
    /** Most the pool may launch in total: vCPUs and memory (GiB). Required: an unlimited pool can run up any bill. */
    limits: z.strictObject({
        cpu: z.number().int().min(1).max(100000),
        memoryGiB: z.number().int().min(1).max(1000000),
    }),
    /** Nodes are replaced after this long ("Never" to keep them). @default "720h" */
    expireAfter: z.union([duration, z.literal("Never")]).default("720h"),
    disruption: z.strictObject({
        /** @default "WhenEmptyOrUnderutilized" */
        consolidationPolicy: z.enum(CONSOLIDATION_POLICIES).default("WhenEmptyOrUnderutilized"),
        /** How long a node must be empty/underutilized before it is consolidated; longer churns less. @default "5m" */
        consolidateAfter: z.union([duration, z.literal("Never")]).default("5m"),
        /** @default [{ nodes: "10%" }] */
        budgets: z.array(budgetSchema).min(1).max(50).default(DEFAULT_BUDGETS),
    }).prefault({}),
});

export const DEFAULT_NODE_CLASSES = [{ name: "default" }];
export const DEFAULT_NODE_POOLS = [{ name: "general", limits: { cpu: 100, memoryGiB: 400 } }];

export const karpenterSchema = z.strictObject({
    /** @default one class "default" (AL2023, 50 GiB) */
    nodeClasses: z.array(nodeClassSchema).min(1).prefault(DEFAULT_NODE_CLASSES),
    /** @default one on-demand pool "general" (c/m/r, generation 5+, amd64, 100 vCPU / 400 GiB) */
    nodePools: z.array(nodePoolSchema).min(1).prefault(DEFAULT_NODE_POOLS),
});

export type KarpenterSpec = z.output<typeof karpenterSchema>;
export type NodePoolSpec = z.output<typeof nodePoolSchema>;
export type NodeClassSpec = z.output<typeof nodeClassSchema>;

/** A family's architecture in Karpenter's terms, from the one instance-architecture table (a1 included). */
export function familyArchitecture(family: string): (typeof ARCHITECTURES)[number] {
    return instanceArchitecture(family) === "arm64" ? "arm64" : "amd64";
}

export function familyCategory(family: string): string {
    return /^[a-z]+/.exec(family)?.[0] ?? "";
}

export function isZoneOf(zone: string, region: string): boolean {
    return zone.startsWith(region) && zone.length === region.length + 1;
}

function duplicateIndexes<T>(items: readonly T[], key: (t: T) => string): number[] {
    const seen = new Set<string>();
    return items.flatMap((item, i) => {
        const k = key(item);
        if (seen.has(k)) return [i];
        seen.add(k);
        return [];
    });
}

/** Cross-field rules of `karpenter` at `path`; `root` is the parsed config (for the values shown). */
export function karpenterIssues(root: unknown, path: ConfigPath, k: KarpenterSpec, ctx: { production: boolean; regions: readonly string[] }): ConfigIssue[] {
    const out: ConfigIssue[] = [];
    const at = (p: ConfigPath, message: string) => out.push(issueAt(root, [...path, ...p], message));
    const classes = new Set(k.nodeClasses.map((c) => c.name));
    duplicateIndexes(k.nodeClasses, (c) => c.name).forEach((i) => at(["nodeClasses", i, "name"], "node class name is used twice"));
    duplicateIndexes(k.nodePools, (p) => p.name).forEach((i) => at(["nodePools", i, "name"], "node pool name is used twice"));
    k.nodePools.forEach((p, i) => {
        if (!classes.has(p.nodeClass)) at(["nodePools", i, "nodeClass"], `names no node class; allowed: ${[...classes].join(", ")}`);
        (p.instanceFamilies ?? []).forEach((f, j) => {
            const arch = familyArchitecture(f);
            if (!p.architectures.includes(arch)) {
                at(["nodePools", i, "instanceFamilies", j], `is an ${arch} family but the pool's architectures are ${p.architectures.join(", ")}; add ${arch} or pick an ${p.architectures.join("/")} family`);
            }
            if (!(p.instanceCategories as readonly string[]).includes(familyCategory(f))) {
                at(["nodePools", i, "instanceFamilies", j], `is of category "${familyCategory(f)}", not in the pool's instanceCategories (${p.instanceCategories.join(", ")}); the pool could never launch it`);
            }
        });
        p.disruption.budgets.forEach((b, j) => {
            if ((b.schedule === undefined) !== (b.duration === undefined)) {
                at(["nodePools", i, "disruption", "budgets", j], "schedule and duration go together: set both or neither");
            }
        });
        const zones = p.zones;
        if (zones) {
            // Pools are stack-wide; each region keeps the listed zones that are its own.
            zones.forEach((z, j) => {
                if (!ctx.regions.some((region) => isZoneOf(z, region))) {
                    at(["nodePools", i, "zones", j], `is not a zone of the regions that run Karpenter (${ctx.regions.join(", ")})`);
                }
            });
            for (const region of ctx.regions.filter((r) => !zones.some((z) => isZoneOf(z, r)))) {
                at(["nodePools", i, "zones"], `lists no zone of ${region}: the pool could launch nothing there; add one of ${region}'s zones (e.g. ${region}a)`);
            }
        }
    });
    if (ctx.production) {
        const onDemandWeights = k.nodePools.filter((p) => p.capacityTypes.includes("on-demand")).map((p) => p.weight ?? 0);
        if (onDemandWeights.length === 0) {
            at(["nodePools"], "a production environment needs a pool that may launch on-demand capacity (spot alone can leave the cluster without nodes); add \"on-demand\" to a pool's capacityTypes or an on-demand fallback pool");
        }
        k.nodePools.forEach((p, i) => {
            const spotOnly = p.capacityTypes.length === 1 && p.capacityTypes[0] === "spot";
            if (spotOnly && !onDemandWeights.some((w) => w < (p.weight ?? 0))) {
                at(["nodePools", i, "capacityTypes"], "spot-only pool in production without an on-demand fallback: give it a weight above an on-demand pool's (e.g. weight 50 here, an on-demand pool without a weight)");
            }
        });
    }
    return out;
}
