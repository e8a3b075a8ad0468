/**
 * `eks-platform:dns`: the Route 53 hosted zone(s) in which the platform gives apps their names
 * (components/dns.ts): ACM certificates validated by DNS, alias records to each region's load
 * balancer, a health check per region. Example (Pulumi.prod.yaml):
 *
 *   eks-platform:dns:
 *     zones:
 *       - name: example.com
 *     routing: latency
 *
 * Shapes here; the rules that relate zones, apps' hosts and regions in `dns-validate.ts`.
 */
import { z } from "zod";

/** How a name is answered when several regions serve it. */
export const ROUTING_POLICIES = ["latency", "failover", "simple"] as const;
export type RoutingPolicy = (typeof ROUTING_POLICIES)[number];

/**
 * A DNS name as Route 53 and ACM take it: lower-case labels of letters, digits and '-' (at most 63
 * each), a top-level label of letters; `*.` only as the whole leftmost label (ACM's wildcard rule).
 * The 253-character total is checked in dns-validate.ts, with the fact's source.
 */
export const HOST_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
export const hostName = z.string().regex(HOST_NAME, {
    message: "not a DNS host name such as app.example.com (lower case; a wildcard only as the whole first label, *.example.com)",
});

export const zoneSchema = z.strictObject({
    /** The zone's domain, e.g. example.com: apps' hosts must be in it (or a subdomain of it). */
    name: hostName.refine((n) => !n.startsWith("*."), { message: "a zone name has no wildcard, e.g. example.com" }),
    /**
     * The hosted zone id (Z...), when the account has more than one public zone of that name; without
     * it the public zone of that name is looked up (route53:ListHostedZonesByName). @default looked up
     */
    id: z.string().regex(/^Z[A-Z0-9]{1,31}$/, { message: "not a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ" }).optional(),
});

export const dnsSchema = z.strictObject({
    /** Public hosted zones the platform writes records to (validation records, app aliases). */
    zones: z.array(zoneSchema).min(1, { message: "needs at least one hosted zone, e.g. [{ name: example.com }]" }),
    /**
     * An IAM role to assume for every Route 53 call (records, health checks, zone lookup) when the
     * zones live in another account. @default none (the stack's own credentials)
     */
    roleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, {
        message: "must be an IAM role ARN such as arn:aws:iam::123456789012:role/dns-records",
    }).optional(),
    /**
     * How apps' names are answered: `latency` (each region's record, the lowest-latency healthy one
     * answers), `failover` (two regions: `primaryRegion` while healthy, else the other) or `simple`
     * (one region). @default "latency" with several regions, "simple" with one
     */
    routing: z.enum(ROUTING_POLICIES).optional(),
    /** With `failover`: the region that serves while healthy. @default the first of eks-platform:regions */
    primaryRegion: z.string().optional(),
});

export type DnsSpec = z.output<typeof dnsSchema>;
export type ZoneSpec = z.output<typeof zoneSchema>;

/** The routing policy a stack uses: the configured one, or latency with several regions and simple with one. */
export function routingOf(dns: Pick<DnsSpec, "routing">, regionCount: number): RoutingPolicy {
    return dns.routing ?? (regionCount > 1 ? "latency" : "simple");
}

/** `eks-platform:dns` with its defaults applied for the stack's configured regions (never a wave's subset). */
export type ResolvedDns = Omit<DnsSpec, "routing" | "primaryRegion"> & {
    readonly routing: RoutingPolicy;
    /** With `failover`, the primary; otherwise the first region (unused). */
    readonly primaryRegion: string;
};

export function resolveDns(dns: DnsSpec, regions: readonly string[]): ResolvedDns {
    return { ...dns, routing: routingOf(dns, regions.length), primaryRegion: dns.primaryRegion ?? regions[0] };
}
