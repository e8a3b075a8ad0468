/**
 * `eks-platform:costAssumptions` and `eks-platform:monthlyBudget`: what the plan's cost estimate
 * (tools/plan/cost) cannot read from the program, and the budget it is checked against.
 *
 * Every assumption has a documented default; the estimate lists every one it used, and whether the
 * stack set it. Example (Pulumi.prod.yaml):
 *
 *   eks-platform:costAssumptions:
 *     natDataGbPerMonth: 500
 *     karpenterAverageNodes: 4
 *   eks-platform:monthlyBudget: 3000
 */
import { z } from "zod";

const nonNegative = z.number().min(0, { message: "must be 0 or more" });
/**
 * A count or volume between 0 and `max`: every assumption is bounded, so no estimate line can overflow
 * to Infinity ("$∞" and null in cost.json with 1e308). `max` is a real limit where one exists (Fargate's
 * largest pod, 16 vCPU and 120 GB: https://docs.aws.amazon.com/eks/latest/userguide/fargate-pod-configuration.html;
 * gp3's largest volume, 16 TiB: https://docs.aws.amazon.com/ebs/latest/userguide/general-purpose.html), else far
 * above any platform this project builds.
 */
const upTo = (max: number, what: string) => nonNegative.max(max, { message: `must be between 0 and ${max.toLocaleString("en-US")} (${what})` });
const instanceType = z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { message: "not an EC2 instance type such as m6i.large" });

/** Defaults of every assumption, with what each means (shown in the estimate and the README). */
export const COST_ASSUMPTION_DEFAULTS = {
    /** Data processed by each NAT gateway per month (image pulls, egress), in GB. @default 100 */
    natDataGbPerMonth: 100,
    /** Average Load Balancer Capacity Units each ALB uses, per hour. @default 1 */
    albAverageLcu: 1,
    /** Control-plane logs each cluster sends to CloudWatch Logs per month (5 log types), in GB. @default 10 */
    controlPlaneLogGbPerMonth: 10,
    /** Container logs (Fluent Bit) and performance events (EMF) each cluster's observability add-on sends to CloudWatch Logs per month, in GB. @default 20 */
    containerInsightsLogGbPerMonth: 20,
    /** VPC flow logs each flow log delivers to CloudWatch Logs per month, in GB. @default 20 */
    flowLogGbPerMonth: 20,
    /** KMS requests per key per month (EKS envelope encryption of Secrets). @default 10000 */
    kmsRequestsPerKeyPerMonth: 10000,
    /** Discount of spot capacity against on-demand, as a fraction (0.6 = 60% cheaper). @default 0.6 */
    spotDiscount: 0.6,
    /** Average number of nodes each Karpenter NodePool runs. @default 2 */
    karpenterAverageNodes: 2,
    /** Instance type a Karpenter node is assumed to be. @default "m6i.large" */
    karpenterInstanceType: "m6i.large",
    /** Root volume of a Karpenter node (gp3), in GiB. @default 20 */
    karpenterNodeDiskGiB: 20,
    /** Average number of nodes EKS Auto Mode runs per cluster. @default 2 */
    autoModeAverageNodes: 2,
    /** Instance type an Auto Mode node is assumed to be. @default "m6i.large" */
    autoModeInstanceType: "m6i.large",
    /** Pods running on each Fargate profile on average. @default 2 */
    fargatePodsPerProfile: 2,
    /** vCPU of a Fargate pod. @default 0.25 */
    fargatePodVcpu: 0.25,
    /** Memory of a Fargate pod, in GB. @default 0.5 */
    fargatePodMemoryGb: 0.5,
    /** Requests per SQS queue per month (Karpenter's interruption queue polls continuously). @default 1000000 */
    sqsRequestsPerQueuePerMonth: 1_000_000,
    /** Stored data per S3 bucket (e.g. ALB access logs), in GB. @default 10 */
    s3GbPerBucket: 10,
} as const;

export type CostAssumptions = { -readonly [K in keyof typeof COST_ASSUMPTION_DEFAULTS]: (typeof COST_ASSUMPTION_DEFAULTS)[K] extends string ? string : number };

export const costAssumptionsSchema = z.strictObject({
    natDataGbPerMonth: upTo(10_000_000, "10 PB a month per NAT gateway").optional(),
    albAverageLcu: upTo(100_000, "far above any ALB's average").optional(),
    controlPlaneLogGbPerMonth: upTo(1_000_000, "1 PB a month").optional(),
    flowLogGbPerMonth: upTo(1_000_000, "1 PB a month").optional(),
    containerInsightsLogGbPerMonth: upTo(1_000_000, "1 PB a month").optional(),
    kmsRequestsPerKeyPerMonth: upTo(1e12, "a trillion requests a month").optional(),
    spotDiscount: z.number().min(0, { message: "must be between 0 and 0.95" }).max(0.95, { message: "must be between 0 and 0.95" }).optional(),
    karpenterAverageNodes: upTo(100_000, "far above EKS's largest tested cluster").optional(),
    karpenterInstanceType: instanceType.optional(),
    karpenterNodeDiskGiB: upTo(16_384, "gp3's largest volume, 16 TiB").optional(),
    autoModeAverageNodes: upTo(100_000, "far above EKS's largest tested cluster").optional(),
    autoModeInstanceType: instanceType.optional(),
    fargatePodsPerProfile: upTo(100_000, "far above any profile's pods").optional(),
    fargatePodVcpu: upTo(16, "Fargate's largest pod").optional(),
    fargatePodMemoryGb: upTo(120, "Fargate's largest pod").optional(),
    sqsRequestsPerQueuePerMonth: upTo(1e12, "a trillion requests a month").optional(),
    s3GbPerBucket: upTo(100_000_000, "100 PB").optional(),
});

export type CostAssumptionsInput = z.output<typeof costAssumptionsSchema>;

/** Monthly budget in USD; the plan exits 3 when the estimate exceeds it. */
export const monthlyBudgetSchema = z.number().positive({ message: "must be a positive number of US dollars per month" })
    .max(1e12, { message: "must be at most 1,000,000,000,000 US dollars per month" });

/** Every assumption with its value: the stack's when set, else the default. */
export function resolveCostAssumptions(set: CostAssumptionsInput | undefined): CostAssumptions {
    return { ...COST_ASSUMPTION_DEFAULTS, ...Object.fromEntries(Object.entries(set ?? {}).filter(([, v]) => v !== undefined)) } as CostAssumptions;
}
