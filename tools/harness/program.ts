/**
 * Runs the real program (`index.ts`) for a stack under the mock engine.
 */
import * as path from "path";
import { runWithMocks, RunResult } from "./engine";
import { readStackConfig } from "./stack-files";

export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/** Runs index.ts with the stack's config from `Pulumi.<stack>.yaml` (or `config` when given). */
export async function runProgram(
    stack: string,
    options: { dir?: string; config?: Record<string, string>; secretKeys?: string[] } = {},
): Promise<RunResult<Record<string, any>>> {
    const dir = options.dir ?? PROJECT_DIR;
    const files = options.config ? { config: options.config, secretKeys: options.secretKeys ?? [] } : readStackConfig(dir, stack);
    const entry = require.resolve(path.join(PROJECT_DIR, "index.ts"));
    return runWithMocks(() => {
        // index.ts is the program body: load it afresh inside the stack, as the CLI would.
        delete require.cache[entry];
        return { ...require(entry) };
    }, { stack, config: files.config, secretKeys: files.secretKeys });
}
