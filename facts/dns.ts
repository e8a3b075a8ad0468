/**
 * (Not `facts/acm-route53.ts`: Node resolves an extensionless `require` to the `.json` of the same name
 * before any `.ts`, so the project's loader would hand importers the table, not these accessors.)
 *
 * Typed accessors of facts/acm-route53.json (ACM limits, Route 53 prices) and facts/alb-zone-ids.json
 * (ALB canonical hosted zone ids, mock engine only: a real run asks the provider, aws.lb.getHostedZoneId).
 */
import type { FactTable } from "./ledger";
import { factValue, findFact } from "./ledger";
import acmRoute53 from "./acm-route53.json";
import albZoneIds from "./alb-zone-ids.json";

export const ACM_ROUTE53: FactTable<number> = acmRoute53;
export const ALB_ZONE_IDS: FactTable<string> = albZoneIds;

/** Domain names one ACM certificate may carry (default quota). */
export const NAMES_PER_CERTIFICATE = factValue(ACM_ROUTE53, "acm.namesPerCertificate");
/** Longest first name (the certificate's CN). */
export const COMMON_NAME_MAX = factValue(ACM_ROUTE53, "acm.commonNameMaxLength");
/** Longest DNS name (ACM DomainName, RFC 1035). */
export const DNS_NAME_MAX = factValue(ACM_ROUTE53, "dns.nameMaxLength");

/** The ALB canonical hosted zone id of a region, or undefined when the table has none. */
export function albZoneId(region: string): string | undefined {
    return findFact(ALB_ZONE_IDS, region)?.value;
}
