/**
 * What the observability of one region is, as plain data (components/observability.ts registers it):
 * the amazon-cloudwatch-observability add-on with its Pod Identity identity and configuration, the
 * log groups it writes to, the KMS key policy for those groups and the alarm topic, the alarms and
 * the composite "region healthy" rule. Pure: tests and the offline plan read it directly.
 *
 * Facts relied on (docs/observability.md has the sources):
 * - The add-on's agent and Fluent Bit run as service account `cloudwatch-agent` in namespace
 *   `amazon-cloudwatch` (one Pod Identity association serves both, add-on >= v3.1.0).
 * - Fluent Bit writes /aws/containerinsights/<cluster>/{application,dataplane,host} and the agent's
 *   EMF exporter /aws/containerinsights/<cluster>/performance, creating them if absent (no retention,
 *   no KMS); they reuse groups that exist, so the platform creates them first.
 * - The agent and Fluent Bit DaemonSets tolerate every taint (root `tolerations: [{operator: Exists}]`)
 *   and never run on Fargate (node affinity compute-type NotIn [fargate]); the operator Deployment
 *   (`manager`) tolerates nothing unless told.
 */
import { regionAlarmName, regionHealthyAlarmName } from "./observability-names";
import type { AlarmThresholds } from "../stacks/observability-schema";
import type { AddonRegistration } from "./addons-plan";
import { MANAGED_POLICY, type PolicyDocument } from "./iam-policies";

export const OBSERVABILITY_ADDON = "amazon-cloudwatch-observability";
export const OBSERVABILITY_NAMESPACE = "amazon-cloudwatch";
export const OBSERVABILITY_SERVICE_ACCOUNT = "cloudwatch-agent";

/**
 * The add-on of RegionObservability `name`: `<name>-addon`, with its Pod Identity role `<name>-agent-role`
 * for amazon-cloudwatch/cloudwatch-agent holding CloudWatchAgentServerPolicy (`<name>-agent-policy`) and
 * AWSXrayWriteOnlyAccess (`<name>-agent-xray`). The add-on waits for both attachments: the agent
 * writes from its first start.
 */
export function observabilityAddonRegistration(name: string, version: string): AddonRegistration {
    return {
        resourceName: `${name}-addon`,
        addonName: OBSERVABILITY_ADDON,
        version,
        configuration: observabilityAddonConfiguration(),
        podIdentity: {
            roleResourceName: `${name}-agent-role`,
            namespace: OBSERVABILITY_NAMESPACE,
            serviceAccount: OBSERVABILITY_SERVICE_ACCOUNT,
            policies: [
                { resourceName: `${name}-agent-policy`, policyArn: MANAGED_POLICY.cloudWatchAgent },
                { resourceName: `${name}-agent-xray`, policyArn: MANAGED_POLICY.xrayWrite },
            ],
        },
    };
}

/** The four groups the add-on writes to (Container Insights on EKS). */
export const CONTAINER_INSIGHTS_LOG_KINDS = ["application", "dataplane", "host", "performance"] as const;

export function containerInsightsLogGroup(cluster: string, kind: (typeof CONTAINER_INSIGHTS_LOG_KINDS)[number]): string {
    return `/aws/containerinsights/${cluster}/${kind}`;
}

/** Namespaces whose pods are the platform's, not the apps': left out of the restart alarm. */
export const SYSTEM_NAMESPACES = ["kube-system", "amazon-cloudwatch", "karpenter", "kube-node-lease", "kube-public"] as const;

/**
 * The add-on's configuration (`aws eks describe-addon-configuration`). The operator (`manager`) is
 * given the system nodes' CriticalAddonsOnly toleration, so it may run there as well as on workload
 * nodes; the DaemonSets already tolerate every taint. Container logs stay on (Fluent Bit). The
 * whole configuration is sent on every update (values left out return to their defaults).
 */
export function observabilityAddonConfiguration(): Record<string, unknown> {
    return {
        containerLogs: { enabled: true },
        manager: { tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }] },
    };
}

/**
 * The region's observability key: account administration, CloudWatch Logs for this cluster's
 * Container Insights groups (the encryption context names the group), and CloudWatch alarms
 * publishing to the encrypted topic (an SSE topic needs a customer-managed key that lets
 * cloudwatch.amazonaws.com use kms:Decrypt and kms:GenerateDataKey*; alarms to a topic under
 * alias/aws/sns are dropped). https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
 */
export function observabilityKeyPolicy(args: { partition: string; accountId: string; region: string; cluster: string }): PolicyDocument {
    const { partition, accountId, region, cluster } = args;
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" },
            {
                Sid: "LogsEncryptContainerInsights", Effect: "Allow", Principal: { Service: `logs.${region}.amazonaws.com` },
                Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"], Resource: "*",
                Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${region}:${accountId}:log-group:/aws/containerinsights/${cluster}/*` } },
            },
            {
                Sid: "AlarmsPublishToTopic", Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"], Resource: "*",
            },
        ],
    };
}

/** One metric alarm: a single metric, or a query (metric math or Metrics Insights). */
export interface AlarmSpec {
    /** Short role in the resource and alarm name. */
    readonly role: string;
    readonly alarmName: string;
    readonly description: string;
    readonly threshold: number;
    readonly comparison: "GreaterThanOrEqualToThreshold" | "GreaterThanThreshold";
    readonly periodSeconds: number;
    readonly evaluationPeriods: number;
    /** `missing`: a signal that must report (no data keeps the alarm INSUFFICIENT_DATA, which the bake waits on). */
    readonly treatMissingData: "missing" | "notBreaching";
    /** A plain metric ... */
    readonly metric?: { readonly namespace: string; readonly name: string; readonly dimensions: Readonly<Record<string, string>>; readonly statistic?: string; readonly extendedStatistic?: string };
    /** ... or queries, exactly one with returnData. */
    readonly queries?: ReadonlyArray<{ readonly id: string; readonly expression?: string; readonly metric?: { readonly namespace: string; readonly name: string; readonly dimensions: Readonly<Record<string, string>>; readonly stat: string }; readonly returnData: boolean; readonly label?: string }>;
    /** Metrics the dashboard graphs for it (namespace, name). */
    readonly shows: string;
}

const q = (s: string) => s.replace(/'/g, "''");

/** What clusterAlarms names its alarms (`<environment>-<region>-<what>`), in its order. */
export const CLUSTER_ALARMS = ["nodes-not-ready", "pod-restarts", "api-5xx"] as const;
/** What albAlarms names an app group's alarms (`<environment>-<region>-<group>-alb-<what>`), in its order. */
export const ALB_ALARMS = ["5xx", "p99", "unhealthy"] as const;

/** The names of a region's metric alarms, as clusterAlarms and albAlarms (per ALB group) name them. */
export function metricAlarmNames(environment: string, region: string, albGroups: readonly string[]): string[] {
    return [
        ...CLUSTER_ALARMS.map((what) => regionAlarmName(environment, region, what)),
        ...albGroups.flatMap((group) => ALB_ALARMS.map((what) => regionAlarmName(environment, region, `${group}-alb-${what}`))),
    ];
}

/** The alarms every region has, whatever its apps: nodes, pods, API server. */
export function clusterAlarms(environment: string, region: string, cluster: string, t: AlarmThresholds): AlarmSpec[] {
    const name = (what: (typeof CLUSTER_ALARMS)[number]) => regionAlarmName(environment, region, what);
    const apps = SYSTEM_NAMESPACES.map((n) => `Namespace != '${n}'`).join(" AND ");
    return [
        {
            role: "nodes-not-ready", alarmName: name("nodes-not-ready"),
            description: `Nodes of ${cluster} not ready (Container Insights cluster_failed_node_count) >= ${t.nodesNotReady} for 3 minutes`,
            threshold: t.nodesNotReady, comparison: "GreaterThanOrEqualToThreshold", periodSeconds: 60, evaluationPeriods: 3,
            treatMissingData: "missing",
            metric: { namespace: "ContainerInsights", name: "cluster_failed_node_count", dimensions: { ClusterName: cluster }, statistic: "Maximum" },
            shows: "ContainerInsights cluster_failed_node_count",
        },
        // pod_number_of_container_restarts is a per-collection delta, not a running count: on each scrape the
        // agent reports how much the pod's summed containerStatuses[].restartCount grew since its previous
        // scrape, 0 when it did not (amazon-contributing/opentelemetry-collector-contrib, the fork the CloudWatch
        // agent builds on, and upstream alike: receiver/awscontainerinsightreceiver/
        // internal/stores/podstore.go, PodStore.addStatus, prevPodMeasurement). So a window's restarts are the
        // SUM of its data points: MAX would see at most the restarts of one scrape interval (a crash-looping
        // pod restarts about once per interval under back-off) and never reach a threshold above that.
        // SUM over the app pods, one series (the aggregate form of a Metrics Insights alarm:
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Metrics_Insights_Alarm.html).
        {
            role: "pod-restarts", alarmName: name("pod-restarts"),
            description: `Containers of pods in the app namespaces of ${cluster} restarted >= ${t.podRestarts} times in 5 minutes (Container Insights pod_number_of_container_restarts, summed over pods and the window)`,
            threshold: t.podRestarts, comparison: "GreaterThanOrEqualToThreshold", periodSeconds: 300, evaluationPeriods: 1,
            treatMissingData: "notBreaching",
            queries: [{
                id: "restarts", returnData: true, label: "restarts in app namespaces",
                expression: `SELECT SUM(pod_number_of_container_restarts) FROM SCHEMA(ContainerInsights, ClusterName, Namespace, PodName) WHERE ClusterName = '${q(cluster)}' AND ${apps}`,
            }],
            shows: "ContainerInsights pod_number_of_container_restarts",
        },
        {
            role: "api-5xx", alarmName: name("api-5xx"),
            description: `Kubernetes API server 5xx responses of ${cluster} (AWS/EKS apiserver_request_total_5XX) >= ${t.apiServer5xx} in 5 minutes`,
            threshold: t.apiServer5xx, comparison: "GreaterThanOrEqualToThreshold", periodSeconds: 300, evaluationPeriods: 1,
            treatMissingData: "notBreaching",
            metric: { namespace: "AWS/EKS", name: "apiserver_request_total_5XX", dimensions: { ClusterName: cluster }, statistic: "Sum" },
            shows: "AWS/EKS apiserver_request_total_5XX",
        },
    ];
}

/**
 * The ALB alarms of an app group whose load balancer is known (`LoadBalancer` = the ALB ARN's
 * suffix `app/<name>/<id>`, which only exists once the controller created it): 5xx per request,
 * p99 target response time, unhealthy targets over every target group of the ALB. ALB metrics
 * report only while requests flow, so missing data is not breaching.
 */
export function albAlarms(environment: string, region: string, group: string, loadBalancer: string, t: { alb5xxRatio: number; p99LatencySeconds: number; unhealthyTargets: number }): AlarmSpec[] {
    const name = (what: (typeof ALB_ALARMS)[number]) => regionAlarmName(environment, region, `${group}-alb-${what}`);
    const lb = { LoadBalancer: loadBalancer };
    const m = (id: string, metric: string) => ({ id, returnData: false, metric: { namespace: "AWS/ApplicationELB", name: metric, dimensions: lb, stat: "Sum" } });
    return [
        {
            role: `${group}-alb-5xx`, alarmName: name("5xx"),
            description: `5xx responses (load balancer + targets) per request on the ${group} ALB > ${t.alb5xxRatio} over 5 minutes`,
            threshold: t.alb5xxRatio, comparison: "GreaterThanThreshold", periodSeconds: 300, evaluationPeriods: 1, treatMissingData: "notBreaching",
            queries: [
                m("elb5xx", "HTTPCode_ELB_5XX_Count"), m("target5xx", "HTTPCode_Target_5XX_Count"), m("requests", "RequestCount"),
                { id: "ratio", returnData: true, label: "5xx per request", expression: "IF(FILL(requests,0) > 0, (FILL(elb5xx,0) + FILL(target5xx,0)) / requests, 0)" },
            ],
            shows: "AWS/ApplicationELB HTTPCode_ELB_5XX_Count, HTTPCode_Target_5XX_Count, RequestCount",
        },
        {
            role: `${group}-alb-p99`, alarmName: name("p99"),
            description: `p99 target response time on the ${group} ALB > ${t.p99LatencySeconds} s for 5 minutes`,
            threshold: t.p99LatencySeconds, comparison: "GreaterThanThreshold", periodSeconds: 60, evaluationPeriods: 5, treatMissingData: "notBreaching",
            metric: { namespace: "AWS/ApplicationELB", name: "TargetResponseTime", dimensions: lb, extendedStatistic: "p99" },
            shows: "AWS/ApplicationELB TargetResponseTime p99",
        },
        {
            role: `${group}-alb-unhealthy`, alarmName: name("unhealthy"),
            description: `Unhealthy targets in any target group of the ${group} ALB >= ${t.unhealthyTargets} for 3 minutes`,
            threshold: t.unhealthyTargets, comparison: "GreaterThanOrEqualToThreshold", periodSeconds: 60, evaluationPeriods: 3, treatMissingData: "notBreaching",
            queries: [{
                id: "unhealthy", returnData: true, label: "unhealthy targets (max per target group)",
                expression: `SELECT MAX(UnHealthyHostCount) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer, TargetGroup) WHERE LoadBalancer = '${q(loadBalancer)}'`,
            }],
            shows: "AWS/ApplicationELB UnHealthyHostCount",
        },
    ];
}

/** The composite rule: the region is unhealthy when any of its alarms is in ALARM (at most 100 children). */
export function regionHealthyRule(alarmNames: readonly string[]): string {
    if (alarmNames.length === 0 || alarmNames.length > 100) throw new Error(`a composite alarm takes 1 to 100 children, got ${alarmNames.length}`);
    return alarmNames.map((n) => `ALARM("${n}")`).join(" OR ");
}

export { regionHealthyAlarmName };

/** `app/<name>/<id>` from an ALB ARN (`...:loadbalancer/app/<name>/<id>`), the metrics' LoadBalancer dimension. */
export function loadBalancerDimension(arn: string): string | undefined {
    const m = /:loadbalancer\/(app\/[^/]+\/[0-9a-f]+)$/.exec(arn);
    return m?.[1];
}
