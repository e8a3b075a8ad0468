import { strict as assert } from "assert";
import { regionsNeedingSpotRole, SPOT_SERVICE_LINKED_ROLE } from "../components/service-linked-roles";
import { parsePlatformConfig, rawProjectConfig } from "../stacks/config";
import { readStackConfig } from "../tools/harness/stack-files";
import { PROJECT_DIR } from "../tools/harness/program";
import { checkSpotRole } from "../tools/rollout/account";
import { EXIT } from "../tools/rollout/exit-codes";
import { Rollout } from "../tools/rollout/orchestrator";
import { FakeAccount } from "./rollout/support/fake-account";
import { FakeStack, reachAll, regionOutputs, stackConfig } from "./rollout/support/fake-stack";
import { cliConfig, ofType, one, regionalAncestor, runProgramKeepingRecords, stackRun, validKarpenterRaw, validRaw } from "./support/fixtures";

const SLR = "aws:iam/serviceLinkedRole:ServiceLinkedRole";
const stackPlan = (stack: "dev" | "prod") => parsePlatformConfig(rawProjectConfig(readStackConfig(PROJECT_DIR, stack).config), stack, { today: "2026-12-04" });

describe("service-linked roles: AWSServiceRoleForEC2Spot", () => {
    it("is needed where a Karpenter pool may launch Spot, not for a managed node group's Spot (its Auto Scaling group creates the role)", () => {
        assert.deepEqual(regionsNeedingSpotRole(stackPlan("prod").regions), ["ap-northeast-2", "ap-northeast-1"]);
        assert.ok(stackPlan("dev").regions[0].nodeGroups.some((g) => g.capacityType === "SPOT"));
        assert.deepEqual(regionsNeedingSpotRole(stackPlan("dev").regions), []);
    });

    it("is not created by default", async () => {
        assert.equal(ofType((await stackRun("prod")).records, SLR).length, 0);
    });

    it("with createSpotServiceLinkedRole: one role for the account, under the first region, kept on destroy", async () => {
        const raw = { ...validRaw(), createSpotServiceLinkedRole: true, regions: [
            { region: "ap-northeast-2", vpcCidr: "10.20.0.0/16", azCount: 2 },
            { region: "ap-northeast-1", vpcCidr: "10.21.0.0/16", azCount: 2 },
        ] };
        const { records, error } = await runProgramKeepingRecords("test", cliConfig(raw));
        if (error) throw error;
        const roles = ofType(records, SLR);
        assert.equal(roles.length, 1);
        const role = one(records, SLR, "test-ap-northeast-2-spot-service-linked-role");
        assert.equal(role.inputs.awsServiceName, SPOT_SERVICE_LINKED_ROLE.service);
        assert.equal(role.retainOnDelete, true);
        assert.equal(regionalAncestor(records, role)?.name, "test-ap-northeast-2");
        assert.equal(role.provider, "pulumi:providers:aws::test-ap-northeast-2-aws");
    });

    it("rollout: refuses an update when the role is missing and the stack does not create it, saying how to fix it", async () => {
        const target = { stack: "prod", environment: "prod", accountId: "123456789012", spotRoleRegions: ["ap-northeast-2"] };
        const sts = new FakeAccount();
        sts.existingRoles.clear();
        const missing = await checkSpotRole(target, sts);
        assert.equal(missing.ok, false);
        assert.match((missing as { message: string }).message, /no AWSServiceRoleForEC2Spot, which Karpenter's Spot pools in ap-northeast-2 need.*aws iam create-service-linked-role --aws-service-name spot\.amazonaws\.com.*eks-platform:createSpotServiceLinkedRole/);
        assert.deepEqual(await checkSpotRole({ ...target, createsSpotRole: true }, sts), { ok: true, line: "AWSServiceRoleForEC2Spot is missing; this update creates it (eks-platform:createSpotServiceLinkedRole)." });
        assert.deepEqual(await checkSpotRole({ ...target, spotRoleRegions: [] }, sts), { ok: true });
        sts.roleError = Object.assign(new Error("not authorized to perform: iam:GetRole"), { name: "AccessDenied" });
        const unknown = await checkSpotRole({ ...target, assumeRoleArn: "arn:aws:iam::123456789012:role/deploy" }, sts);
        assert.equal(unknown.ok === false && unknown.warningOnly, true);
        assert.equal(sts.calls[sts.calls.length - 1], "GetRole AWSServiceRoleForEC2Spot as arn:aws:iam::123456789012:role/deploy");
    });

    it("rollout: an update on Karpenter Spot without the role stops with exit 2 before any stack operation; a preview only warns", async () => {
        const karpenter = validKarpenterRaw();
        const config = { ...stackConfig({ regions: ["ap-northeast-2"] }), ...cliConfig({ computeMode: karpenter.computeMode, nodeGroups: karpenter.nodeGroups, production: false,
            karpenter: { nodePools: [{ name: "spot", capacityTypes: ["spot", "on-demand"], limits: { cpu: 100, memoryGiB: 400 } }] } }) };
        for (const mode of ["up", "preview"] as const) {
            const stack = new FakeStack("prod", config);
            stack.outputsValue = regionOutputs(["ap-northeast-2"]);
            const sts = new FakeAccount();
            sts.existingRoles.clear();
            const lines: string[] = [];
            const report = await new Rollout({ stack, signal: new AbortController().signal, log: (l) => lines.push(l), connect: reachAll, account: sts }, { mode }).run();
            if (mode === "up") {
                assert.equal(report.exitCode, EXIT.USAGE, lines.join("\n"));
                assert.equal(report.failure?.step, "account", report.failure?.message);
                assert.deepEqual(stack.calls.map((c) => c.op), ["config"]);
            } else {
                assert.ok(report.warnings.some((w) => /no AWSServiceRoleForEC2Spot/.test(w)), lines.join("\n"));
                assert.ok(stack.calls.some((c) => c.op === "preview"));
            }
        }
    });
});
