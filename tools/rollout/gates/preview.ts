/**
 * The wave's own targeted preview must pass before anything in it changes: no engine error, no
 * mandatory policy violation, no deletion of a region's resources (registration.ts) nor of a
 * CustomResourceDefinition (crd-guard.ts), and no replacement of the account's Spot service-linked role
 * nor a create of it where the account has one (account.ts).
 */
import { spotRoleCreateRefusal, spotRoleReplacements } from "../account";
import { crdDeletions } from "../crd-guard";
import { regionDeletions } from "../registration";
import type { GateOutcome, WaveContext, WaveGate } from "./gate";

export const previewGate: WaveGate = {
    name: "preview",
    async run(ctx: WaveContext): Promise<GateOutcome> {
        const { wave, rec } = ctx;
        const { stack } = ctx.deps;
        const signal = ctx.signal;
        const previewLog = ctx.newLog("preview");
        const preview = await ctx.op(`preview ${wave.name}`, (onEvent) => stack.preview({
            target: [...ctx.target], regions: [...ctx.registered], signal, onEvent,
            policyPacks: ctx.options.policyPacks ?? [], policyPackConfigs: ctx.options.policyPackConfigs ?? [],
        }), previewLog);
        rec.record(wave.steps, "preview", preview);
        rec.collectPolicy(previewLog);
        for (const region of wave.regions) {
            rec.region(region).planned = previewLog.changes(region);
            rec.region(region).durations.preview = preview.seconds;
        }
        if (!preview.ok) {
            rec.fail(preview, "preview", previewLog, wave.regions, wave);
            return "halted";
        }
        const blocking = [
            ...rec.mandatoryViolations(previewLog), ...previewLog.errors.map((e) => e.message),
            ...regionDeletions(previewLog.changedSteps(), wave.regions).map((d) => `refused: the plan deletes a region's resources: ${d}`),
            ...spotRoleReplacements(previewLog.changedSteps()),
            ...crdDeletions(previewLog.changedSteps()),
        ];
        const createRefusal = await spotRoleCreateRefusal(previewLog.changedSteps(), ctx.plan, ctx.deps.account);
        if (createRefusal) blocking.push(createRefusal);
        if (blocking.length > 0) {
            rec.fail({ ok: false, error: new Error(blocking.join("\n")), kind: "failed", seconds: preview.seconds },
                "preview", previewLog, wave.regions, wave);
            return "halted";
        }
        return "passed";
    },
};
