/**
 * The rollout refuses to change a deployed region's compute mode unless acknowledged, saying what will be
 * replaced (tools/rollout/compute-mode-gate.ts).
 */
import { strict as assert } from "assert";
import { computeModeChanges, computeModeRefusal } from "../../tools/rollout/compute-mode-gate";
import { Rollout } from "../../tools/rollout/orchestrator";
import { EXIT } from "../../tools/rollout/exit-codes";
import { cliConfig } from "../support/fixtures";
import { FakeEks } from "./support/fake-eks";
import { FakeStack, regionOutputs, stackConfig } from "./support/fake-stack";

const R1 = "ap-northeast-2";

function deployedWith(mode: string) {
    const out = regionOutputs([R1]);
    (out.regions.value as any)[R1].compute = { mode };
    (out.regions.value as any)[R1].kubernetesVersion = "1.36";
    return out;
}

describe("rollout: compute mode changes", () => {
    it("finds a deployed region whose mode differs from the config; a new region is no change", () => {
        assert.deepEqual(computeModeChanges(deployedWith("managed-node-groups"), { [R1]: "auto", "ap-northeast-1": "auto" }),
            [{ region: R1, from: "managed-node-groups", to: "auto" }]);
        assert.deepEqual(computeModeChanges(deployedWith("auto"), { [R1]: "auto" }), []);
        assert.deepEqual(computeModeChanges({}, { [R1]: "auto" }), []);
    });

    it("refuses with what will be replaced: the node groups, the controllers and the ALBs for Auto Mode", () => {
        const m = computeModeRefusal([{ region: R1, from: "managed-node-groups", to: "auto" }], false)!;
        assert.match(m, /\[ap-northeast-2\] computeMode "managed-node-groups" -> "auto" replaces every node group/);
        assert.match(m, /the load balancer controller/);
        assert.match(m, /every ALB of the region \(new DNS names/);
        assert.match(m, /eks-platform:acknowledgeComputeModeChange: true/);
        assert.match(computeModeRefusal([{ region: R1, from: "karpenter", to: "managed-node-groups" }], false)!, /Karpenter, its NodePools and every node it launched/);
        assert.doesNotMatch(computeModeRefusal([{ region: R1, from: "karpenter", to: "managed-node-groups" }], false)!, /ALB/);
        assert.equal(computeModeRefusal([{ region: R1, from: "managed-node-groups", to: "auto" }], true), undefined, "acknowledged");
    });

    it("stops a rollout before any preview or update, and goes ahead once acknowledged", async () => {
        const run = async (ack: boolean) => {
            const config = { ...stackConfig({ regions: [R1] }), ...cliConfig({ computeMode: "auto", acknowledgeComputeModeChange: ack }) };
            delete config["eks-platform:nodeGroups"]; // Auto Mode refuses node groups
            const stack = new FakeStack("prod", config);
            stack.outputsValue = deployedWith("managed-node-groups");
            const eks = new FakeEks();
            eks.versions = { [R1]: "1.36" };
            const lines: string[] = [];
            const report = await new Rollout({
                stack, signal: new AbortController().signal, log: (l) => lines.push(l), eks,
                connect: async () => undefined, sleep: async () => true, probe: async () => ({ status: 200 }) as any,
            }, { mode: "up" }).run();
            return { report, stack, lines };
        };
        const refused = await run(false);
        assert.equal(refused.report.status, "invalid", JSON.stringify(refused.report.failure));
        assert.equal(refused.report.exitCode, EXIT.USAGE);
        assert.equal(refused.report.failure?.step, "compute-mode");
        assert.match(refused.report.failure!.message, /replaces every node group/);
        assert.deepEqual(refused.stack.opsCalled(), ["outputs"], "no preview, no update");
        const acknowledged = await run(true);
        assert.equal(acknowledged.report.status, "succeeded", JSON.stringify(acknowledged.report.failure));
        assert.ok(["preview", "up"].every((op) => acknowledged.stack.opsCalled().includes(op)), acknowledged.stack.opsCalled().join(", "));
        assert.ok(acknowledged.lines.some((l) => /computeMode managed-node-groups -> auto \(acknowledged\)/.test(l)), acknowledged.lines.join("\n"));
    });
});
