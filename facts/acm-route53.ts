/**
 * ACM limits and Route 53 prices the managed names (eks-platform:dns, components/dns.ts) rely on
 * (facts/data/acm-route53.json).
 */
import type { FactTable } from "./ledger";
import { factValue } from "./ledger";
import data from "./data/acm-route53.json";

export const ACM_ROUTE53_TABLE: FactTable<number> = data;
const ACM_ROUTE53 = ACM_ROUTE53_TABLE;

/** Domain names one ACM certificate may carry (default quota). */
export const NAMES_PER_CERTIFICATE = factValue(ACM_ROUTE53, "acm.namesPerCertificate");
/** Longest first name (the certificate's CN). */
export const COMMON_NAME_MAX = factValue(ACM_ROUTE53, "acm.commonNameMaxLength");
/** Longest DNS name (ACM DomainName, RFC 1035). */
export const DNS_NAME_MAX = factValue(ACM_ROUTE53, "dns.nameMaxLength");

/** A Route 53 price (USD) from the table, by key (route53.*). */
export function route53Price(key: string): number {
    return factValue(ACM_ROUTE53, key);
}
