/**
 * eks-platform: one stack = one environment over the regions its config lists.
 * The config is validated in full before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { loadPlatformConfig } from "./stacks/config";
import { REGIONS_ENV, selectRegions } from "./stacks/region-selection";
import { buildPlatform } from "./platform";

const config = loadPlatformConfig();
// A rollout wave registers only some regions (stacks/region-selection.ts); a plain run, all of them.
const selection = selectRegions(config.regions, process.env[REGIONS_ENV]);
if (selection.omitted.length > 0) {
    pulumi.log.warn(`${REGIONS_ENV} is set: registering ${selection.regions.map((r) => r.region).join(", ")} only, not ` +
        `${selection.omitted.join(", ")}. Only a targeted update may run like this; unset it for a plain \`pulumi up\`.`);
}
const platform = buildPlatform({ ...config, regions: selection.regions });

/** Per region: VPC id, cluster name, API endpoint and kubeconfig (secret). */
export const regions = platform.outputs;
