/**
 * Compute modes (components/compute/): the registry a region's config selects from, and each mode's
 * contract with the region (what add-ons run on, what workloads wait for).
 */
import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import { COMPUTE_MODES, buildCompute, computeModeFor, computeSubnetTags } from "../components/compute";
import { NodeGroups } from "../components/compute/managed-node-groups";
import { T, nodeGroupSpec, runComponent } from "./support/fixtures";

describe("compute modes", () => {
    it("lists each mode under the name a stack config selects it by", () => {
        for (const [name, mode] of Object.entries(COMPUTE_MODES)) assert.strictEqual(mode.name, name);
        assert.strictEqual(computeModeFor({ mode: "managed-node-groups" }).name, "managed-node-groups");
    });

    describe("managed-node-groups", () => {
        it("needs no extra subnet tags", () => {
            assert.deepStrictEqual(computeSubnetTags({ mode: "managed-node-groups" }, "c"), {});
        });

        it("builds the NodeGroups component under its old name, which both add-ons and workloads wait for", async () => {
            const run = await runComponent((provider) => {
                const k8sProvider = new k8s.Provider("test-k8s", { kubeconfig: "{}" });
                const compute = buildCompute("r", {
                    provider, kubernetesProvider: k8sProvider, region: "ap-northeast-2", clusterName: "c", kubernetesVersion: "1.36",
                    clusterArn: "arn:aws:eks:ap-northeast-2:123456789012:cluster/c", clusterEndpoint: "https://c.example", clusterSecurityGroupId: "sg-c",
                    privateSubnetIds: ["subnet-a", "subnet-b"], nodeGroups: [nodeGroupSpec()],
                }, { mode: "managed-node-groups" }, {});
                assert.ok(compute.systemNodes instanceof NodeGroups);
                assert.deepStrictEqual(compute.workloadCapacity, [compute.systemNodes]);
                return {};
            });
            assert.deepStrictEqual(run.records.filter((r) => r.type === T.nodeGroups).map((r) => r.name), ["r-nodes"]);
            assert.ok(run.records.some((r) => r.type === T.nodeGroup && r.name === "r-nodes-general"));
            assert.ok(!run.records.some((r) => r.type.startsWith("kubernetes:") && r.type !== "pulumi:providers:kubernetes"), "nothing on Kubernetes");
        });
    });
});
