/**
 * How `npm run plan` starts the plan command in a checkout, as Node arguments: package.json
 * `scripts.plan` without its leading `node` and the Node launcher (tools/toolchain/node.cjs), e.g.
 * `["-r", "./tools/toolchain/typescript.cjs", "tools/plan/cli.ts"]`. For running a checkout's plan in a
 * child process on the current Node with that checkout's own TypeScript loader (its tests, and
 * `--compare <git ref>` on an older commit, whose loader may differ).
 */
import * as fs from "fs";
import * as path from "path";

const SCRIPT = /^node\s+(?:tools\/toolchain\/node\.cjs\s+)?(.+\S)\s*$/;

/** The Node arguments of `npm run plan` in `dir`; throws naming the script when it is not `node ...`. */
export function planNodeArgs(dir: string): string[] {
    const file = path.join(dir, "package.json");
    const script: unknown = JSON.parse(fs.readFileSync(file, "utf8")).scripts?.plan;
    const m = typeof script === "string" ? SCRIPT.exec(script) : null;
    if (!m) throw new Error(`${file}: scripts.plan is not "node [tools/toolchain/node.cjs] <args>": ${JSON.stringify(script)}`);
    return m[1].split(/\s+/);
}
