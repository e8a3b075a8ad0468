/**
 * Before a wave changes anything: the wave's regions' composite "region healthy" alarms must not
 * stand in ALARM (a region already unhealthy is not changed on top of that, and a bake could not
 * tell the change's harm from the old). Fails closed when CloudWatch cannot be asked;
 * `--ignore-preexisting-alarms` goes ahead with a warning. Composites that do not exist yet (a
 * region this wave creates) pass. Skipped when eks-platform:observability is off.
 */
import { describeFiring, standingAlarms } from "../bake";
import type { RegionEnd } from "../recorder";
import type { GateOutcome, WaveContext, WaveGate } from "./gate";

export const standingAlarmsGate: WaveGate = {
    name: "alarms",
    async run(ctx: WaveContext): Promise<GateOutcome> {
        const { wave, rec, plan } = ctx;
        if (!plan.healthAlarms) return "skipped";
        const started = rec.now();
        const watches = wave.regions.map((region) => ({ region, composite: plan.healthAlarms![region] }));
        const result = ctx.deps.alarms
            ? await standingAlarms(watches, ctx.deps.alarms)
            : { error: "no CloudWatch client was given to the rollout; the check fails closed" };
        const problem = "error" in result ? result.error
            : result.firing.length > 0 ? `alarms already in ALARM before wave ${wave.name} changes anything:\n${describeFiring(result.firing)}` : undefined;
        if (!problem) {
            wave.steps.push({ step: "alarms", status: "succeeded", seconds: rec.secondsSince(started) });
            return "passed";
        }
        if (ctx.options.ignorePreexistingAlarms) {
            rec.warn(`${problem.split("\n").join("; ")}; --ignore-preexisting-alarms was given: going ahead`);
            wave.steps.push({ step: "alarms", status: "succeeded", seconds: rec.secondsSince(started), message: "overridden by --ignore-preexisting-alarms" });
            return "passed";
        }
        const firing = "firing" in result ? result.firing : [];
        const message = `${problem}\nFix the regions first, or rerun with --ignore-preexisting-alarms to go ahead.`;
        wave.steps.push({ step: "alarms", status: "failed", seconds: rec.secondsSince(started), message });
        const ends = Object.fromEntries(wave.regions.map((region): [string, RegionEnd] => [region, {
            status: "skipped", message: firing.filter((f) => f.region === region).map((f) => f.name).join(", ") || problem.split("\n")[0],
        }]));
        const regions = [...new Set(firing.map((f) => f.region))];
        rec.halt(firing.length > 0 ? "alarm" : "failed", { step: "alarms", message, wave: wave.name, region: regions.length === 1 ? regions[0] : undefined }, wave, ends, `Halted: ${message}`);
        return "halted";
    },
};
