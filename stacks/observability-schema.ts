/**
 * `eks-platform:observability`: metrics and logs for every cluster (the amazon-cloudwatch-observability
 * add-on), alarms per region with one encrypted SNS topic and a composite "region healthy" alarm, and
 * the environment's dashboard (components/observability*.ts, docs/observability.md).
 *
 * Example (Pulumi.prod.yaml):
 *
 *   eks-platform:observability:
 *     alarms:
 *       subscriptions:
 *         - { protocol: email, endpoint: platform-oncall@example.com }
 *       thresholds:
 *         podRestarts: 10
 *       appGroups:
 *         public: { alb5xxRatio: 0.02 }
 *
 * The rollout's bake (`eks-platform:rollout.bakeMinutes`) watches the composite alarms, so it needs them.
 */
import { z } from "zod";
import { ConfigIssue, ConfigPath, issueAt } from "./errors";

/**
 * SNS subscription protocols a config may name, with what their endpoint must look like
 * (SNS Subscribe API: https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html).
 * `http` is left out on purpose: alarm text would cross the network in clear.
 */
export const SUBSCRIPTION_ENDPOINTS = {
    email: { pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, example: "oncall@example.com" },
    https: { pattern: /^https:\/\/[^\s/]+(\/\S*)?$/, example: "https://hooks.example.com/alarms" },
    sms: { pattern: /^\+[1-9]\d{6,14}$/, example: "+821012345678 (E.164)" },
    sqs: { pattern: /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[\w-]{1,80}(\.fifo)?$/, example: "arn:aws:sqs:ap-northeast-2:123456789012:alarms" },
    lambda: { pattern: /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]{1,64}(:[\w-]+)?$/, example: "arn:aws:lambda:ap-northeast-2:123456789012:function:page" },
} as const;
export type SubscriptionProtocol = keyof typeof SUBSCRIPTION_ENDPOINTS;
const PROTOCOLS = Object.keys(SUBSCRIPTION_ENDPOINTS) as [SubscriptionProtocol, ...SubscriptionProtocol[]];

export const subscriptionSchema = z.strictObject({
    protocol: z.enum(PROTOCOLS),
    endpoint: z.string().min(1, { message: "is required" }),
});

/** Threshold defaults: what a region must stay within during a bake and after. */
export const THRESHOLD_DEFAULTS = {
    /** ALB 5xx (load balancer + targets) per request, 0..1, over 5 minutes. */
    alb5xxRatio: 0.05,
    /** Target response time p99 in seconds, over 5 minutes. */
    p99LatencySeconds: 2,
    /** Unhealthy targets (max over the ALB's target groups) for 3 minutes. */
    unhealthyTargets: 1,
    /** Nodes not ready (Container Insights cluster_failed_node_count) for 3 minutes. */
    nodesNotReady: 1,
    /** Container restarts in the app namespaces per 5 minutes. */
    podRestarts: 5,
    /** Kubernetes API server 5xx responses per 5 minutes (AWS/EKS vended metric). */
    apiServer5xx: 50,
} as const;

const ratio = z.number().gt(0, { message: "must be a ratio above 0 and at most 1 (0.05 = 5 %)" }).max(1, { message: "must be a ratio of at most 1 (0.05 = 5 %)" });
const latency = z.number().gt(0, { message: "must be a latency in seconds above 0" }).max(60, { message: "must be at most 60 seconds (an ALB's idle timeout default)" });
const count = (max: number) => z.number().int({ message: "must be a whole number" }).min(1, { message: "must be 1 or more" }).max(max, { message: `must be at most ${max}` });

export const thresholdsSchema = z.strictObject({
    /** @default 0.05 */
    alb5xxRatio: ratio.default(THRESHOLD_DEFAULTS.alb5xxRatio),
    /** @default 2 */
    p99LatencySeconds: latency.default(THRESHOLD_DEFAULTS.p99LatencySeconds),
    /** @default 1 */
    unhealthyTargets: count(1000).default(THRESHOLD_DEFAULTS.unhealthyTargets),
    /** @default 1 */
    nodesNotReady: count(1000).default(THRESHOLD_DEFAULTS.nodesNotReady),
    /** @default 5 */
    podRestarts: count(100_000).default(THRESHOLD_DEFAULTS.podRestarts),
    /** @default 50 */
    apiServer5xx: count(1_000_000).default(THRESHOLD_DEFAULTS.apiServer5xx),
});

/** Per app group (ingress group, components/ingress-settings.ts): the ALB alarms' own thresholds. */
export const appGroupAlarmSchema = z.strictObject({
    alb5xxRatio: ratio.optional(),
    p99LatencySeconds: latency.optional(),
});

export const alarmsSchema = z.strictObject({
    /** Who is told when an alarm fires: one encrypted SNS topic per region, these subscriptions on each. @default [] */
    subscriptions: z.array(subscriptionSchema).max(20, { message: "at most 20 subscriptions" }).default([]),
    /** @default every threshold at its default (THRESHOLD_DEFAULTS) */
    thresholds: thresholdsSchema.default({ ...THRESHOLD_DEFAULTS }),
    /** Overrides for the ALB alarms of an app group: `public` (internet-facing apps). @default {} */
    appGroups: z.record(z.string(), appGroupAlarmSchema).default({}),
});

export const observabilitySchema = z.strictObject({
    /** The amazon-cloudwatch-observability add-on, its log groups, the alarms, topic and dashboard. @default the value of `production` */
    enabled: z.boolean().optional(),
    alarms: alarmsSchema.default({ subscriptions: [], thresholds: { ...THRESHOLD_DEFAULTS }, appGroups: {} }),
});

export type ObservabilitySpec = z.output<typeof observabilitySchema>;
export type AlarmThresholds = z.output<typeof thresholdsSchema>;
export type Subscription = z.output<typeof subscriptionSchema>;

/** Whether the stack turns observability on: production does unless it says otherwise. */
export function observabilityEnabled(spec: ObservabilitySpec | undefined, production: boolean): boolean {
    return spec?.enabled ?? production;
}

/**
 * App groups alarms may name: `public` for the internet-facing ALB (one per region, the ingress group
 * `<environment>-public`) when an app is internet-facing. Internal ALBs are not alarmed on: the
 * health gate of the rollout and the runner cannot see them either (docs/observability.md).
 */
export function alarmedAppGroups(apps: ReadonlyArray<{ readonly scheme: string }>): string[] {
    return apps.some((a) => a.scheme === "internet-facing") ? ["public"] : [];
}

export interface ObservabilityContext {
    readonly production: boolean;
    readonly apps: ReadonlyArray<{ readonly scheme: string }>;
    readonly observability?: ObservabilitySpec;
}

/** Rules the schema cannot say: subscription endpoints fit their protocol; app groups exist. */
export function observabilityIssues(ctx: ObservabilityContext): ConfigIssue[] {
    const spec = ctx.observability;
    if (!spec) return [];
    const root = { observability: spec };
    const issue = (path: ConfigPath, message: string): ConfigIssue => issueAt(root, path, message);
    const out: ConfigIssue[] = [];
    spec.alarms.subscriptions.forEach((s, i) => {
        const rule = SUBSCRIPTION_ENDPOINTS[s.protocol];
        if (!rule.pattern.test(s.endpoint)) {
            out.push(issue(["observability", "alarms", "subscriptions", i, "endpoint"], `is not a valid ${s.protocol} endpoint; expected e.g. ${rule.example}`));
        }
    });
    const groups = alarmedAppGroups(ctx.apps);
    for (const name of Object.keys(spec.alarms.appGroups)) {
        if (!groups.includes(name)) {
            out.push(issue(["observability", "alarms", "appGroups", name],
                `no app group "${name}" has ALB alarms; allowed: ${groups.length > 0 ? groups.join(", ") : "(none: no app is internet-facing)"}`));
        }
    }
    if (observabilityEnabled(spec, ctx.production) === false && spec.alarms.subscriptions.length > 0) {
        out.push(issue(["observability", "alarms", "subscriptions"], "has no effect while eks-platform:observability.enabled is false; turn it on or remove the subscriptions"));
    }
    return out;
}

/** The observability settings with every default applied (what components and tools read). */
export interface ObservabilitySettings {
    readonly enabled: boolean;
    readonly subscriptions: readonly Subscription[];
    readonly thresholds: AlarmThresholds;
    /** App groups with ALB alarms (`public`), each with its thresholds. */
    readonly appGroups: Readonly<Record<string, { readonly alb5xxRatio: number; readonly p99LatencySeconds: number }>>;
}

export function resolveObservability(spec: ObservabilitySpec | undefined, production: boolean, apps: ReadonlyArray<{ readonly scheme: string }>): ObservabilitySettings {
    const alarms = spec?.alarms ?? alarmsSchema.parse({});
    return {
        enabled: observabilityEnabled(spec, production),
        subscriptions: alarms.subscriptions,
        thresholds: alarms.thresholds,
        appGroups: Object.fromEntries(alarmedAppGroups(apps).map((g) => [g, {
            alb5xxRatio: alarms.appGroups[g]?.alb5xxRatio ?? alarms.thresholds.alb5xxRatio,
            p99LatencySeconds: alarms.appGroups[g]?.p99LatencySeconds ?? alarms.thresholds.p99LatencySeconds,
        }])),
    };
}
