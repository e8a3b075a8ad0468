/**
 * The modelled timelines of a plan: the first `pulumi up` per region (with its critical path), a
 * Kubernetes version upgrade (control plane, then add-ons, then node groups) and the stack's rollout
 * by its waves (preview gate, update, health checks, bake, pause). Pure: records and config in, data out.
 * Durations come from the one table in durations.ts; the graph from graph.ts.
 */
import { TYPES } from "../resource-types";
import { addonsFor } from "../../../components/addons-plan";
import { CONTROLLER_CHART } from "../../../components/ingress-settings";
import type { PlatformConfig } from "../../../stacks/config";
import { resolveWaves, waveBakeMinutes } from "../../../stacks/rollout-schema";
import type { ResourceRecord } from "../../harness/records";
import { DURATIONS, NODE_BATCH_SECONDS, PREVIEW_GATE, durationOf } from "./durations";
import { buildGraph, schedule, Schedule } from "./graph";

// From the plan's one table of type tokens (resource-types.ts).
export const CONTROL_PLANE_TYPES: readonly string[] = [TYPES.eksCluster, TYPES.awsCluster];
export const NODE_GROUP_TYPE = TYPES.nodeGroup;
export const ADDON_TYPE = TYPES.addon;
export const HELM_RELEASE_TYPE = TYPES.helmRelease;
export const INGRESS_TYPE = TYPES.ingress;
export const NODE_POOL_TYPE = TYPES.nodePool;
/** A Gateway API Gateway: one ALB, awaited like an Ingress's (components/gateway-api/settings.ts). */
export const GATEWAY_TYPE = TYPES.gateway;

export interface Bar {
    /** Record key. */
    readonly key: string;
    readonly label: string;
    readonly start: number;
    readonly end: number;
    readonly critical: boolean;
}

export interface RegionTimeline {
    readonly region: string;
    /** Seconds of the modelled first `pulumi up` of this region. */
    readonly seconds: number;
    /** Resources on the critical path that take time, first to last. */
    readonly criticalPath: readonly Bar[];
    /** Every resource that takes time, by start. */
    readonly bars: readonly Bar[];
    /**
     * What must be sequential whatever the program does: control plane, then nodes, then the load
     * balancer controller, then an ALB (each the longest of its kind in the region; 0 when absent).
     */
    readonly floor: { readonly seconds: number; readonly parts: ReadonlyArray<{ readonly what: string; readonly seconds: number }> };
}

export interface Step {
    readonly what: string;
    readonly start: number;
    readonly end: number;
    readonly note?: string;
}

export interface Timelines {
    /** Seconds of the whole stack's first `pulumi up` (regions run in parallel in one update). */
    readonly firstUpSeconds: number;
    readonly regions: readonly RegionTimeline[];
    /** A Kubernetes minor-version upgrade per region. */
    readonly upgrade: ReadonlyArray<{ readonly region: string; readonly seconds: number; readonly steps: readonly Step[] }>;
    /** The rollout of the whole stack by its waves: best case (first health check passes) and worst (every retry). */
    readonly rollout: { readonly best: number; readonly worst: number; readonly steps: readonly Step[] };
    /** Every duration used, with its source. */
    readonly sources: ReadonlyArray<{ readonly what: string; readonly seconds: number; readonly source: string }>;
}

function label(r: Pick<ResourceRecord, "type" | "name">): string {
    const t = r.type.split(":");
    return `${t[t.length - 1]} ${r.name}`;
}

function recordsOfRegion(records: readonly ResourceRecord[], regionOf: ReadonlyMap<string, string | undefined>, region: string): ResourceRecord[] {
    return records.filter((r) => regionOf.get(r.key) === region);
}

/** The first `pulumi up` of one region's records. */
export function regionTimeline(region: string, records: readonly ResourceRecord[]): RegionTimeline {
    const byKey = new Map(records.map((r) => [r.key, r]));
    const sched: Schedule = schedule(buildGraph(records, (r) => durationOf(r.type, r.custom).create));
    const critical = new Set(sched.criticalPath);
    const bar = (key: string): Bar => {
        const s = sched.nodes.get(key)!;
        return { key, label: label(byKey.get(key)!), start: s.start, end: s.end, critical: critical.has(key) };
    };
    const timed = [...sched.nodes.values()].filter((s) => s.end > s.start).map((s) => bar(s.key))
        .sort((a, b) => a.start - b.start || a.end - b.end || (a.key < b.key ? -1 : 1));
    const longest = (types: readonly string[]) => Math.max(0, ...records.filter((r) => types.includes(r.type)).map((r) => durationOf(r.type, r.custom).create));
    // The floor: what must be sequential for the first app to answer (control plane, then
    // nodes, then the load balancer controller, then an ALB). Karpenter's releases run beside the load
    // balancer controller's and are not part of it; a region on EKS Auto Mode has no controller release.
    const controller = records.some((r) => r.type === HELM_RELEASE_TYPE && r.inputs?.chart === CONTROLLER_CHART.chart);
    const parts = [
        { what: "control plane", seconds: longest(CONTROL_PLANE_TYPES) },
        { what: "nodes", seconds: longest([NODE_GROUP_TYPE]) },
        { what: "load balancer controller", seconds: controller ? durationOf(HELM_RELEASE_TYPE, true).create : 0 },
        { what: "an ALB (Ingress or Gateway)", seconds: longest([INGRESS_TYPE, GATEWAY_TYPE]) },
    ];
    return {
        region,
        seconds: sched.total,
        criticalPath: sched.criticalPath.filter((k) => { const s = sched.nodes.get(k)!; return s.end > s.start; }).map(bar),
        bars: timed,
        floor: { seconds: parts.reduce((a, p) => a + p.seconds, 0), parts },
    };
}

/**
 * A minor-version upgrade of one region, in the order the program's dependencies give it: the control
 * plane, then the add-ons the nodes need (in parallel), then node groups (in parallel, batch by batch),
 * then the add-ons that run on the nodes (components/addons-plan.ts phases).
 */
export function upgradeTimeline(records: readonly ResourceRecord[]): { seconds: number; steps: Step[] } {
    const steps: Step[] = [];
    let t = 0;
    const cp = records.find((r) => CONTROL_PLANE_TYPES.includes(r.type));
    if (cp) {
        const d = durationOf(cp.type, cp.custom);
        steps.push({ what: `control plane ${cp.name}`, start: t, end: t + (d.update ?? d.create) });
        t += d.update ?? d.create;
    }
    const addonSeconds = DURATIONS[ADDON_TYPE].update ?? DURATIONS[ADDON_TYPE].create;
    const afterNodes = new Set(addonsFor("after-nodes").map((a) => a.name));
    const addons = records.filter((r) => r.type === ADDON_TYPE);
    const early = addons.filter((a) => !afterNodes.has(a.inputs.addonName));
    for (const a of early) steps.push({ what: `add-on ${a.inputs.addonName ?? a.name}`, start: t, end: t + addonSeconds });
    if (early.length) t += addonSeconds;
    let nodesEnd = t;
    for (const g of records.filter((r) => r.type === NODE_GROUP_TYPE)) {
        const desired = Number(g.inputs.scalingConfig?.desiredSize ?? 1);
        const batch = Math.max(1, Number(g.inputs.updateConfig?.maxUnavailable ?? 1));
        const batches = Math.max(1, Math.ceil(desired / batch));
        const end = t + batches * NODE_BATCH_SECONDS.create;
        steps.push({ what: `node group ${g.name}`, start: t, end, note: `${batches} batch(es) of ${batch} of ${desired} nodes` });
        nodesEnd = Math.max(nodesEnd, end);
    }
    for (const p of records.filter((r) => r.type === NODE_POOL_TYPE)) {
        steps.push({ what: `Karpenter NodePool ${p.inputs?.metadata?.name ?? p.name}`, start: nodesEnd, end: nodesEnd, note: "Karpenter replaces drifted nodes itself after the control plane; `pulumi up` does not wait" });
    }
    // EKS Auto Mode (compute mode auto): AWS moves its nodes to the new version itself after the control
    // plane (drift to a new Auto Mode AMI, within the pools' disruption budgets: create-node-pool.html,
    // "Disruption"); `pulumi up` does not wait. AWS publishes no duration for it, so none is modelled.
    if (cp?.inputs?.autoMode?.enabled === true) {
        steps.push({ what: "EKS Auto Mode nodes", start: nodesEnd, end: nodesEnd, note: "AWS replaces Auto Mode nodes itself after the control plane (drift, within disruption budgets); `pulumi up` does not wait; no sourced duration, not modelled" });
    }
    const late = addons.filter((a) => afterNodes.has(a.inputs.addonName));
    for (const a of late) steps.push({ what: `add-on ${a.inputs.addonName}`, start: nodesEnd, end: nodesEnd + addonSeconds });
    return { seconds: nodesEnd + (late.length ? addonSeconds : 0), steps };
}

/** Seconds of one health check of a region: best (first attempt passes), worst (every retry times out). */
function healthSeconds(platform: PlatformConfig): { best: number; worst: number } {
    const h = platform.rollout.healthCheck;
    const checksApps = h.http !== "none" && platform.apps.some((a) => h.http === "all" || a.scheme === "internet-facing");
    if (!checksApps) return { best: 0, worst: 0 };
    return { best: 1, worst: (h.retries + 1) * h.timeoutSeconds + h.retries * h.intervalSeconds };
}

/** The stack's rollout by its waves, each wave a targeted preview gate, a targeted update, health checks, the bake, then the pause. */
export function rolloutTimeline(platform: PlatformConfig, regionSeconds: ReadonlyMap<string, number>): Timelines["rollout"] {
    const waves = resolveWaves(platform.rollout, platform.regions.map((r) => r.region));
    const health = healthSeconds(platform);
    const steps: Step[] = [];
    let best = 0;
    let worst = 0;
    waves.forEach((w, i) => {
        const up = Math.max(0, ...w.regions.map((r) => regionSeconds.get(r) ?? 0));
        steps.push({ what: `${w.name}: preview gate`, start: best, end: best + PREVIEW_GATE.create, note: w.regions.join(", ") });
        best += PREVIEW_GATE.create; worst += PREVIEW_GATE.create;
        steps.push({ what: `${w.name}: update`, start: best, end: best + up, note: "first deploy of the wave's regions, in parallel" });
        best += up; worst += up;
        steps.push({ what: `${w.name}: health checks`, start: best, end: best + health.best, note: `worst case ${health.worst} s (every retry)` });
        best += health.best; worst += health.worst;
        // The bake watches the wave's alarms for its whole time when they stay OK (tools/rollout/gates/bake.ts).
        const bake = waveBakeMinutes(platform.rollout, i, platform.production) * 60;
        if (bake > 0) {
            steps.push({ what: `${w.name}: bake`, start: best, end: best + bake, note: "composite alarms watched; an ALARM halts the rollout (exit 5)" });
            best += bake; worst += bake;
        }
        if (i < waves.length - 1 && platform.rollout.pauseSeconds > 0) {
            steps.push({ what: `${w.name}: pause`, start: best, end: best + platform.rollout.pauseSeconds });
            best += platform.rollout.pauseSeconds; worst += platform.rollout.pauseSeconds;
        }
    });
    return { best, worst, steps };
}

/** Every timeline of a plan. `regionOf` maps record keys to their region (undefined outside every region). */
export function timelines(platform: PlatformConfig, records: readonly ResourceRecord[], regionOf: ReadonlyMap<string, string | undefined>): Timelines {
    const sorted = [...records].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const regions = platform.regions.map((rc) => regionTimeline(rc.region, recordsOfRegion(sorted, regionOf, rc.region)));
    const upgrade = platform.regions.map((rc) => ({ region: rc.region, ...upgradeTimeline(recordsOfRegion(sorted, regionOf, rc.region)) }));
    const rollout = rolloutTimeline(platform, new Map(regions.map((r) => [r.region, r.seconds])));
    const used = new Set(records.map((r) => r.type));
    const sources = [
        ...Object.entries(DURATIONS).filter(([t]) => used.has(t)).map(([t, d]) => ({ what: t, seconds: d.create, source: d.source })),
        { what: "node batch replacement (upgrade)", seconds: NODE_BATCH_SECONDS.create, source: NODE_BATCH_SECONDS.source },
        { what: "preview gate (rollout)", seconds: PREVIEW_GATE.create, source: PREVIEW_GATE.source },
        { what: "any other resource type", seconds: durationOf("other", true).create, source: durationOf("other", true).source },
    ];
    return { firstUpSeconds: Math.max(0, ...regions.map((r) => r.seconds)), regions, upgrade, rollout, sources };
}
