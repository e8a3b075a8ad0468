/**
 * Health of every region of the wave (health.ts), in parallel, all reported even if one fails.
 * Reads the outputs the up gate handed on.
 */
import { checkRegionHealth } from "../health";
import { safeRegionOutputs } from "../report";
import type { GateOutcome, WaveContext, WaveGate } from "./gate";

export const healthGate: WaveGate = {
    name: "health",
    async run(ctx: WaveContext): Promise<GateOutcome> {
        const { wave, rec, plan } = ctx;
        const outputs = ctx.outputs;
        if (!outputs) throw new Error("the health gate runs after the up gate, which hands on the stack outputs");
        const started = rec.now();
        const hc = plan.healthCheck;
        await Promise.all(wave.regions.map(async (region) => {
            const t0 = rec.now();
            const r = rec.region(region);
            r.outputs = safeRegionOutputs(outputs, region);
            r.health = await checkRegionHealth({
                outputs, region, apps: plan.apps, scope: hc.http, signal: ctx.signal, probe: ctx.deps.probe,
                karpenter: plan.karpenterRegions.includes(region),
                settings: { timeoutMs: hc.timeoutSeconds * 1000, retries: hc.retries, intervalMs: hc.intervalSeconds * 1000 },
            });
            r.durations.health = rec.secondsSince(t0);
            for (const h of r.health) rec.log(`[${region}] health  ${h.ok ? "ok  " : "FAIL"} ${h.target}: ${h.message}`);
            const failed = r.health.filter((h) => !h.ok);
            if (failed.length === 0) {
                r.status = "succeeded";
            } else if (ctx.interrupted()) {
                r.status = "cancelled";
            } else {
                r.status = "failed";
                r.failure = { step: "health", message: failed.map((h) => `${h.target}: ${h.message}`).join("; "), wave: wave.name, region };
            }
        }));
        const seconds = rec.secondsSince(started);
        if (ctx.interrupted()) {
            wave.steps.push({ step: "health", status: "cancelled", seconds });
            rec.halt("cancelled", { step: "health", message: "cancelled during the health checks", wave: wave.name }, wave);
            return "halted";
        }
        const unhealthy = wave.regions.filter((region) => rec.region(region).status === "failed");
        wave.steps.push({ step: "health", status: unhealthy.length === 0 ? "succeeded" : "failed", seconds });
        if (unhealthy.length === 0) return "passed";
        // Each region's status and failure are recorded above, as its checks ended.
        const first = rec.region(unhealthy[0]).failure!;
        rec.halt("failed", { step: "health", message: first.message, wave: wave.name, region: unhealthy.length === 1 ? unhealthy[0] : undefined }, wave, {},
            `Failed: health of wave ${wave.name} in ${unhealthy.join(", ")}: ${first.message}`);
        return "halted";
    },
};
