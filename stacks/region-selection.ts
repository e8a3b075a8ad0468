/**
 * Which configured regions one run of the program registers.
 *
 * A plain `pulumi up` / `pulumi preview` registers every region of `eks-platform:regions`. A rollout
 * wave (tools/rollout) runs a *targeted* update, and the engine constructs a remote component
 * whatever the targets (pulumi v3.248.0 pkg/resource/deploy/source_eval.go calls `Construct` for
 * every remote registration); inside a region that was never deployed, the untargeted children of
 * `eks.Cluster` are skipped creates without outputs (step_generator.go), and pulumi-eks v4.3.0 then
 * fails a real update (`getRegionFromArn(undefined)`, nodejs/eks/utilities.ts l.37). So the rollout
 * tells the program, per operation, to register only the regions that are deployed or belong to this
 * or an earlier wave, through the environment variable below. It is never a stack-config key: a
 * config value would be saved in the stack and outlive the run.
 *
 * What the program cannot see is whether the run is targeted: an untargeted `pulumi up` with the
 * variable set would delete every region left out. The rollout never does that (its updates are
 * targeted, and it refuses a plan that deletes a region's component); by hand, leave it unset.
 */
import type { RegionConfig } from "./config";

/** Comma-separated region codes the program registers; unset or empty: every configured region. */
export const REGIONS_ENV = "EKS_PLATFORM_REGIONS";

export interface RegionSelection {
    /** The regions to register, in config order. */
    readonly regions: readonly RegionConfig[];
    /** Configured regions left out this run (empty for a plain run). */
    readonly omitted: readonly string[];
}

/**
 * The regions named by `value` (the variable's text), in config order. Throws when it names a
 * region that is not configured: registering nothing for it would be a silent no-op.
 */
export function selectRegions(configured: readonly RegionConfig[], value: string | undefined): RegionSelection {
    const named = (value ?? "").split(",").map((s) => s.trim()).filter((s) => s.length > 0);
    if (named.length === 0) return { regions: configured, omitted: [] };
    const codes = configured.map((r) => r.region);
    const unknown = named.filter((r) => !codes.includes(r));
    if (unknown.length > 0) {
        throw new Error(`${REGIONS_ENV}=${JSON.stringify(value)} names ${unknown.join(", ")}, not in eks-platform:regions ` +
            `(${codes.join(", ")}); allowed: a comma-separated subset of those, or unset for every region`);
    }
    return {
        regions: configured.filter((r) => named.includes(r.region)),
        omitted: codes.filter((r) => !named.includes(r)),
    };
}
