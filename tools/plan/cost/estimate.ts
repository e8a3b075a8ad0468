/**
 * The monthly cost estimate of a plan, computed from the resources the program registers (type and
 * inputs, as the mock harness records them), the shipped price table and the stack's usage
 * assumptions. Pure: records, config and prices in, an estimate out.
 *
 * Every line says what it counts, how many, the unit price and its source; a line whose price the
 * table does not have is kept with `missing` and no amount, so a total never hides an unpriced item.
 */
import { TYPES } from "../resource-types";
import { eksVersion, supportState } from "../../../facts/eks-versions";
import type { PlatformConfig } from "../../../stacks/config";
import type { CostAssumptions } from "../../../stacks/cost-schema";
import { COST_ASSUMPTION_DEFAULTS } from "../../../stacks/cost-schema";
import type { ResourceRecord } from "../../harness/records";
import { PriceBound, RegionalSpread, boundRuleText, regionalSpread, upperBound } from "./bounds";
import { Price, PriceTable, priceOf } from "./prices";
import { dnsCostLines } from "../dns-plan";

/** What drives a cost, in the order the report lists them. */
export const DRIVERS = [
    "EKS control plane",
    "EKS Auto Mode",
    "Node groups (EC2)",
    "Karpenter nodes (EC2)",
    "Fargate",
    "Node storage (EBS gp3)",
    "NAT gateways (hours)",
    "NAT gateways (data)",
    "Public IPv4 addresses",
    "ALB (hours)",
    "ALB (LCU)",
    "KMS",
    "CloudWatch Logs ingestion",
    "CloudWatch Logs storage",
    "VPC flow logs (vended)",
    "SQS",
    "S3 storage",
    "CloudWatch observability",
    "SNS",
    "Route 53 health checks",
    "Route 53 queries",
] as const;
export type Driver = (typeof DRIVERS)[number];

export interface CostLine {
    readonly region: string;
    readonly driver: Driver;
    /** What is counted, e.g. the resource's name. */
    readonly what: string;
    readonly quantity: number;
    /** Unit of `quantity` (the price's unit). */
    readonly unit: string;
    /** Price item looked up in the table. */
    readonly item: string;
    readonly unitUsd?: number;
    /** Fraction taken off the price (spot). */
    readonly discount?: number;
    readonly monthlyUsd?: number;
    /** Why there is no amount: the table has no price for this item in this region. */
    readonly missing?: string;
    /**
     * For a line without a price: an upper bound of what it costs (never a price; tools/plan/cost/bounds.ts),
     * used only by the budget gate's upper estimate. Absent where the rule does not reach.
     */
    readonly bound?: { readonly unitUsd: number; readonly monthlyUsd: number; readonly rule: string };
    readonly source?: string;
    /** Assumptions this line used. */
    readonly assumptions?: readonly string[];
}

export interface DriverTotal {
    readonly driver: Driver;
    readonly monthlyUsd: number;
}

export interface RegionEstimate {
    readonly region: string;
    readonly monthlyUsd: number;
    readonly drivers: readonly DriverTotal[];
    readonly lines: readonly CostLine[];
}

export interface CostEstimate {
    readonly stack: string;
    readonly currency: "USD";
    readonly hoursPerMonth: number;
    /** Sum of every priced line. */
    readonly monthlyUsd: number;
    readonly regions: readonly RegionEstimate[];
    /** Stack-wide totals by driver, largest first. */
    readonly drivers: readonly DriverTotal[];
    /** Lines without a price, by region and item, with the upper bound of each where there is one. */
    readonly missing: ReadonlyArray<{ readonly region: string; readonly item: string; readonly what: string; readonly boundUsd?: number; readonly boundRule?: string }>;
    /**
     * The most the stack costs a month: every priced line plus the upper bound of every unpriced one.
     * Undefined when an unpriced line has no bound (then nothing above `monthlyUsd` is known).
     */
    readonly upperMonthlyUsd?: number;
    /** How the upper bounds of unpriced items are derived (tools/plan/cost/bounds.ts), when any line has one. */
    readonly boundRule?: string;
    /** Every assumption the estimate used, with its value and whether the stack set it. */
    readonly assumptions: ReadonlyArray<{ readonly key: string; readonly value: number | string; readonly set: boolean }>;
    readonly priceTable: { readonly builtFrom: string; readonly read: string; readonly note: string };
    readonly budget?: {
        readonly monthlyUsd: number;
        readonly exceeded: boolean;
        /**
         * The priced lines are within the budget, but the upper estimate (`upperMonthlyUsd`: priced lines
         * plus the bounds of unpriced ones) is not, or an unpriced line has no bound: the gate cannot show
         * the stack fits, so it fails too (a missing price is never guessed, and never taken as free).
         */
        readonly unproven: boolean;
        /** What the gate compared with the budget: the priced total (every line priced) or the upper estimate. */
        readonly judged: "priced total" | "upper estimate";
        readonly topDrivers: readonly DriverTotal[];
    };
}

/** Rounded to cents. */
export const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Record type tokens the estimate reads (the plan's one table). */
const T = TYPES;

class Lines {
    readonly out: CostLine[] = [];
    constructor(private readonly table: PriceTable, private readonly region: string, private readonly spread: RegionalSpread | undefined) {}

    /** Adds a line of `quantity` x the price of `item` (less `discount`). */
    add(driver: Driver, what: string, item: string, quantity: number, opts: { discount?: number; assumptions?: string[] } = {}): void {
        const p: Price | undefined = priceOf(this.table, item, this.region);
        const base = { region: this.region, driver, what, quantity: round2(quantity), item, assumptions: opts.assumptions };
        if (!p) {
            const b: PriceBound | undefined = upperBound(this.table, item, this.region, this.spread);
            // A discount (spot) is not taken off a bound: the bound stays above the on-demand price.
            const bound = b && { unitUsd: b.usd, monthlyUsd: round2(quantity * b.usd), rule: b.rule };
            this.out.push({ ...base, unit: b?.unit ?? "-", missing: `no price for ${item} in ${this.region} in the price table`, ...(bound ? { bound } : {}) });
            return;
        }
        const unitUsd = p.usd * (1 - (opts.discount ?? 0));
        this.out.push({ ...base, unit: p.unit, unitUsd: p.usd, discount: opts.discount, monthlyUsd: round2(quantity * unitUsd), source: p.source });
    }
}

function ofType(records: readonly ResourceRecord[], ...types: string[]): ResourceRecord[] {
    return records.filter((r) => types.includes(r.type));
}

/** The region's lines. */
function regionLines(region: string, records: readonly ResourceRecord[], a: CostAssumptions, table: PriceTable, today?: string,
    spread: RegionalSpread | undefined = regionalSpread(table)): CostLine[] {
    const L = new Lines(table, region, spread);
    const h = table.hoursPerMonth;
    const byKey = new Map(records.map((r) => [r.key, r]));

    for (const c of ofType(records, T.eksCluster, T.awsCluster)) {
        // The standard rate, or the extended-support rate for a version past its end of standard support
        // on the plan's day (the one EKS support calendar; validation admits that only with extendedSupport).
        const v = eksVersion(String(c.inputs.version ?? ""));
        const extended = v !== undefined && today !== undefined && supportState(v, today) === "extended";
        L.add("EKS control plane", extended ? `${c.name} (Kubernetes ${v!.version}, extended support)` : c.name,
            extended ? "eks.cluster.extended" : "eks.cluster.standard", h);
        const autoMode = c.inputs.autoMode?.enabled === true || c.inputs.computeConfig?.enabled === true;
        if (autoMode) {
            L.add("EKS Auto Mode", `${c.name}: ${a.autoModeAverageNodes} x ${a.autoModeInstanceType}`, `eks.autoMode.${a.autoModeInstanceType}`, a.autoModeAverageNodes * h, { assumptions: ["autoModeAverageNodes", "autoModeInstanceType"] });
            L.add("EKS Auto Mode", `${c.name}: ${a.autoModeAverageNodes} x ${a.autoModeInstanceType} (EC2)`, `ec2.${a.autoModeInstanceType}`, a.autoModeAverageNodes * h, { assumptions: ["autoModeAverageNodes", "autoModeInstanceType"] });
        }
    }

    for (const g of ofType(records, T.nodeGroup)) {
        const nodes = Number(g.inputs.scalingConfig?.desiredSize ?? 0);
        const type = String(g.inputs.instanceTypes?.[0] ?? "");
        const spot = g.inputs.capacityType === "SPOT";
        L.add("Node groups (EC2)", `${g.name}: ${nodes} x ${type}${spot ? " spot" : ""}`, `ec2.${type}`, nodes * h,
            spot ? { discount: a.spotDiscount, assumptions: ["spotDiscount"] } : {});
        // The root volume comes from the launch template the node group waits for (a captured dependency).
        const lt = (g.dependencies ?? []).map((k) => byKey.get(k)).find((r) => r?.type === T.launchTemplate);
        const gib = Number(lt?.inputs.blockDeviceMappings?.[0]?.ebs?.volumeSize ?? g.inputs.diskSize ?? 0);
        if (gib > 0 && nodes > 0) L.add("Node storage (EBS gp3)", `${g.name}: ${nodes} x ${gib} GiB`, "ebs.gp3", nodes * gib);
    }

    for (const p of ofType(records, T.nodePool)) {
        const reqs: any[] = p.inputs.spec?.template?.spec?.requirements ?? [];
        const capacity: string[] = reqs.find((r) => r.key === "karpenter.sh/capacity-type")?.values ?? [];
        const spot = capacity.length > 0 && capacity.every((v) => v === "spot");
        const pinned: string[] = reqs.find((r) => r.key === "node.kubernetes.io/instance-type" && r.operator === "In")?.values ?? [];
        const type = pinned[0] ?? a.karpenterInstanceType;
        const used = ["karpenterAverageNodes", ...(pinned[0] ? [] : ["karpenterInstanceType"]), ...(spot ? ["spotDiscount"] : [])];
        const name = p.inputs.metadata?.name ?? p.name;
        L.add("Karpenter nodes (EC2)", `NodePool ${name}: ${a.karpenterAverageNodes} x ${type}${spot ? " spot" : ""}`, `ec2.${type}`, a.karpenterAverageNodes * h,
            { discount: spot ? a.spotDiscount : undefined, assumptions: used });
        // The root volume its EC2NodeClass declares (e.g. "100Gi"), else the assumption.
        const classRef = p.inputs.spec?.template?.spec?.nodeClassRef?.name;
        const nodeClass = ofType(records, T.ec2NodeClass).find((c) => c.inputs.metadata?.name === classRef);
        const declared = /^(\d+)Gi$/.exec(String(nodeClass?.inputs.spec?.blockDeviceMappings?.[0]?.ebs?.volumeSize ?? ""));
        const gib = declared ? Number(declared[1]) : a.karpenterNodeDiskGiB;
        L.add("Node storage (EBS gp3)", `NodePool ${name}: ${a.karpenterAverageNodes} x ${gib} GiB`, "ebs.gp3", a.karpenterAverageNodes * gib,
            { assumptions: declared ? ["karpenterAverageNodes"] : ["karpenterAverageNodes", "karpenterNodeDiskGiB"] });
    }

    for (const f of ofType(records, T.fargate)) {
        const used = ["fargatePodsPerProfile", "fargatePodVcpu", "fargatePodMemoryGb"];
        L.add("Fargate", `${f.name}: ${a.fargatePodsPerProfile} pods x ${a.fargatePodVcpu} vCPU`, "fargate.vcpu", a.fargatePodsPerProfile * a.fargatePodVcpu * h, { assumptions: used });
        L.add("Fargate", `${f.name}: ${a.fargatePodsPerProfile} pods x ${a.fargatePodMemoryGb} GB`, "fargate.gb", a.fargatePodsPerProfile * a.fargatePodMemoryGb * h, { assumptions: used });
    }

    const nats = ofType(records, T.nat);
    for (const n of nats) L.add("NAT gateways (hours)", n.name, "nat.hour", h);
    for (const n of nats) L.add("NAT gateways (data)", `${n.name}: ${a.natDataGbPerMonth} GB`, "nat.gb", a.natDataGbPerMonth, { assumptions: ["natDataGbPerMonth"] });

    // Application Load Balancers: Ingresses of one IngressClassParams group share one ALB.
    const params = ofType(records, T.ingressClassParams);
    const albs = new Map<string, { scheme: string; ingresses: string[] }>();
    for (const i of ofType(records, T.ingress)) {
        const cls = i.inputs.spec?.ingressClassName;
        const p = params.find((x) => x.inputs.metadata?.name === cls);
        const group = p?.inputs.spec?.group?.name ?? i.inputs.metadata?.annotations?.["alb.ingress.kubernetes.io/group.name"] ?? `${i.name}`;
        const scheme = p?.inputs.spec?.scheme ?? i.inputs.metadata?.annotations?.["alb.ingress.kubernetes.io/scheme"] ?? "internal";
        const alb = albs.get(group) ?? { scheme: String(scheme), ingresses: [] as string[] };
        alb.ingresses.push(i.name);
        albs.set(group, alb);
    }
    // Every Gateway API Gateway is an ALB of its own; its scheme is its LoadBalancerConfiguration's
    // (components/gateway-api/settings.ts), internal when unset (the controller's default scheme).
    const lbConfigs = ofType(records, T.loadBalancerConfiguration);
    for (const g of ofType(records, T.gateway)) {
        const ns = g.inputs.metadata?.namespace ?? "default";
        const ref = g.inputs.spec?.infrastructure?.parametersRef;
        const c = lbConfigs.find((x) => ref?.kind === "LoadBalancerConfiguration" && x.inputs.metadata?.name === ref?.name && (x.inputs.metadata?.namespace ?? "default") === ns);
        albs.set(`gateway ${ns}/${g.inputs.metadata?.name ?? g.name}`, { scheme: String(c?.inputs.spec?.scheme ?? "internal"), ingresses: [] });
    }
    // An internet-facing ALB has a public IPv4 address in each subnet the controller places it in
    // (the subnets tagged kubernetes.io/role/elb, which is how the controller discovers them).
    const elbSubnets = ofType(records, T.subnet).filter((s) => s.inputs.tags?.["kubernetes.io/role/elb"] === "1").length;
    for (const [group, alb] of [...albs.entries()].sort(([x], [y]) => (x < y ? -1 : 1))) {
        L.add("ALB (hours)", `ALB ${group} (${alb.scheme}${group.startsWith("gateway ") ? "" : `; ${alb.ingresses.length} Ingress`})`, "alb.hour", h);
        L.add("ALB (LCU)", `ALB ${group}: ${a.albAverageLcu} LCU`, "alb.lcu", a.albAverageLcu * h, { assumptions: ["albAverageLcu"] });
        if (alb.scheme === "internet-facing") L.add("Public IPv4 addresses", `ALB ${group}: ${elbSubnets} addresses`, "vpc.publicIpv4", elbSubnets * h);
    }
    for (const e of ofType(records, T.eip)) L.add("Public IPv4 addresses", e.name, "vpc.publicIpv4", h);

    for (const k of ofType(records, T.kmsKey)) {
        L.add("KMS", `${k.name}: key`, "kms.key", 1);
        L.add("KMS", `${k.name}: ${a.kmsRequestsPerKeyPerMonth} requests`, "kms.requests", a.kmsRequestsPerKeyPerMonth / 10_000, { assumptions: ["kmsRequestsPerKeyPerMonth"] });
    }

    // CloudWatch Logs: what each log group receives per month, then what it holds at its retention.
    const flowLogs = ofType(records, T.flowLog).filter((f) => f.inputs.logDestinationType === "cloud-watch-logs");
    for (const g of ofType(records, T.logGroup)) {
        const name = String(g.inputs.name ?? g.name);
        const fromFlowLogs = flowLogs.filter((f) => String(f.inputs.logDestination ?? "").endsWith(`:log-group:${name}`));
        let gb = 0;
        let used: string;
        if (fromFlowLogs.length > 0) {
            gb = fromFlowLogs.length * a.flowLogGbPerMonth;
            used = "flowLogGbPerMonth";
            L.add("VPC flow logs (vended)", `${name}: ${gb} GB`, "logs.vended", gb, { assumptions: [used] });
        } else if (name.startsWith("/aws/containerinsights/")) {
            // The add-on's four groups share the assumed volume.
            gb = a.containerInsightsLogGbPerMonth / 4;
            used = "containerInsightsLogGbPerMonth";
            L.add("CloudWatch Logs ingestion", `${name}: ${gb} GB`, "logs.ingest", gb, { assumptions: [used] });
        } else if (name.startsWith("/aws/eks/")) {
            gb = a.controlPlaneLogGbPerMonth;
            used = "controlPlaneLogGbPerMonth";
            L.add("CloudWatch Logs ingestion", `${name}: ${gb} GB`, "logs.ingest", gb, { assumptions: [used] });
        } else {
            continue;
        }
        // Steady state: the group holds `retention` days of data (a year when it never expires).
        const days = Number(g.inputs.retentionInDays ?? 365);
        L.add("CloudWatch Logs storage", `${name}: ${gb} GB/month kept ${days} days`, "logs.storage", (gb * days) / 30.4, { assumptions: [used] });
    }

    // Observability (docs/observability.md). CloudWatch's alarm, dashboard and Container Insights prices
    // and SNS's were not read from a primary AWS source (the pricing page's paid tier was unreadable):
    // listed unpriced until the price table has them (facts/data/prices.json).
    for (const addon of ofType(records, T.addon).filter((x) => x.inputs.addonName === "amazon-cloudwatch-observability")) {
        L.add("CloudWatch observability", `${addon.name}: Container Insights (enhanced), billed per observation`, "cloudwatch.containerInsights.cluster", 1);
    }
    const alarms = ofType(records, T.metricAlarm);
    const insights = alarms.filter((x) => (x.inputs.metricQueries ?? []).some((q: any) => String(q.expression ?? "").startsWith("SELECT")));
    if (alarms.length > insights.length) L.add("CloudWatch observability", `${alarms.length - insights.length} metric alarms (standard resolution)`, "cloudwatch.alarm.standard", alarms.length - insights.length);
    if (insights.length > 0) L.add("CloudWatch observability", `${insights.length} Metrics Insights alarms`, "cloudwatch.alarm.metricsInsights", insights.length);
    const composites = ofType(records, T.compositeAlarm).length;
    if (composites > 0) L.add("CloudWatch observability", `${composites} composite alarm(s)`, "cloudwatch.alarm.composite", composites);
    for (const d of ofType(records, T.dashboard)) L.add("CloudWatch observability", `dashboard ${d.inputs.dashboardName ?? d.name}`, "cloudwatch.dashboard", 1);
    for (const t of ofType(records, T.snsTopic)) {
        const subs = ofType(records, T.snsSubscription).filter((x) => x.name.startsWith(`${t.name}-sub-`)).length;
        L.add("SNS", `${t.name}: alarm notifications to ${subs} subscriber(s)`, "sns.notifications", subs);
    }

    for (const q of ofType(records, T.sqsQueue)) {
        L.add("SQS", `${q.name}: ${a.sqsRequestsPerQueuePerMonth} requests`, "sqs.requests", a.sqsRequestsPerQueuePerMonth / 1_000_000, { assumptions: ["sqsRequestsPerQueuePerMonth"] });
    }
    for (const b of ofType(records, T.s3Bucket, T.s3BucketV2)) {
        L.add("S3 storage", `${b.name}: ${a.s3GbPerBucket} GB`, "s3.storage", a.s3GbPerBucket, { assumptions: ["s3GbPerBucket"] });
    }
    return L.out;
}

function driverTotals(lines: readonly CostLine[]): DriverTotal[] {
    return DRIVERS.map((driver) => ({ driver, monthlyUsd: round2(lines.filter((l) => l.driver === driver).reduce((s, l) => s + (l.monthlyUsd ?? 0), 0)) }))
        .filter((d) => lines.some((l) => l.driver === d.driver));
}

/** The estimate of a plan. `regionOf` maps record keys to their region. */
export function estimate(
    platform: PlatformConfig,
    records: readonly ResourceRecord[],
    regionOf: ReadonlyMap<string, string | undefined>,
    table: PriceTable,
): CostEstimate {
    const a = platform.cost.assumptions;
    const sorted = [...records].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    const spread = regionalSpread(table);
    const dnsLines = dnsCostLines(platform, sorted);
    const regions: RegionEstimate[] = platform.regions.map((rc) => {
        // Route 53 resources sit under the stack-level Dns component; their lines go to the region they serve.
        const lines = [
            ...regionLines(rc.region, sorted.filter((r) => regionOf.get(r.key) === rc.region), a, table, platform.today, spread),
            ...dnsLines.filter((l) => l.region === rc.region),
        ];
        return { region: rc.region, monthlyUsd: round2(lines.reduce((s, l) => s + (l.monthlyUsd ?? 0), 0)), drivers: driverTotals(lines), lines };
    });
    const all = regions.flatMap((r) => r.lines);
    const drivers = driverTotals(all).sort((x, y) => y.monthlyUsd - x.monthlyUsd || DRIVERS.indexOf(x.driver) - DRIVERS.indexOf(y.driver));
    const monthlyUsd = round2(regions.reduce((s, r) => s + r.monthlyUsd, 0));
    const usedKeys = new Set(all.flatMap((l) => l.assumptions ?? []));
    const set = new Set(platform.cost.setAssumptions);
    const budget = platform.cost.monthlyBudget;
    const unpriced = all.filter((l) => l.missing);
    const upperMonthlyUsd = unpriced.every((l) => l.bound)
        ? round2(monthlyUsd + unpriced.reduce((s, l) => s + l.bound!.monthlyUsd, 0))
        : undefined;
    return {
        stack: platform.stack,
        currency: "USD",
        hoursPerMonth: table.hoursPerMonth,
        monthlyUsd,
        regions,
        drivers,
        missing: unpriced.map((l) => ({ region: l.region, item: l.item, what: l.what, ...(l.bound ? { boundUsd: l.bound.monthlyUsd, boundRule: l.bound.rule } : {}) })),
        ...(unpriced.length > 0 && upperMonthlyUsd !== undefined ? { upperMonthlyUsd } : {}),
        ...(spread && unpriced.some((l) => l.bound) ? { boundRule: boundRuleText(spread) } : {}),
        assumptions: (Object.keys(COST_ASSUMPTION_DEFAULTS) as Array<keyof CostAssumptions>)
            .filter((k) => usedKeys.has(k) || set.has(k))
            .map((k) => ({ key: k, value: a[k], set: set.has(k) })),
        priceTable: { builtFrom: table.builtFrom, read: table.read, note: table.note },
        budget: budget === undefined ? undefined : {
            monthlyUsd: budget,
            // Over when the priced lines alone exceed it; shown to hold only when the most the stack can
            // cost (every unpriced line at its upper bound) is within it.
            exceeded: monthlyUsd > budget,
            unproven: monthlyUsd <= budget && unpriced.length > 0 && (upperMonthlyUsd === undefined || upperMonthlyUsd > budget),
            judged: unpriced.length === 0 ? "priced total" : "upper estimate",
            topDrivers: drivers.slice(0, 3),
        },
    };
}
