/**
 * After a wave's health checks: watch its regions' composite alarms for the wave's bake time
 * (eks-platform:rollout.bakeMinutes; bake.ts says what each alarm state does). An alarm in ALARM
 * halts the rollout with exit code 5 (EXIT.ALARM), naming the alarm, its reason and console link;
 * later waves are untouched. An alarm still without data at the end, or CloudWatch that cannot be
 * asked, fails the rollout closed (exit 1). `--skip-bake` skips it with a warning. Skipped when
 * the wave's bake is 0.
 */
import { EXIT } from "../exit-codes";
import { bakeWave, describeFiring } from "../bake";
import type { RegionEnd } from "../recorder";
import type { GateOutcome, WaveContext, WaveGate } from "./gate";

export const bakeGate: WaveGate = {
    name: "bake",
    async run(ctx: WaveContext): Promise<GateOutcome> {
        const { wave, rec, plan } = ctx;
        const minutes = plan.bakeMinutes[ctx.index] ?? 0;
        if (minutes === 0) return "skipped";
        if (ctx.options.skipBake) {
            rec.warn(`wave ${wave.name}: the ${minutes} min bake was skipped (--skip-bake): its alarms were not watched before the next wave`);
            return "skipped";
        }
        const started = rec.now();
        const api = ctx.deps.alarms;
        const alarms = plan.healthAlarms;
        rec.log(`Baking wave ${wave.name} for ${minutes} min: watching ${wave.regions.map((r) => alarms?.[r] ?? `(no alarm in ${r})`).join(", ")}`);
        const verdict = !api || !alarms
            ? { kind: "error" as const, polls: 0, message: !alarms ? "eks-platform:observability is off: no alarms to bake on (the config check refuses this; fails closed)" : "no CloudWatch client was given to the rollout; the bake fails closed" }
            : await bakeWave({
                watches: wave.regions.map((region) => ({ region, composite: alarms[region] })),
                api, durationMs: minutes * 60_000, now: () => rec.now(), sleep: (ms, s) => ctx.sleep(ms, s), signal: ctx.signal,
            });
        const seconds = rec.secondsSince(started);
        if (verdict.kind === "ok") {
            wave.steps.push({ step: "bake", status: "succeeded", seconds, message: `${minutes} min, ${verdict.polls} poll(s), no alarm` });
            return "passed";
        }
        if (verdict.kind === "cancelled" || ctx.interrupted()) {
            wave.steps.push({ step: "bake", status: "cancelled", seconds });
            rec.halt("cancelled", { step: "bake", message: "cancelled during the bake", wave: wave.name }, wave);
            return "halted";
        }
        const message = verdict.kind === "alarm"
            ? `alarm during the bake of wave ${wave.name} (exit code ${EXIT.ALARM}):\n${describeFiring(verdict.firing)}`
            : verdict.kind === "no-data"
                ? `alarms still without data (INSUFFICIENT_DATA) at the end of the ${minutes} min bake of wave ${wave.name}: the bake could not see these signals and fails closed:\n` +
                  `${describeFiring(verdict.silent)}\nCheck that the observability add-on reports, or rerun with --skip-bake`
                : verdict.message;
        wave.steps.push({ step: "bake", status: "failed", seconds, message });
        const blamed = verdict.kind === "alarm" ? verdict.firing.map((f) => f.region) : verdict.kind === "no-data" ? verdict.silent.map((f) => f.region) : [];
        const ends = Object.fromEntries(wave.regions.map((region): [string, RegionEnd] => [region, {
            status: "failed", message: blamed.includes(region) || blamed.length === 0 ? message : `the bake of this wave failed in ${[...new Set(blamed)].join(", ")}`,
        }]));
        const regions = [...new Set(blamed)];
        rec.halt(verdict.kind === "alarm" ? "alarm" : "failed", { step: "bake", message, wave: wave.name, region: regions.length === 1 ? regions[0] : undefined }, wave, ends, `Halted: ${message}`);
        return "halted";
    },
};
