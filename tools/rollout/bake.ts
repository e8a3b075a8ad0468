/**
 * The bake: after a wave's health checks, watch the wave's regions' composite "region healthy"
 * alarms (and their children) for the bake time before the next wave starts.
 *
 * - Any alarm in ALARM (the composite or a child) ends the bake at once: the rollout halts.
 * - A child in INSUFFICIENT_DATA is waited for: CloudWatch starts every new alarm in that state until
 *   its first period is evaluated (CloudWatch API reference, PutMetricAlarm), and a composite rule's
 *   `ALARM(x)` is false while x has no data, so the composite alone would read healthy. A child
 *   still without data when the bake ends fails the bake closed: that signal was never seen.
 *   (Sparse ALB error counts treat missing data as not breaching, so they do reach OK.)
 * - CloudWatch that cannot be asked (credentials, permission, throttling) or a composite that does
 *   not exist fails the bake closed.
 * Polls every `pollMs` (CloudWatch evaluates alarms once a minute), through an injected clock and
 * sleep so tests run instantly.
 */
import { alarmConsoleLink } from "../../components/observability-names";
import type { AlarmApi, AlarmState } from "./alarms-api";
import { namedErrorText } from "../error-text";

/** One poll a minute: CloudWatch alarms with 1-minute periods change state at most that often. */
export const BAKE_POLL_MS = 60_000;

export interface AlarmWatch {
    readonly region: string;
    /** The region's composite alarm. */
    readonly composite: string;
}

export interface FiringAlarm {
    readonly region: string;
    readonly name: string;
    readonly reason: string;
    readonly link: string;
}

export type BakeVerdict =
    | { readonly kind: "ok"; readonly polls: number }
    | { readonly kind: "alarm"; readonly firing: readonly FiringAlarm[]; readonly polls: number }
    | { readonly kind: "no-data"; readonly silent: readonly FiringAlarm[]; readonly polls: number }
    | { readonly kind: "error"; readonly message: string; readonly polls: number }
    | { readonly kind: "cancelled"; readonly polls: number };

interface RegionSnapshot {
    readonly region: string;
    readonly composite?: AlarmState;
    readonly children: readonly AlarmState[];
}

function entry(region: string, a: AlarmState): FiringAlarm {
    return { region, name: a.name, reason: a.reason, link: alarmConsoleLink(region, a.name) };
}

async function snapshot(api: AlarmApi, w: AlarmWatch, withChildren: boolean): Promise<RegionSnapshot> {
    const [composite] = (await api.alarms(w.region, [w.composite])).filter((a) => a.name === w.composite);
    const children = composite && (withChildren || composite.state === "ALARM") ? await api.children(w.region, w.composite) : [];
    return { region: w.region, composite, children };
}

/** The alarms in ALARM: the children that are, else the composite itself. */
function firing(s: RegionSnapshot): FiringAlarm[] {
    const children = s.children.filter((c) => c.state === "ALARM").map((c) => entry(s.region, c));
    if (children.length > 0) return children;
    return s.composite?.state === "ALARM" ? [entry(s.region, s.composite)] : [];
}

/** Watches the alarms for `durationMs` (at least one poll). */
export async function bakeWave(args: {
    readonly watches: readonly AlarmWatch[];
    readonly api: AlarmApi;
    readonly durationMs: number;
    readonly pollMs?: number;
    readonly now: () => number;
    readonly sleep: (ms: number, signal?: AbortSignal) => Promise<boolean>;
    readonly signal?: AbortSignal;
}): Promise<BakeVerdict> {
    const pollMs = args.pollMs ?? BAKE_POLL_MS;
    const end = args.now() + args.durationMs;
    let polls = 0;
    for (;;) {
        let snaps: RegionSnapshot[];
        try {
            snaps = await Promise.all(args.watches.map((w) => snapshot(args.api, w, true)));
        } catch (e) {
            return { kind: "error", polls, message: `could not read the alarms from CloudWatch (${namedErrorText(e)}); the bake fails closed. Check AWS credentials and cloudwatch:DescribeAlarms, or rerun with --skip-bake` };
        }
        polls++;
        const missing = args.watches.filter((w) => !snaps.find((s) => s.region === w.region)?.composite);
        if (missing.length > 0) {
            return { kind: "error", polls, message: `no composite alarm ${missing.map((w) => `${w.composite} in ${w.region}`).join(", ")}: ` +
                "the bake needs the alarms eks-platform:observability creates; the bake fails closed (or rerun with --skip-bake)" };
        }
        const fired = snaps.flatMap(firing);
        if (fired.length > 0) return { kind: "alarm", firing: fired, polls };
        const remaining = end - args.now();
        if (remaining <= 0) {
            const silent = snaps.flatMap((s) => [...(s.composite ? [s.composite] : []), ...s.children]
                .filter((a) => a.state === "INSUFFICIENT_DATA").map((a) => entry(s.region, a)));
            return silent.length > 0 ? { kind: "no-data", silent, polls } : { kind: "ok", polls };
        }
        if (!(await args.sleep(Math.min(pollMs, remaining), args.signal))) return { kind: "cancelled", polls };
    }
}

/**
 * Before a wave: alarms of its regions already in ALARM (a region that is not healthy must not be
 * changed on top of it). Composites that do not exist yet (a new region) are not an error.
 */
export async function standingAlarms(watches: readonly AlarmWatch[], api: AlarmApi): Promise<{ firing: FiringAlarm[] } | { error: string }> {
    try {
        const snaps = await Promise.all(watches.map((w) => snapshot(api, w, false)));
        return { firing: snaps.flatMap(firing) };
    } catch (e) {
        return { error: `could not read the alarms from CloudWatch (${namedErrorText(e)}); the check fails closed. Check AWS credentials and cloudwatch:DescribeAlarms, or rerun with --ignore-preexisting-alarms` };
    }
}

/** One line per alarm: region, name, reason, console link. */
export function describeFiring(alarms: readonly FiringAlarm[]): string {
    return alarms.map((a) => `${a.region}: ${a.name}: ${a.reason || "(no reason given)"} (${a.link})`).join("\n");
}
