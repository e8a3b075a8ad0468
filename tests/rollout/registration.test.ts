/**
 * Which regions the program registers in a rollout wave (item: a first multi-region rollout must not
 * register regions that do not exist yet, and no wave may drop a deployed region), from the program's
 * side (index.ts under the mock engine with REGIONS_ENV) and the rollout's (the orchestrator against
 * the scripted fake stack).
 */
import { strict as assert } from "assert";
import type { PreviewRequest, UpRequest } from "../../tools/rollout/stack-ops";
import { EXIT } from "../../tools/rollout/exit-codes";
import { Rollout } from "../../tools/rollout/orchestrator";
import { deployedRegions, registeredRegions, regionDeletions, unconfiguredDeployed } from "../../tools/rollout/registration";
import { REGIONS_ENV, selectRegions } from "../../stacks/region-selection";
import { runProgram } from "../../tools/harness/program";
import { T, cliConfig, ofType, validRaw } from "../support/fixtures";
import { FakeStack, REGIONAL, childUrn, emit, reachAll, regionOutputs, stackConfig, stepEvents } from "./support/fake-stack";

const R1 = "ap-northeast-2";
const R2 = "ap-northeast-1";
const R3 = "us-west-2";

function rollout(stack: FakeStack) {
    const lines: string[] = [];
    const run = new Rollout({ stack, signal: new AbortController().signal, log: (l) => lines.push(l), sleep: async () => true, connect: reachAll }, { mode: "up" }).run();
    return { run, lines };
}

/** The fake stack's outputs follow what each update registered, as index.ts exports them. */
function deployingStack(config: Record<string, string>, deployed: string[]): FakeStack {
    const stack = new FakeStack("prod", config);
    stack.outputsValue = deployed.length > 0 ? regionOutputs(deployed) : {};
    stack.scripts.up = (req: UpRequest) => { stack.outputsValue = regionOutputs([...(req.regions ?? [])]); };
    return stack;
}

/** [op, regions the program registered, regions targeted] per preview and up. */
function registrations(stack: FakeStack): Array<[string, readonly string[] | undefined, string[]]> {
    return stack.calls.filter((c) => c.op === "preview" || c.op === "up").map((c) => [
        c.op, (c.request as PreviewRequest).regions,
        (c.target ?? []).filter((t) => !t.includes("$")).map((t) => t.split("::prod-")[1]),
    ]);
}

describe("rollout: the regions a wave registers", () => {
    it("first rollout of a 3-region stack over 2 waves: wave 1 registers its region only, wave 2 all three", async () => {
        const stack = deployingStack(stackConfig({ regions: [R1, R2, R3] }), []);
        const { run } = rollout(stack);
        const report = await run;
        assert.equal(report.exitCode, EXIT.OK, JSON.stringify(report.failure));
        assert.deepEqual(registrations(stack), [
            ["preview", [R1], [R1]], ["up", [R1], [R1]],
            ["preview", [R1, R2, R3], [R2, R3]], ["up", [R1, R2, R3], [R2, R3]],
        ]);
        assert.deepEqual(report.stackSteps.map((s) => s.step), ["config", "outputs", "versions"]);
    });

    it("adding a region to a later wave of a deployed stack: earlier waves keep every deployed region, not the new one", async () => {
        const config = stackConfig({ regions: [R1, R2, R3], rollout: { waves: [{ name: "canary", regions: [R1] }, { name: "rest", regions: [R2, R3] }] } });
        const stack = deployingStack(config, [R1, R2]);
        const report = await rollout(stack).run;
        assert.equal(report.exitCode, EXIT.OK, JSON.stringify(report.failure));
        assert.deepEqual(registrations(stack), [
            ["preview", [R1, R2], [R1]], ["up", [R1, R2], [R1]],
            ["preview", [R1, R2, R3], [R2, R3]], ["up", [R1, R2, R3], [R2, R3]],
        ]);
    });

    it("refuses to start when a deployed region is left out of the config: nothing is previewed or updated", async () => {
        const stack = deployingStack(stackConfig({ regions: [R1, R2] }), [R1, R2, R3]);
        const { run, lines } = rollout(stack);
        const report = await run;
        assert.equal(report.exitCode, EXIT.USAGE);
        assert.deepEqual(stack.opsCalled(), ["outputs"]);
        assert.equal(report.failure?.step, "config");
        assert.match(report.failure!.message, /deployed region\(s\) us-west-2 .* not in eks-platform:regions/);
        assert.ok(lines.some((l) => l.startsWith("Refused: ")), lines.join("\n"));
    });

    it("refuses a wave whose plan deletes a region's component or anything in a region outside the wave", async () => {
        for (const [urn, type] of [
            [`urn:pulumi:prod::eks-platform::${REGIONAL}::prod-${R2}`, REGIONAL],
            [childUrn("prod", "prod", R3, "aws:ec2/vpc:Vpc", "vpc"), "aws:ec2/vpc:Vpc"],
        ]) {
            const stack = deployingStack(stackConfig({ regions: [R1, R2, R3] }), [R1, R2, R3]);
            stack.scripts.preview = (req: PreviewRequest) => emit(req, stepEvents(urn, type, "delete", true));
            const report = await rollout(stack).run;
            assert.equal(report.exitCode, EXIT.FAILED, urn);
            assert.deepEqual(stack.opsCalled(), ["outputs", "preview"], "no update");
            assert.equal(report.failure?.step, "preview");
            assert.match(report.failure!.message, new RegExp(`refused: the plan deletes a region's resources: delete ${urn.replace(/[$.*]/g, "\\$&")}`));
        }
    });

    it("decides from the outputs, the waves and the plan (pure parts)", () => {
        assert.deepEqual(deployedRegions(regionOutputs([R2, R1])), [R2, R1]);
        assert.deepEqual(deployedRegions({}), []);
        const waves = [{ regions: [R3] }, { regions: [R1] }, { regions: [R2] }];
        assert.deepEqual(registeredRegions([R1, R2, R3], waves, 0, []), [R3]);
        assert.deepEqual(registeredRegions([R1, R2, R3], waves, 1, [R2]), [R1, R2, R3]);
        assert.deepEqual(registeredRegions([R1, R2, R3], waves, 1, []), [R1, R3], "config order");
        assert.deepEqual(unconfiguredDeployed([R1, R2], [R1, R2, R3]), { regions: [] });
        assert.deepEqual(unconfiguredDeployed([R1, R3], [R1]).regions, [R3]);
        const step = (op: any, type: string, region?: string) => ({ urn: `u-${type}-${region}`, type, name: "n", op, region, status: "done" as const, planning: true });
        assert.deepEqual(regionDeletions([step("delete", "aws:ec2/vpc:Vpc", R1), step("update", REGIONAL, R2), step("create", "aws:ec2/vpc:Vpc", R2)], [R1]), [],
            "deleting inside the wave, or changing other regions without deleting, is not refused here");
        assert.equal(regionDeletions([step("delete-replaced", "aws:ec2/vpc:Vpc", R2)], [R1]).length, 1);
        // A region's whole component is never deleted by a wave, not even a region of that wave.
        assert.deepEqual(regionDeletions([step("delete", REGIONAL, R1)], [R1]), [`delete u-${REGIONAL}-${R1} (region ${R1})`]);
    });
});

describe("program: the regions it registers (REGIONS_ENV)", function () {
    this.timeout(60_000);
    const raw = { ...validRaw(), regions: [R1, R2, R3].map((region, i) => ({ region, vpcCidr: `10.${40 + i}.0.0/16`, azCount: 2 })) };
    const regionals = async (value: string | undefined) => {
        const before = process.env[REGIONS_ENV];
        if (value === undefined) delete process.env[REGIONS_ENV]; else process.env[REGIONS_ENV] = value;
        // The program's warning is captured (and checked below), not printed into npm test's output.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const log = require("@pulumi/pulumi").log;
        const warn = log.warn;
        const warnings: string[] = [];
        log.warn = (msg: string) => { warnings.push(msg); return Promise.resolve(); };
        try {
            const { records, outputs } = await runProgram("test", { config: cliConfig(raw) });
            return { names: ofType(records, T.regional).map((r) => r.name), outputRegions: Object.keys(outputs.regions), warnings };
        } finally {
            log.warn = warn;
            if (before === undefined) delete process.env[REGIONS_ENV]; else process.env[REGIONS_ENV] = before;
        }
    };

    it("registers only the named regions, in config order, and exports only those", async () => {
        const run = await regionals(`${R3}, ${R1}`);
        assert.deepEqual(run.names, [`test-${R1}`, `test-${R3}`]);
        assert.deepEqual(run.outputRegions, [R1, R3]);
        assert.deepEqual(run.warnings, [`EKS_PLATFORM_REGIONS is set: registering ${R1}, ${R3} only, not ${R2}. Only a targeted update may run like this; unset it for a plain \`pulumi up\`.`]);
    });

    it("refuses a region that is not configured, naming the variable and what is allowed", () => {
        const configured = raw.regions.map((r) => ({ region: r.region })) as any;
        assert.throws(() => selectRegions(configured, "eu-west-1"), /EKS_PLATFORM_REGIONS="eu-west-1" names eu-west-1, not in eks-platform:regions \(ap-northeast-2, ap-northeast-1, us-west-2\)/);
        // Unset or blank (a plain pulumi up): every configured region.
        for (const value of [undefined, "", " "]) {
            assert.deepEqual(selectRegions(configured, value), { regions: configured, omitted: [] });
        }
    });
});
