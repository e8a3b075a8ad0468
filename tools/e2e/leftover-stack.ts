/**
 * What a stack file left by an earlier run (a run cut short before its destroy) says about where that
 * run deployed, so the next run sweeps those regions too.
 */
import { StackFileError, readStackConfig } from "../harness/stack-files";
import { rawProjectConfig } from "../../stacks/config";
import { AWS_REGIONS } from "../../stacks/schema";

/**
 * The regions (eks-platform:regions[].region) of stack `stack`'s file in `dir`, read as the Pulumi CLI
 * hands them to the program (the shared stack-file reader). Only regions the stack schema allows;
 * [] when the file cannot be read as a stack file (the run then says "region unknown").
 */
export function stackFileRegions(dir: string, stack: string): string[] {
    let config: Record<string, string>;
    try {
        config = readStackConfig(dir, stack).config;
    } catch (e) {
        if (e instanceof StackFileError) return [];
        throw e;
    }
    const regions = rawProjectConfig(config).regions;
    if (!Array.isArray(regions)) return [];
    return regions.map((r) => (r as { region?: unknown } | null)?.region)
        .filter((r): r is string => typeof r === "string" && AWS_REGIONS.includes(r));
}
