/**
 * Rules relating `eks-platform:dns` to the apps' hosts and the stack's regions. Everything a real
 * `pulumi up` would fail on late (ACM refusing a request, Route 53 refusing a record set, a
 * certificate never validated) is refused here, at the key, before anything is registered.
 */
import { COMMON_NAME_MAX, DNS_NAME_MAX, NAMES_PER_CERTIFICATE } from "../facts/acm-route53";
import type { AppSpec } from "./apps-schema";
import { appHosts } from "./apps-schema";
import { certificateNames, regionalEndpointName, validationDomain, zoneOf } from "./dns-names";
import type { DnsSpec } from "./dns-schema";
import { routingOf } from "./dns-schema";
import { ConfigIssue, ConfigPath, issueAt as issue } from "./errors";

export interface DnsContext {
    readonly dns?: DnsSpec;
    readonly regions: readonly string[];
    readonly apps: readonly AppSpec[];
}

/** Where an app's host is set: `hosts[k]`, or `host` for the one-name form. */
function hostPath(app: AppSpec, i: number, k: number): ConfigPath {
    return app.hosts ? ["apps", i, "hosts", k] : ["apps", i, "host"];
}

/** The apps with the flag parsePlatformConfig sets: a managed certificate when dns is configured and the app has hosts. */
export function withManagedCertificates<C extends { readonly dns?: DnsSpec; readonly apps: readonly AppSpec[] }>(c: C): C {
    return { ...c, apps: c.apps.map((a) => ({ ...a, managedCertificate: c.dns !== undefined && appHosts(a).length > 0 })) };
}

export function dnsIssues(c: DnsContext): ConfigIssue[] {
    const out: ConfigIssue[] = [];
    // Host names, with or without managed DNS: Route 53 and ACM refuse longer names.
    c.apps.forEach((app, i) => {
        if (app.host !== undefined && app.hosts !== undefined) {
            out.push(issue(c, ["apps", i, "hosts"], "is set together with host; allowed: one of them (host is the one-name form of hosts)"));
        }
        appHosts(app).forEach((h, k) => {
            if (h.length > DNS_NAME_MAX) out.push(issue(c, hostPath(app, i, k), `is ${h.length} characters; a DNS name has at most ${DNS_NAME_MAX}`));
        });
    });
    const dns = c.dns;
    if (!dns) return out;

    const zoneNames = new Map<string, number>();
    dns.zones.forEach((z, k) => {
        if (zoneNames.has(z.name)) out.push(issue(c, ["dns", "zones", k, "name"], `is listed twice (also dns.zones[${zoneNames.get(z.name)}]); each zone once`));
        zoneNames.set(z.name, k);
    });

    const routing = routingOf(dns, c.regions.length);
    if (routing === "failover" && c.regions.length !== 2) {
        out.push(issue(c, ["dns", "routing"], `failover needs exactly two regions (a primary and a secondary); this stack has ${c.regions.length} (${c.regions.join(", ")}). ` +
            `Allowed: ${c.regions.length > 2 ? "latency" : "simple"}, or two regions`));
    }
    if (routing === "simple" && c.regions.length > 1) {
        out.push(issue(c, ["dns", "routing"], `simple answers a name with one record, so one region; this stack has ${c.regions.length}. Allowed: latency or failover (two regions)`));
    }
    if (dns.primaryRegion !== undefined) {
        if (routing !== "failover") out.push(issue(c, ["dns", "primaryRegion"], `has no effect with routing ${routing}; set routing: failover or remove it`));
        else if (!c.regions.includes(dns.primaryRegion)) out.push(issue(c, ["dns", "primaryRegion"], `is not one of this stack's regions (${c.regions.join(", ")})`));
    }

    const owners = new Map<string, number>();
    c.apps.forEach((app, i) => {
        const hosts = appHosts(app);
        hosts.forEach((h, k) => {
            const at = hostPath(app, i, k);
            if (!zoneOf(h, dns.zones)) {
                out.push(issue(c, at, h.startsWith("*.")
                    ? `ACM validates ${h} with a record at its base ${validationDomain(h)}, which is in none of the zones of eks-platform:dns ` +
                      `(${dns.zones.map((z) => z.name).join(", ")}); allowed: a wildcard whose base is a zone or inside one, e.g. *.${dns.zones[0].name}`
                    : `is in none of the zones of eks-platform:dns (${dns.zones.map((z) => z.name).join(", ")}); allowed: a zone's name or a name inside it`));
            }
            const other = owners.get(h);
            if (other !== undefined && other !== i) {
                out.push(issue(c, at, `is also a host of apps[${other}] (${c.apps[other].name}); one app per host: its records and health check follow that app`));
            }
            owners.set(h, i);
        });
        if (hosts.length === 0) return;
        if (Object.keys(app.certificateArns).length > 0) {
            out.push(issue(c, ["apps", i, "certificateArns"], "is set for an app whose hosts get managed certificates (eks-platform:dns); " +
                "allowed: one of the two: remove certificateArns, or bring your own certificates without eks-platform:dns"));
        }
        if (app.listeners && !app.listeners.includes("HTTPS")) {
            out.push(issue(c, ["apps", i, "listeners"], "has no HTTPS, but the app's hosts get a managed certificate (eks-platform:dns); add \"HTTPS\""));
        }
        for (const region of c.regions) {
            const endpoint = regionalEndpointName(app, region, dns.zones);
            if (endpoint && endpoint.length > DNS_NAME_MAX) {
                out.push(issue(c, ["apps", i, "name"], `the app's name in ${region} (${endpoint}, probed by its Route 53 health check) is longer than ${DNS_NAME_MAX} characters; use a shorter app name`));
            }
        }
    });

    // One certificate per region and ALB group (scheme): its names within ACM's limits.
    for (const scheme of ["internet-facing", "internal"] as const) {
        const members = c.apps.map((app, i) => ({ app, i })).filter((x) => x.app.scheme === scheme && appHosts(x.app).length > 0);
        const seen = new Set<string>();
        let reported = false;
        for (const { app, i } of members) {
            for (const [k, h] of appHosts(app).entries()) {
                seen.add(h);
                if (seen.size > NAMES_PER_CERTIFICATE && !reported) {
                    out.push(issue(c, hostPath(app, i, k), `is name ${seen.size} of the ${scheme} load balancer's certificate; an ACM certificate carries at most ` +
                        `${NAMES_PER_CERTIFICATE} names (default quota). Allowed: at most ${NAMES_PER_CERTIFICATE} hosts over the ${scheme} apps, e.g. one wildcard for several names`));
                    reported = true;
                }
            }
        }
        const all = [...seen];
        if (all.length > 0 && !certificateNames(all, COMMON_NAME_MAX)) {
            const { app, i } = members[0];
            out.push(issue(c, hostPath(app, i, 0), `no host of the ${scheme} apps is at most ${COMMON_NAME_MAX} characters; ACM needs one as the certificate's common name (longer ones go in as alternative names)`));
        }
    }
    return out;
}
