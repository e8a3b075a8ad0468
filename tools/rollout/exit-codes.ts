/**
 * Exit codes of `npm run rollout`, one per outcome CI may want to branch on. Documented in
 * docs/rollout.md; keep the two in step.
 */
export const EXIT = {
    /** Everything asked for succeeded (preview: no errors or mandatory policy violations; drift: none found). */
    OK: 0,
    /** A refresh, preview, update or health check failed; the report names the region and step. */
    FAILED: 1,
    /** Bad command line, unknown stack or invalid rollout config: nothing was changed. */
    USAGE: 2,
    /** `--drift` found resources whose real state differs from the stack's state. */
    DRIFT: 3,
    /** Another update holds the stack (Pulumi's ConcurrentUpdateError); nothing was retried. */
    LOCKED: 4,
    /** A wave's bake saw an alarm in ALARM (or one stood in ALARM before the wave): later waves untouched. */
    ALARM: 5,
    /** Interrupted by SIGINT/SIGTERM; the running update was cancelled and no later wave started (128 + SIGINT). */
    CANCELLED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
