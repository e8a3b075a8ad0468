/**
 * "Today" for the support-calendar checks: an input, so that tests pin it and a plan is reproducible
 * for a given date. The real date (UTC) unless `EKS_PLATFORM_TODAY=YYYY-MM-DD` is set (the program,
 * `npm run plan` and `npm run rollout` all read it; the plan also takes `--today YYYY-MM-DD`).
 */
export const TODAY_ENV = "EKS_PLATFORM_TODAY";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
    if (!ISO_DATE.test(value)) return false;
    const d = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The date to check against: `EKS_PLATFORM_TODAY` when set (must be YYYY-MM-DD), else `now` in UTC. */
export function resolveToday(env: NodeJS.ProcessEnv = process.env, now: Date = new Date()): string {
    const pinned = env[TODAY_ENV];
    if (pinned !== undefined && pinned !== "") {
        if (!isIsoDate(pinned)) throw new Error(`${TODAY_ENV}=${JSON.stringify(pinned)} is not a date; expected YYYY-MM-DD, e.g. 2026-11-29`);
        return pinned;
    }
    return now.toISOString().slice(0, 10);
}

/**
 * Runs `body` with EKS_PLATFORM_TODAY set to `today` (the program reads it from the environment, as
 * it does under `pulumi up`), restoring the previous value afterwards. For in-process runs of the
 * program (the offline plan).
 */
export async function withToday<T>(today: string, body: () => Promise<T>): Promise<T> {
    const before = process.env[TODAY_ENV];
    process.env[TODAY_ENV] = today;
    try {
        return await body();
    } finally {
        if (before === undefined) delete process.env[TODAY_ENV];
        else process.env[TODAY_ENV] = before;
    }
}
