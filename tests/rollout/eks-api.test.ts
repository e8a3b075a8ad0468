/**
 * The rollout's real EKS adapter (tools/rollout/eks-api.ts) against a recording stand-in for the SDK
 * client: the commands it sends, with their inputs, and how it reads the answers.
 */
import { strict as assert } from "assert";
import {
    DescribeClusterCommand, DescribeInsightsRefreshCommand, ListInsightsCommand, ResourceNotFoundException, StartInsightsRefreshCommand,
} from "@aws-sdk/client-eks";
import { EksSend, awsEksClusterApi } from "../../tools/rollout/eks-api";

type Sent = { command: string; input: any; region: string };

/** A client per region that records every command and answers from `answer` (throw to fail). */
function recording(answer: (command: string, input: any) => unknown) {
    const sent: Sent[] = [];
    const clientFor = (region: string): EksSend => ({
        send: (async (cmd: { constructor: { name: string }; input: unknown }) => {
            sent.push({ command: cmd.constructor.name, input: cmd.input, region });
            return answer(cmd.constructor.name, cmd.input);
        }) as unknown as EksSend["send"],
    });
    return { sent, api: awsEksClusterApi({ clientFor, pollMs: 1, waitMs: 50 }) };
}

describe("rollout: the EKS API adapter (AWS SDK v3 commands)", () => {
    it("reads the version with DescribeCluster in the cluster's region, and undefined when EKS has no such cluster", async () => {
        const { sent, api } = recording((_c, input) => {
            if (input.name === "gone") throw new ResourceNotFoundException({ message: "No cluster found for name: gone.", $metadata: {} });
            return { cluster: { name: input.name, version: "1.35" } };
        });
        assert.equal(await api.clusterVersion("ap-northeast-2", "prod-ap-northeast-2"), "1.35");
        assert.equal(await api.clusterVersion("eu-west-1", "gone"), undefined);
        assert.deepEqual(sent, [
            { command: DescribeClusterCommand.name, input: { name: "prod-ap-northeast-2" }, region: "ap-northeast-2" },
            { command: DescribeClusterCommand.name, input: { name: "gone" }, region: "eu-west-1" },
        ]);
    });

    it("passes any other DescribeCluster failure on (the gate then fails closed)", async () => {
        const { api } = recording(() => { throw new Error("AccessDeniedException: not authorized to perform eks:DescribeCluster"); });
        await assert.rejects(api.clusterVersion("ap-northeast-2", "c"), /AccessDenied/);
    });

    it("lists UPGRADE_READINESS insights over every page and maps their status", async () => {
        const pages: Record<string, unknown> = {
            first: { insights: [{ id: "a", name: "Deprecated APIs", kubernetesVersion: "1.37", insightStatus: { status: "ERROR", reason: "in use" }, description: "d" }], nextToken: "p2" },
            p2: { insights: [{ id: "b", insightStatus: { status: "PASSING" } }, { id: "c", name: "no status" }] },
        };
        const { sent, api } = recording((_c, input) => pages[input.nextToken ?? "first"]);
        const insights = await api.upgradeInsights("ap-northeast-2", "c1");
        assert.deepEqual(sent.map((s) => [s.command, s.input]), [
            [ListInsightsCommand.name, { clusterName: "c1", filter: { categories: ["UPGRADE_READINESS"] }, nextToken: undefined }],
            [ListInsightsCommand.name, { clusterName: "c1", filter: { categories: ["UPGRADE_READINESS"] }, nextToken: "p2" }],
        ]);
        assert.deepEqual(insights, [
            { id: "a", name: "Deprecated APIs", kubernetesVersion: "1.37", status: "ERROR", reason: "in use", description: "d" },
            { id: "b", name: "b", kubernetesVersion: undefined, status: "PASSING", reason: undefined, description: undefined },
            { id: "c", name: "no status", kubernetesVersion: undefined, status: "UNKNOWN", reason: undefined, description: undefined },
        ]);
    });

    it("starts an on-demand insights refresh and polls it until COMPLETED", async () => {
        let polls = 0;
        const { sent, api } = recording((command) => {
            if (command === DescribeInsightsRefreshCommand.name) return { status: ++polls < 3 ? "IN_PROGRESS" : "COMPLETED" };
            return {};
        });
        assert.equal(await api.refreshInsights!("ap-northeast-2", "c1"), undefined);
        assert.deepEqual(sent.map((s) => [s.command, s.input]), [
            [StartInsightsRefreshCommand.name, { clusterName: "c1" }],
            [DescribeInsightsRefreshCommand.name, { clusterName: "c1" }],
            [DescribeInsightsRefreshCommand.name, { clusterName: "c1" }],
            [DescribeInsightsRefreshCommand.name, { clusterName: "c1" }],
        ]);
    });

    it("says why when the refresh failed, timed out or could not start (the gate then reads the last results)", async () => {
        const failed = recording((c) => (c === DescribeInsightsRefreshCommand.name ? { status: "FAILED", message: "internal" } : {}));
        assert.equal(await failed.api.refreshInsights!("r", "c"), "the on-demand insights refresh failed (internal)");
        const slow = recording((c) => (c === DescribeInsightsRefreshCommand.name ? { status: "IN_PROGRESS" } : {}));
        assert.equal(await slow.api.refreshInsights!("r", "c"), "the on-demand insights refresh did not finish within 0.05 s");
        const denied = recording(() => { throw new Error("not authorized to perform eks:StartInsightsRefresh"); });
        assert.match((await denied.api.refreshInsights!("r", "c"))!, /could not refresh the insights on demand \(not authorized/);
    });
});
