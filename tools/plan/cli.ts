/**
 * `npm run plan -- <stack> [--out DIR] [--json] [--dir DIR]`: the offline plan of a stack.
 *
 * Exit codes (here and nowhere else):
 *   0  planned, every Kubernetes object valid
 *   1  invalid stack config, invalid Kubernetes objects, or the program failed
 *   2  usage error: unknown stack, bad or missing argument (the stacks that exist are listed), or the
 *      output folder cannot be written (read-only, full, a mount point: the path and the cause are named)
 *   3  planned, but the monthly cost estimate exceeds eks-platform:monthlyBudget
 */
import * as path from "path";
import { parseArgs } from "util";
import { PROJECT_DIR } from "../harness/program";
import { WriteFailure, tildeNote } from "../files";
import { listStacks } from "../harness/stack-files";
import { isIsoDate } from "../../stacks/today";
import { PlanStatus, UsageError, plan, programFailure } from "./plan";

export const EXIT = { ok: 0, invalid: 1, usage: 2, overBudget: 3 } as const;

const EXIT_FOR: Record<PlanStatus, number> = {
    "planned": EXIT.ok,
    "invalid-config": EXIT.invalid,
    "invalid-manifests": EXIT.invalid,
    "program-error": EXIT.invalid,
    "over-budget": EXIT.overBudget,
};

export function exitCodeFor(status: PlanStatus): number {
    return EXIT_FOR[status];
}

export interface Io {
    readonly stdout: (s: string) => void;
    readonly stderr: (s: string) => void;
}

const USAGE = `Usage: npm run plan -- <stack> [--out DIR] [--json] [--dir DIR] [--today YYYY-MM-DD] [--compare REF|FILE]

Shows what \`pulumi up\` would build for a stack, offline (no AWS, no Pulumi CLI), and writes
resources.json, manifests/<region>.yaml, architecture.md, timeline.md, cost.json and cost.md to the
output folder.

  <stack>      a stack with a Pulumi.<stack>.yaml, e.g. dev
  --out DIR    output folder (default: plan/<stack> under the project, or under --dir)
  --json       print a JSON summary instead of the text plan
  --dir DIR    folder holding Pulumi.yaml and the stack files (default: the project root)
  --today D    check the EKS support calendar for day D, YYYY-MM-DD (default: EKS_PLATFORM_TODAY, else today, UTC)
  --compare X  print (and write cost-diff.md) what the change costs per month against X: a git ref
               (the stack planned at that commit) or a saved cost.json
  -h, --help   this help

Exit codes: 0 planned and valid, 1 invalid config or Kubernetes objects, 2 usage error,
3 planned but the cost estimate exceeds eks-platform:monthlyBudget.`;

function usageError(io: Io, message: string, dir: string): number {
    const stacks = safeList(dir);
    io.stderr(`error: ${message}\nstacks: ${stacks.join(", ") || "(none)"}\n${USAGE.split("\n")[0]}   (--help for more)\n`);
    return EXIT.usage;
}

function safeList(dir: string): string[] {
    try {
        return listStacks(dir);
    } catch {
        return [];
    }
}

const OPTIONS = {
    out: { type: "string" },
    json: { type: "boolean" },
    dir: { type: "string" },
    today: { type: "string" },
    compare: { type: "string" },
    help: { type: "boolean", short: "h" },
} as const;

function parse(argv: readonly string[]) {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
}

/** Runs the command; returns its exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
    let parsed: ReturnType<typeof parse>;
    try {
        parsed = parse(argv);
    } catch (e) {
        return usageError(io, (e as Error).message, PROJECT_DIR);
    }
    const { values, positionals } = parsed;
    const dir = path.resolve(values.dir ?? PROJECT_DIR);
    if (values.help) {
        io.stdout(`${USAGE}\nstacks: ${safeList(dir).join(", ") || "(none)"}\n`);
        return EXIT.ok;
    }
    if (positionals.length !== 1) {
        return usageError(io, positionals.length === 0 ? "which stack? give one stack name" : `one stack at a time, got ${positionals.join(" ")}`, dir);
    }
    if (values.today !== undefined && !isIsoDate(values.today)) {
        return usageError(io, `--today ${JSON.stringify(values.today)} is not a date; expected YYYY-MM-DD, e.g. 2026-11-29`, dir);
    }
    const tilde = tildeNote("--out", values.out);
    if (tilde) io.stderr(`${tilde}\n`);
    // An error the program raises where nothing awaits it (inside an output) ends the plan the same way.
    let unhandled: ((e: unknown) => void) | undefined;
    const crashed = new Promise<never>((_, reject) => { unhandled = reject; });
    const onUnhandled = (e: unknown) => unhandled?.(e);
    process.on("unhandledRejection", onUnhandled);
    try {
        const stack = positionals[0];
        const result = await Promise.race([plan(stack, { dir, out: values.out, today: values.today, compare: values.compare }), crashed])
            .catch((e) => { if (e instanceof UsageError || e instanceof WriteFailure) throw e; return programFailure(stack, e); });
        const planned = result.status === "planned" || result.status === "invalid-manifests" || result.status === "over-budget";
        if (values.json) io.stdout(`${JSON.stringify(result.json, null, 2)}\n`);
        else if (planned) io.stdout(result.text);
        if (result.error) io.stderr(result.status === "over-budget" ? `${result.error}\n` : result.text);
        return exitCodeFor(result.status);
    } catch (e) {
        if (e instanceof UsageError) return usageError(io, e.message, dir);
        if (e instanceof WriteFailure) {
            io.stderr(`error: ${e.message}; nothing was changed there\n`);
            return EXIT.usage;
        }
        throw e;
    } finally {
        process.off("unhandledRejection", onUnhandled);
    }
}

if (require.main === module) {
    // The program's outputs may still reject after the plan has ended (main reports the first one):
    // the outcome is decided by then, so later ones must not print a second, raw error.
    process.on("unhandledRejection", () => undefined);
    main(process.argv.slice(2), {
        stdout: (s) => process.stdout.write(s),
        stderr: (s) => process.stderr.write(s),
    }).then(
        (code) => { process.exitCode = code; },
        (e) => {
            process.stderr.write(`internal error: ${(e as Error)?.stack ?? String(e)}\n`);
            process.exitCode = EXIT.invalid;
        },
    );
}
