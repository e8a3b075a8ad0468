/**
 * The stack config's schema: every `eks-platform:*` key, its type, its default and what is allowed.
 * Shapes and single-field rules live here (zod); rules that relate several fields live in
 * `validate.ts`. Defaults are applied here, once, so the rest of the program reads resolved values.
 */
import * as aws from "@pulumi/aws";
import { z } from "zod";
import { DEFAULT_SSL_POLICY, SSL_POLICIES, appSchema } from "./apps-schema";
import { parseCidr } from "./cidr";
import { costAssumptionsSchema, monthlyBudgetSchema } from "./cost-schema";
import { accountIdSchema, assumeRoleArnSchema } from "./account-schema";
import { dnsSchema } from "./dns-schema";
import { karpenterSchema } from "./karpenter-schema";
import { TAINT_EFFECTS, dnsLabel, labels, taintSchema } from "./schema-blocks";
import { autoModeSchema } from "./auto-mode-schema";
import { DEFAULT_ROLLOUT, rolloutSchema } from "./rollout-schema";
import { DEFAULT_KUBERNETES_VERSION } from "../facts/eks-versions";
import { observabilitySchema } from "./observability-schema";

export const AWS_REGIONS = Object.values(aws.Region) as string[];

/** Retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Smallest and largest VPC prefix the subnet plan supports (see components/network-plan.ts). */
export const VPC_PREFIX_MIN = 16;
export const VPC_PREFIX_MAX = 20;
export const MAX_AZS = 6;

export const ENDPOINT_ACCESS = ["public", "public-and-private", "private"] as const;
export const NAT_STRATEGIES = ["single", "per-az"] as const;
export const CAPACITY_TYPES = ["ON_DEMAND", "SPOT"] as const;
/** AMI types for managed node groups that this platform supports (AL2 reached end of support in 2025). */
export const AMI_TYPES = [
    "AL2023_x86_64_STANDARD",
    "AL2023_ARM_64_STANDARD",
    "BOTTLEROCKET_x86_64",
    "BOTTLEROCKET_ARM_64",
    // Accelerated: NVIDIA GPU drivers, or AWS Neuron (Inferentia, Trainium); see stacks/accelerators.ts.
    "AL2023_x86_64_NVIDIA",
    "AL2023_ARM_64_NVIDIA",
    "BOTTLEROCKET_x86_64_NVIDIA",
    "BOTTLEROCKET_ARM_64_NVIDIA",
    "AL2023_x86_64_NEURON",
] as const;
export { TAINT_EFFECTS, taintSchema };
/** The load balancer controller's feature gates (chart 3.5.0 values.yaml, `controllerConfig.featureGates`). */
export const ALB_CONTROLLER_FEATURE_GATES = [
    "ListenerRulesTagging", "WeightedTargetGroups", "ServiceTypeLoadBalancerOnly", "EndpointsFailOpen",
    "EnableServiceController", "EnableIPTargetType", "EnableTCPUDPListener", "EnableRGTAPI", "SubnetsClusterTagCheck",
    "NLBHealthCheckAdvancedConfig", "NLBSecurityGroup", "ALBSingleSubnet", "LBCapacityReservation",
    "SubnetDiscoveryByReachability", "NLBGatewayAPI", "ALBGatewayAPI", "GatewayListenerSet",
    "GlobalAcceleratorController", "IngressPlanAnnotation", "EnhancedDefaultBehavior", "EnableDefaultTagsLowPriority",
    "ALBTargetControlAgent", "EnableCertificateManagement",
] as const;
/** How a region gets its nodes (components/compute/). */
export const COMPUTE_MODES = ["managed-node-groups", "karpenter", "auto"] as const;

const cidr = z.string().refine((v) => parseCidr(v) !== undefined, {
    message: "not a valid IPv4 CIDR; expected a.b.c.d/n with no host bits set, e.g. 10.20.0.0/16",
});


export const nodeGroupSchema = z.strictObject({
    /** Name, unique in the stack; the EKS node group is named `<cluster>-<name>`. */
    name: dnsLabel(32),
    /** Instance types, first preferred. More than one lets spot and capacity shortages fall back. */
    instanceTypes: z.array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { message: "not an EC2 instance type such as m6i.large" }))
        .min(1, { message: "needs at least one instance type" }),
    /** @default "ON_DEMAND" */
    capacityType: z.enum(CAPACITY_TYPES).default("ON_DEMAND"),
    minSize: z.number().int().min(0).max(1000),
    desiredSize: z.number().int().min(0).max(1000),
    maxSize: z.number().int().min(1).max(1000),
    /** Root volume (gp3, encrypted) size in GiB. @default 50 */
    diskSizeGiB: z.number().int().min(20).max(16384).default(50),
    /** @default "AL2023_x86_64_STANDARD" */
    amiType: z.enum(AMI_TYPES).default("AL2023_x86_64_STANDARD"),
    /** @default {} */
    labels: labels.default({}),
    /** @default [] */
    taints: z.array(taintSchema).default([]),
    /** Nodes replaced at once during a rolling update. @default 1 */
    maxUnavailable: z.number().int().min(1).max(100).default(1),
    /**
     * Set when a cluster autoscaler or Karpenter owns this group's size: Pulumi then sets
     * `desiredSize` at creation only and never scales it back. Without one, leave it off so that
     * `desiredSize` (and raising `minSize` above it) take effect. @default false
     */
    autoscaler: z.boolean().default(false),
});

export const fargateProfileSchema = z.strictObject({
    name: dnsLabel(40),
    /** Pods that match any selector run on Fargate. EKS allows at most 5 selectors. */
    selectors: z.array(z.strictObject({
        namespace: dnsLabel(63),
        labels: labels.optional(),
    })).min(1, { message: "a Fargate profile needs at least one selector (namespace, optional labels)" }).max(5),
});

/** Stack-wide settings a region may override (`regions[].overrides`). */
const overridableShape = {
    /** `single`: one NAT gateway shared by all zones (cheap; one zone's outage cuts egress);
     *  `per-az`: one per zone (resilient). Required stack-wide; production requires `per-az`. */
    natGateways: z.enum(NAT_STRATEGIES).optional(),
    /** VPC flow logs to CloudWatch Logs. Required stack-wide. */
    flowLogs: z.boolean().optional(),
    /** @default "public-and-private" */
    endpointAccess: z.enum(ENDPOINT_ACCESS).optional(),
    /** CIDRs allowed to reach the public endpoint; required when the endpoint is public. @default [] */
    publicAccessCidrs: z.array(cidr).optional(),
    /**
     * `managed-node-groups`: the node groups are all the nodes; `karpenter`: the node groups are the
     * system nodes (tainted CriticalAddonsOnly) and Karpenter launches the rest from `karpenter`;
     * `auto`: EKS Auto Mode runs compute, block storage and load balancing (`autoMode`), no node groups.
     * @default "managed-node-groups"
     */
    computeMode: z.enum(COMPUTE_MODES).optional(),
};

export const regionSchema = z.strictObject({
    region: z.string().refine((r) => AWS_REGIONS.includes(r), {
        message: "unknown AWS region; expected a region code such as ap-northeast-2",
    }),
    /** The VPC's CIDR, /16 to /20; regions of one stack must not overlap (peering, transit gateway). */
    vpcCidr: cidr,
    /** Availability zones to use, the first N the region offers. @default 3 */
    azCount: z.number().int().min(2, { message: "needs at least 2 availability zones (EKS requires subnets in 2 zones)" })
        .max(MAX_AZS).default(3),
    /** Pin zone names instead of taking the first `azCount` (their count then sets azCount). */
    availabilityZones: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, { message: "not an availability zone name such as ap-northeast-2a" })).optional(),
    /** Per-region overrides of the stack-wide settings. */
    overrides: z.strictObject({
        ...overridableShape,
        /** Replaces the stack-wide node groups in this region. */
        nodeGroups: z.array(nodeGroupSchema).optional(),
    }).optional(),
});

/**
 * Every `eks-platform:*` key. Keys not listed here are rejected. Object-valued keys (tags, regions,
 * nodeGroups, ...) cannot be typed in Pulumi.yaml (its config types are string, integer, boolean and
 * arrays of those), so this schema is where they are checked.
 */
/** An IAM role or user ARN (an access entry's principal). */
const principalArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/, {
    message: "must be an IAM role or user ARN such as arn:aws:iam::123456789012:role/platform-admin",
});

export const platformSchema = z.strictObject({
    /**
     * Short environment name used in resource names and tags, e.g. "dev". At most 10 characters:
     * with region codes of up to 14 characters generated IAM role names stay within IAM's 64; the
     * 15-character ones (us-isof-south-1) need a shorter one (stacks/name-limits.ts checks).
     */
    environment: dnsLabel(10),
    /**
     * The 12-digit AWS account this environment deploys into: every AWS provider allows only it
     * (`allowedAccountIds`), and `npm run rollout` refuses other credentials before anything changes.
     * Required (stacks/account-schema.ts).
     */
    accountId: accountIdSchema,
    /**
     * An IAM role in `accountId` that every AWS provider (and the clusters' kubeconfig) assumes, so one
     * CI identity can deploy environments kept in separate accounts. @default none (the ambient credentials)
     */
    assumeRoleArn: assumeRoleArnSchema.optional(),
    /**
     * Create the account-wide EC2 Spot service-linked role (AWSServiceRoleForEC2Spot) that Karpenter's
     * Spot launches need, in a fresh account (components/service-linked-roles.ts). Kept in IAM on
     * destroy. Leave it off when the account has the role (`npm run rollout` checks). @default false
     */
    createSpotServiceLinkedRole: z.boolean().default(false),
    /** Marks the environment as production: stricter validation and safer defaults. @default false */
    production: z.boolean().default(false),
    /** EKS deletion protection and Pulumi `protect` on the cluster and KMS key. Required: every stack decides. */
    protect: z.boolean(),
    /**
     * Tags on every AWS resource (merged with environment, region, project and managed-by); keys and values
     * as EC2, IAM and EKS accept them (stacks/tag-rules.ts, checked in stacks/limits.ts). @default {}
     */
    tags: z.record(z.string(), z.string()).default({}),
    regions: z.array(regionSchema).min(1, { message: "needs at least one region" }),
    ...overridableShape,
    natGateways: z.enum(NAT_STRATEGIES),
    flowLogs: z.boolean(),
    /**
     * Keep the cluster on a Kubernetes version past its standard support (paid extended support)
     * instead of letting EKS upgrade it at the end of standard support. @default false
     * https://docs.aws.amazon.com/eks/latest/userguide/view-upgrade-policy.html
     */
    extendedSupport: z.boolean().default(false),
    /**
     * Kubernetes minor version, e.g. "1.36": one EKS offers on the day of the run, in standard support
     * unless `extendedSupport` is on (checked against facts/data/eks-versions.json by
     * stacks/version-validate.ts). A string key: Pulumi hands an unquoted YAML 1.30 to the program
     * as "1.3", which the check answers with "quote the version". @default "1.36"
     */
    kubernetesVersion: z.string().default(DEFAULT_KUBERNETES_VERSION),
    /**
     * Per add-on, a version that replaces the pinned table's (facts/data/addon-versions.json) for this
     * stack, e.g. `{ coredns: "v1.13.2-eksbuild.1" }` (stacks/addon-versions.ts checks names and format).
     * @default {} (every add-on at the table's pin for kubernetesVersion)
     */
    addonVersions: z.record(z.string(), z.string()).default({}),
    endpointAccess: z.enum(ENDPOINT_ACCESS).default("public-and-private"),
    publicAccessCidrs: z.array(cidr).default([]),
    /** IAM role or user ARNs given cluster-admin through access entries. @default [] */
    adminPrincipals: z.array(principalArn).default([]),
    /**
     * IAM role or user ARNs that run `pulumi preview` (CI's preview role): an access entry in the
     * Kubernetes group bound to the preview ClusterRole (components/preview-rbac.ts). @default []
     */
    previewPrincipals: z.array(principalArn).default([]),
    /** Retention of the control-plane (and flow-log) log groups, in days. @default 90 */
    logRetentionDays: z.number().refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
        message: `must be one of CloudWatch's retention periods: ${LOG_RETENTION_DAYS.join(", ")}`,
    }).default(90),
    /**
     * Required unless every region's computeMode is `auto` (then refused: Auto Mode launches the nodes);
     * stacks/config.ts reports it missing at this key.
     */
    nodeGroups: z.array(nodeGroupSchema).min(1, { message: "needs at least one node group (system pods and the load balancer controller run there)" }).optional(),
    /** @default [] */
    fargateProfiles: z.array(fargateProfileSchema).default([]),
    computeMode: z.enum(COMPUTE_MODES).default("managed-node-groups"),
    /** Karpenter's node classes and pools, for regions whose computeMode is `karpenter`. @default none */
    karpenter: karpenterSchema.optional(),
    /**
     * Lets `npm run rollout` change a deployed region's computeMode, which replaces its nodes (and, to or
     * from `auto`, its add-ons, controller and ALBs); refused without it (tools/rollout/compute-mode-gate.ts).
     * @default false
     */
    acknowledgeComputeModeChange: z.boolean().default(false),
    /** EKS Auto Mode's built-in pools and custom NodeClasses/NodePools, for regions whose computeMode is `auto`. @default built-in pools system and general-purpose */
    autoMode: autoModeSchema.optional(),
    /** TLS policy of every HTTPS listener the load balancer controller creates. @default "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" */
    ingressSslPolicy: z.enum(SSL_POLICIES).default(DEFAULT_SSL_POLICY),
    /**
     * Access logs of every ALB (internet-facing and internal) to an S3 bucket the platform creates per region (SSE-S3,
     * private, expiring; components/alb-logs.ts). @default the value of `production`
     */
    albAccessLogs: z.boolean().optional(),
    /** Days until an ALB access-log object expires. @default 90 */
    albAccessLogRetentionDays: z.number().int().min(1).max(3650, { message: "must be at most 3650 days (10 years)" }).default(90),
    /**
     * Deletion protection on every ALB, internet-facing and internal (turn it off and `pulumi up` before `pulumi destroy`).
     * @default the value of `production`
     */
    albDeletionProtection: z.boolean().optional(),
    /**
     * Feature gates of the load balancer controller (chart value `controllerConfig.featureGates`; names as
     * in the chart's values.yaml of v3.5.0). When an app routes through a Gateway the platform sets
     * ALBGatewayAPI on and NLBGatewayAPI and GatewayListenerSet off unless given here
     * (components/gateway-api/settings.ts). @default {}
     */
    albControllerFeatureGates: z.partialRecord(z.enum(ALB_CONTROLLER_FEATURE_GATES), z.boolean()).default({}),
    /** Applications deployed to every region. @default [] */
    apps: z.array(appSchema).default([]),
    /**
     * Route 53 hosted zone(s) where apps' hosts get their names: managed ACM certificates validated by
     * DNS, alias records to each region's load balancer with a routing policy, a health check per region
     * (stacks/dns-schema.ts, components/dns.ts). @default none (apps bring certificateArns; DNS is yours)
     */
    dns: dnsSchema.optional(),
    /** How `npm run rollout` rolls the stack out: waves, pause, health checks (docs/rollout.md). @default first region alone, then the rest */
    rollout: rolloutSchema.default(DEFAULT_ROLLOUT),
    /** Metrics, logs, alarms and the dashboard (stacks/observability-schema.ts, docs/observability.md). @default on in production, off elsewhere */
    observability: observabilitySchema.optional(),
    /** Usage the cost estimate of `npm run plan` cannot know (stacks/cost-schema.ts). @default {} (every assumption at its default) */
    costAssumptions: costAssumptionsSchema.default({}),
    /** Monthly budget in USD: `npm run plan` exits 3 when its estimate exceeds it. @default none */
    monthlyBudget: monthlyBudgetSchema.optional(),
});

export type PlatformInput = z.input<typeof platformSchema>;
export type ParsedPlatform = z.output<typeof platformSchema>;
export type NodeGroupSpec = z.output<typeof nodeGroupSchema>;
export type FargateProfileSpec = z.output<typeof fargateProfileSchema>;
export type Taint = z.output<typeof taintSchema>;
export type EndpointAccess = (typeof ENDPOINT_ACCESS)[number];
export type NatStrategy = (typeof NAT_STRATEGIES)[number];
export type ComputeModeName = (typeof COMPUTE_MODES)[number];
