/**
 * Which regions the program registers during a wave, and the guard that no wave deletes a region.
 *
 * A wave's operations are targeted at its regions, but the program still runs in full, and a region
 * that is registered without being targeted and was never deployed breaks a real update (see
 * stacks/region-selection.ts). So each wave registers (REGIONS_ENV) exactly:
 * - the regions already deployed: read from the stack outputs before the first wave (`regions.<code>`,
 *   which index.ts exports for every region it registers), so the Stack's outputs keep them and no
 *   plan can read them as removed;
 * - the regions of this wave and of the waves before it (created by now).
 * Later waves' new regions are left out until their turn.
 *
 * A deployed region that is no longer in `eks-platform:regions` cannot be registered (the program has
 * no config for it): removing a region is not a rollout's job, so the rollout refuses to start.
 * And whatever the cause, a gate preview whose plan deletes a region's component, or deletes anything
 * in a region outside the wave, stops the rollout before the update.
 */
import type { OutputMap } from "@pulumi/pulumi/automation";
import type { ResourceStep } from "./events";
import { REGIONAL_PLATFORM_TYPE } from "./waves";

export { REGIONS_ENV } from "../../stacks/region-selection";

/** Region codes the stack outputs list under `regions` (what the last update registered). */
export function deployedRegions(outputs: OutputMap): string[] {
    const value = outputs.regions?.value;
    return value !== null && typeof value === "object" && !Array.isArray(value) ? Object.keys(value) : [];
}

/** Deployed regions that the config no longer lists, with the message that refuses the rollout. */
export function unconfiguredDeployed(deployed: readonly string[], configured: readonly string[]): { regions: string[]; message?: string } {
    const regions = deployed.filter((r) => !configured.includes(r));
    if (regions.length === 0) return { regions };
    return {
        regions,
        message: `deployed region(s) ${regions.join(", ")} (in the stack outputs) are not in eks-platform:regions ` +
            `(${configured.join(", ")}). A rollout never removes a region: keep it in eks-platform:regions, or remove it ` +
            "deliberately outside the rollout (pulumi destroy --target of its RegionalPlatform and children, then pulumi up).",
    };
}

/**
 * The regions wave `index` registers, in config order: deployed ones plus those of waves 0..index.
 */
export function registeredRegions(
    configured: readonly string[],
    waves: ReadonlyArray<{ readonly regions: readonly string[] }>,
    index: number,
    deployed: readonly string[],
): string[] {
    const wanted = new Set([...deployed, ...waves.slice(0, index + 1).flatMap((w) => w.regions)]);
    return configured.filter((r) => wanted.has(r));
}

const DELETE_OPS: readonly string[] = ["delete", "delete-replaced", "discard", "discard-replaced"];

/**
 * Planned steps that delete a region's component, or anything in a region outside `waveRegions`:
 * one line each (empty when the plan deletes no region).
 */
export function regionDeletions(steps: readonly ResourceStep[], waveRegions: readonly string[]): string[] {
    return steps
        .filter((s) => DELETE_OPS.includes(s.op))
        .filter((s) => s.type === REGIONAL_PLATFORM_TYPE || (s.region !== undefined && !waveRegions.includes(s.region)))
        .map((s) => `${s.op} ${s.urn}${s.region ? ` (region ${s.region})` : ""}`);
}
