/**
 * eks-platform: one stack = one environment over the regions its config lists.
 * The config is validated in full before any resource is registered.
 */
import { loadPlatformConfig } from "./stacks/config";
import { buildPlatform } from "./platform";

const config = loadPlatformConfig();
const platform = buildPlatform(config);

/** Per region: VPC id, cluster name, API endpoint and kubeconfig (secret). */
export const regions = platform.outputs;
