/**
 * Rebuilds the price table from the AWS Price List API (GetProducts, @aws-sdk/client-pricing) for the
 * table's regions and the instance types the stacks use. Each price keeps its unit, the date it was
 * read and where it came from (the API, its service code and the product's usage type).
 *
 * The client is an interface so the tests drive it with a fake; `npm run prices -- --refresh` passes
 * the real PricingClient (us-east-1 endpoint, AWS credentials with pricing:GetProducts).
 * Price List product documents: https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/price-changes.html
 */
import type { Price, PriceTable } from "./prices";

export interface GetProductsInput {
    readonly ServiceCode: string;
    readonly Filters: ReadonlyArray<{ readonly Type: "TERM_MATCH"; readonly Field: string; readonly Value: string }>;
    readonly FormatVersion: "aws_v1";
    readonly NextToken?: string;
    readonly MaxResults?: number;
}

/** The one call the refresh makes (GetProducts), as @aws-sdk/client-pricing answers it. */
export interface PriceListClient {
    getProducts(input: GetProductsInput): Promise<{ PriceList?: ReadonlyArray<string | object>; NextToken?: string }>;
}

/** How one table item is found in the Price List. */
export interface ItemQuery {
    readonly item: string;
    readonly serviceCode: string;
    /** Attribute filters (TERM_MATCH), besides the region. */
    readonly filters: Readonly<Record<string, string>>;
    /** The product's `usagetype` ends with this (usage types carry a region prefix such as APN2-). */
    readonly usagetypeSuffix?: string;
    /** Our unit, and what one of it is in the API's unit (e.g. 10,000 requests). */
    readonly unit: string;
    readonly scale?: number;
    /** The same price everywhere: fetched once (us-east-1) and stored for region "*". */
    readonly global?: boolean;
}

export function itemQueries(instanceTypes: readonly string[]): ItemQuery[] {
    const ec2 = instanceTypes.map((t): ItemQuery => ({
        item: `ec2.${t}`, serviceCode: "AmazonEC2", unit: "instance-hour",
        filters: { instanceType: t, operatingSystem: "Linux", tenancy: "Shared", preInstalledSw: "NA", capacitystatus: "Used", licenseModel: "No License required" },
    }));
    return [
        { item: "eks.cluster.standard", serviceCode: "AmazonEKS", filters: {}, usagetypeSuffix: "AmazonEKS-Hours:perCluster", unit: "cluster-hour", global: true },
        { item: "eks.cluster.extended", serviceCode: "AmazonEKS", filters: {}, usagetypeSuffix: "AmazonEKS-Hours:extendedSupport", unit: "cluster-hour", global: true },
        ...ec2,
        { item: "ebs.gp3", serviceCode: "AmazonEC2", filters: { productFamily: "Storage", volumeApiName: "gp3" }, unit: "GB-month" },
        { item: "nat.hour", serviceCode: "AmazonEC2", filters: { productFamily: "NAT Gateway" }, usagetypeSuffix: "NatGateway-Hours", unit: "gateway-hour" },
        { item: "nat.gb", serviceCode: "AmazonEC2", filters: { productFamily: "NAT Gateway" }, usagetypeSuffix: "NatGateway-Bytes", unit: "GB" },
        { item: "vpc.publicIpv4", serviceCode: "AmazonVPC", filters: {}, usagetypeSuffix: "PublicIPv4:InUseAddress", unit: "address-hour", global: true },
        { item: "alb.hour", serviceCode: "AWSELB", filters: { productFamily: "Load Balancer-Application" }, usagetypeSuffix: "LoadBalancerUsage", unit: "alb-hour" },
        { item: "alb.lcu", serviceCode: "AWSELB", filters: { productFamily: "Load Balancer-Application" }, usagetypeSuffix: "LCUUsage", unit: "lcu-hour" },
        { item: "kms.key", serviceCode: "awskms", filters: {}, usagetypeSuffix: "KMS-Keys", unit: "key-month", global: true },
        { item: "kms.requests", serviceCode: "awskms", filters: {}, usagetypeSuffix: "KMS-Requests", unit: "10k-requests", scale: 10_000, global: true },
        { item: "logs.ingest", serviceCode: "AmazonCloudWatch", filters: {}, usagetypeSuffix: "DataProcessing-Bytes", unit: "GB" },
        { item: "logs.storage", serviceCode: "AmazonCloudWatch", filters: {}, usagetypeSuffix: "TimedStorage-ByteHrs", unit: "GB-month" },
        { item: "logs.vended", serviceCode: "AmazonCloudWatch", filters: {}, usagetypeSuffix: "VendedLog-Bytes", unit: "GB" },
        { item: "sqs.requests", serviceCode: "AWSQueueService", filters: { queueType: "Standard" }, unit: "million-requests", scale: 1_000_000 },
        { item: "s3.storage", serviceCode: "AmazonS3", filters: { volumeType: "Standard" }, usagetypeSuffix: "TimedStorage-ByteHrs", unit: "GB-month" },
        { item: "fargate.vcpu", serviceCode: "AmazonECS", filters: {}, usagetypeSuffix: "Fargate-vCPU-Hours:perCPU", unit: "vCPU-hour" },
        { item: "fargate.gb", serviceCode: "AmazonECS", filters: {}, usagetypeSuffix: "Fargate-GB-Hours", unit: "GB-hour" },
    ];
}

interface Dimension { readonly unit?: string; readonly beginRange?: string; readonly pricePerUnit?: { readonly USD?: string } }

/** The on-demand USD price of a product document: its first tier with a price (a free tier is skipped). */
export function onDemandUsd(doc: any): number | undefined {
    const terms = Object.values(doc?.terms?.OnDemand ?? {}) as any[];
    const dims = terms.flatMap((t) => Object.values(t?.priceDimensions ?? {}) as Dimension[])
        .map((d) => ({ begin: Number(d.beginRange ?? 0), usd: Number(d.pricePerUnit?.USD) }))
        .filter((d) => Number.isFinite(d.usd) && d.usd > 0)
        .sort((a, b) => a.begin - b.begin);
    return dims[0]?.usd;
}

async function products(client: PriceListClient, q: ItemQuery, region: string): Promise<any[]> {
    const Filters = [
        ...Object.entries(q.filters).map(([Field, Value]) => ({ Type: "TERM_MATCH" as const, Field, Value })),
        { Type: "TERM_MATCH" as const, Field: "regionCode", Value: region },
    ];
    const out: any[] = [];
    let NextToken: string | undefined;
    do {
        const page = await client.getProducts({ ServiceCode: q.serviceCode, Filters, FormatVersion: "aws_v1", NextToken, MaxResults: 100 });
        for (const p of page.PriceList ?? []) out.push(typeof p === "string" ? JSON.parse(p) : p);
        NextToken = page.NextToken;
    } while (NextToken);
    return out.filter((d) => !q.usagetypeSuffix || String(d?.product?.attributes?.usagetype ?? "").endsWith(q.usagetypeSuffix));
}

/**
 * A new table: every query in every region (global ones once), prices the API has; what it does not
 * have stays absent. `today` (YYYY-MM-DD) is the read date.
 */
export async function refreshTable(client: PriceListClient, regions: readonly string[], instanceTypes: readonly string[], today: string, hoursPerMonth = 730): Promise<{ table: PriceTable; notFound: string[] }> {
    const prices: Price[] = [];
    const notFound: string[] = [];
    for (const q of itemQueries(instanceTypes)) {
        for (const region of q.global ? ["us-east-1"] : regions) {
            const docs = await products(client, q, region);
            const usd = docs.map(onDemandUsd).find((x) => x !== undefined);
            if (usd === undefined) {
                notFound.push(`${q.item} in ${region}`);
                continue;
            }
            const usagetype = docs.find((d) => onDemandUsd(d) === usd)?.product?.attributes?.usagetype;
            prices.push({
                item: q.item, region: q.global ? "*" : region, usd: Number((usd * (q.scale ?? 1)).toPrecision(10)), unit: q.unit, read: today,
                source: "https://pricing.us-east-1.amazonaws.com (AWS Price List API, GetProducts)",
                note: `${q.serviceCode}${usagetype ? ` ${usagetype}` : ""}`,
            });
        }
    }
    prices.sort((a, b) => (a.item < b.item ? -1 : a.item > b.item ? 1 : a.region < b.region ? -1 : a.region > b.region ? 1 : 0));
    return {
        table: {
            note: `Prices the plan's cost estimate reads (USD), from the AWS Price List API (GetProducts) on ${today} by \`npm run prices -- --refresh\`. A region or instance type missing here is reported by the estimate as having no price; it is never guessed.`,
            currency: "USD",
            builtFrom: "AWS Price List API",
            read: today,
            hoursPerMonth,
            regions: [...regions],
            prices,
        },
        notFound,
    };
}
