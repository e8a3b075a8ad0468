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
    return runWithMocks(loadIndex, { stack, config: files.config, secretKeys: files.secretKeys });
}

/**
 * The program body: index.ts loaded afresh (inside a stack run), as the CLI would; its exports are
 * the stack outputs.
 */
export function loadIndex(): Record<string, any> {
    const entry = require.resolve(path.join(PROJECT_DIR, "index.ts"));
    delete require.cache[entry];
    return { ...require(entry) };
}
