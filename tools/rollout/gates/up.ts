/**
 * The targeted update of the wave's regions, then the stack outputs the later gates read (the
 * engine always updates the Stack's outputs). Records two steps, `up` and `outputs`, and hands the
 * outputs on in `ctx.outputs`.
 */
import type { OutputMap } from "@pulumi/pulumi/automation";
import type { GateOutcome, WaveContext, WaveGate } from "./gate";

export const upGate: WaveGate = {
    name: "up",
    async run(ctx: WaveContext): Promise<GateOutcome> {
        const { wave, rec } = ctx;
        const { stack } = ctx.deps;
        const signal = ctx.signal;
        const upLog = ctx.newLog("up");
        const up = await ctx.op(`up ${wave.name}`, (onEvent) => stack.up({
            target: [...ctx.target], regions: [...ctx.registered], signal, onEvent,
            policyPacks: ctx.options.policyPacks ?? [], policyPackConfigs: ctx.options.policyPackConfigs ?? [],
            message: `rollout wave ${ctx.index + 1}/${ctx.waveCount} "${wave.name}": ${wave.regions.join(", ")}`,
        }), upLog);
        rec.record(wave.steps, "up", up);
        rec.collectPolicy(upLog);
        rec.mergeStackChanges(upLog);
        for (const region of wave.regions) {
            const r = rec.region(region);
            r.changes = upLog.changes(region);
            r.resources = rec.resourcesOf(upLog, region);
            r.durations.up = up.seconds;
        }
        const outside = upLog.changedSteps().filter((s) => s.region !== undefined && !wave.regions.includes(s.region));
        if (outside.length > 0) {
            rec.report.warnings.push(`wave ${wave.name} changed resources outside its regions: ${outside.map((s) => s.urn).join(", ")}`);
        }
        if (!up.ok) {
            rec.fail(up, "up", upLog, wave.regions, wave);
            return "halted";
        }

        const outputs = await ctx.op<OutputMap>(`outputs ${wave.name}`, () => stack.outputs(), upLog);
        rec.record(wave.steps, "outputs", outputs);
        if (!outputs.ok) {
            rec.fail(outputs, "outputs", undefined, wave.regions, wave);
            return "halted";
        }
        ctx.outputs = outputs.value;
        return "passed";
    },
};
