/**
 * Checks of the house's shape that tests/facts/audit.test.ts runs over the tree: which way imports run
 * (facts/ imports nothing of the project, stacks/ never imports components/), and that no dated table
 * lives outside facts/. Pure functions over (path, text) so that each rule is tested on its own.
 */
import * as fs from "fs";
import * as path from "path";

export interface SourceFile {
    /** Path relative to the project root, with `/`. */
    readonly path: string;
    readonly text: string;
}

/** Module specifiers a TypeScript/JavaScript file imports (static, dynamic, require, re-export). */
export function importsOf(text: string): string[] {
    const out: string[] = [];
    const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm;
    for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1]);
    return out;
}

/** Where a relative specifier of `file` points, relative to the root (`../facts/x` from `stacks/a.ts` -> `facts/x`). */
export function resolveSpecifier(file: string, spec: string): string | undefined {
    if (!spec.startsWith(".")) return undefined;
    return path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
}

export interface ImportViolation {
    readonly file: string;
    readonly spec: string;
    readonly rule: string;
}

const NODE_BUILTINS = new Set(["fs", "path", "os", "crypto", "util"]);

/**
 * The arrows that must not exist: `stacks/` -> `components/`; `facts/` -> anything outside facts/
 * (the project's folders or a package; Node's own fs/path are allowed, to read the data files).
 */
export function importViolations(files: readonly SourceFile[]): ImportViolation[] {
    const out: ImportViolation[] = [];
    for (const f of files) {
        for (const spec of importsOf(f.text)) {
            const target = resolveSpecifier(f.path, spec);
            if (f.path.startsWith("stacks/") && target !== undefined && (target === "components" || target.startsWith("components/"))) {
                out.push({ file: f.path, spec, rule: "stacks/ must not import components/ (validation sits below the components)" });
            }
            if (f.path.startsWith("facts/")) {
                const bare = spec.replace(/^node:/, "");
                const inside = target !== undefined && (target === "facts" || target.startsWith("facts/"));
                if (!inside && !NODE_BUILTINS.has(bare)) out.push({ file: f.path, spec, rule: "facts/ imports nothing of the project and no package" });
            }
        }
    }
    return out;
}

export interface DatedHit {
    readonly file: string;
    readonly line: number;
    readonly text: string;
    readonly why: string;
}

/** A literal that is not a dated fact, allowed wherever it appears, with the reason. */
export const ALLOWED_LITERALS: Readonly<Record<string, string>> = {
    "2012-10-17": "the IAM policy language version (a grammar version, not a fact that goes stale)",
};

/** Lines outside facts/ allowed to carry a date: file -> the literal, with the reason. Keep this short. */
export const ALLOWED_LINES: ReadonlyArray<{ readonly file: string; readonly literal: string; readonly why: string }> = [
    { file: "stacks/today.ts", literal: "2026-11-29", why: "an example date in the message refusing a malformed EKS_PLATFORM_TODAY" },
    { file: "tools/plan/cli.ts", literal: "2026-11-29", why: "an example date in the message refusing a malformed --today" },
    { file: "tools/facts/cli.ts", literal: "2026-11-29", why: "an example date in the message refusing a malformed --today" },
    { file: "tools/plan/render-text.ts", literal: "2027-08-02", why: "an example of a rendered line in a doc comment" },
    { file: "tools/e2e/token.ts", literal: "2011-06-15", why: "the STS Query API version an EKS token presigns GetCallerIdentity with (an API version, not a fact that goes stale)" },
];

const ISO_DATE = /\b(?:19|20)\d{2}-[01]\d-[0-3]\d\b/g;
const MONTH = "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:tember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";
/** "read 2026-11-29", "as of 29 Nov 2026", "checked on November 2026", "retrieved 2026": a fact recorded with its day. */
const DATED_PHRASE = new RegExp(`\\b(?:as of|read|checked|retrieved|accessed|last updated)(?: on)?[: ]+(?:\\d{1,2} )?(?:${MONTH} )?(?:\\d{1,2}, )?(?:19|20)\\d{2}\\b`, "i");
/** A constant that dates a table: `X_AS_OF =`, `CHECKED_ON =`, `READ_ON =`. */
const DATE_CONSTANT = /\b(?:const|let|var)\s+[A-Z0-9_]*(?:AS_OF|CHECKED_ON|READ_ON)\s*=/;

/**
 * Signs of a dated table outside facts/: an ISO date literal (not allow-listed), a "read/as of/checked
 * <date>" phrase, or a constant that dates something. `file` is relative to the root.
 */
export function datedHits(f: SourceFile): DatedHit[] {
    const out: DatedHit[] = [];
    f.text.split("\n").forEach((text, i) => {
        const line = i + 1;
        for (const m of text.matchAll(ISO_DATE)) {
            const literal = m[0];
            if (ALLOWED_LITERALS[literal]) continue;
            if (ALLOWED_LINES.some((a) => a.file === f.path && a.literal === literal)) continue;
            out.push({ file: f.path, line, text: text.trim(), why: `date ${literal}: a dated fact belongs in facts/ (entry with source and read day)` });
        }
        if (DATED_PHRASE.test(text) && !text.match(ISO_DATE)) out.push({ file: f.path, line, text: text.trim(), why: "a fact recorded with the day it was read: move it to facts/" });
        if (DATE_CONSTANT.test(text)) out.push({ file: f.path, line, text: text.trim(), why: "a constant dating a table: the ledger dates each entry (facts/)" });
    });
    return out;
}

/** This file: it holds the allow-list and the patterns, so it is not audited by them. */
const SELF = "tools/facts/audit.ts";

/** Folders and files of the project outside facts/ and tests/ whose text is checked. */
export const AUDITED_ROOTS = ["components", "stacks", "tools", "policy", "index.ts", "platform.ts", ".github"];
/**
 * Upstream data carried as it is published, not facts of ours: the Gateway API CRDs (their field descriptions
 * hold example timestamps such as "2020-09-08"). Their version is pinned in components/gateway-api/crds.ts.
 */
export const UPSTREAM_DATA_DIRS = ["components/gateway-api/crds/"];
const AUDITED_EXTENSIONS = [".ts", ".cjs", ".js", ".json", ".yaml", ".yml"];

/** The audited files under `root` (relative paths with `/`). */
export function auditedFiles(root: string): SourceFile[] {
    const out: SourceFile[] = [];
    const walk = (rel: string): void => {
        const abs = path.join(root, rel);
        if (!fs.existsSync(abs)) return;
        if (fs.statSync(abs).isDirectory()) {
            for (const name of fs.readdirSync(abs).sort()) if (name !== "node_modules") walk(path.posix.join(rel, name));
        } else if (AUDITED_EXTENSIONS.some((e) => rel.endsWith(e)) && rel !== SELF && !UPSTREAM_DATA_DIRS.some((d) => rel.startsWith(d))) {
            out.push({ path: rel, text: fs.readFileSync(abs, "utf8") });
        }
    };
    for (const r of AUDITED_ROOTS) walk(r);
    return out;
}

/** The TypeScript files under facts/ and stacks/ (for the import rules). */
export function layeredFiles(root: string): SourceFile[] {
    const out: SourceFile[] = [];
    for (const dir of ["facts", "stacks"]) {
        const walk = (rel: string): void => {
            for (const name of fs.readdirSync(path.join(root, rel)).sort()) {
                const child = path.posix.join(rel, name);
                if (fs.statSync(path.join(root, child)).isDirectory()) walk(child);
                else if (child.endsWith(".ts") || child.endsWith(".cjs") || child.endsWith(".js")) out.push({ path: child, text: fs.readFileSync(path.join(root, child), "utf8") });
            }
        };
        walk(dir);
    }
    return out;
}
