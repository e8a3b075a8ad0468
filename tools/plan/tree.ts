/**
 * The component tree (parent links) and counts by type, from the resource entries.
 */
import type { ResourceEntry, TreeNode } from "./model";

/** Children sorted by type, then name, so the tree reads the same on every run. */
function compareEntries(a: { type: string; name: string }, b: { type: string; name: string }): number {
    return a.type < b.type ? -1 : a.type > b.type ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The subtree under `rootKey` (`type::name`). */
export function buildTree(entries: readonly ResourceEntry[], rootKey: string): TreeNode {
    const children = new Map<string, ResourceEntry[]>();
    let root: ResourceEntry | undefined;
    for (const e of entries) {
        const key = `${e.type}::${e.name}`;
        if (key === rootKey) root = e;
        if (e.parent) {
            const list = children.get(e.parent) ?? [];
            list.push(e);
            children.set(e.parent, list);
        }
    }
    if (!root) throw new Error(`no resource ${rootKey}`);
    const build = (e: ResourceEntry): TreeNode => ({
        type: e.type,
        name: e.name,
        children: (children.get(`${e.type}::${e.name}`) ?? []).slice().sort(compareEntries).map(build),
    });
    return build(root);
}

/** The stack's children that are not `excluded` (the regions), as one tree under the stack. */
export function stackLevelTree(entries: readonly ResourceEntry[], stackKey: string, excluded: ReadonlySet<string>): TreeNode {
    const full = buildTree(entries, stackKey);
    return { ...full, children: full.children.filter((c) => !excluded.has(`${c.type}::${c.name}`)) };
}

/** Tree lines, box-drawn: `name  (type)`, with a note on remote components. */
export function renderTree(node: TreeNode, notes: Readonly<Record<string, string>> = {}): string[] {
    const label = (n: TreeNode) => `${n.name}  (${n.type})${notes[n.type] ? `  ${notes[n.type]}` : ""}`;
    const lines = [label(node)];
    const walk = (n: TreeNode, prefix: string) => {
        n.children.forEach((c, i) => {
            const last = i === n.children.length - 1;
            lines.push(`${prefix}${last ? "└─ " : "├─ "}${label(c)}`);
            walk(c, prefix + (last ? "   " : "│  "));
        });
    };
    walk(node, "");
    return lines;
}

/** Number of resources per type in a tree (the root included). */
export function countByType(node: TreeNode, counts: Record<string, number> = {}): Record<string, number> {
    counts[node.type] = (counts[node.type] ?? 0) + 1;
    node.children.forEach((c) => countByType(c, counts));
    return counts;
}

/** Counts with keys in sorted order (JSON output stays byte-stable). */
export function sortedCounts(counts: Record<string, number>): Record<string, number> {
    return Object.fromEntries(Object.keys(counts).sort().map((k) => [k, counts[k]]));
}

export function treeSize(node: TreeNode): number {
    return 1 + node.children.reduce((n, c) => n + treeSize(c), 0);
}
