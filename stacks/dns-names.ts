/**
 * Names the managed DNS (components/dns.ts) derives from config, as pure functions the validation,
 * the components and the plan share: which zone a host belongs to, which name ACM validates it at,
 * which hosts one ALB group's certificate carries, and each region's own endpoint name for an app.
 */
import type { AppSpec, Scheme } from "./apps-schema";
import { appHosts } from "./apps-schema";
import type { ZoneSpec } from "./dns-schema";

/**
 * The domain ACM validates a name at: the name itself, or for `*.x` the base `x`. ACM gives a wildcard
 * and its base the same CNAME (ACM user guide, dns-validation.md "How CNAME records for ACM work":
 * "for a wild-card domain, such as *.example.com, the random strings created by ACM are the same as
 * those created for its base domain"), so both are validated by one record.
 */
export function validationDomain(host: string): string {
    return host.startsWith("*.") ? host.slice(2) : host;
}

/** Whether `name` is `zone` or inside it (label-wise: a.example.com is in example.com, aexample.com is not). */
export function inZone(name: string, zone: string): boolean {
    return name === zone || name.endsWith(`.${zone}`);
}

/**
 * The configured zone a host's records go to: the most specific zone that holds the name ACM validates
 * (for a wildcard, its base); undefined when none does.
 */
export function zoneOf<Z extends Pick<ZoneSpec, "name">>(host: string, zones: readonly Z[]): Z | undefined {
    const domain = validationDomain(host);
    return zones.filter((z) => inZone(domain, z.name)).sort((a, b) => b.name.length - a.name.length)[0];
}

/**
 * An app's own name in one region, `<app>-<region>.<zone>`: an alias to that region's ALB only (no
 * routing policy), which the Route 53 health check of that region probes. A check on the shared
 * name would follow the routing to any region ("unpredictable", Route 53 API HealthCheckConfig
 * FullyQualifiedDomainName), and a check on the ALB's own DNS name sends that name as Host header,
 * which no Ingress rule matches. The Ingress routes this name too; HTTPS health checks do not
 * validate the certificate (Route 53 developer guide, dns-failover-determining-health-of-endpoints),
 * so the certificate need not carry it.
 */
export function regionalEndpointName(app: Pick<AppSpec, "name" | "host" | "hosts">, region: string, zones: readonly Pick<ZoneSpec, "name">[]): string | undefined {
    const first = appHosts(app)[0];
    const zone = first === undefined ? undefined : zoneOf(first, zones);
    return zone ? `${app.name}-${region}.${zone.name}` : undefined;
}

/** The ALB groups (one per scheme, components/ingress-settings.ts) and the hosts each one's certificate carries. */
export interface CertificateGroup {
    readonly scheme: Scheme;
    /** Hosts in app order, each once; the first that fits is the certificate's domain name (CN). */
    readonly hosts: readonly string[];
}

/** One certificate per scheme whose apps have managed hosts; hosts in app order, each once. */
export function certificateGroups(apps: readonly AppSpec[]): CertificateGroup[] {
    const groups: CertificateGroup[] = [];
    for (const scheme of ["internet-facing", "internal"] as const) {
        const hosts = [...new Set(apps.filter((a) => a.scheme === scheme && a.managedCertificate).flatMap((a) => appHosts(a)))];
        if (hosts.length > 0) groups.push({ scheme, hosts });
    }
    return groups;
}

/**
 * The certificate's domain name and its other names: the first host that fits ACM's 64-octet common
 * name (RequestCertificate DomainName), the rest as subject alternative names.
 */
export function certificateNames(hosts: readonly string[], commonNameMax: number): { domainName: string; subjectAlternativeNames: string[] } | undefined {
    const domainName = hosts.find((h) => h.length <= commonNameMax);
    if (domainName === undefined) return undefined;
    return { domainName, subjectAlternativeNames: hosts.filter((h) => h !== domainName) };
}
