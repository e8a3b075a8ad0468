/**
 * Writes a plan into its output folder as a whole: into a new temporary folder next to it, then
 * swapped in with renames, so a failure never leaves half of one plan over another. The folder is
 * replaced only when it is empty or holds a previous plan (its marker file, or only the names a plan
 * writes); anything else (a file, a folder of the user's, a kernel pseudo-filesystem) is refused
 * before the program runs.
 */
import * as fs from "fs";
import * as path from "path";
import { makeDirs, pseudoFilesystem, unwritableFolder, writeFailure } from "../files";

export const MANIFESTS_DIR = "manifests";

/** Marks a folder as a plan's output, so the next plan may replace it whole. */
export const PLAN_MARKER = ".eks-platform-plan";
const MARKER_TEXT = "Written by `npm run plan`. The next plan into this folder replaces it as a whole; keep nothing else here.\n";

/**
 * The entries of `dir` a plan does not write (a plan folder from before the marker has none): a plan
 * writes its top-level files and `manifests/<region code>.yaml`.
 */
function foreignEntries(dir: string, entries: readonly string[], files: Readonly<Record<string, unknown>>): string[] {
    const topLevel = new Set(Object.keys(files).map((f) => f.split("/")[0]));
    return entries.filter((e) => {
        if (!topLevel.has(e)) return true;
        if (e !== MANIFESTS_DIR) return !fs.statSync(path.join(dir, e)).isFile();
        const m = path.join(dir, e);
        return !fs.statSync(m).isDirectory() || !fs.readdirSync(m).every((f) => /^[a-z]{2}(-[a-z]+)+-\d\.yaml$/.test(f) && fs.statSync(path.join(m, f)).isFile());
    });
}

/**
 * Why a plan may not be written to `outDir`, or undefined when it may. `files` are the plan's files
 * (relative path -> anything); without them (before the plan is made) what a folder holds is not
 * checked yet.
 */
export function outFolderProblem(outDir: string, files?: Readonly<Record<string, unknown>>,
    /** access(2), replaceable in tests (a read-only file system). @default fs.accessSync */
    access: (p: string, mode: number) => void = fs.accessSync): string | undefined {
    if (outDir.trim() === "") return "--out needs a folder";
    const pseudo = pseudoFilesystem(outDir);
    if (pseudo) return `${outDir} is under ${pseudo}, a kernel pseudo-filesystem; give a folder on a real disk`;
    const abs = path.resolve(outDir);
    let cur = abs;
    while (!fs.existsSync(cur)) cur = path.dirname(cur);
    if (!fs.statSync(cur).isDirectory()) {
        return cur === abs ? `${outDir} is a file, not a folder; give a new or empty folder, or a previous plan's` : `${cur} is a file, so ${outDir} cannot be created`;
    }
    // The plan is staged next to the folder and renamed into place: the parent must take new entries,
    // and the folder itself must not be a mount point (rename(2) answers EBUSY).
    const parentProblem = unwritableFolder(cur === abs ? path.dirname(abs) : cur, access);
    if (parentProblem) return `--out ${outDir}: ${parentProblem}`;
    if (cur === abs && abs !== path.dirname(abs) && fs.statSync(abs).dev !== fs.statSync(path.dirname(abs)).dev) {
        return `--out ${outDir} is a mount point; the plan replaces its folder whole by renaming, which a mount point cannot be. Give a folder inside it`;
    }
    if (cur !== abs || !files) return undefined;
    const entries = fs.readdirSync(abs);
    if (entries.includes(PLAN_MARKER)) return undefined;
    const foreign = foreignEntries(abs, entries, files);
    if (foreign.length === 0) return undefined;
    const shown = foreign.slice(0, 5).join(", ") + (foreign.length > 5 ? ", ..." : "");
    return `${outDir} holds files a plan did not write (${shown}); the plan replaces its folder as a whole, ` +
        "so give a new or empty folder, or a previous plan's";
}

/**
 * Writes `files` (relative path -> content) as the folder `outDir`, replacing a previous plan there;
 * returns the absolute paths of the files. Check `outFolderProblem` first.
 */
export function writePlanFolder(outDir: string, files: Readonly<Record<string, string>>,
    /** Writes one file, replaceable in tests (a full disk). @default fs.writeFileSync */
    writeFile: (file: string, content: string) => void = fs.writeFileSync): string[] {
    const problem = outFolderProblem(outDir, files);
    if (problem) throw new Error(problem);
    const target = path.resolve(outDir);
    const parent = path.dirname(target);
    let staging: string | undefined;
    try {
        makeDirs(parent);
        staging = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.plan-`));
        // mkdtemp makes 0700: the folder keeps the mode it had, or gets the usual one (umask) when new.
        const mode = fs.existsSync(target) ? fs.statSync(target).mode & 0o7777 : 0o777 & ~process.umask();
        fs.chmodSync(staging, mode);
        for (const rel of Object.keys(files).sort()) {
            const file = path.join(staging, rel);
            makeDirs(path.dirname(file));
            writeFile(file, files[rel]);
        }
        fs.writeFileSync(path.join(staging, PLAN_MARKER), MARKER_TEXT);
        if (fs.existsSync(target)) {
            const previous = `${staging}.previous`;
            fs.renameSync(target, previous);
            try {
                fs.renameSync(staging, target);
            } catch (e) {
                fs.renameSync(previous, target);
                throw e;
            }
            fs.rmSync(previous, { recursive: true, force: true });
        } else {
            fs.renameSync(staging, target);
        }
    } catch (e) {
        throw writeFailure(e, target);
    } finally {
        if (staging) fs.rmSync(staging, { recursive: true, force: true });
    }
    return Object.keys(files).sort().map((rel) => path.join(target, rel));
}

/** A path as a user should see it: relative to the working directory when under it. */
export function displayPath(file: string): string {
    const rel = path.relative(process.cwd(), file);
    return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}
