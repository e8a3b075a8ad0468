/**
 * Before a wave whose update changes a region's Kubernetes version: that cluster's EKS upgrade
 * insights (upgrade-gate.ts). An ERROR insight (or an API that cannot be asked: fail closed) halts
 * the wave unless `ignoreInsights`, which goes ahead with a warning in the report. Skipped when no
 * region of the wave changes its version.
 */
import { insightGate, versionChange } from "../upgrade-gate";
import type { RegionEnd } from "../recorder";
import type { GateOutcome, WaveContext, WaveGate } from "./gate";

export const insightsGate: WaveGate = {
    name: "insights",
    async run(ctx: WaveContext): Promise<GateOutcome> {
        const { wave, rec } = ctx;
        const upgrading = ctx.versions.filter((v) => wave.regions.includes(v.region) && versionChange(v.configured, v.deployed) === "upgrade");
        if (upgrading.length === 0) return "skipped";
        const started = rec.now();
        const ignore = ctx.options.ignoreInsights ?? false;
        const results = await Promise.all(upgrading.map((version) => insightGate({ version, eks: ctx.deps.eks, ignore })));
        for (const [i, r] of results.entries()) {
            const region = rec.region(r.region);
            region.kubernetes = { ...region.kubernetes!, insights: [...r.lines] };
            const v = upgrading[i];
            rec.log(`[${r.region}] upgrade insights for ${v.deployed} -> ${v.configured}: ${r.lines.length === 0 ? "nothing failing" : `${r.ok ? "" : "BLOCKING "}${r.lines.length} line(s)`}`);
            for (const l of r.lines) rec.log(`[${r.region}]   ${l}`);
            for (const w of r.warnings) rec.warn(w);
        }
        const failed = results.filter((r) => !r.ok);
        wave.steps.push({ step: "insights", status: failed.length > 0 ? "failed" : "succeeded", seconds: rec.secondsSince(started) });
        if (failed.length === 0) return "passed";
        const message = failed.map((r) => `${r.region}: ${r.lines.join("; ")}`).join("\n") +
            "\nFix what the insights name (EKS console, cluster Upgrade insights), or rerun with --ignore-insights to go ahead.";
        const ends = Object.fromEntries(wave.regions.map((region): [string, RegionEnd] => {
            const own = failed.find((f) => f.region === region);
            return [region, own
                ? { status: "failed", message: own.lines.join("; ") }
                : { status: "skipped", message: `the upgrade insights of this wave failed in ${failed.map((f) => f.region).join(", ")}` }];
        }));
        rec.halt("failed", { step: "insights", message, wave: wave.name, region: failed.length === 1 ? failed[0].region : undefined }, wave, ends,
            `Failed: upgrade insights before wave ${wave.name}: ${message}`);
        return "halted";
    },
};
