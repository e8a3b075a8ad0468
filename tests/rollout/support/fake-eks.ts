/**
 * A scripted stand-in for the rollout's EKS API (tools/rollout/eks-api.ts): cluster versions and
 * upgrade insights per region, or an error, recording every call.
 */
import type { EksClusterApi, UpgradeInsight } from "../../../tools/rollout/eks-api";

export class FakeEks implements EksClusterApi {
    readonly calls: string[] = [];
    /** region -> version the cluster runs (absent: no cluster). */
    versions: Record<string, string> = {};
    /** region -> insights ListInsights returns. */
    insights: Record<string, UpgradeInsight[]> = {};
    /** Thrown by upgradeInsights (e.g. AccessDenied). */
    insightsError?: Error;
    versionError?: Error;
    /** When set, the fake offers refreshInsights and answers with it ("" = refreshed). */
    refreshNote?: string;

    async clusterVersion(region: string, clusterName: string): Promise<string | undefined> {
        this.calls.push(`DescribeCluster ${region} ${clusterName}`);
        if (this.versionError) throw this.versionError;
        return this.versions[region];
    }

    get refreshInsights(): ((region: string, clusterName: string) => Promise<string | undefined>) | undefined {
        if (this.refreshNote === undefined) return undefined;
        return async (region, clusterName) => {
            this.calls.push(`StartInsightsRefresh ${region} ${clusterName}`);
            return this.refreshNote || undefined;
        };
    }

    async upgradeInsights(region: string, clusterName: string): Promise<UpgradeInsight[]> {
        this.calls.push(`ListInsights ${region} ${clusterName}`);
        if (this.insightsError) throw this.insightsError;
        return this.insights[region] ?? [];
    }
}

export function insight(status: UpgradeInsight["status"], name: string, kubernetesVersion?: string, reason?: string): UpgradeInsight {
    return { id: `id-${name}`, name, status, kubernetesVersion, reason };
}
