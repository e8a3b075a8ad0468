/**
 * The environment's CloudWatch dashboard body, generated from config (names, not resources): alarm
 * states at the top (each region's composite "region healthy" alarm), then one row per region (its
 * alarms, nodes, pod restarts in app namespaces, Kubernetes API server errors). Dashboards are
 * global; each widget names its own region, so one dashboard shows every region. Alarm ARNs are
 * built from their names (`arn:<partition>:cloudwatch:<region>:<account>:alarm:<name>`), so the body
 * does not wait for other regions' alarms to exist; an alarm that does not exist yet (a region not
 * rolled out, an ALB the controller has not made) shows as missing until it does.
 * Body structure: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */
import { regionHealthyAlarmName } from "./observability-names";
import { SYSTEM_NAMESPACES, metricAlarmNames } from "./observability-plan";

export interface DashboardRegion {
    readonly region: string;
    readonly cluster: string;
    /** App groups with ALB alarms (`public`). */
    readonly albGroups: readonly string[];
}

export interface Widget {
    readonly type: "alarm" | "metric" | "text";
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
    readonly properties: Record<string, unknown>;
}

export function dashboardBody(args: { environment: string; partition: string; accountId: string; regions: readonly DashboardRegion[] }): { widgets: Widget[] } {
    const arn = (region: string, name: string) => `arn:${args.partition}:cloudwatch:${region}:${args.accountId}:alarm:${name}`;
    const apps = SYSTEM_NAMESPACES.map((n) => `Namespace != '${n}'`).join(" AND ");
    const widgets: Widget[] = [
        {
            type: "alarm", x: 0, y: 0, width: 24, height: 3,
            properties: { title: `${args.environment}: region health (composite alarms; the rollout's bake watches these)`, alarms: args.regions.map((r) => arn(r.region, regionHealthyAlarmName(args.environment, r.region))) },
        },
    ];
    args.regions.forEach((r, i) => {
        const y = 3 + i * 6;
        const metric = (x: number, title: string, metrics: unknown[], stat = "Sum") => widgets.push({
            type: "metric", x, y, width: 6, height: 6,
            properties: { title: `${r.region}: ${title}`, region: r.region, view: "timeSeries", stat, period: 300, metrics },
        });
        widgets.push({ type: "alarm", x: 0, y, width: 6, height: 6, properties: { title: `${r.region}: alarms`, alarms: metricAlarmNames(args.environment, r.region, r.albGroups).map((n) => arn(r.region, n)) } });
        metric(6, "nodes", [
            ["ContainerInsights", "cluster_node_count", "ClusterName", r.cluster, { stat: "Maximum" }],
            ["ContainerInsights", "cluster_failed_node_count", "ClusterName", r.cluster, { stat: "Maximum" }],
        ], "Maximum");
        // Per-scrape deltas (components/observability-plan.ts, the pod-restarts alarm): summed per period.
        metric(12, "container restarts per app namespace (5 min)", [[{
            id: "restarts", label: "restarts",
            expression: `SELECT SUM(pod_number_of_container_restarts) FROM SCHEMA(ContainerInsights, ClusterName, Namespace, PodName) WHERE ClusterName = '${r.cluster}' AND ${apps} GROUP BY Namespace`,
        }]]);
        metric(18, "Kubernetes API requests and 5xx", [
            ["AWS/EKS", "apiserver_request_total", "ClusterName", r.cluster],
            ["AWS/EKS", "apiserver_request_total_5XX", "ClusterName", r.cluster],
        ]);
    });
    return { widgets };
}
