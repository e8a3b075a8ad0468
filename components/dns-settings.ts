/**
 * Decisions of the managed DNS (components/dns.ts) as pure functions: resource names, which records a
 * region gets for an app, their routing policy, and the Route 53 health check that probes the app.
 * Sources for Route 53 behaviour: Route 53 API reference (ResourceRecordSet, AliasTarget,
 * HealthCheckConfig; aws/aws-sdk-go-v2 service/route53/types/types.go) and developer guide
 * (awsdocs/amazon-route53-docs doc_source/*.md), noted per rule below.
 */
import type * as aws from "@pulumi/aws";
import type { AccountSettings } from "../stacks/account-schema";
import { accountOfArn } from "../stacks/account-schema";
import { assumeRoleSessionName, awsProviderArgs } from "./aws-provider";
import type { AppSpec } from "../stacks/apps-schema";
import { appHosts } from "../stacks/apps-schema";
import { regionalEndpointName, validationDomain, zoneOf } from "../stacks/dns-names";
import type { ResolvedDns } from "../stacks/dns-schema";

/** The Dns component's type token (components/dns.ts); the rollout targets its records by it (tools/rollout/waves.ts). */
export const DNS_TYPE = "eks-platform:index:Dns";

/**
 * Route 53's API is served from us-east-1 for the aws partition (the only one the platform supports,
 * stacks/partitions.ts); a fixed region keeps the provider (and so every record) unchanged whichever
 * regions a run registers.
 */
export const DNS_PROVIDER_REGION = "us-east-1";

/**
 * The Route 53 provider's arguments: the stack's account guard and deployer role (components/aws-provider.ts)
 * and, when the zones live in another account (`dns.roleArn`), that role assumed after the deployer's
 * (the provider chains `assumeRoles` in order) with the guard moved to the zones' account, since the
 * guard checks the account of the final credentials (terraform-provider-aws internal/conns/config.go).
 */
export function dnsProviderArgs(args: {
    readonly environment: string;
    readonly tags: Readonly<Record<string, string>>;
    readonly account: AccountSettings;
    readonly roleArn?: string;
}): aws.ProviderArgs {
    const base = awsProviderArgs({ region: DNS_PROVIDER_REGION, environment: args.environment, tags: args.tags, account: args.account });
    if (!args.roleArn) return base;
    const deployer = (base.assumeRoles ?? []) as aws.types.input.ProviderAssumeRole[];
    return {
        ...base,
        allowedAccountIds: [accountOfArn(args.roleArn)!],
        assumeRoles: [...deployer, { roleArn: args.roleArn, sessionName: `${assumeRoleSessionName(args.environment)}-dns` }],
    };
}

/** The stack-level component's name; every DNS resource's name starts with it. */
export function dnsComponentName(environment: string): string {
    return `${environment}-dns`;
}

/**
 * A validation record's resource name: one per validated domain for the whole stack (not per region
 * or certificate), so there is never a second CREATE of the same CNAME, and removing one region's
 * certificate leaves the record the other regions' certificates renew with.
 */
export function validationRecordName(environment: string, host: string): string {
    return `${dnsComponentName(environment)}-validation-${validationDomain(host)}`;
}

/**
 * The prefix of every resource that sends a region traffic (its records and health checks): the
 * rollout's traffic step targets exactly these (tools/rollout), after the region's health gate.
 */
export function regionTrafficPrefix(environment: string, region: string): string {
    return `${dnsComponentName(environment)}-${region}-`;
}

/** `*` cannot be part of a resource name that a rollout target glob reads; hosts never contain `_`. */
function hostLabel(host: string): string {
    return host.replace(/^\*\./, "_wildcard.");
}

export interface AliasRecordPlan {
    readonly resourceName: string;
    readonly name: string;
    readonly zone: string;
    readonly type: "A";
    /** `latency`/`failover` records carry a set identifier (unique per name and type) and a policy. */
    readonly routing: "latency" | "failover-primary" | "failover-secondary" | "simple" | "endpoint";
    readonly setIdentifier?: string;
    /**
     * Multi-region records evaluate the ALB's health (on an ALB: every target group with targets needs a
     * healthy target; developer guide resource-record-sets-values-alias.md, "Evaluate target health").
     * Simple records do not (no effect without a routing choice).
     */
    readonly evaluateTargetHealth: boolean;
    /** Whether the region's health check is attached (both must pass when set with evaluateTargetHealth). */
    readonly healthChecked: boolean;
}

export interface HealthCheckPlan {
    readonly resourceName: string;
    /** The app's own name in the region (stacks/dns-names.ts regionalEndpointName). */
    readonly fqdn: string;
    readonly resourcePath: string;
}

export interface AppNamesPlan {
    readonly app: string;
    readonly healthCheck?: HealthCheckPlan;
    readonly records: readonly AliasRecordPlan[];
}

/**
 * Route 53's HealthCheckConfig for an app's probe over HTTPS: the regional name resolved by Route 53
 * (IPv4 A only, so an ALB alias works), SNI on so the ALB's TLS handshake succeeds (without it some
 * endpoints answer handshake_failure), 2xx/3xx within the checker's timeouts is healthy, HTTPS checks
 * do not validate the certificate. Interval 30 s and threshold 3 are Route 53's defaults (10 s costs an
 * optional feature more; the interval cannot change after creation).
 */
export function healthCheckArgs(p: HealthCheckPlan) {
    return {
        type: "HTTPS",
        fqdn: p.fqdn,
        port: 443,
        resourcePath: p.resourcePath,
        enableSni: true,
        requestInterval: 30,
        failureThreshold: 3,
        measureLatency: false,
    };
}

/**
 * What a region gets for one app: a health check and the app's regional endpoint record (internet-facing
 * apps: Route 53's checkers reach only public endpoints), and one alias record per host with the stack's
 * routing policy. Failover: the primary region's record is PRIMARY; failover alias records must evaluate
 * target health (API reference, ResourceRecordSet Failover).
 */
export function appNamesPlan(environment: string, dns: ResolvedDns, region: string, app: AppSpec): AppNamesPlan | undefined {
    const hosts = appHosts(app);
    if (!app.managedCertificate || hosts.length === 0) return undefined;
    const prefix = regionTrafficPrefix(environment, region);
    const publicApp = app.scheme === "internet-facing";
    const endpoint = publicApp ? regionalEndpointName(app, region, dns.zones) : undefined;
    const healthCheck: HealthCheckPlan | undefined = endpoint
        ? { resourceName: `${prefix}${app.name}-health`, fqdn: endpoint, resourcePath: app.healthPath }
        : undefined;
    const multi = dns.routing !== "simple";
    const routing: AliasRecordPlan["routing"] = dns.routing === "failover"
        ? (region === dns.primaryRegion ? "failover-primary" : "failover-secondary")
        : dns.routing;
    const records: AliasRecordPlan[] = hosts.map((host) => ({
        resourceName: `${prefix}${hostLabel(host)}`,
        name: host,
        zone: zoneOf(host, dns.zones)!.name,
        type: "A",
        routing,
        setIdentifier: multi ? region : undefined,
        evaluateTargetHealth: multi,
        healthChecked: healthCheck !== undefined && multi,
    }));
    if (endpoint) {
        records.push({
            resourceName: `${prefix}${app.name}-endpoint`,
            name: endpoint,
            zone: zoneOf(endpoint, dns.zones)!.name,
            type: "A",
            routing: "endpoint",
            evaluateTargetHealth: false,
            healthChecked: false,
        });
    }
    return { app: app.name, healthCheck, records };
}

/** The routing-policy inputs of aws.route53.Record for a planned record. */
export function routingArgs(p: AliasRecordPlan, region: string) {
    switch (p.routing) {
        case "latency":
            return { setIdentifier: p.setIdentifier, latencyRoutingPolicies: [{ region }] };
        case "failover-primary":
            return { setIdentifier: p.setIdentifier, failoverRoutingPolicies: [{ type: "PRIMARY" }] };
        case "failover-secondary":
            return { setIdentifier: p.setIdentifier, failoverRoutingPolicies: [{ type: "SECONDARY" }] };
        default:
            return {};
    }
}
