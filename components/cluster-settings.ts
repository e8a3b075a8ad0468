/**
 * Decisions of the Cluster component as pure functions: endpoint flags per access mode, access
 * entries for the admin principals, log types, names.
 */
import type { EndpointAccess } from "../stacks/schema";
import { CLUSTER_ADMIN_ACCESS_POLICY } from "./iam-policies";

/** All five control-plane log types. https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

export interface EndpointFlags {
    readonly endpointPublicAccess: boolean;
    readonly endpointPrivateAccess: boolean;
    /** Only set when the endpoint is public: EKS rejects an allow-list on a private-only endpoint. */
    readonly publicAccessCidrs?: string[];
}

/** https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html */
export function endpointFlags(mode: EndpointAccess, publicAccessCidrs: readonly string[]): EndpointFlags {
    switch (mode) {
        case "public":
            return { endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: [...publicAccessCidrs] };
        case "public-and-private":
            return { endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs: [...publicAccessCidrs] };
        case "private":
            return { endpointPublicAccess: false, endpointPrivateAccess: true };
    }
}

export interface AccessEntry {
    readonly principalArn: string;
    readonly type: "STANDARD";
    readonly accessPolicies: Record<string, { policyArn: string; accessScope: { type: "cluster" } }>;
}

/**
 * One access entry per admin principal, cluster-admin at cluster scope. Keys must be stable across
 * runs (they name child resources of the eks component), so they derive from the ARN, not the index:
 * `admin-<resource>` (e.g. `admin-role-platform-admin`). Two different ARNs that map to the same key
 * (the same role name in two accounts, `role/a.b` and `role/a-b`, ...) must not overwrite each other
 * (one admin would silently lose access), so a later one gets its account id appended. A principal
 * listed twice gets one entry.
 */
export function adminAccessEntries(principals: readonly string[]): Record<string, AccessEntry> {
    const entries: Record<string, AccessEntry> = {};
    for (const [key, arn] of accessEntryKeys("admin", principals)) {
        entries[key] = {
            principalArn: arn,
            type: "STANDARD",
            accessPolicies: { "cluster-admin": { policyArn: CLUSTER_ADMIN_ACCESS_POLICY, accessScope: { type: "cluster" } } },
        };
    }
    return entries;
}

/** Stable, distinct keys `<prefix>-<resource>` for principals (see adminAccessEntries), in order. */
export function accessEntryKeys(prefix: string, principals: readonly string[]): Array<[string, string]> {
    const keys = new Map<string, string>();
    for (const arn of new Set(principals)) {
        const parts = arn.split(":");
        const base = `${prefix}-${parts[parts.length - 1].replace(/[^A-Za-z0-9-]/g, "-")}`;
        let key = base;
        if (keys.has(key)) key = `${base}-${parts[4] ?? ""}`;
        for (let n = 2; keys.has(key); n++) key = `${base}-${parts[4] ?? ""}-${n}`;
        keys.set(key, arn);
    }
    return [...keys.entries()];
}

/** The EKS cluster's name: environment and region, so it reads well in the console of any region. */
export function clusterName(environment: string, region: string): string {
    return `${environment}-${region}`;
}

/** EKS writes control-plane logs to this group; we create it first to own its retention. */
export function controlPlaneLogGroupName(cluster: string): string {
    return `/aws/eks/${cluster}/cluster`;
}
