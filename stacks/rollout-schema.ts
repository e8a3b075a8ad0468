/**
 * `eks-platform:rollout`: how `npm run rollout` (tools/rollout) rolls a stack out, region by region.
 *
 * The shape is checked here with zod; the rules that relate the waves to the stack's regions
 * (`eks-platform:regions`) are in `rolloutIssues`, which returns issues in the project's format so a
 * user sees every problem at once. `resolveWaves` turns the (possibly absent) setting into the waves
 * the rollout runs.
 *
 * Example (Pulumi.prod.yaml):
 *
 *   eks-platform:rollout:
 *     waves:
 *       - name: canary
 *         regions: [ap-northeast-2]
 *       - name: rest
 *         regions: [ap-northeast-1]
 *     pauseSeconds: 300
 *     healthCheck:
 *       retries: 20
 */
import { z } from "zod";
import { ConfigIssue, ConfigPath, issueAt } from "./errors";

/** Which apps the post-wave HTTP check requests through their load balancer. */
export const HTTP_CHECK_SCOPES = ["all", "internet-facing", "none"] as const;
export type HttpCheckScope = (typeof HTTP_CHECK_SCOPES)[number];

/** Wave names appear in progress lines, the report and CI summaries. */
const WAVE_NAME = /^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/;

export const waveSchema = z.strictObject({
    /** Label in progress lines and the report. @default "wave-<n>" (n = 1-based position) */
    name: z.string().regex(WAVE_NAME, {
        message: "must be lower-case letters, digits and '-', at most 32 characters, e.g. canary",
    }).optional(),
    /**
     * Regions updated together, in one targeted update, before the next wave starts. Each must be
     * one of `eks-platform:regions`; every configured region belongs to exactly one wave.
     */
    regions: z.array(z.string().min(1, { message: "must be a region code such as ap-northeast-2" })),
    /** This wave's bake (see `rollout.bakeMinutes`). @default rollout.bakeMinutes */
    bakeMinutes: z.number().int({ message: "must be a whole number of minutes" }).min(0, { message: "must be 0 or more" }).optional(),
});

/** Resolved values of `healthCheck` when the key (or one of its fields) is absent. */
export const HEALTH_CHECK_DEFAULTS = {
    http: "internet-facing",
    timeoutSeconds: 5,
    retries: 12,
    intervalSeconds: 10,
} as const satisfies Record<string, unknown>;

export const healthCheckSchema = z.strictObject({
    /**
     * Apps whose health path is requested (HTTP GET through the app's load balancer) after a wave:
     * `internet-facing` skips apps with `scheme: internal`, whose load balancers a CI runner outside
     * the VPC cannot reach; `all` also requests internal ones (runners inside the VPC); `none` checks
     * only that the required stack outputs exist. @default "internet-facing"
     */
    http: z.enum(HTTP_CHECK_SCOPES).default(HEALTH_CHECK_DEFAULTS.http),
    /** Time limit of one request, in seconds. @default 5 */
    timeoutSeconds: z.number().positive({ message: "must be greater than 0" })
        .max(120, { message: "must be at most 120 seconds" }).default(HEALTH_CHECK_DEFAULTS.timeoutSeconds),
    /**
     * Further attempts after a failed one. A new load balancer's DNS name takes a few minutes to
     * resolve, so the default allows about 2 minutes (12 x 10 s). @default 12
     */
    retries: z.number().int({ message: "must be a whole number" }).min(0, { message: "must be 0 or more" })
        .max(1000, { message: "must be at most 1000" }).default(HEALTH_CHECK_DEFAULTS.retries),
    /** Wait between attempts, in seconds. @default 10 */
    intervalSeconds: z.number().min(0, { message: "must be 0 or more" })
        .max(600, { message: "must be at most 600 seconds" }).default(HEALTH_CHECK_DEFAULTS.intervalSeconds),
});

export const rolloutSchema = z.strictObject({
    /**
     * Waves of regions, in order. A wave starts only after the previous one updated and passed its
     * health checks. @default first configured region alone ("canary"), then all the others ("rest");
     * one wave when the stack has one region
     */
    waves: z.array(waveSchema).optional(),
    /** Pause between a wave's passing health checks and the next wave's start, in seconds. @default 0 */
    pauseSeconds: z.number().int({ message: "must be a whole number of seconds" })
        .min(0, { message: "must be 0 or more" }).max(86400, { message: "must be at most 86400 (one day)" }).default(0),
    /** Checks each region of a wave must pass before the next wave starts. @default {} (every field at its default) */
    healthCheck: healthCheckSchema.default({ ...HEALTH_CHECK_DEFAULTS }),
    /**
     * After a wave's health checks, how long the rollout watches the wave's regions' composite
     * "region healthy" alarms before the next wave (gates/bake.ts): any ALARM halts it. Needs
     * eks-platform:observability on (the alarms). @default 15 in production, else 0 (no bake)
     */
    bakeMinutes: z.number().int({ message: "must be a whole number of minutes" }).min(0, { message: "must be 0 or more" }).optional(),
});

export type RolloutInput = z.input<typeof rolloutSchema>;
export type RolloutSpec = z.output<typeof rolloutSchema>;
export type HealthCheckSpec = z.output<typeof healthCheckSchema>;

/** The rollout settings of a stack that does not set `eks-platform:rollout`. */
export const DEFAULT_ROLLOUT: RolloutSpec = rolloutSchema.parse({});

export interface ResolvedWave {
    readonly name: string;
    readonly regions: readonly string[];
}

/**
 * The waves a rollout runs. Without `waves`: the first configured region alone (a canary, so a bad
 * change reaches one region first), then all the others together.
 */
export function resolveWaves(rollout: Pick<RolloutSpec, "waves"> | undefined, regions: readonly string[]): ResolvedWave[] {
    const waves = rollout?.waves;
    if (waves !== undefined) {
        return waves.map((w, i) => ({ name: w.name ?? `wave-${i + 1}`, regions: [...w.regions] }));
    }
    if (regions.length === 0) return [];
    if (regions.length === 1) return [{ name: "canary", regions: [regions[0]] }];
    return [{ name: "canary", regions: [regions[0]] }, { name: "rest", regions: regions.slice(1) }];
}

/** The bake when the stack sets none: production bakes each wave for 15 minutes. */
export const DEFAULT_BAKE_MINUTES = { production: 15, other: 0 } as const;

/**
 * How long a rollout job may run, in minutes: the `timeout-minutes` of the `rollout-prod` and
 * `rollout-dev` jobs in .github/workflows/platform.yml (their AWS sessions, `role-duration-seconds`,
 * last as long; GitHub-hosted runners stop any job at 6 h). tests/observability/bake-config.test.ts
 * reads the workflow and fails when these drift apart.
 */
export const ROLLOUT_JOB_MINUTES = { production: 360, other: 180 } as const;

/** Minutes set aside per wave for its preview, update and health checks when bakes are added up. */
export const WAVE_WORK_MINUTES = 30;

/** A wave's bake in minutes: the wave's own, else `rollout.bakeMinutes`, else the environment's default. */
export function waveBakeMinutes(rollout: Pick<RolloutSpec, "waves" | "bakeMinutes"> | undefined, index: number, production: boolean): number {
    return rollout?.waves?.[index]?.bakeMinutes ?? rollout?.bakeMinutes ?? (production ? DEFAULT_BAKE_MINUTES.production : DEFAULT_BAKE_MINUTES.other);
}

/**
 * Bakes the CI job can wait for, and alarms to bake on: the waves' bakes, pauses and work
 * (WAVE_WORK_MINUTES each) must fit the rollout job's limit (ROLLOUT_JOB_MINUTES), and a bake
 * needs the composite alarms of eks-platform:observability.
 */
export function bakeIssues(ctx: { readonly production: boolean; readonly observability: boolean; readonly regions: readonly string[]; readonly rollout: RolloutSpec }): ConfigIssue[] {
    const root = { rollout: ctx.rollout };
    const waves = resolveWaves(ctx.rollout, ctx.regions);
    const bakes = waves.map((_, i) => waveBakeMinutes(ctx.rollout, i, ctx.production));
    const keyOf = (i: number): ConfigPath => ctx.rollout.waves?.[i]?.bakeMinutes !== undefined ? ["rollout", "waves", i, "bakeMinutes"] : ["rollout", "bakeMinutes"];
    const out: ConfigIssue[] = [];
    const baking = bakes.findIndex((b) => b > 0);
    if (baking >= 0 && !ctx.observability) {
        const explicit = ctx.rollout.bakeMinutes !== undefined || ctx.rollout.waves?.[baking]?.bakeMinutes !== undefined;
        out.push(issueAt(root, explicit ? keyOf(baking) : ["rollout", "bakeMinutes"],
            `a bake watches the regions' alarms, which eks-platform:observability creates; it is off here (observability.enabled false): turn it on, or set 0`));
    }
    const limit = ctx.production ? ROLLOUT_JOB_MINUTES.production : ROLLOUT_JOB_MINUTES.other;
    const pauses = Math.max(0, waves.length - 1) * ctx.rollout.pauseSeconds / 60;
    const total = bakes.reduce((a, b) => a + b, 0) + pauses + waves.length * WAVE_WORK_MINUTES;
    if (total > limit) {
        const worst = bakes.indexOf(Math.max(...bakes));
        out.push(issueAt(root, keyOf(worst),
            `the waves' bakes (${bakes.join(" + ")} min) with the pauses (${pauses} min) and ${WAVE_WORK_MINUTES} min of work per wave come to ${Math.ceil(total)} min, ` +
            `more than the ${limit} min the rollout job may run (timeout-minutes of rollout-${ctx.production ? "prod" : "dev"} in .github/workflows/platform.yml); ` +
            `allowed: at most ${Math.max(0, Math.floor(limit - pauses - waves.length * WAVE_WORK_MINUTES))} min of bake in all`));
    }
    return out;
}

export interface RolloutContext {
    /** The stack's configured region codes (`eks-platform:regions[].region`), in config order. */
    readonly regions: readonly string[];
    /** The parsed `eks-platform:rollout`, if set. */
    readonly rollout?: Pick<RolloutSpec, "waves">;
}

/**
 * Rules relating the waves to the configured regions: every wave names at least one region, each
 * a configured one, no region in two waves, no configured region left out, no two waves named alike.
 */
export function rolloutIssues(ctx: RolloutContext): ConfigIssue[] {
    const waves = ctx.rollout?.waves;
    if (waves === undefined) return [];
    const root = { rollout: ctx.rollout };
    const issue = (path: ConfigPath, message: string): ConfigIssue => issueAt(root, path, message);
    const configured = ctx.regions.join(", ") || "(none)";
    const out: ConfigIssue[] = [];

    if (waves.length === 0) {
        out.push(issue(["rollout", "waves"], "needs at least one wave; remove the key to roll out the first region, then the rest"));
        return out;
    }
    const placed = new Map<string, number>();
    const names = new Map<string, number>();
    waves.forEach((wave, i) => {
        if (wave.regions.length === 0) {
            out.push(issue(["rollout", "waves", i, "regions"], `a wave needs at least one region; allowed: ${configured}`));
        }
        const name = wave.name ?? `wave-${i + 1}`;
        if (names.has(name)) {
            out.push(issue(["rollout", "waves", i, "name"], `wave name is used twice (also waves[${names.get(name)}]); names must be unique`));
        } else {
            names.set(name, i);
        }
        wave.regions.forEach((region, k) => {
            const at: ConfigPath = ["rollout", "waves", i, "regions", k];
            if (!ctx.regions.includes(region)) {
                out.push(issue(at, `is not one of this stack's regions (eks-platform:regions); allowed: ${configured}`));
            } else if (placed.has(region)) {
                out.push(issue(at, `region is already in waves[${placed.get(region)}]; each region is updated in exactly one wave`));
            } else {
                placed.set(region, i);
            }
        });
    });
    ctx.regions.forEach((region, i) => {
        if (!placed.has(region)) {
            out.push(issue(["rollout", "waves"],
                `configured region ${region} (eks-platform:regions[${i}]) is in no wave; add it to one, since every region must be rolled out`));
        }
    });
    return out;
}
