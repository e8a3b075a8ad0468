/**
 * Shared by the plan tests: temp folders, reading written files, capturing the CLI's output, and the
 * plan of each stack file (planned once per test process).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseAllDocuments } from "yaml";
import { PROJECT_DIR } from "../../tools/harness/program";
import type { Io } from "../../tools/plan/cli";
import { plan, PlanResult } from "../../tools/plan/plan";
import { sharedRunner } from "../support/fixtures";

const created: string[] = [];
process.once("exit", () => {
    for (const d of created) fs.rmSync(d, { recursive: true, force: true });
});

/** A fresh folder under the system temp folder, removed when the test process exits. */
export function tempDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `plan-test-${prefix}-`));
    created.push(dir);
    return dir;
}

/** Every file under `dir`: relative path -> bytes. */
export function readTree(dir: string): Map<string, Buffer> {
    const out = new Map<string, Buffer>();
    const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) walk(p);
            else out.set(path.relative(dir, p), fs.readFileSync(p));
        }
    };
    walk(dir);
    return out;
}

/** The objects of a multi-document YAML file. */
export function yamlObjects(text: string): any[] {
    return parseAllDocuments(text).map((d) => d.toJS()).filter((o) => o !== null && o !== undefined);
}

/**
 * A folder holding this project's Pulumi.yaml and one stack file `Pulumi.<stack>.yaml` built from an
 * existing stack file by `edit` (text in, text out).
 */
export function stackDir(stack: string, from: string, edit: (text: string) => string): string {
    const dir = tempDir(stack);
    fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    const text = fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${from}.yaml`), "utf8");
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), edit(text));
    return dir;
}

export function captureIo(): Io & { out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, stdout: (s) => out.push(s), stderr: (s) => err.push(s) };
}

const stackPlans = new Map<string, Promise<{ result: PlanResult; out: string }>>();

/**
 * `plan(stack)` of the project's own `Pulumi.<stack>.yaml`, written to a temp folder `out`: planned
 * once per test process, on the suite's one program run of the stack (`stackRun`), and shared by the
 * tests that only read it. A test that checks a second run, or writes into the output folder, plans
 * on its own.
 */
export function stackPlan(stack: "dev" | "prod" | "sandbox"): Promise<{ result: PlanResult; out: string }> {
    let p = stackPlans.get(stack);
    if (!p) {
        const out = tempDir(stack);
        p = plan(stack, { out, runProgram: sharedRunner }).then((result) => ({ result, out }));
        stackPlans.set(stack, p);
    }
    return p;
}
