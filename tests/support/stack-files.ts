/** The project's own stack files, parsed as the program parses them (for expectations computed from config). */
import type { PlatformConfig } from "../../stacks/config";
import { parsePlatformConfig, rawProjectConfig } from "../../stacks/config";
import { PROJECT_DIR } from "../../tools/harness/program";
import { readStackConfig } from "../../tools/harness/stack-files";

/** The parsed config of `Pulumi.<stack>.yaml`. */
export function stackFileConfig(stack: string): PlatformConfig {
    return parsePlatformConfig(rawProjectConfig(readStackConfig(PROJECT_DIR, stack).config), stack);
}
