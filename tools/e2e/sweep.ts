/**
 * Finds what e2e runs left in a region, and (with `--sweep`) removes it.
 *
 * Where leftovers come from after `pulumi destroy`: the load balancer controller creates ALBs, target
 * groups and security groups outside Pulumi's state (it deletes them when the Ingress goes, but a
 * destroy that removes the controller first, or an interrupted one, leaves them); VPC CNI and EKS
 * create network interfaces; EKS writes control-plane logs into `/aws/eks/<cluster>/cluster` (the
 * platform creates that group first, but EKS recreates it if logs arrive after the group's deletion).
 * Everything the platform creates carries the run's tag (the provider's default tags, and the
 * controller's `defaultTags`), which the Resource Groups Tagging API lists across services.
 *
 * KMS keys are never leftovers: a key cannot be deleted at once, `pulumi destroy` schedules its
 * deletion (7 to 30 days pending, https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html)
 * and the Tagging API still lists it meanwhile. They are reported as pending deletion, not failed on.
 *
 * The Tagging API can list a resource for a while after its deletion (its index is eventually
 * consistent), so a scan that still finds something is repeated after a wait before it counts.
 */
import type { E2eAws, LeftoverKind, TaggedResource } from "./aws";
import { E2E_TAG } from "./names";

const RUN_IN_TEXT = /e2e-[0-9a-f]{6}/;
const CONTROLLER_CLUSTER_TAG = "elbv2.k8s.aws/cluster";

export interface Leftover {
    readonly region: string;
    readonly kind: LeftoverKind;
    /** ARN or EC2 id. */
    readonly id: string;
    readonly name?: string;
    /** The e2e run it belongs to, when its tags or name say. */
    readonly runId?: string;
    /** Whether `--sweep` can delete it (only the kinds it knows; others need a hand). */
    readonly removable: boolean;
}

export interface PendingKey {
    readonly region: string;
    readonly id: string;
    readonly runId?: string;
}

export interface Scan {
    readonly leftovers: readonly Leftover[];
    /** KMS keys of e2e runs: pending deletion after destroy, fine. */
    readonly pendingKeys: readonly PendingKey[];
}

function runIdOf(r: TaggedResource): string | undefined {
    const tagged = r.tags[E2E_TAG];
    if (tagged) return tagged;
    const cluster = r.tags[CONTROLLER_CLUSTER_TAG] ?? r.tags["cluster.k8s.amazonaws.com/name"] ?? r.tags["aws:eks:cluster-name"];
    const text = [cluster, r.name, r.description, r.id].filter(Boolean).join(" ");
    return RUN_IN_TEXT.exec(text)?.[0];
}

/** The service-local id of a Tagging API ARN, for matching it with the service's own listing. */
function localId(arn: string): string {
    const ec2 = /^arn:[^:]+:ec2:[^:]*:[^:]*:(?:security-group|network-interface)\/(.+)$/.exec(arn);
    if (ec2) return ec2[1];
    const logGroup = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)/.exec(arn);
    if (logGroup) return logGroup[1];
    return arn;
}

/** Raw listings of one region. */
export interface Inventory {
    readonly tagged: readonly TaggedResource[];
    readonly loadBalancers: readonly TaggedResource[];
    readonly targetGroups: readonly TaggedResource[];
    readonly securityGroups: readonly TaggedResource[];
    readonly networkInterfaces: readonly TaggedResource[];
    readonly logGroups: readonly TaggedResource[];
}

/** Leftovers of e2e runs in one region's listings; `runIds` limits them to those runs. Pure. */
export function classify(region: string, inv: Inventory, runIds?: readonly string[]): Scan {
    const wanted = (runId: string | undefined) => runId !== undefined && (runIds === undefined || runIds.includes(runId));
    const leftovers: Leftover[] = [];
    const pendingKeys: PendingKey[] = [];
    const seen = new Set<string>();
    const add = (kind: LeftoverKind, r: TaggedResource, removable = true) => {
        const runId = runIdOf(r);
        if (!wanted(runId)) return;
        seen.add(localId(r.id));
        if (r.name) seen.add(r.name);
        leftovers.push({ region, kind, id: r.id, name: r.name, runId, removable });
    };
    for (const r of inv.loadBalancers) add("load-balancer", r);
    for (const r of inv.targetGroups) add("target-group", r);
    for (const r of inv.networkInterfaces) add("network-interface", r);
    for (const r of inv.securityGroups) add("security-group", r);
    for (const r of inv.logGroups) add("log-group", r);
    for (const r of inv.tagged) {
        const runId = runIdOf(r);
        if (!wanted(runId) || seen.has(localId(r.id)) || seen.has(r.id)) continue;
        if (/^arn:[^:]+:kms:[^:]*:[^:]*:key\//.test(r.id)) {
            pendingKeys.push({ region, id: r.id, runId });
            continue;
        }
        leftovers.push({ region, kind: "tagged", id: r.id, runId, removable: false });
    }
    return { leftovers, pendingKeys };
}

/** Lists one region (every call the sweep makes). */
export async function inventory(aws: E2eAws, region: string): Promise<Inventory> {
    const [tagged, loadBalancers, targetGroups, securityGroups, networkInterfaces, logGroups] = await Promise.all([
        aws.taggedResources(region, E2E_TAG),
        aws.loadBalancers(region),
        aws.targetGroups(region),
        aws.securityGroups(region),
        aws.networkInterfaces(region),
        aws.logGroups(region, "/aws/eks/e2e-"),
    ]);
    return { tagged, loadBalancers, targetGroups, securityGroups, networkInterfaces, logGroups };
}

export interface SweepSettings {
    /** Scans (and, removing, deletion rounds) before what remains counts. @default 3 */
    readonly rounds?: number;
    /** Wait between rounds. @default 60 000 */
    readonly waitMs?: number;
    readonly sleep: (ms: number) => Promise<unknown>;
    readonly log: (line: string) => void;
}

/** Deletion order: what holds others first (an ALB holds its target groups, ENIs hold security groups). */
const ORDER: readonly LeftoverKind[] = ["load-balancer", "target-group", "network-interface", "security-group", "log-group"];

export interface SweepResult extends Scan {
    readonly removed: readonly Leftover[];
    /** Deletions that failed in the last round, with why. */
    readonly errors: ReadonlyArray<{ readonly id: string; readonly message: string }>;
}

/**
 * Scans `regions` until nothing is left or `rounds` run out; with `remove`, deletes what it can in
 * each round (in ORDER; a network interface only once detached).
 */
export async function sweep(aws: E2eAws, regions: readonly string[], remove: boolean, s: SweepSettings, runIds?: readonly string[]): Promise<SweepResult> {
    const rounds = s.rounds ?? 3;
    const removed: Leftover[] = [];
    let errors: Array<{ id: string; message: string }> = [];
    let scan: Scan = { leftovers: [], pendingKeys: [] };
    for (let round = 1; round <= rounds; round++) {
        const scans = await Promise.all(regions.map(async (r) => classify(r, await inventory(aws, r), runIds)));
        scan = { leftovers: scans.flatMap((x) => x.leftovers), pendingKeys: scans.flatMap((x) => x.pendingKeys) };
        if (scan.leftovers.length === 0) break;
        s.log(`Sweep round ${round}/${rounds}: ${scan.leftovers.length} leftover(s) found${remove ? ", removing" : ""}.`);
        if (remove) {
            errors = [];
            const states = new Map<string, string | undefined>();
            for (const r of regions) for (const n of (await aws.networkInterfaces(r))) states.set(n.id, n.state);
            for (const kind of ORDER) {
                for (const l of scan.leftovers.filter((x) => x.kind === kind && x.removable)) {
                    if (kind === "network-interface" && states.get(l.id) === "in-use") {
                        errors.push({ id: l.id, message: "still attached (in-use); it is released when its load balancer or node is gone" });
                        continue;
                    }
                    try {
                        await aws.deleteLeftover(l.region, l.kind, l.id);
                        removed.push(l);
                        s.log(`  removed ${l.kind} ${l.name ?? l.id}`);
                    } catch (e) {
                        errors.push({ id: l.id, message: (e as Error).message });
                    }
                }
            }
        }
        if (round < rounds) await s.sleep(s.waitMs ?? 60_000);
    }
    // What was removed in the last round is gone: only what the last scan found and was not removed remains.
    const gone = new Set(removed.map((l) => l.id));
    return { leftovers: scan.leftovers.filter((l) => !gone.has(l.id)), pendingKeys: scan.pendingKeys, removed, errors };
}

/** One line per leftover, for the terminal and the report. */
export function leftoverLine(l: Leftover): string {
    return `${l.region} ${l.kind} ${l.name ? `${l.name} (${l.id})` : l.id}${l.runId ? ` [run ${l.runId}]` : ""}` +
        `${l.removable ? "" : " - not removed by --sweep: delete it in the console or with the AWS CLI"}`;
}
