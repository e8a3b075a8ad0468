/**
 * The compute modes side by side, and the one place a region's config picks its mode.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ComputeConfig } from "../../stacks/config";
import { karpenterMode } from "./karpenter/mode";
import { autoMode } from "./auto/mode";
import { managedNodeGroups } from "./managed-node-groups";
import type { Compute, ComputeInputs, ComputeMode, ModeCapabilities } from "./mode";

export type { Compute, ComputeInputs, ComputeMode, ComputeStatus, ModeCapabilities } from "./mode";

type ModeName = ComputeConfig["mode"];

/** Every mode a stack config can select, by the name it selects it with. */
export const COMPUTE_MODES: { readonly [M in ModeName]: ComputeMode<Extract<ComputeConfig, { mode: M }>> } = {
    "managed-node-groups": managedNodeGroups,
    karpenter: karpenterMode,
    auto: autoMode,
};

/** The mode a region's compute config selects. */
export function computeModeFor<C extends ComputeConfig>(config: C): ComputeMode<C> {
    return COMPUTE_MODES[config.mode] as unknown as ComputeMode<C>;
}

/** Tags the selected mode needs on the private subnets (the network applies them with its own). */
export function computeSubnetTags(config: ComputeConfig, clusterName: string): Record<string, string> {
    return computeModeFor(config).privateSubnetTags(clusterName, config);
}

/** What the selected mode contributes to the cluster and runs itself. */
export function computeCapabilities(config: ComputeConfig): ModeCapabilities {
    return computeModeFor(config).capabilities(config);
}

/** Registers the selected mode's resources under `opts.parent`. */
export function buildCompute(name: string, inputs: ComputeInputs, config: ComputeConfig, opts: pulumi.ComponentResourceOptions): Compute {
    return computeModeFor(config).build(name, inputs, config, opts);
}
