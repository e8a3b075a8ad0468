/**
 * TCP 443 to the API endpoint of every cluster of the wave that exists (preflight.ts): the runner
 * must reach them before anything changes. Skipped when no region of the wave is deployed yet.
 */
import { PREFLIGHT_TIMEOUT_MS, checkEndpoints, unreachableMessage } from "../preflight";
import { regionOutput } from "../upgrade-gate";
import type { GateOutcome, WaveContext, WaveGate } from "./gate";

export const preflightGate: WaveGate = {
    name: "preflight",
    async run(ctx: WaveContext): Promise<GateOutcome> {
        const { wave, rec, plan } = ctx;
        const endpoints = wave.regions
            .map((region) => ({ region, endpoint: regionOutput(ctx.deployedOutputs, region, "clusterEndpoint") }))
            .filter((e): e is { region: string; endpoint: string } => e.endpoint !== undefined && e.endpoint !== "");
        if (endpoints.length === 0) return "skipped";
        const started = rec.now();
        const checks = await checkEndpoints(endpoints, ctx.deps.connect);
        for (const c of checks) rec.log(`[${c.region}] preflight ${c.ok ? "ok  " : "FAIL"} TCP ${c.target}: ${c.message}`);
        const failed = checks.filter((c) => !c.ok);
        wave.steps.push({ step: "preflight", status: failed.length === 0 ? "succeeded" : "failed", seconds: rec.secondsSince(started) });
        if (failed.length === 0) return "passed";
        const message = failed.map((c) => unreachableMessage(c, plan.regions.indexOf(c.region), PREFLIGHT_TIMEOUT_MS)).join("\n");
        rec.failCheck("preflight", message, failed.map((c) => c.region), wave, rec.secondsSince(started));
        return "halted";
    },
};
