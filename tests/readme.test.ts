import { stackPlan } from "./plan/helpers";
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { appSchema } from "../stacks/apps-schema";
import { COST_ASSUMPTION_DEFAULTS, costAssumptionsSchema } from "../stacks/cost-schema";
import { parsePlatformConfig, rawProjectConfig } from "../stacks/config";
import { platformSchema } from "../stacks/schema";
import { nodeClassSchema, nodePoolSchema } from "../stacks/karpenter-schema";
import { PROJECT_DIR } from "../tools/harness/program";
import { readStackConfig } from "../tools/harness/stack-files";

const README = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");

/** The README table row whose first cell names the key (`| \`key\` | ... |`, or `| \`a\` / \`key\` |`). */
function row(key: string): string | undefined {
    return README.split("\n").find((l) => l.startsWith("| ") && l.split("|")[1].includes(`\`${key}\``));
}

/** A zod schema's default, when it has a plain (scalar) one. */
function scalarDefault(schema: any): string | number | boolean | undefined {
    if (schema.def.type !== "default") return undefined;
    const v = schema.def.defaultValue;
    return ["string", "number", "boolean"].includes(typeof v) ? v : undefined;
}

describe("README stays true to the code", () => {
    it("documents every eks-platform key, with its scalar default", () => {
        for (const [key, schema] of Object.entries(platformSchema.shape)) {
            const r = row(key);
            assert.ok(r, `README has no row for eks-platform:${key}`);
            const d = scalarDefault(schema);
            if (d !== undefined) assert.ok(r!.includes(String(d)), `README row of ${key} does not show its default ${d}: ${r}`);
        }
    });

    it("documents every cost assumption, with its default", () => {
        for (const [key, d] of Object.entries(COST_ASSUMPTION_DEFAULTS)) {
            const r = row(key);
            assert.ok(r, `README has no row for costAssumptions.${key}`);
            assert.ok(r!.split("|")[2].includes(`\`${d}\``), `README row of costAssumptions.${key} does not show its default ${d}: ${r}`);
        }
        assert.deepEqual(Object.keys(costAssumptionsSchema.shape).sort(), Object.keys(COST_ASSUMPTION_DEFAULTS).sort());
    });

    it("documents every app key, with its scalar default", () => {
        for (const [key, schema] of Object.entries(appSchema.shape)) {
            const r = row(key);
            assert.ok(r, `README has no row for apps[].${key}`);
            const d = scalarDefault(schema);
            if (d !== undefined) assert.ok(r!.includes(String(d)), `README row of apps[].${key} does not show its default ${d}: ${r}`);
        }
    });

    it("documents every Karpenter node class and pool key, with its scalar default", () => {
        const disruption = (nodePoolSchema.shape.disruption as any).def.innerType.shape;
        const keys: Array<[string, unknown]> = [
            ...Object.entries(nodeClassSchema.shape).map(([k, v]): [string, unknown] => [`nodeClasses[].${k}`, v]),
            ...Object.entries(nodePoolSchema.shape).filter(([k]) => k !== "disruption").map(([k, v]): [string, unknown] => [`nodePools[].${k}`, v]),
            ...Object.entries(disruption).map(([k, v]): [string, unknown] => [`nodePools[].disruption.${k}`, v]),
        ];
        assert.ok(keys.length > 15);
        for (const [key, schema] of keys) {
            const r = row(key);
            assert.ok(r, `README has no row for karpenter.${key}`);
            const d = scalarDefault(schema);
            if (d !== undefined) assert.ok(r!.includes(String(d)), `README row of karpenter.${key} does not show its default ${d}: ${r}`);
        }
    });

    it("shows the sample plan's end as the real dev plan prints it: the summary, the timeline and the cost (it used to stop at the summary)", async () => {
        const block = README.split("```text\n$ npm run plan -- dev\n")[1].split("```")[0].split("\n");
        const tail = block.slice(block.findIndex((l) => l.startsWith("Planned: "))).filter((l) => l.trim() !== "" && l.trim() !== "...");
        assert.ok(tail.some((l) => l.startsWith("== Deploy timeline")) && tail.some((l) => l.startsWith("== Monthly cost estimate")), tail.join("\n"));
        const real = (await stackPlan("dev")).result.text.split("\n");
        let at = 0;
        for (const line of tail) {
            const found = real.indexOf(line, at);
            assert.ok(found >= 0, `README sample line not in the real plan (in order): ${line}`);
            at = found + 1;
        }
    });

    it("shows the error message the program really prints for the sample bad CIDR", () => {
        const shown = README.split("\n").find((l) => l.includes('eks-platform:regions[0].vpcCidr = "10.0.0.0/8"'));
        assert.ok(shown, "README shows the sample error");
        const raw = rawProjectConfig(readStackConfig(PROJECT_DIR, "dev").config) as any;
        raw.regions[0].vpcCidr = "10.0.0.0/8";
        assert.throws(() => parsePlatformConfig(raw, "dev"), (e: Error) => e.message.split("\n").includes(shown!));
    });
});
