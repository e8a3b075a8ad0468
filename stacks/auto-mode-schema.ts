/**
 * The `eks-platform:autoMode` key: what EKS Auto Mode runs for the regions whose computeMode is `auto`:
 * its built-in node pools, and custom NodeClasses and NodePools. Custom pools take the same NodePool
 * config the Karpenter mode reads (stacks/karpenter-schema.ts), rendered against Auto Mode's NodeClass
 * (components/compute/auto/settings.ts). Shapes here (zod); rules relating fields in `autoModeIssues`.
 *
 * Facts behind the rules (AWS EKS User Guide):
 * - built-in pools `system` and `general-purpose`, only enabled or disabled:
 *   https://docs.aws.amazon.com/eks/latest/userguide/set-builtin-node-pools.html
 * - the built-in NodeClass is named `default`; "Do not name your custom node class `default`":
 *   https://docs.aws.amazon.com/eks/latest/userguide/create-node-class.html
 * - Linux only: `kubernetes.io/os` and `node.kubernetes.io/windows-build` are not supported in NodePool
 *   requirements: https://docs.aws.amazon.com/eks/latest/userguide/create-node-pool.html
 */
import { z } from "zod";
import { ConfigIssue, ConfigPath, issueAt } from "./errors";
import { NodePoolSpec, karpenterIssues, nodePoolSchema } from "./karpenter-schema";

/** Values of the cluster's `computeConfig.nodePools` (the EKS API's and pulumi-eks's `ClusterNodePools` enum). */
export const BUILT_IN_NODE_POOLS = ["system", "general-purpose"] as const;
/** The NodeClass EKS creates with the built-in pools; custom ones must not take its name. */
export const BUILT_IN_NODE_CLASS = "default";
/** NodeClass `spec.networkPolicy` values (create-node-class.html). */
export const NETWORK_POLICY_DEFAULTS = ["DefaultAllow", "DefaultDeny"] as const;
/** Labels Auto Mode refuses as NodePool requirements or labels: it runs Linux nodes only (create-node-pool.html). */
export const WINDOWS_LABELS = ["kubernetes.io/os", "node.kubernetes.io/windows-build"] as const;

const name = z.string().regex(/^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/, {
    message: "must be lower-case letters, digits and '-', start with a letter, at most 40 characters",
});

export const autoNodeClassSchema = z.strictObject({
    /** NodeClass name (cluster-scoped); pools refer to it. Not `default` (the built-in class). */
    name,
    /**
     * The node's ephemeral storage (an encrypted volume with the platform's node-storage KMS key) in GiB.
     * @default 80 (Auto Mode's own default)
     */
    ephemeralStorageGiB: z.number().int().min(20).max(59000).default(80),
    /**
     * What pods with no NetworkPolicy may do. @default "DefaultAllow" (the platform's apps carry their
     * own default-deny policy per namespace, components/workload-manifests.ts)
     */
    networkPolicy: z.enum(NETWORK_POLICY_DEFAULTS).default("DefaultAllow"),
});

/** Auto Mode's default node lifetime (create-node-pool.html, "Disruption": terminates instances after 336 hours). */
export const AUTO_EXPIRE_AFTER_DEFAULT = "336h";
/** Auto Mode nodes live at most 21 days (automode-learn-instances.html). */
export const AUTO_MAX_NODE_HOURS = 21 * 24;

/** The Karpenter mode's NodePool shape, with Auto Mode's default node lifetime. */
export const autoNodePoolSchema = nodePoolSchema.extend({
    /** Nodes are replaced after this long, at most 504h (21 days). @default "336h" */
    expireAfter: z.string().regex(/^([0-9]+(s|m|h))+$/, { message: "must be a duration such as 336h, 30m or 1h30m (Auto Mode has no \"Never\")" })
        .default(AUTO_EXPIRE_AFTER_DEFAULT),
});

/** Hours of a Go duration such as "1h30m". */
export function durationHours(d: string): number {
    let hours = 0;
    for (const [, n, unit] of d.matchAll(/([0-9]+)(s|m|h)/g)) hours += Number(n) / (unit === "h" ? 1 : unit === "m" ? 60 : 3600);
    return hours;
}

export const autoModeSchema = z.strictObject({
    /**
     * The built-in node pools EKS runs (`system`: tainted CriticalAddonsOnly, amd64 and arm64;
     * `general-purpose`: amd64). `[]` when custom pools carry everything. @default ["system", "general-purpose"]
     */
    builtInNodePools: z.array(z.enum(BUILT_IN_NODE_POOLS)).max(2).default([...BUILT_IN_NODE_POOLS]),
    /** Custom NodeClasses (eks.amazonaws.com/v1), hardened by the platform. @default [] */
    nodeClasses: z.array(autoNodeClassSchema).default([]),
    /**
     * Custom NodePools (karpenter.sh/v1), in the Karpenter mode's shape; `nodeClass` names a custom class,
     * or `default` (the built-in class, present only with built-in pools). @default []
     */
    nodePools: z.array(autoNodePoolSchema).default([]),
});

export type AutoModeSpec = z.output<typeof autoModeSchema>;
export type AutoNodeClassSpec = z.output<typeof autoNodeClassSchema>;

/** The spec a stack gets when it sets computeMode `auto` without an `autoMode` key. */
export function defaultAutoMode(): AutoModeSpec {
    return autoModeSchema.parse({});
}

/** Cross-field rules of `autoMode` at `path`; `root` is the parsed config (for the values shown). */
export function autoModeIssues(root: unknown, path: ConfigPath, a: AutoModeSpec, ctx: { production: boolean; regions: readonly string[] }): ConfigIssue[] {
    const out: ConfigIssue[] = [];
    const at = (p: ConfigPath, message: string) => out.push(issueAt(root, [...path, ...p], message));
    if (new Set(a.builtInNodePools).size !== a.builtInNodePools.length) at(["builtInNodePools"], "lists a pool twice");
    if (a.builtInNodePools.length === 0 && a.nodePools.length === 0) {
        at(["builtInNodePools"], "is empty and autoMode.nodePools declares no custom pool: the cluster would have no capacity for system pods " +
            `(CoreDNS runs on Auto Mode nodes); allowed: keep ${BUILT_IN_NODE_POOLS.map((p) => `"${p}"`).join(" and/or ")}, or declare a custom pool in autoMode.nodePools`);
    }
    a.nodeClasses.forEach((c, i) => {
        if (c.name === BUILT_IN_NODE_CLASS) {
            at(["nodeClasses", i, "name"], `"${BUILT_IN_NODE_CLASS}" is the built-in NodeClass's name (AWS: do not name a custom node class default); allowed: any other name`);
        }
    });
    // The shared NodePool rules (names, families, zones, budgets, production on-demand), against the
    // classes a pool may name here: the custom ones, and the built-in one while built-in pools exist.
    const classes = [
        ...(a.builtInNodePools.length > 0 ? [{ name: BUILT_IN_NODE_CLASS }] : []),
        ...a.nodeClasses.filter((c) => c.name !== BUILT_IN_NODE_CLASS),
    ];
    if (a.nodePools.length > 0) {
        // The built-in pools are on-demand: production needs no on-demand custom pool beside them.
        const poolCtx = { ...ctx, production: ctx.production && a.builtInNodePools.length === 0 };
        out.push(...karpenterIssues(root, path, { nodeClasses: classes as never, nodePools: a.nodePools }, poolCtx)
            .map((issue) => issue.message.startsWith("names no node class")
                ? { ...issue, message: `${issue.message}${a.builtInNodePools.length === 0 ? ` (the built-in "${BUILT_IN_NODE_CLASS}" class exists only with built-in pools)` : ""}` }
                : issue));
    }
    a.nodePools.forEach((p, i) => {
        if (durationHours(p.expireAfter) > AUTO_MAX_NODE_HOURS) {
            at(["nodePools", i, "expireAfter"], `is longer than Auto Mode's maximum node lifetime of 21 days (${AUTO_MAX_NODE_HOURS}h); allowed: up to ${AUTO_MAX_NODE_HOURS}h (default ${AUTO_EXPIRE_AFTER_DEFAULT})`);
        }
    });
    a.nodePools.forEach((p, i) => windowsLabels(p).forEach((k) =>
        at(["nodePools", i, "labels", k], "Auto Mode runs Linux nodes only: Windows (kubernetes.io/os, node.kubernetes.io/windows-build) cannot be requested; " +
            "allowed: remove it (pools are Linux), or a Windows node group in computeMode \"managed-node-groups\"")));
    return out;
}

function windowsLabels(p: NodePoolSpec): string[] {
    return Object.keys(p.labels).filter((k) => (WINDOWS_LABELS as readonly string[]).includes(k));
}
