/**
 * The plan's view of managed names (eks-platform:dns, components/dns.ts): per region the certificates
 * (names, the validation records they wait on) and the records (name, type, routing, health check),
 * the text lines that print them, and their cost lines (Route 53 health checks from the facts ledger;
 * the queries listed unpriced). Pure: the registered resources in, decisions and lines out.
 */
import { appNamesPlan, regionTrafficPrefix, validationRecordName } from "../../components/dns-settings";
import { ACM_ROUTE53_TABLE, route53Price } from "../../facts/acm-route53";
import { findFact } from "../../facts/ledger";
import type { PlatformConfig } from "../../stacks/config";
import type { ResourceRecord } from "../harness/records";
import type { CostLine } from "./cost/estimate";
import { TYPES } from "./resource-types";

/** Anything with a type, a name and inputs: a plan entry or a harness record. */
interface Registered {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, any>;
}

export interface CertificateDecision {
    readonly resource: string;
    readonly names: readonly string[];
    /** The stack's shared validation records this certificate waits on (one per validated domain). */
    readonly validationRecords: readonly string[];
}

export interface RecordDecision {
    readonly name: string;
    /** `A (alias)`. */
    readonly type: string;
    /** e.g. `latency (ap-northeast-2)`, `failover PRIMARY`, `simple`, `regional endpoint`. */
    readonly routing: string;
    readonly evaluateTargetHealth: boolean;
    /** What the attached Route 53 health check probes, e.g. `HTTPS hello-ap-northeast-2.example.com/`. */
    readonly healthCheck?: string;
}

export interface NamesDecision {
    readonly routing: string;
    readonly certificates: readonly CertificateDecision[];
    readonly records: readonly RecordDecision[];
}

const CERT = TYPES.certificate;
const RECORD = TYPES.dnsRecord;
const CHECK = TYPES.healthCheck;

function probe(check: Registered): string {
    return `${check.inputs.type} ${check.inputs.fqdn}${check.inputs.resourcePath ?? "/"}`;
}

/** The region's names, from everything registered (certificates under the region, records under Dns); undefined without eks-platform:dns. */
export function namesDecision(platform: PlatformConfig, region: string, regionEntries: readonly Registered[], all: readonly Registered[]): NamesDecision | undefined {
    if (!platform.dns) return undefined;
    const prefix = regionTrafficPrefix(platform.environment, region);
    const records = all.filter((e) => e.type === RECORD);
    const checks = all.filter((e) => e.type === CHECK && e.name.startsWith(prefix));
    const certificates = regionEntries.filter((e) => e.type === CERT).map((c) => {
        const names = [String(c.inputs.domainName), ...((c.inputs.subjectAlternativeNames as string[] | undefined) ?? [])];
        const wanted = new Set(names.map((n) => validationRecordName(platform.environment, n)));
        return { resource: c.name, names, validationRecords: records.filter((r) => wanted.has(r.name)).map((r) => r.name) };
    });
    // What each registered record is, as components/dns-settings.ts decided it (routing, attached check).
    const planned = platform.apps.flatMap((app) => {
        const p = appNamesPlan(platform.environment, platform.dns!, region, app);
        return p ? p.records.map((r) => ({ r, check: r.healthChecked ? p.healthCheck : undefined })) : [];
    });
    const registered = new Set(records.filter((r) => r.name.startsWith(prefix)).map((r) => r.name));
    const regional = planned.filter(({ r }) => registered.has(r.resourceName)).map(({ r, check }): RecordDecision => {
        const c = check && checks.find((x) => x.name === check.resourceName);
        return {
            name: r.name,
            type: `${r.type} (alias)`,
            routing: r.routing === "latency" ? `latency (${region})`
                : r.routing === "failover-primary" ? "failover PRIMARY"
                    : r.routing === "failover-secondary" ? "failover SECONDARY"
                        : r.routing === "endpoint" ? "regional endpoint (the name its health check probes)" : "simple",
            evaluateTargetHealth: r.evaluateTargetHealth,
            ...(c ? { healthCheck: probe(c) } : {}),
        };
    });
    return { routing: platform.dns.routing, certificates, records: regional };
}

/** The plan's text lines for a region's names. */
export function namesLines(n: NamesDecision): string[] {
    const out = [`Names (eks-platform:dns, ${n.routing} routing)`];
    for (const c of n.certificates) {
        out.push(`  certificate ${c.resource}: ${c.names.join(", ")}; DNS-validated by ${c.validationRecords.join(", ") || "(no record)"} (shared by every region)`);
    }
    for (const r of n.records) {
        out.push(`  ${r.type} ${r.name}: ${r.routing}${r.evaluateTargetHealth ? ", evaluates the ALB's health" : ""}${r.healthCheck ? `, health check ${r.healthCheck}` : ""}`);
    }
    return out;
}

/**
 * Cost lines of the managed names per region: each Route 53 health check (an AWS endpoint, plus one
 * optional feature per HTTPS, fast interval or latency measurement), priced from the facts ledger; and
 * the DNS queries, unpriced (alias queries to ELB are free, latency-routed ones not confirmed).
 */
export function dnsCostLines(platform: PlatformConfig, records: readonly ResourceRecord[]): CostLine[] {
    if (!platform.dns) return [];
    const out: CostLine[] = [];
    const base = route53Price("route53.healthCheckAwsEndpointUsdMonth");
    const feature = route53Price("route53.healthCheckOptionalFeatureUsdMonth");
    const source = findFact(ACM_ROUTE53_TABLE, "route53.healthCheckAwsEndpointUsdMonth")!.source;
    for (const rc of platform.regions) {
        const prefix = regionTrafficPrefix(platform.environment, rc.region);
        for (const c of records.filter((r) => r.type === CHECK && r.name.startsWith(prefix))) {
            const features = [c.inputs.type === "HTTPS" || c.inputs.type === "HTTPS_STR_MATCH", c.inputs.requestInterval === 10, c.inputs.measureLatency === true].filter(Boolean).length;
            const unit = base + features * feature;
            out.push({
                region: rc.region, driver: "Route 53 health checks", what: `${c.name}: ${probe(c)}`, quantity: 1, unit: "check-month",
                item: "route53.healthCheck", unitUsd: unit, monthlyUsd: Math.round(unit * 100) / 100, source,
            });
        }
        const aliases = records.filter((r) => r.type === RECORD && r.name.startsWith(prefix) && r.inputs.latencyRoutingPolicies);
        if (aliases.length > 0) {
            out.push({
                region: rc.region, driver: "Route 53 queries", what: `${aliases.map((r) => r.inputs.name).join(", ")}: latency-routed alias queries`, quantity: 1, unit: "-",
                item: "route53.latencyAliasQueries",
                missing: "not priced: alias queries to ELB load balancers are free, but whether that holds for latency-routed alias records was not found (latency queries otherwise cost USD 0.60 per million, facts/data/acm-route53.json)",
            });
        }
    }
    return out;
}
