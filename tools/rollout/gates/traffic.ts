/**
 * Traffic after health: a region starts (or keeps) answering its apps' names only once its wave's
 * health gate passed (and before the bake, which then watches the region serving them). The wave's first update never selects the region's alias records and Route 53
 * health checks (they are outside its targets, waves.ts); this gate updates exactly them, for the
 * wave's regions, in a second targeted update. A wave that failed before never gets here, so its new
 * regions get no records and every other region's records stay as they were. Skipped for a stack
 * without eks-platform:dns. Records the names each region serves (stack output `regions.<r>.names`).
 */
import type { OutputMap } from "@pulumi/pulumi/automation";
import type { GateOutcome, WaveContext, WaveGate } from "./gate";

/** The names a region serves, from the stack outputs (plain strings only). */
export function servedNames(outputs: OutputMap, region: string): string[] {
    const regions = outputs.regions;
    if (!regions || regions.secret || regions.value === null || typeof regions.value !== "object") return [];
    const names = (regions.value as Record<string, any>)[region]?.names;
    return Array.isArray(names) ? names.filter((n): n is string => typeof n === "string") : [];
}

export const trafficGate: WaveGate = {
    name: "traffic",
    async run(ctx: WaveContext): Promise<GateOutcome> {
        if (!ctx.plan.dns) return "skipped";
        const { wave, rec } = ctx;
        const { stack } = ctx.deps;
        const log = ctx.newLog("traffic");
        const up = await ctx.op(`traffic ${wave.name}`, (onEvent) => stack.up({
            target: [...ctx.trafficTarget], regions: [...ctx.registered], signal: ctx.signal, onEvent,
            policyPacks: ctx.options.policyPacks ?? [], policyPackConfigs: ctx.options.policyPackConfigs ?? [],
            message: `rollout wave ${ctx.index + 1}/${ctx.waveCount} "${wave.name}": traffic to ${wave.regions.join(", ")}`,
        }), log);
        rec.record(wave.steps, "traffic", up);
        rec.collectPolicy(log);
        if (!up.ok) {
            rec.fail(up, "traffic", log, wave.regions, wave);
            return "halted";
        }
        const outputs = await ctx.op<OutputMap>(`outputs ${wave.name} traffic`, () => stack.outputs(), log);
        if (!outputs.ok) {
            rec.fail(outputs, "traffic", undefined, wave.regions, wave);
            return "halted";
        }
        ctx.outputs = outputs.value;
        for (const region of wave.regions) {
            const names = servedNames(outputs.value, region);
            rec.region(region).names = names;
            rec.log(`[${region}] traffic  serves ${names.length > 0 ? names.join(", ") : "no name"}`);
        }
        return "passed";
    },
};
