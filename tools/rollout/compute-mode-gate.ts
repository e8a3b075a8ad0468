/**
 * Compute mode changes, before anything changes: each deployed region's compute mode (the stack output
 * `regions.<region>.compute.mode`, platform.ts) against the configured one. A change replaces compute
 * that running workloads sit on, and, to or from EKS Auto Mode, every ALB of the region (load balancers
 * cannot move between the load balancer controller and Auto Mode; AWS recommends blue/green with DNS:
 * https://docs.aws.amazon.com/eks/latest/userguide/migrate-auto.html). The rollout refuses it unless
 * eks-platform:acknowledgeComputeModeChange is true, and says what will be replaced.
 */
import type { OutputMap } from "@pulumi/pulumi/automation";

export interface ComputeModeChange {
    readonly region: string;
    readonly from: string;
    readonly to: string;
}

/** Regions whose deployed compute mode differs from the configured one (new regions are no change). */
export function computeModeChanges(outputs: OutputMap, configured: Readonly<Record<string, string>>): ComputeModeChange[] {
    const regions = outputs.regions?.value;
    if (regions === null || typeof regions !== "object") return [];
    return Object.entries(configured).flatMap(([region, to]) => {
        const from = (regions as Record<string, any>)[region]?.compute?.mode;
        return typeof from === "string" && from !== to ? [{ region, from, to }] : [];
    });
}

/** What a change replaces, in words. */
export function replacedBy(c: ComputeModeChange): string {
    const parts: string[] = [];
    const auto = c.from === "auto" || c.to === "auto";
    if (c.from === "auto") parts.push("every EKS Auto Mode node (built-in and custom pools; their pods are evicted)");
    if (c.to === "auto") parts.push("every node group and Fargate profile (their pods are evicted)");
    if (c.from === "karpenter") parts.push("Karpenter, its NodePools and every node it launched");
    if (c.to === "karpenter" && c.from === "managed-node-groups") parts.push("the node groups' role: they become tainted system nodes, Karpenter launches the rest");
    if (auto) {
        parts.push("the EKS add-ons and controllers one side runs and the other does not (vpc-cni, kube-proxy, CoreDNS, EBS CSI, Pod Identity agent, node monitoring agent, the load balancer controller)");
        parts.push("every ALB of the region (new DNS names: load balancers cannot move between the load balancer controller and Auto Mode; AWS recommends blue/green with DNS)");
    }
    return parts.join("; ");
}

/** The refusal message, or undefined when nothing changes or the change is acknowledged. */
export function computeModeRefusal(changes: readonly ComputeModeChange[], acknowledged: boolean): string | undefined {
    if (changes.length === 0 || acknowledged) return undefined;
    return changes.map((c) => `[${c.region}] computeMode "${c.from}" -> "${c.to}" replaces ${replacedBy(c)}.`).join("\n")
        + "\nPlan it as a new region and move traffic by DNS, or set eks-platform:acknowledgeComputeModeChange: true to replace them in this rollout (README, \"Migrating to Auto Mode\").";
}
