/**
 * Dns: the stack-level owner of everything the platform writes to Route 53 (`eks-platform:dns`):
 * - one explicit provider for Route 53 (a global service), assuming `dns.roleArn` when the zones live in
 *   another account; no record ever goes through a region's provider or a default provider;
 * - the ACM validation records, one per validated domain for the whole stack. ACM's CNAME is
 *   "created specifically for your domain and your account" and "works for any region" (ACM user
 *   guide, dns-validation.md), so every region's certificate for a name asks for the same record: one
 *   record serves them all, there is never a second CREATE of it (Route 53 refuses one: "already
 *   exists"; terraform-provider-aws#13653), and a region leaving the stack takes its certificate, not
 *   the record the other regions renew with. `allowOverwrite` stays off: adopting a record by UPSERT
 *   would make two owners, either of whose delete removes it;
 * - per region and app (registered by `serve`, named `<env>-dns-<region>-...`): the alias records to
 *   that region's ALB and the Route 53 health check that probes it.
 *
 * Certificates are regional and belong to their region (components/certificates.ts); they ask this
 * component for the validation records' names.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AppSpec } from "../stacks/apps-schema";
import { validationDomain, zoneOf } from "../stacks/dns-names";
import type { ResolvedDns } from "../stacks/dns-schema";
import { AliasRecordPlan, DNS_TYPE, appNamesPlan, dnsProviderArgs, healthCheckArgs, routingArgs, validationRecordName } from "./dns-settings";
import type { AccountSettings } from "../stacks/account-schema";

export interface DnsArgs {
    readonly environment: string;
    readonly dns: ResolvedDns;
    /** Tags of the taggable Route 53 resources (health checks), merged once (components/tags.ts). */
    readonly tags: Readonly<Record<string, string>>;
    /** The stack's account guard and deployer role (eks-platform:accountId, assumeRoleArn). */
    readonly account: AccountSettings;
}

/** One app of a region, as `serve` needs it. */
export interface ServedApp {
    readonly app: AppSpec;
    /** The ALB's DNS name, from the Ingress (or Gateway) status. */
    readonly loadBalancerHostname: pulumi.Input<string>;
}

/** Validation records and FQDNs ACM certificates wait on. */
export class Dns extends pulumi.ComponentResource {
    public readonly provider: aws.Provider;
    private readonly args: DnsArgs;
    private readonly zoneIds = new Map<string, pulumi.Output<string>>();
    private readonly validationRecords = new Map<string, aws.route53.Record>();

    constructor(name: string, args: DnsArgs, opts?: pulumi.ComponentResourceOptions) {
        super(DNS_TYPE, name, {}, opts);
        this.args = args;
        this.provider = new aws.Provider(`${name}-aws`, dnsProviderArgs({
            environment: args.environment, tags: args.tags, account: args.account, roleArn: args.dns.roleArn,
        }), { parent: this });
        for (const zone of args.dns.zones) {
            // By id as configured, else the public zone of that name (ACM validates through public DNS).
            this.zoneIds.set(zone.name, zone.id !== undefined
                ? pulumi.output(zone.id)
                : aws.route53.getZoneOutput({ name: zone.name, privateZone: false }, { parent: this, provider: this.provider }).zoneId);
        }
        this.registerOutputs({});
    }

    private zoneIdOf(host: string): pulumi.Output<string> {
        const zone = zoneOf(host, this.args.dns.zones);
        if (!zone) throw new Error(`dns: ${host} is in no configured zone (validation should have refused it)`);
        return this.zoneIds.get(zone.name)!;
    }

    /**
     * The FQDNs of the validation records of `hosts`, creating each record the first time any
     * certificate asks. Values come from that certificate's domainValidationOptions; another region's
     * certificate for the same name has the same ones (see above), so the record does not change with
     * which region registers first.
     */
    validationRecordFqdns(certificate: aws.acm.Certificate, hosts: readonly string[]): pulumi.Output<string[]> {
        const domains = [...new Set(hosts.map(validationDomain))];
        const records = domains.map((domain) => {
            const existing = this.validationRecords.get(domain);
            if (existing) return existing;
            const option = certificate.domainValidationOptions.apply((options) => {
                const o = options.find((x) => validationDomain(x.domainName) === domain);
                if (!o) throw new Error(`ACM gave no DNS validation option for ${domain} (got ${options.map((x) => x.domainName).join(", ")})`);
                return o;
            });
            const record = new aws.route53.Record(validationRecordName(this.args.environment, domain), {
                zoneId: this.zoneIdOf(domain),
                name: option.resourceRecordName,
                type: option.resourceRecordType,
                records: [option.resourceRecordValue],
                // Not 60: the load balancer controller's own certificate management DELETEs the validation
                // CNAMEs it created with TTL 60 and ignores "values do not match" (v3.5.0
                // pkg/deploy/acm/certificate_manager.go); a record of ours with another TTL survives that.
                ttl: 300,
                allowOverwrite: false,
            }, { parent: this, provider: this.provider });
            this.validationRecords.set(domain, record);
            return record;
        });
        return pulumi.all(records.map((r) => r.fqdn));
    }

    /**
     * Registers a region's names: per app, the health check and the alias records to the region's ALB.
     * The ALB's canonical hosted zone id comes from the provider's own table (aws.lb.getHostedZoneId,
     * terraform-provider-aws internal/service/elbv2/hosted_zone_id_data_source.go), not from ours.
     * Returns the names the region serves.
     */
    serve(region: string, regionProvider: aws.Provider, apps: readonly ServedApp[]): string[] {
        const albZoneId = aws.lb.getHostedZoneIdOutput({ region, loadBalancerType: "application" }, { parent: this, provider: regionProvider }).id;
        const served: string[] = [];
        for (const { app, loadBalancerHostname } of apps) {
            const plan = appNamesPlan(this.args.environment, this.args.dns, region, app);
            if (!plan) continue;
            const record = (r: AliasRecordPlan, check?: aws.route53.HealthCheck) => new aws.route53.Record(r.resourceName, {
                zoneId: this.zoneIdOf(r.name),
                name: r.name,
                type: r.type,
                // Alias records take no TTL: Route 53 uses the ALB's (developer guide, resource-record-sets-choosing-alias-non-alias.md).
                aliases: [{ name: loadBalancerHostname, zoneId: albZoneId, evaluateTargetHealth: r.evaluateTargetHealth }],
                ...routingArgs(r, region),
                ...(r.healthChecked && check ? { healthCheckId: check.id } : {}),
                allowOverwrite: false,
            }, { parent: this, provider: this.provider });
            // The check resolves the regional endpoint name: that record first, then the check, then the
            // shared names that carry it.
            const endpoint = plan.records.find((r) => r.routing === "endpoint");
            const endpointRecord = endpoint && record(endpoint);
            const check = plan.healthCheck && new aws.route53.HealthCheck(plan.healthCheck.resourceName, {
                ...healthCheckArgs(plan.healthCheck),
                tags: { Name: plan.healthCheck.fqdn },
            }, { parent: this, provider: this.provider, dependsOn: endpointRecord ? [endpointRecord] : [] });
            for (const r of plan.records.filter((x) => x.routing !== "endpoint")) {
                record(r, check);
                served.push(r.name);
            }
        }
        return served;
    }
}
