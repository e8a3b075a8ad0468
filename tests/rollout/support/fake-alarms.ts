/**
 * A scripted CloudWatch for the bake: per region, the composite and its children, whose states a
 * test sets or changes between polls (by poll number), or an error; records every call.
 */
import type { AlarmApi, AlarmState, AlarmStateValue } from "../../../tools/rollout/alarms-api";

export function alarm(name: string, state: AlarmStateValue, reason = "", kind: AlarmState["kind"] = "metric"): AlarmState {
    return { name, kind, state, reason };
}

export class FakeAlarms implements AlarmApi {
    readonly calls: string[] = [];
    /** region -> the alarms that exist there (composite and children). */
    regions: Record<string, { composite?: AlarmState; children: AlarmState[] }> = {};
    /** Thrown by every call when set. */
    error?: Error;
    /** Called before each `alarms` call with the count of calls so far (change states mid-bake). */
    onPoll?: (n: number) => void;
    private polls = 0;

    async alarms(region: string, names: readonly string[]): Promise<AlarmState[]> {
        this.calls.push(`DescribeAlarms ${region} ${names.join(",")}`);
        this.onPoll?.(this.polls++);
        if (this.error) throw this.error;
        const r = this.regions[region];
        return r?.composite && names.includes(r.composite.name) ? [r.composite] : [];
    }

    async children(region: string, composite: string): Promise<AlarmState[]> {
        this.calls.push(`DescribeAlarms ${region} children of ${composite}`);
        if (this.error) throw this.error;
        return this.regions[region]?.children ?? [];
    }

    /** A healthy region: composite OK, children OK. */
    healthy(region: string, environment = "prod"): this {
        this.regions[region] = {
            composite: alarm(`${environment}-${region}-region-healthy`, "OK", "", "composite"),
            children: [alarm(`${environment}-${region}-nodes-not-ready`, "OK"), alarm(`${environment}-${region}-public-alb-5xx`, "OK")],
        };
        return this;
    }

    /** Sets a child's (or the composite's) state; the composite follows its children's ALARMs. */
    set(region: string, name: string, state: AlarmStateValue, reason = ""): void {
        const r = this.regions[region];
        r.children = r.children.map((c) => c.name === name ? alarm(name, state, reason) : c);
        if (r.composite?.name === name) r.composite = alarm(name, state, reason, "composite");
        else if (r.composite) {
            const any = r.children.some((c) => c.state === "ALARM");
            r.composite = alarm(r.composite.name, any ? "ALARM" : "OK", any ? "child in ALARM" : "", "composite");
        }
    }
}
