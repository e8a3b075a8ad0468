/**
 * The deploy graph of a plan and its schedule: which resource waits for which, as the engine sees it,
 * and when each would start and finish with unlimited parallelism.
 *
 * A resource waits for (all captured by the mock harness from the SDK's RegisterResource requests,
 * not inferred from names):
 *   - its `dependencies`: explicit `dependsOn` and every resource whose outputs flow into its inputs
 *     (components expanded to their custom/remote descendants, as the SDK sends them);
 *   - its parent: the SDK registers a child only after the parent's URN resolves, i.e. after the
 *     parent's own dependencies (a component) or its creation (a custom resource);
 *   - its provider: a resource is registered with its provider's reference, which resolves only once
 *     the provider is registered (a Kubernetes provider waits for the cluster's kubeconfig).
 */
import type { ResourceRecord } from "../../harness/records";

export interface GraphNode {
    readonly key: string;
    readonly type: string;
    readonly name: string;
    /** Seconds this node itself takes (0 for components and providers). */
    readonly seconds: number;
    /** Keys this node waits for, sorted. */
    readonly waitsFor: readonly string[];
}

export interface Scheduled {
    readonly key: string;
    readonly start: number;
    readonly end: number;
    /** The wait that finished last (the node's predecessor on its longest path), if any. */
    readonly after?: string;
}

export interface Schedule {
    readonly nodes: ReadonlyMap<string, Scheduled>;
    /** Seconds until the last node finishes. */
    readonly total: number;
    /** The longest chain of waits, first to last, ending at the node that finishes last. */
    readonly criticalPath: readonly string[];
}

/** The graph of `records`; `seconds(record)` gives each node's own duration. */
export function buildGraph(records: readonly ResourceRecord[], seconds: (r: ResourceRecord) => number): GraphNode[] {
    const keys = new Set(records.map((r) => r.key));
    return records.map((r) => {
        const waits = new Set<string>([...(r.dependencies ?? r.dependsOn), ...(r.parent ? [r.parent] : []), ...(r.provider ? [r.provider] : [])]);
        waits.delete(r.key);
        return {
            key: r.key,
            type: r.type,
            name: r.name,
            seconds: seconds(r),
            waitsFor: [...waits].filter((k) => keys.has(k)).sort(),
        };
    });
}

/**
 * Earliest start and end of every node with unlimited parallelism: a node starts when the last of
 * its waits ends. Ties on the critical path resolve to the smallest key (deterministic). Throws on a
 * cycle (the engine would too).
 */
export function schedule(nodes: readonly GraphNode[]): Schedule {
    const byKey = new Map(nodes.map((n) => [n.key, n]));
    const done = new Map<string, Scheduled>();
    const visiting = new Set<string>();
    const visit = (key: string): Scheduled => {
        const have = done.get(key);
        if (have) return have;
        if (visiting.has(key)) throw new Error(`dependency cycle through ${key}`);
        visiting.add(key);
        const n = byKey.get(key)!;
        let start = 0;
        let after: string | undefined;
        for (const w of n.waitsFor) {
            const s = visit(w);
            if (s.end > start || (s.end === start && after !== undefined && w < after)) {
                start = s.end;
                after = w;
            }
        }
        visiting.delete(key);
        const out: Scheduled = { key, start, end: start + n.seconds, after: start > 0 ? after : undefined };
        done.set(key, out);
        return out;
    };
    for (const n of [...nodes].sort((a, b) => (a.key < b.key ? -1 : 1))) visit(n.key);
    let last: Scheduled | undefined;
    for (const s of [...done.values()].sort((a, b) => (a.key < b.key ? -1 : 1))) {
        if (!last || s.end > last.end) last = s;
    }
    const path: string[] = [];
    for (let k = last?.key; k !== undefined; k = done.get(k)!.after) path.unshift(k);
    return { nodes: done, total: last?.end ?? 0, criticalPath: path };
}
