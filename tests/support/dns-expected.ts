/**
 * What eks-platform:dns makes a stack register, counted from its stack file alone, by the rules the code
 * documents, never from the program's own output (a test comparing the output with itself cannot fail):
 * - components/dns.ts: one Dns component and its one Route 53 provider, for a stack with eks-platform:dns;
 *   one ACM validation record per validated domain for the whole stack (`*.x` shares `x`'s);
 * - components/dns-settings.ts appNamesPlan: per region and app with hosts, one alias record per host
 *   and, for an internet-facing app, its regional endpoint record and one Route 53 health check;
 * - components/region.ts: per region, one managed certificate per scheme among those apps.
 * Every app runs in every configured region.
 */
import type { PlatformConfig } from "../../stacks/config";

export interface ExpectedDns {
    /** The Dns component and its provider (0 or 1 each). */
    readonly components: number;
    readonly providers: number;
    /** aws:route53/record:Record: alias, endpoint and validation records. */
    readonly records: number;
    readonly healthChecks: number;
    /** aws:acm/certificate:Certificate (each with one CertificateValidation). */
    readonly certificates: number;
}

export function expectedDns(c: PlatformConfig): ExpectedDns {
    if (!c.dns) return { components: 0, providers: 0, records: 0, healthChecks: 0, certificates: 0 };
    const named = c.apps.map((a) => ({ scheme: a.scheme, hosts: a.hosts ?? (a.host ? [a.host] : []) })).filter((a) => a.hosts.length > 0);
    const regions = c.regions.length;
    const publicApps = named.filter((a) => a.scheme === "internet-facing").length;
    const perRegionRecords = named.reduce((n, a) => n + a.hosts.length, 0) + publicApps;
    const validated = new Set(named.flatMap((a) => a.hosts.map((h) => h.replace(/^\*\./, ""))));
    return {
        components: 1,
        providers: 1,
        records: regions * perRegionRecords + validated.size,
        healthChecks: regions * publicApps,
        certificates: regions * new Set(named.map((a) => a.scheme)).size,
    };
}
