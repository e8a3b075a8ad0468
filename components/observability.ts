/**
 * Observability of one region (eks-platform:observability): the amazon-cloudwatch-observability
 * add-on with its own Pod Identity role, the Container Insights log groups it writes to (created
 * first, with the environment's retention and a KMS key), one encrypted SNS topic with the
 * configured subscriptions, the region's alarms and its composite "region healthy" alarm (the one
 * that notifies, and the one the rollout's bake watches). Decisions are in observability-plan.ts.
 *
 * Where the ALB alarms find their load balancer: the load balancer controller creates the ALB of an
 * ingress group after the Ingress exists, with a random ID, so its metrics' `LoadBalancer` dimension
 * is unknown to IaC at first. The program asks the Resource Groups Tagging API for the ALB the
 * controller tagged `elbv2.k8s.aws/cluster=<cluster>` and `ingress.k8s.aws/stack=<group>` (the
 * controller's own tags). Found: the group's ALB alarms are registered with its ARN suffix. Not
 * found (the update that creates a region or its first internet-facing app): they are not, a
 * warning says so, and the next `pulumi up` (the next rollout) adds them.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ObservabilitySettings } from "../stacks/observability-schema";
import { addonVersionOf, registerAddon } from "./addon";
import { ingressClasses } from "./ingress-settings";
import { regionHealthyAlarmName } from "./observability-names";
import {
    AlarmSpec, CONTAINER_INSIGHTS_LOG_KINDS, OBSERVABILITY_ADDON, albAlarms, clusterAlarms, containerInsightsLogGroup,
    loadBalancerDimension, observabilityAddonRegistration, observabilityKeyPolicy, regionHealthyRule,
} from "./observability-plan";

export interface RegionObservabilityArgs {
    /** The region's provider; every child uses it. */
    readonly provider: aws.Provider;
    readonly environment: string;
    readonly region: string;
    /** The EKS cluster's name (known before it exists: log group names and alarm dimensions use it). */
    readonly clusterName: string;
    /** The cluster's ARN, which the add-on's Pod Identity role trusts. */
    readonly clusterArn: pulumi.Input<string>;
    /** The cluster's Kubernetes minor version; the add-on's pin is read for it (facts/data/addon-versions.json). */
    readonly kubernetesVersion: string;
    /** Each add-on's version (PlatformConfig's cluster.addonVersions). @default the pinned table's row for kubernetesVersion */
    readonly addonVersions?: Readonly<Record<string, string>>;
    /** Retention of the Container Insights log groups, in days (eks-platform:logRetentionDays). */
    readonly logRetentionDays: number;
    readonly settings: ObservabilitySettings;
    /** What the add-on waits for: nodes to run on (and through them the Pod Identity agent). @default [] */
    readonly addonAfter?: pulumi.Input<pulumi.Resource>[];
}

export class RegionObservability extends pulumi.ComponentResource {
    public readonly topicArn: pulumi.Output<string>;
    public readonly compositeAlarmArn: pulumi.Output<string>;
    public readonly compositeAlarmName: string;

    constructor(name: string, args: RegionObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:index:RegionObservability", name, {}, opts);
        const o = { parent: this, provider: args.provider };
        const cluster = args.clusterName;

        const accountId = aws.getCallerIdentityOutput({}, o).accountId;
        const partition = aws.getPartitionOutput({}, o).partition;
        const key = new aws.kms.Key(`${name}-key`, {
            description: `Container Insights logs and alarm topic of ${cluster}`,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            policy: pulumi.all([partition, accountId]).apply(([p, a]) => JSON.stringify(observabilityKeyPolicy({ partition: p, accountId: a, region: args.region, cluster }))),
        }, o);

        const logGroups = CONTAINER_INSIGHTS_LOG_KINDS.map((kind) => new aws.cloudwatch.LogGroup(`${name}-${kind}-logs`, {
            name: containerInsightsLogGroup(cluster, kind),
            retentionInDays: args.logRetentionDays,
            kmsKeyId: key.arn,
        }, o));

        registerAddon(observabilityAddonRegistration(name, addonVersionOf(OBSERVABILITY_ADDON, args.kubernetesVersion, args.addonVersions)),
            cluster, args.clusterArn, o, [...logGroups, ...(args.addonAfter ?? [])]);

        const topic = new aws.sns.Topic(`${name}-alarms`, { kmsMasterKeyId: key.arn }, o);
        args.settings.subscriptions.forEach((s, i) => {
            new aws.sns.TopicSubscription(`${name}-alarms-sub-${i}`, { topic: topic.arn, protocol: s.protocol, endpoint: s.endpoint }, o);
        });

        const t = args.settings.thresholds;
        const base = clusterAlarms(args.environment, args.region, cluster, t).map((spec) => this.alarm(name, spec, o));
        // ALB alarms per app group, once the controller's ALB exists (see the file comment).
        const groups = Object.entries(args.settings.appGroups);
        const albs = groups.map(([group, gt]) => {
            const groupName = ingressClasses(args.environment).find((c) => c.groupName.endsWith(`-${group}`))?.groupName ?? `${args.environment}-${group}`;
            return aws.resourcegroupstaggingapi.getResourcesOutput({
                resourceTypeFilters: ["elasticloadbalancing:loadbalancer"],
                tagFilters: [{ key: "elbv2.k8s.aws/cluster", values: [cluster] }, { key: "ingress.k8s.aws/stack", values: [groupName] }],
            }, o).resourceTagMappingLists.apply((found) => {
                const lb = found.map((f) => loadBalancerDimension(f.resourceArn)).find((d) => d !== undefined);
                if (!lb) {
                    pulumi.log.warn(`${args.region}: no ALB of ingress group ${groupName} yet (the load balancer controller creates it after the Ingress); ` +
                        "its ALB alarms are added by the next pulumi up", this);
                    return [] as aws.cloudwatch.MetricAlarm[];
                }
                return albAlarms(args.environment, args.region, group, lb, { ...gt, unhealthyTargets: t.unhealthyTargets }).map((spec) => this.alarm(name, spec, o));
            });
        });
        const children = pulumi.all(albs).apply((lists) => [...base, ...lists.flat()]);
        this.compositeAlarmName = regionHealthyAlarmName(args.environment, args.region);
        const composite = new aws.cloudwatch.CompositeAlarm(`${name}-region-healthy`, {
            alarmName: this.compositeAlarmName,
            alarmDescription: `${args.region} of ${args.environment} is unhealthy: one of its alarms is in ALARM. The rollout's bake watches this alarm.`,
            alarmRule: children.apply((c) => pulumi.all(c.map((a) => a.name))).apply((names) => regionHealthyRule(names)),
            alarmActions: [topic.arn],
            okActions: [topic.arn],
            actionsEnabled: true,
        }, { ...o, dependsOn: children });

        this.topicArn = topic.arn;
        this.compositeAlarmArn = composite.arn;
        this.registerOutputs({ topicArn: this.topicArn, compositeAlarmArn: this.compositeAlarmArn });
    }

    /** One metric alarm from its spec. Children notify nothing themselves: the composite does. */
    private alarm(prefix: string, spec: AlarmSpec, o: { parent: pulumi.Resource; provider: aws.Provider }): aws.cloudwatch.MetricAlarm {
        const single = spec.metric;
        return new aws.cloudwatch.MetricAlarm(`${prefix}-${spec.role}`, {
            name: spec.alarmName,
            alarmDescription: spec.description,
            comparisonOperator: spec.comparison,
            threshold: spec.threshold,
            evaluationPeriods: spec.evaluationPeriods,
            treatMissingData: spec.treatMissingData,
            ...(single ? {
                namespace: single.namespace, metricName: single.name, dimensions: { ...single.dimensions }, period: spec.periodSeconds,
                statistic: single.statistic, extendedStatistic: single.extendedStatistic,
            } : {
                metricQueries: spec.queries!.map((q) => ({
                    id: q.id, label: q.label, returnData: q.returnData, expression: q.expression,
                    // A Metrics Insights query carries its own period; metric math takes its metrics'.
                    period: q.expression?.startsWith("SELECT") ? spec.periodSeconds : undefined,
                    metric: q.metric ? { namespace: q.metric.namespace, metricName: q.metric.name, dimensions: { ...q.metric.dimensions }, stat: q.metric.stat, period: spec.periodSeconds } : undefined,
                })),
            }),
        }, o);
    }
}
