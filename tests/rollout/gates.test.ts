/**
 * The wave as a sequence of gates (tools/rollout/gates/): the sequence, how the orchestrator runs
 * it, and each gate on its own against a context with the real recorder (support/wave-context.ts).
 */
import { strict as assert } from "assert";
import { EXIT } from "../../tools/rollout/exit-codes";
import { WAVE_GATES } from "../../tools/rollout/gates";
import { GateOutcome, WaveGate, runGates } from "../../tools/rollout/gates/gate";
import { healthGate } from "../../tools/rollout/gates/health";
import { insightsGate } from "../../tools/rollout/gates/insights";
import { preflightGate } from "../../tools/rollout/gates/preflight";
import { previewGate } from "../../tools/rollout/gates/preview";
import { upGate } from "../../tools/rollout/gates/up";
import { Rollout } from "../../tools/rollout/orchestrator";
import { StackOperationError } from "../../tools/rollout/stack-ops";
import { FakeEks, insight } from "./support/fake-eks";
import { FakeStack, REGIONAL, childUrn, emit, reachAll, regionOutputs, stackConfig, stepEvents } from "./support/fake-stack";
import { waveContext } from "./support/wave-context";

const R1 = "ap-northeast-2";
const R2 = "ap-northeast-1";

/** A gate that records what ran and answers `outcome`. */
function probeGate(name: "bake" | "traffic", ran: string[], outcome: GateOutcome = "passed"): WaveGate {
    return {
        name,
        async run(ctx) {
            ran.push(`${name} ${ctx.wave.name}`);
            if (outcome === "passed") ctx.wave.steps.push({ step: name, status: "succeeded", seconds: 0 });
            if (outcome === "halted") ctx.rec.failCheck(name, `${name} said no`, ctx.wave.regions, ctx.wave, 0);
            return outcome;
        },
    };
}

describe("rollout gates: the sequence", () => {
    it("runs standing alarms, insights, preflight, preview, up (with outputs), health, traffic, bake, in that order", () => {
        assert.deepEqual(WAVE_GATES.map((g) => g.name), ["alarms", "insights", "preflight", "preview", "up", "health", "traffic", "bake"]);
    });

    it("a gate added to the sequence runs in its place in every wave, and its halt leaves later waves untouched", async () => {
        const ran: string[] = [];
        const stack = new FakeStack("prod", stackConfig({ regions: [R1, R2] }));
        stack.outputsValue = regionOutputs([R1, R2]);
        const gates = [...WAVE_GATES, probeGate("traffic", ran)];
        const ok = await new Rollout({ stack, signal: new AbortController().signal, log: () => undefined, connect: reachAll, gates }, { mode: "up" }).run();
        assert.equal(ok.status, "succeeded");
        assert.deepEqual(ran, ["traffic canary", "traffic rest"]);
        assert.deepEqual(ok.waves[0].steps.map((s) => s.step), ["preflight", "preview", "up", "outputs", "health", "traffic"]);

        const halted: string[] = [];
        const stack2 = new FakeStack("prod", stackConfig({ regions: [R1, R2] }));
        stack2.outputsValue = regionOutputs([R1, R2]);
        const report = await new Rollout({
            stack: stack2, signal: new AbortController().signal, log: () => undefined, connect: reachAll,
            gates: [...WAVE_GATES, probeGate("traffic", halted, "halted")],
        }, { mode: "up" }).run();
        assert.equal(report.exitCode, EXIT.FAILED);
        assert.deepEqual(halted, ["traffic canary"]);
        assert.deepEqual([report.failure?.step, report.failure?.wave, report.failure?.message], ["traffic", "canary", "traffic said no"]);
        assert.deepEqual(stack2.opsCalled(), ["outputs", "preview", "up", "outputs"], "the second wave never starts");
        assert.equal(report.waves[1].status, "skipped");
    });

    it("stops at the first halt; a skipped gate lets the wave go on; a halt without a reason fails the run", async () => {
        const ran: string[] = [];
        const { ctx, rec } = waveContext({ regions: [R1] });
        const skip: WaveGate = { name: "bake", run: async () => { ran.push("skip"); return "skipped"; } };
        assert.equal(await runGates([skip, probeGate("traffic", ran, "halted"), probeGate("bake", ran)], ctx), false);
        assert.deepEqual(ran, ["skip", "traffic canary"]);
        assert.equal(rec.report.status, "failed");

        const bare = waveContext({ regions: [R1] });
        assert.equal(await runGates([{ name: "bake", run: async () => "halted" }], bare.ctx), false);
        assert.equal(bare.rec.report.failure?.message, "the bake gate halted without a reason (a bug)");
        assert.equal(bare.ctx.wave.status, "failed");
    });
});

describe("rollout gates: each on its own", () => {
    it("preflight: skipped with no deployed cluster in the wave; halts naming the unreachable endpoint", async () => {
        const none = waveContext({ regions: [R1] });
        assert.equal(await preflightGate.run(none.ctx), "skipped");
        assert.deepEqual(none.ctx.wave.steps, []);
        const down = waveContext({
            regions: [R1], deployedOutputs: regionOutputs([R1]),
            deps: { connect: async () => { throw new Error("ETIMEDOUT"); } },
        });
        assert.equal(await preflightGate.run(down.ctx), "halted");
        assert.deepEqual([down.rec.report.failure?.step, down.rec.report.failure?.region], ["preflight", R1]);
        assert.match(down.rec.report.failure!.message, /cannot reach the API endpoint of ap-northeast-2.*ETIMEDOUT/);
    });

    it("insights: skipped when the wave changes no version; halts on an ERROR insight", async () => {
        const same = waveContext({ regions: [R1], versions: [{ region: R1, configured: "1.35", deployed: "1.35", source: "cluster" } as any] });
        assert.equal(await insightsGate.run(same.ctx), "skipped");
        const eks = new FakeEks();
        eks.insights[R1] = [insight("ERROR", "Deprecated APIs", "1.36", "removed API in use")];
        const up = waveContext({
            regions: [R1], deps: { eks },
            versions: [{ region: R1, configured: "1.36", deployed: "1.35", source: "cluster", clusterName: `prod-${R1}` } as any],
        });
        up.rec.report.regions[R1].kubernetes = { configured: "1.36", deployed: "1.35" };
        assert.equal(await insightsGate.run(up.ctx), "halted");
        assert.equal(up.rec.report.failure?.step, "insights");
        assert.match(up.rec.report.failure!.message, /Deprecated APIs/);
    });

    it("preview: passes a clean preview of the wave's targets; halts on a planned deletion of the region's resources", async () => {
        const clean = waveContext({ regions: [R1] });
        assert.equal(await previewGate.run(clean.ctx), "passed");
        assert.deepEqual(clean.stack.calls.map((c) => [c.op, c.target]), [["preview", clean.ctx.target]]);
        const deleting = waveContext({ regions: [R1] });
        deleting.stack.scripts.preview = (req) => emit(req, stepEvents(`urn:pulumi:prod::eks-platform::${REGIONAL}::prod-${R1}`, REGIONAL, "delete", true));
        assert.equal(await previewGate.run(deleting.ctx), "halted");
        assert.match(deleting.rec.report.failure!.message, /refused: the plan deletes a region's resources/);
    });

    it("up: hands the outputs on to later gates; halts on a failed update without reading them", async () => {
        const ok = waveContext({ regions: [R1] });
        ok.stack.outputsValue = regionOutputs([R1]);
        ok.stack.scripts.up = (req) => emit(req, stepEvents(childUrn("prod", "prod", R1, "aws:ec2/vpc:Vpc", "vpc"), "aws:ec2/vpc:Vpc", "update"));
        assert.equal(await upGate.run(ok.ctx), "passed");
        assert.equal(ok.ctx.outputs, ok.stack.outputsValue);
        assert.deepEqual(ok.ctx.wave.steps.map((s) => s.step), ["up", "outputs"]);
        assert.deepEqual(ok.rec.region(R1).changes, { update: 1 });
        const failed = waveContext({ regions: [R1] });
        failed.stack.scripts.up = () => { throw new StackOperationError("failed", "pulumi exited with code 255"); };
        assert.equal(await upGate.run(failed.ctx), "halted");
        assert.equal(failed.ctx.outputs, undefined);
        assert.deepEqual(failed.stack.opsCalled(), ["up"]);
    });

    it("health: passes healthy regions, halts on a failing check naming it, and refuses to run before the up gate", async () => {
        const healthy = waveContext({ regions: [R1] });
        healthy.ctx.outputs = regionOutputs([R1]);
        assert.equal(await healthGate.run(healthy.ctx), "passed");
        assert.equal(healthy.rec.region(R1).status, "succeeded");
        const sick = waveContext({ regions: [R1], apps: [{ name: "api" }], deps: { probe: async () => assert.fail("no HTTP check without a hostname") } });
        sick.ctx.outputs = regionOutputs([R1]);
        assert.equal(await healthGate.run(sick.ctx), "halted");
        assert.deepEqual([sick.rec.report.failure?.step, sick.rec.report.failure?.region], ["health", R1]);
        assert.match(sick.rec.report.failure!.message, /apps\.api\.hostname: missing or empty/);
        await assert.rejects(healthGate.run(waveContext({ regions: [R1] }).ctx), /runs after the up gate/);
    });

    it("health: an interrupt during the checks cancels the wave and the run, with no halt line", async () => {
        const stopped = waveContext({ regions: [R1], interrupted: true });
        stopped.ctx.outputs = regionOutputs([R1]);
        assert.equal(await healthGate.run(stopped.ctx), "halted");
        assert.deepStrictEqual(stopped.rec.report.failure, { step: "health", message: "cancelled during the health checks", wave: stopped.ctx.wave.name });
        assert.deepEqual([stopped.rec.report.status, stopped.ctx.wave.status, stopped.ctx.wave.steps.at(-1)?.status], ["cancelled", "cancelled", "cancelled"]);
        assert.deepEqual(stopped.lines.filter((l) => /^(Halted|Failed|Cancelled):/.test(l)), []);
    });
});
