/**
 * What the rollout asks EKS directly (AWS SDK for JavaScript v3, @aws-sdk/client-eks), behind a small
 * interface the tests fake:
 * - the Kubernetes version a cluster really runs (DescribeCluster), which can differ from the stack's
 *   state when EKS upgraded the cluster itself at the end of standard support;
 * - the cluster's upgrade insights (ListInsights, category UPGRADE_READINESS), read before an update
 *   that changes the Kubernetes version. https://docs.aws.amazon.com/eks/latest/userguide/cluster-insights.html
 *
 * Credentials and retries are the SDK's defaults (the same AWS_* environment `pulumi up` uses). The
 * deploying identity needs eks:DescribeCluster, eks:ListInsights, eks:StartInsightsRefresh and
 * eks:DescribeInsightsRefresh on the clusters.
 */
import {
    DescribeClusterCommand, DescribeInsightsRefreshCommand, EKSClient, ListInsightsCommand, ResourceNotFoundException, StartInsightsRefreshCommand,
} from "@aws-sdk/client-eks";
import type { AwsCredentialsRef, TemporaryCredentials } from "./account";

/** How long `refreshInsights` waits for an on-demand refresh, and how often it looks. */
export const INSIGHTS_REFRESH_WAIT_MS = 90_000;
const INSIGHTS_REFRESH_POLL_MS = 5_000;

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
    /**
     * Asks EKS to re-run the cluster's insight checks now and waits (bounded) for them; without it the
     * insights date from EKS's last scheduled refresh. Resolves with a note when it could not refresh
     * (the gate then reads the last results and says so), undefined when it did.
     */
    refreshInsights?(region: string, clusterName: string): Promise<string | undefined>;
}

/** What the adapter uses of an SDK client (tests pass a recording stand-in). */
export type EksSend = Pick<EKSClient, "send">;

export interface AwsEksClusterApiOptions {
    /**
     * The client for a region, with the credentials provider to use (undefined: the SDK's default
     * chain). @default a new EKSClient({ region, credentials }) per region
     */
    readonly clientFor?: (region: string, credentials?: () => Promise<TemporaryCredentials>) => EksSend;
    /** Whose credentials: the account guard's assumed role once it has one. @default the ambient credentials */
    readonly credentials?: AwsCredentialsRef;
    /** How often an on-demand insights refresh is polled. @default 5 s */
    readonly pollMs?: number;
    /** How long it is waited for. @default INSIGHTS_REFRESH_WAIT_MS */
    readonly waitMs?: number;
}

/** The real thing: one SDK client per region. */
export function awsEksClusterApi(options: AwsEksClusterApiOptions = {}): EksClusterApi {
    const pollMs = options.pollMs ?? INSIGHTS_REFRESH_POLL_MS;
    const waitMs = options.waitMs ?? INSIGHTS_REFRESH_WAIT_MS;
    const clientFor = options.clientFor ?? ((region, credentials) => new EKSClient({ region, ...(credentials ? { credentials } : {}) }));
    const clients = new Map<string, EksSend>();
    const client = (region: string) => {
        const credentials = options.credentials?.provider;
        // Keyed by whose credentials too: a client made before the role was assumed is not reused after.
        const key = `${region}|${credentials ? "role" : "ambient"}`;
        let c = clients.get(key);
        if (!c) {
            c = clientFor(region, credentials);
            clients.set(key, c);
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
        async refreshInsights(region, clusterName) {
            // StartInsightsRefresh / DescribeInsightsRefresh (needs eks:StartInsightsRefresh and
            // eks:DescribeInsightsRefresh). Best effort: on any failure the gate reads the last results.
            try {
                await client(region).send(new StartInsightsRefreshCommand({ clusterName }));
                const deadline = Date.now() + waitMs;
                for (;;) {
                    const out = await client(region).send(new DescribeInsightsRefreshCommand({ clusterName }));
                    if (out.status === "COMPLETED") return undefined;
                    if (out.status === "FAILED") return `the on-demand insights refresh failed (${out.message ?? "no reason given"})`;
                    if (Date.now() >= deadline) return `the on-demand insights refresh did not finish within ${waitMs / 1000} s`;
                    await new Promise((r) => setTimeout(r, pollMs));
                }
            } catch (e) {
                return `could not refresh the insights on demand (${(e as Error).message})`;
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
