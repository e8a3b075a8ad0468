/**
 * The offline plan: runs the real program (index.ts) for a stack on the project's one mock engine
 * (tools/harness), then builds, checks and writes what `pulumi up` would create.
 *
 *   plan(stack, { dir, out }) -> PlanResult   (exit codes are the CLI's business: cli.ts)
 */
import { errorText } from "../error-text";
import * as path from "path";
import { regionalName } from "../../platform";
import type { PlatformConfig } from "../../stacks/config";
import { ConfigError } from "../../stacks/errors";
import { REGIONS_ENV } from "../../stacks/region-selection";
import { resolveToday, withToday } from "../../stacks/today";
import type { RunResult } from "../harness/engine";
import { PROJECT_DIR, runProgram } from "../harness/program";
import type { ResourceRecord } from "../harness/records";
import { fromPointer } from "../harness/records";
import { StackFileError } from "../harness/stack-files";
import { namesDecision } from "./dns-plan";
import { regionDecisions } from "./decisions";
import { compareManifests, listedInputs, manifestFor, manifestObject, manifestsYaml } from "./manifests";
import { architectureMarkdown } from "./mermaid";
import type { Manifest, ManifestCheck, PlanModel, RegionPlan, ResourceEntry, Warning } from "./model";
import { SECRET } from "./model";
import { plainData, redactOutputs, redactPointers, redactSensitiveInputs, stringsIn } from "./redact";
import { renderText } from "./render-text";
import { LoadedStack, UsageError, loadStack, platformConfig } from "./stack-config";
import { buildTree, countByType, sortedCounts, stackLevelTree } from "./tree";
import { checkManifests, schemaInfo } from "./validate-manifests";
import { versionWarnings } from "./version-warnings";
import { factAge, staleFactWarnings } from "./fact-age";
import { regionWarnings, schemaWarnings } from "./warnings";
import { MANIFESTS_DIR, displayPath, outFolderProblem, writePlanFolder } from "./write";
import { timelineMarkdown, timelineText } from "./timeline/render";
import { Timelines, timelines } from "./timeline/timeline";
import { CompareError, compareEstimates, diffMarkdown, diffText, loadBaseline } from "./cost/compare";
import { CostEstimate, estimate } from "./cost/estimate";
import { PriceTable, fromPriceFacts } from "./cost/prices";
import { PRICE_TABLE } from "../../facts/prices";
import { COST_JSON, COST_MD, costJson, costMarkdown, costText, usd } from "./cost/render";

export { UsageError };

export type PlanStatus = "planned" | "invalid-config" | "invalid-manifests" | "program-error" | "over-budget";

export interface PlanOptions {
    /** Folder with Pulumi.yaml and Pulumi.<stack>.yaml. @default the project root */
    readonly dir?: string;
    /** Output folder, or false to write nothing. @default <dir>/plan/<stack> */
    readonly out?: string | false;
    /** The day (YYYY-MM-DD) to check the EKS support calendar for. @default resolveToday() */
    readonly today?: string;
    /** A git ref or a saved cost.json to compare the cost estimate with (tools/plan/cost/compare.ts). @default none */
    readonly compare?: string;
    /** The price table the estimate reads. @default facts/data/prices.json */
    readonly priceTable?: PriceTable;
    /**
     * Runs the program for the stack's config. @default runProgram (index.ts on the mock engine).
     * The tests hand in one that shares the suite's single run of each stack file.
     */
    readonly runProgram?: ProgramRunner;
    /** The environment, for EKS_PLATFORM_REGIONS (refused: see `regionSelectionProblem`). @default process.env */
    readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * EKS_PLATFORM_REGIONS (stacks/region-selection.ts) tells the program to register only some regions,
 * for the rollout's targeted updates. The plan always shows every region (its tree, checks, cost and
 * timeline are per configured region), so a value left exported in the shell is refused, naming it.
 */
export function regionSelectionProblem(env: Readonly<Record<string, string | undefined>>): string | undefined {
    const value = env[REGIONS_ENV];
    if (value === undefined || value.trim() === "") return undefined;
    return `${REGIONS_ENV}=${JSON.stringify(value)} is set in the environment; it is only for the rollout's targeted updates, ` +
        `and the offline plan always covers every region of eks-platform:regions. Unset it (\`unset ${REGIONS_ENV}\`) and run the plan again`;
}

/** Runs index.ts for `stack` with the config the CLI would hand it. */
export type ProgramRunner = (
    stack: string,
    options: { readonly config: Record<string, string>; readonly secretKeys: string[] },
) => Promise<RunResult<Record<string, unknown>>>;

export interface PlanResult {
    readonly stack: string;
    readonly status: PlanStatus;
    /** The config error (naming each key) or the program's error, when status says so. */
    readonly error?: string;
    readonly model?: PlanModel;
    /** What the CLI prints. */
    readonly text: string;
    /** What the CLI prints with --json. */
    readonly json: Record<string, unknown>;
    /** Output files: path relative to the output folder -> content. */
    readonly files: Readonly<Record<string, string>>;
    /** Absolute paths written (empty when out is false or nothing was planned). */
    readonly written: readonly string[];
    /** The modelled timelines, when planned (npm run e2e compares real durations with them). */
    readonly timeline?: Timelines;
    /** The cost estimate, when planned (npm run e2e's cost ceiling reads it). */
    readonly cost?: CostEstimate;
}

const REGIONAL_TYPE = "eks-platform:index:RegionalPlatform";
const STACK_TYPE = "pulumi:pulumi:Stack";

// ---- model --------------------------------------------------------------------------------------

function valueAtPointer(root: unknown, pointer: string): unknown {
    let v: any = root;
    for (const s of fromPointer(pointer)) {
        if (v === null || typeof v !== "object") return undefined;
        v = v[s];
    }
    return v;
}

/** Redacted entry of a record: secret-marked paths, then fields sensitive by name. */
function entryOf(r: ResourceRecord, region: string | undefined): ResourceEntry {
    const inputs = redactSensitiveInputs(r.type, redactPointers(plainData(listedInputs(r.type, r.inputs)) as Record<string, unknown>, r.secretPaths ?? []));
    return {
        type: r.type,
        name: r.name,
        parent: r.parent,
        provider: r.provider,
        providers: Object.keys(r.providers ?? {}).length > 0 ? plainData(r.providers) as Record<string, string> : undefined,
        region,
        custom: r.custom,
        protect: r.protect,
        dependsOn: [...r.dependsOn].sort(),
        inputs,
    };
}

function regionOf(records: readonly ResourceRecord[], regionKeys: ReadonlyMap<string, string>): Map<string, string | undefined> {
    const byKey = new Map(records.map((r) => [r.key, r]));
    const out = new Map<string, string | undefined>();
    for (const r of records) {
        let k: string | undefined = r.key;
        let region: string | undefined;
        const seen = new Set<string>();
        while (k && !seen.has(k)) {
            seen.add(k);
            region = regionKeys.get(k);
            if (region) break;
            k = byKey.get(k)?.parent;
        }
        out.set(r.key, region);
    }
    return out;
}

export interface Assembled {
    readonly model: PlanModel;
    /** Every secret value the run held, for the leak check. */
    readonly secretValues: readonly string[];
    /**
     * Each record's region (key -> region, undefined outside every region): derived once here, from the
     * parent chain up to a RegionalPlatform, and read by the model, the timeline and the cost estimate.
     */
    readonly regionOf: ReadonlyMap<string, string | undefined>;
}

/** Builds the plan's model from one run of the program. Pure: no files, no program run. */
export function assemble(stack: string, platform: PlatformConfig, run: RunResult<Record<string, unknown>>): Assembled {
    const records = [...run.records].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const regionKeys = new Map(platform.regions.map((r) => [`${REGIONAL_TYPE}::${regionalName(platform, r.region)}`, r.region]));
    const regions = regionOf(records, regionKeys);
    const entries = records.map((r) => entryOf(r, regions.get(r.key)));
    const schema = schemaInfo(platform.regions[0]?.cluster.version ?? "");

    const manifests: Manifest[] = [];
    const raw = new Map<string, Record<string, unknown>>();
    for (const [i, r] of records.entries()) {
        const m = manifestFor(r.key, r.type, entries[i].inputs, regions.get(r.key));
        if (!m) continue;
        manifests.push(m);
        raw.set(r.key, manifestObject(r.type, r.inputs)!);
    }
    manifests.sort(compareManifests);

    const warnings: Warning[] = [];
    const allChecks: ManifestCheck[] = [];
    const regionPlans: RegionPlan[] = platform.regions.map((rc) => {
        const component = `${REGIONAL_TYPE}::${regionalName(platform, rc.region)}`;
        const here = entries.filter((e) => e.region === rc.region);
        const regionManifests = manifests.filter((m) => m.region === rc.region);
        const checks = checkManifests(regionManifests, raw, rc.cluster.version);
        allChecks.push(...checks);
        const names = namesDecision(platform, rc.region, here, entries);
        const decisions = { ...regionDecisions(platform, rc, here, regionManifests), ...(names ? { names } : {}) };
        warnings.push(...regionWarnings(platform, decisions, regionManifests.length));
        const tree = buildTree(entries, component);
        return { region: rc.region, component, decisions, tree, counts: sortedCounts(countByType(tree)), manifests: regionManifests, checks };
    });
    // Objects outside every region would be applied too: check them as well.
    const elsewhere = manifests.filter((m) => m.region === undefined);
    allChecks.push(...checkManifests(elsewhere, raw, schema.configuredVersion));
    warnings.push(...staleFactWarnings(platform.today), ...versionWarnings(platform), ...schemaWarnings(schema, allChecks));
    for (const c of allChecks.filter((x) => x.region === undefined && x.status === "invalid")) {
        warnings.push({ subject: c.resource, message: c.errors.map((e) => `${e.field}: ${e.message}`).join("; ") });
    }

    const stackRecord = records.find((r) => r.type === STACK_TYPE);
    const stackKey = stackRecord?.key ?? `${STACK_TYPE}::${platform.project}-${stack}`;
    const model: PlanModel = {
        stack,
        project: platform.project,
        environment: platform.environment,
        production: platform.production,
        protect: platform.protect,
        kubernetesVersion: schema.configuredVersion,
        today: platform.today,
        schema,
        regions: regionPlans,
        stackTree: stackRecord ? stackLevelTree(entries, stackKey, new Set(regionKeys.keys())) : { type: STACK_TYPE, name: stack, children: [] },
        resources: entries,
        counts: sortedCounts(entries.reduce<Record<string, number>>((c, e) => ({ ...c, [e.type]: (c[e.type] ?? 0) + 1 }), {})),
        // Stack-wide first, then by region in config order (a stable sort keeps each region's order).
        warnings: warnings.map((w, i) => ({ w, i, r: w.region === undefined ? -1 : platform.regions.findIndex((x) => x.region === w.region) }))
            .sort((a, b) => a.r - b.r || a.i - b.i).map(({ w }) => w),
        outputs: redactOutputs(run.outputs, run.secretOutputs ?? []),
        facts: factAge(platform.today),
    };

    const secretValues = new Set<string>();
    for (const r of run.records) {
        for (const p of r.secretPaths ?? []) stringsIn(valueAtPointer(r.inputs, p), 6).forEach((s) => secretValues.add(s));
        const sensitive = redactSensitiveInputs(r.type, r.inputs);
        for (const k of Object.keys(r.inputs)) {
            if (sensitive[k] !== r.inputs[k]) stringsIn(r.inputs[k], 6).forEach((s) => secretValues.add(s));
        }
    }
    for (const p of run.secretOutputs ?? []) stringsIn(valueAtPointer(run.outputs, p), 6).forEach((s) => secretValues.add(s));
    secretValues.delete(SECRET);
    return { model, secretValues: [...secretValues].sort(), regionOf: regions };
}

/** Every check of the model, regions first. */
export function allChecks(model: PlanModel): ManifestCheck[] {
    return model.regions.flatMap((r) => r.checks);
}

export function statusOf(model: PlanModel): PlanStatus {
    return allChecks(model).some((c) => c.status === "invalid") ? "invalid-manifests" : "planned";
}

// ---- files ----------------------------------------------------------------------------------------

export function manifestFileName(region: string): string {
    return `${MANIFESTS_DIR}/${region}.yaml`;
}

/** The output files, byte-stable for the same inputs. */
export function renderFiles(model: PlanModel): Record<string, string> {
    const files: Record<string, string> = {};
    files["resources.json"] = `${JSON.stringify({
        stack: model.stack,
        project: model.project,
        note: "Every resource `pulumi up` would register, from the offline plan (mock engine): type, name, parent, provider, inputs. IDs and ARNs are placeholders; secrets are [secret].",
        resources: model.resources,
        outputs: model.outputs,
    }, null, 2)}\n`;
    for (const r of model.regions) {
        const header = [
            `Kubernetes objects of stack ${model.stack} in ${r.region}, as \`pulumi up\` would apply them through the region's Kubernetes provider.`,
            `Generated by \`npm run plan -- ${model.stack}\` (offline). Checked against the Kubernetes ${model.schema.kubernetesVersion} API schemas (${model.schema.package}).`,
            ...r.decisions.helmReleases.map((h) => `Not included: the objects of Helm chart ${h.chart} ${h.version ?? ""} (namespace ${h.namespace ?? "default"}), rendered by Helm at deploy time.`),
        ];
        files[manifestFileName(r.region)] = manifestsYaml(header, r.manifests);
    }
    files["architecture.md"] = architectureMarkdown(model);
    return files;
}

function summaryJson(stack: string, status: PlanStatus, model: PlanModel | undefined, error: string | undefined, written: readonly string[]): Record<string, unknown> {
    if (!model) return { stack, status, error };
    return {
        stack,
        status,
        project: model.project,
        environment: model.environment,
        production: model.production,
        today: model.today,
        facts: model.facts,
        schema: model.schema,
        resources: model.resources.length,
        regions: model.regions.map((r) => ({
            region: r.region,
            decisions: r.decisions,
            counts: r.counts,
            kubernetesObjects: r.checks,
        })),
        warnings: model.warnings,
        files: written.map(displayPath),
    };
}

/**
 * A program error as a user should read it: the engine wraps an error raised inside an output in one
 * `error serializing property "x": ` per level it passed; only the innermost message is kept, with
 * the first frame of the project's own code.
 */
export function programErrorMessage(e: unknown): string {
    // Never an empty message: an error without text (only the SDK's serialization prefixes, or none)
    // is named by its class instead (tools/error-text.ts).
    const inner = errorText(e).replace(/^(error serializing property "[^"]*": )+/, "").split("\n").find((l) => l.trim() !== "")
        ?? errorText(e instanceof Error ? Object.assign(new Error(""), { name: e.name }) : "");
    const frame = (e instanceof Error ? e.stack ?? "" : "").split("\n")
        .find((l) => /^\s+at /.test(l) && !l.includes("node_modules") && !l.includes("node:") && l.includes(PROJECT_DIR));
    return frame ? `${inner}\n${frame.replace(PROJECT_DIR + path.sep, "")}` : inner;
}

/** The result of a program that failed: the plan's own "cannot plan" message, whatever the error. */
export function programFailure(stack: string, e: unknown): PlanResult {
    return failure(stack, "program-error", programErrorMessage(e));
}

function failure(stack: string, status: PlanStatus, error: string): PlanResult {
    const heading = status === "invalid-config" ? "Cannot plan: the stack config is invalid." : "Cannot plan: the program failed under the mock engine.";
    return { stack, status, error, text: `${heading}\n${error}\n`, json: summaryJson(stack, status, undefined, error, []), files: {}, written: [] };
}

/** Fails closed if any secret value would be written or printed. */
export function assertNoLeak(texts: Readonly<Record<string, string>>, secrets: readonly string[]): void {
    for (const [where, text] of Object.entries(texts)) {
        for (const s of secrets) {
            if (text.includes(s) || text.includes(JSON.stringify(s).slice(1, -1))) {
                throw new Error(`internal error: a secret value would appear in ${where}; nothing was written`);
            }
        }
    }
}

// ---- the command's core -------------------------------------------------------------------------------

/**
 * Plans `stack`. Throws UsageError for an unknown stack; returns every other outcome as a status.
 */
export async function plan(stack: string, options: PlanOptions = {}): Promise<PlanResult> {
    const selection = regionSelectionProblem(options.env ?? process.env);
    if (selection) throw new UsageError(selection, []);
    const dir = path.resolve(options.dir ?? PROJECT_DIR);
    const outDir = options.out === false ? undefined : options.out ?? path.join(dir, "plan", stack);
    const unusable = outDir === undefined ? undefined : outFolderProblem(outDir);
    if (unusable) throw new UsageError(unusable, []);
    let loaded: LoadedStack;
    let platform: PlatformConfig;
    let today: string;
    try {
        today = options.today ?? resolveToday();
    } catch (e) {
        throw new UsageError((e as Error).message, []);
    }
    try {
        loaded = loadStack(dir, stack);
        platform = platformConfig(loaded, today);
    } catch (e) {
        if (e instanceof ConfigError || e instanceof StackFileError) return failure(stack, "invalid-config", e.message);
        throw e;
    }

    let run: RunResult<Record<string, unknown>>;
    try {
        const runner = options.runProgram ?? runProgram;
        run = await withToday(today, () => runner(stack, { config: loaded.config, secretKeys: loaded.secretKeys }));
    } catch (e) {
        if (e instanceof ConfigError) return failure(stack, "invalid-config", e.message);
        return programFailure(stack, e);
    }

    const { model, secretValues, regionOf } = assemble(stack, platform, run);
    const files = renderFiles(model);
    const timeline = timelines(platform, run.records, regionOf);
    files["timeline.md"] = timelineMarkdown(stack, timeline);
    // The table the facts ledger already loaded (facts/prices.ts PRICE_TABLE): not a second read of the file.
    const cost = estimate(platform, run.records, regionOf, options.priceTable ?? fromPriceFacts(PRICE_TABLE));
    files[COST_JSON] = costJson(cost);
    files[COST_MD] = costMarkdown(cost);
    let costSections = costText(cost);
    if (options.compare) {
        let baseline: ReturnType<typeof loadBaseline>;
        try {
            baseline = loadBaseline(options.compare, stack, dir);
        } catch (e) {
            if (e instanceof CompareError) throw new UsageError(e.message, []);
            throw e;
        }
        const diff = compareEstimates(baseline.estimate, cost, baseline.label);
        files["cost-diff.md"] = diffMarkdown(stack, diff);
        costSections += `\n${diffText(diff)}`;
    }
    // The budget gate: a plan that is otherwise fine fails when its estimate exceeds the budget. With
    // unpriced items it passes only when the upper estimate (their upper bounds added) is within it.
    const overBudget = (cost.budget?.exceeded === true || cost.budget?.unproven === true) && statusOf(model) === "planned";
    const status: PlanStatus = overBudget ? "over-budget" : statusOf(model);
    const unbounded = cost.missing.filter((m) => m.boundUsd === undefined);
    const budgetError = !overBudget ? undefined : cost.budget!.exceeded
        ? `over budget: the priced items alone, ${usd(cost.monthlyUsd)} a month, exceed eks-platform:monthlyBudget ${usd(cost.budget!.monthlyUsd)}; top cost drivers: ${cost.budget!.topDrivers.map((d) => `${d.driver} ${usd(d.monthlyUsd)}`).join(", ")}`
        : unbounded.length === 0
            ? `budget not shown to hold: the priced items come to ${usd(cost.monthlyUsd)} a month, but with the ${cost.missing.length} unpriced item(s) at their upper bounds ` +
                `the stack may cost up to ${usd(cost.upperMonthlyUsd!)}, above eks-platform:monthlyBudget ${usd(cost.budget!.monthlyUsd)}; ` +
                "add their prices to facts/data/prices.json (npm run prices -- --refresh) or raise the budget"
            : `budget not shown to hold: the monthly estimate ${usd(cost.monthlyUsd)} is within eks-platform:monthlyBudget ${usd(cost.budget!.monthlyUsd)} ` +
                `only because ${unbounded.length} item(s) have no price and no upper bound (${unbounded.slice(0, 3).map((m) => `${m.item} in ${m.region}`).join(", ")}${unbounded.length > 3 ? ", ..." : ""}); ` +
                "add their prices to facts/data/prices.json (npm run prices -- --refresh) or remove the budget";
    const occupied = outDir === undefined ? undefined : outFolderProblem(outDir, files);
    if (occupied) throw new UsageError(occupied, []);
    const target = outDir === undefined ? undefined : path.resolve(outDir);
    const planned = target ? Object.keys(files).sort().map((f) => path.join(target, f)) : [];
    const manifestFiles = target
        ? Object.fromEntries(model.regions.map((r) => [r.region, displayPath(path.join(target, manifestFileName(r.region)))]))
        : undefined;
    const text = `${renderText(model, { manifestFiles, written: planned.map(displayPath) })}\n${timelineText(timeline)}\n${costSections}`;
    const json = {
        ...summaryJson(stack, status, model, budgetError, planned),
        cost: { monthlyUsd: cost.monthlyUsd, upperMonthlyUsd: cost.upperMonthlyUsd, drivers: cost.drivers, missing: cost.missing, budget: cost.budget },
        timeline: { firstUpSeconds: timeline.firstUpSeconds, regions: timeline.regions.map((r) => ({ region: r.region, seconds: r.seconds, floorSeconds: r.floor.seconds })) },
    };
    const leaks = [...secretValues, ...loaded.ciphertexts];
    assertNoLeak({ ...files, "the printed plan": text, "the JSON summary": JSON.stringify(json) }, leaks);
    const written = target ? writePlanFolder(target, files) : [];
    return { stack, status, error: budgetError, model, text, json, files, written, timeline, cost };
}
