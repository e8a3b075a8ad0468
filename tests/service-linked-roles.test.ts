import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { IAM_PROVIDER_REGION, previousSpotRoleUrns, registerServiceLinkedRoles, regionsNeedingSpotRole, SPOT_SERVICE_LINKED_ROLE } from "../components/service-linked-roles";
import { parsePlatformConfig, rawProjectConfig } from "../stacks/config";
import { PROJECT } from "../stacks/errors";
import { REGIONS_ENV } from "../stacks/region-selection";
import { runWithMocks } from "../tools/harness/engine";
import type { ResourceRecord } from "../tools/harness/records";
import { urnOf } from "../tools/harness/records";
import { readStackConfig } from "../tools/harness/stack-files";
import { PROJECT_DIR } from "../tools/harness/program";
import { MIN_PULUMI_CLI } from "../tools/pulumi-cli";
import { checkSpotRole } from "../tools/rollout/account";
import { previewGate } from "../tools/rollout/gates/preview";
import { EXIT } from "../tools/rollout/exit-codes";
import { Rollout } from "../tools/rollout/orchestrator";
import { regionOfUrn, regionTargets, spotRoleTargets, targetMatches, waveTargets } from "../tools/rollout/waves";
import { FakeAccount } from "./rollout/support/fake-account";
import { FakeStack, emit, reachAll, regionOutputs, stackConfig, stepEvents } from "./rollout/support/fake-stack";
import { waveContext } from "./rollout/support/wave-context";
import { cliConfig, ofType, one, regionalAncestor, runProgramKeepingRecords, stackRun, validKarpenterRaw, validRaw } from "./support/fixtures";

const SLR = "aws:iam/serviceLinkedRole:ServiceLinkedRole";
const A = "ap-northeast-2";
const B = "ap-northeast-1";
const regionsRaw = (...codes: string[]) => codes.map((region) => ({ region, vpcCidr: region === A ? "10.20.0.0/16" : "10.21.0.0/16", azCount: 2 }));
const spotRaw = (...codes: string[]) => ({ ...validRaw(), createSpotServiceLinkedRole: true, regions: regionsRaw(...codes) });
/** Where the previous release registered the role for a stack whose first region was `region` (under its RegionalPlatform). */
const previousUrn = (region: string) =>
    `urn:pulumi:test::${PROJECT}::eks-platform:index:RegionalPlatform$aws:iam/serviceLinkedRole:ServiceLinkedRole::test-${region}-spot-service-linked-role`;
const ROLE_URN = `urn:pulumi:test::${PROJECT}::eks-platform:index:ServiceLinkedRoles$aws:iam/serviceLinkedRole:ServiceLinkedRole::test-service-linked-roles-spot`;
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

    describe("with createSpotServiceLinkedRole", () => {
        // One program run: regions [A, B], as a rollout wave of B alone registers them (A left out).
        let records: ResourceRecord[];
        before(async () => {
            const exported = process.env[REGIONS_ENV];
            process.env[REGIONS_ENV] = B;
            try {
                const run = await runProgramKeepingRecords("test", cliConfig(spotRaw(A, B)));
                if (run.error) throw run.error;
                records = run.records;
            } finally {
                if (exported === undefined) delete process.env[REGIONS_ENV];
                else process.env[REGIONS_ENV] = exported;
            }
        });

        it("one role for the account, stack-level on its own IAM provider, kept on destroy: registered by a wave that leaves out the first region", () => {
            assert.deepEqual(ofType(records, "eks-platform:index:RegionalPlatform").map((r) => r.name), [`test-${B}`]);
            assert.equal(ofType(records, SLR).length, 1);
            const role = one(records, SLR, "test-service-linked-roles-spot");
            assert.equal(urnOf(records, role, "test", PROJECT), ROLE_URN);
            assert.equal(regionalAncestor(records, role), undefined);
            assert.equal(role.inputs.awsServiceName, SPOT_SERVICE_LINKED_ROLE.service);
            assert.equal(role.retainOnDelete, true);
            assert.equal(role.provider, "pulumi:providers:aws::test-service-linked-roles-aws");
            const provider = one(records, "pulumi:providers:aws", "test-service-linked-roles-aws");
            assert.equal(provider.parent, role.parent);
            // IAM's region, and the account guard every regional provider carries.
            assert.equal(provider.inputs.region, IAM_PROVIDER_REGION);
            assert.deepEqual(JSON.parse(provider.inputs.allowedAccountIds), ["123456789012"]);
            assert.equal(JSON.parse(provider.inputs.defaultTags).tags.region, "global");
        });

        it("an existing stack's role (under its first region, whichever that was) moves by alias: renamed, not created and deleted", () => {
            const role = one(records, SLR, "test-service-linked-roles-spot");
            assert.ok(role.aliases?.includes(previousUrn(A)), `aliases: ${role.aliases?.slice(0, 3).join(", ")}...`);
            assert.ok(role.aliases?.includes(previousUrn(B)));
            // Also a first region since removed from the config: any aws-partition region code the config accepts.
            assert.ok(role.aliases?.includes(previousUrn("eu-west-1")));
            assert.ok(!role.aliases?.some((u) => u.includes("-cn-north-1-")), "not another partition's region (the config refuses them)");
            assert.ok(!role.aliases?.includes(ROLE_URN));
        });

        it("rollout: every wave's update targets the role, its provider and component (whichever regions the wave holds), and no region owns them", () => {
            const stackLevel = ofType(records, "eks-platform:index:ServiceLinkedRoles").concat(one(records, "pulumi:providers:aws", "test-service-linked-roles-aws"), ofType(records, SLR));
            assert.equal(stackLevel.length, 3);
            const scope = { stack: "test", project: PROJECT, environment: "test" };
            for (const wave of [[A], [B], [A, B]]) {
                for (const r of stackLevel) {
                    const urn = urnOf(records, r, "test", PROJECT);
                    assert.ok(waveTargets(scope, wave, false, true).some((t) => targetMatches(t, urn)), `${urn} is not in wave ${wave}`);
                    assert.ok(!waveTargets(scope, wave).some((t) => targetMatches(t, urn)), `${urn} is targeted without createSpotServiceLinkedRole`);
                    assert.equal(regionOfUrn(urn, scope, [A, B]), undefined);
                }
            }
        });
    });

    it("keeps one URN, provider and set of inputs whatever the order and set of regions: [A, B], [B, A], [B]", async () => {
        // What the program registers for them (platform.ts calls exactly this), run one after the other: a
        // run resets the runtime's global state.
        const registered = [];
        for (const codes of [[A, B], [B, A], [B]]) {
            const config = parsePlatformConfig(rawProjectConfig(cliConfig(spotRaw(...codes))), "test", { today: "2026-12-04" });
            const { records } = await runWithMocks(() => { registerServiceLinkedRoles(config); }, { stack: "test" });
            registered.push(records.map((r) => ({ urn: urnOf(records, r, "test", PROJECT), provider: r.provider, inputs: r.inputs, aliases: r.aliases }))
                .sort((x, y) => (x.urn < y.urn ? -1 : 1)));
        }
        assert.ok(registered[0].some((r) => r.urn === ROLE_URN), registered[0].map((r) => r.urn).join("\n"));
        assert.deepEqual(registered[1], registered[0]);
        assert.deepEqual(registered[2], registered[0]);
        assert.deepEqual(previousSpotRoleUrns({ stack: "test", project: PROJECT, environment: "test" }), registered[0].find((r) => r.urn === ROLE_URN)!.aliases);
    });

    it("rollout: with createSpotServiceLinkedRole every wave's preview and update target the role, whichever regions the wave holds", async () => {
        const config = { ...stackConfig({ regions: [A, B], rollout: { waves: [{ name: "one", regions: [B] }, { name: "two", regions: [A] }] } }), ...cliConfig({ createSpotServiceLinkedRole: true }) };
        const stack = new FakeStack("prod", config);
        stack.outputsValue = regionOutputs([A, B]);
        const lines: string[] = [];
        const report = await new Rollout({ stack, signal: new AbortController().signal, log: (l) => lines.push(l), connect: reachAll, sleep: async () => true }, { mode: "up" }).run();
        assert.equal(report.exitCode, EXIT.OK, lines.join("\n"));
        const scope = { stack: "prod", project: PROJECT, environment: "prod" };
        const one = [...regionTargets(scope, B), ...spotRoleTargets(scope)];
        const two = [...regionTargets(scope, A), ...spotRoleTargets(scope)];
        assert.deepEqual(stack.calls.filter((c) => c.op === "preview" || c.op === "up").map((c) => [c.op, c.target]),
            [["preview", one], ["up", one], ["preview", two], ["up", two]]);
    });

    it("rollout: a wave's preview that replaces the role (a CLI before 3.151 on a stack moving it) halts the wave before its update, naming the fix", async () => {
        const role = `urn:pulumi:prod::${PROJECT}::eks-platform:index:ServiceLinkedRoles$${SLR}::prod-service-linked-roles-spot`;
        const replacing = waveContext({ regions: [A] });
        replacing.stack.scripts.preview = (req) => emit(req, [...stepEvents(role, SLR, "create-replacement", true), ...stepEvents(role, SLR, "replace", true)]);
        assert.equal(await previewGate.run(replacing.ctx), "halted");
        assert.match(replacing.rec.report.failure!.message, /refused: the plan replaces .*prod-service-linked-roles-spot; IAM refuses a second AWSServiceRoleForEC2Spot.*older than 3\.151\.0/);
        assert.equal(replacing.rec.report.failure!.message.split("refused:").length - 1, 1, "one line for the role");
        const updating = waveContext({ regions: [A] });
        updating.stack.scripts.preview = (req) => emit(req, stepEvents(role, SLR, "update", true));
        assert.equal(await previewGate.run(updating.ctx), "passed");
    });

    it("rollout: a wave's preview that creates the role in an account that has one halts before the update; where the account has none, or IAM cannot tell, it passes", async () => {
        const role = `urn:pulumi:prod::${PROJECT}::eks-platform:index:ServiceLinkedRoles$${SLR}::prod-service-linked-roles-spot`;
        const preview = (account: FakeAccount) => {
            const w = waveContext({ regions: [A], deps: { account } });
            w.stack.scripts.preview = (req) => emit(req, stepEvents(role, SLR, "create", true));
            return w;
        };
        const taken = preview(new FakeAccount());
        assert.equal(await previewGate.run(taken.ctx), "halted");
        assert.match(taken.rec.report.failure!.message,
            /refused: the plan creates .*prod-service-linked-roles-spot, but account 123456789012 already has AWSServiceRoleForEC2Spot .*set eks-platform:createSpotServiceLinkedRole to false/);
        const fresh = new FakeAccount();
        fresh.existingRoles.clear();
        assert.equal(await previewGate.run(preview(fresh).ctx), "passed");
        assert.deepEqual(fresh.calls, ["GetRole AWSServiceRoleForEC2Spot"]);
        const unknown = new FakeAccount();
        unknown.roleError = Object.assign(new Error("not authorized to perform: iam:GetRole"), { name: "AccessDenied" });
        assert.equal(await previewGate.run(preview(unknown).ctx), "passed");
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

describe("the Pulumi CLI the role's move needs", () => {
    it("Pulumi.yaml states the CLI floor the rollout and e2e enforce (tools/pulumi-cli.ts)", () => {
        const project = parseYaml(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8"));
        assert.equal(project.requiredPulumiVersion, `>=${MIN_PULUMI_CLI}`);
    });
});
