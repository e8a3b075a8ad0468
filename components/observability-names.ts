/**
 * Names of the observability resources that other code finds by name: the rollout's bake reads the
 * composite alarm of each region (tools/rollout/gates/bake.ts), the dashboard shows it. Pure, so the
 * rollout can import it without the Pulumi program.
 */

/** The composite "region healthy" alarm of one region (ALARM when any of the region's alarms is). */
export function regionHealthyAlarmName(environment: string, region: string): string {
    return `${environment}-${region}-region-healthy`;
}

/** One metric alarm of a region: `<environment>-<region>-<what>`. */
export function regionAlarmName(environment: string, region: string, what: string): string {
    return `${environment}-${region}-${what}`;
}

/** The environment's dashboard (dashboards are global: one name per account). */
export function dashboardName(environment: string): string {
    return `eks-platform-${environment}`;
}

/** The console page of an alarm. */
export function alarmConsoleLink(region: string, alarmName: string): string {
    return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(alarmName)}`;
}

/**
 * Tag on a production EKS cluster (clusterTags): the policy pack's stack policy requires such a
 * cluster to have the observability add-on and an alarm subscriber (policy/stack-rules.ts).
 */
export const PRODUCTION_TAG = "eks-platform:production";
