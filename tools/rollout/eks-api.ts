/**
 * What the rollout asks EKS directly (AWS SDK for JavaScript v3, @aws-sdk/client-eks), behind a small
 * interface the tests fake:
 * - the Kubernetes version a cluster really runs (DescribeCluster), which can differ from the stack's
 *   state when EKS upgraded the cluster itself at the end of standard support;
 * - the cluster's upgrade insights (ListInsights, category UPGRADE_READINESS), read before an update
 *   that changes the Kubernetes version. https://docs.aws.amazon.com/eks/latest/userguide/cluster-insights.html
 *
 * Credentials and retries are the SDK's defaults (the same AWS_* environment `pulumi up` uses). The
 * deploying identity needs eks:DescribeCluster and eks:ListInsights on the clusters.
 */
import { DescribeClusterCommand, EKSClient, ListInsightsCommand, ResourceNotFoundException } from "@aws-sdk/client-eks";

export type InsightStatus = "PASSING" | "WARNING" | "ERROR" | "UNKNOWN";

export interface UpgradeInsight {
    readonly id: string;
    readonly name: string;
    /** The Kubernetes version the insight is about (the upgrade target), when EKS says. */
    readonly kubernetesVersion?: string;
    readonly status: InsightStatus;
    readonly reason?: string;
    readonly description?: string;
}

export interface EksClusterApi {
    /** The cluster's Kubernetes version, or undefined when no cluster of that name exists. */
    clusterVersion(region: string, clusterName: string): Promise<string | undefined>;
    /** Every UPGRADE_READINESS insight of the cluster (all pages). Rejects when EKS cannot be asked. */
    upgradeInsights(region: string, clusterName: string): Promise<UpgradeInsight[]>;
}

/** The real thing: one SDK client per region. */
export function awsEksClusterApi(): EksClusterApi {
    const clients = new Map<string, EKSClient>();
    const client = (region: string) => {
        let c = clients.get(region);
        if (!c) {
            c = new EKSClient({ region });
            clients.set(region, c);
        }
        return c;
    };
    return {
        async clusterVersion(region, clusterName) {
            try {
                const out = await client(region).send(new DescribeClusterCommand({ name: clusterName }));
                return out.cluster?.version;
            } catch (e) {
                if (e instanceof ResourceNotFoundException) return undefined;
                throw e;
            }
        },
        async upgradeInsights(region, clusterName) {
            const insights: UpgradeInsight[] = [];
            let nextToken: string | undefined;
            do {
                const out = await client(region).send(new ListInsightsCommand({
                    clusterName, filter: { categories: ["UPGRADE_READINESS"] }, nextToken,
                }));
                for (const i of out.insights ?? []) {
                    insights.push({
                        id: i.id ?? "",
                        name: i.name ?? i.id ?? "(unnamed insight)",
                        kubernetesVersion: i.kubernetesVersion,
                        status: (i.insightStatus?.status ?? "UNKNOWN") as InsightStatus,
                        reason: i.insightStatus?.reason,
                        description: i.description,
                    });
                }
                nextToken = out.nextToken;
            } while (nextToken);
            return insights;
        },
    };
}
