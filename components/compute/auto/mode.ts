/**
 * Compute mode `auto`: EKS Auto Mode launches every node (built-in pools and the stack's custom pools),
 * and runs networking, DNS, block storage and load balancing itself. The mode contributes the cluster
 * settings (components/cluster.ts applies them) and says what it owns, so the region registers none of
 * that machinery (settings.ts `autoModeCapabilities`).
 */
import type { ComputeConfig } from "../../../stacks/config";
import type { ComputeMode } from "../mode";
import { AutoMode } from "./auto-mode";
import { autoModeCapabilities } from "./settings";

/** The AutoMode component's name under a region. */
export function autoModeName(region: string): string {
    return `${region}-auto`;
}

export const autoMode: ComputeMode<Extract<ComputeConfig, { mode: "auto" }>> = {
    name: "auto",
    capabilities: (settings) => autoModeCapabilities(settings.autoMode),
    // Auto Mode selects subnets by the role tags the network already sets (tag-subnets-auto.html).
    privateSubnetTags: () => ({}),
    build(name, inputs, settings, opts) {
        const auto = new AutoMode(autoModeName(name), inputs, settings.autoMode, { parent: opts.parent });
        return { systemNodes: auto, workloadCapacity: [auto], status: auto.status };
    },
};
