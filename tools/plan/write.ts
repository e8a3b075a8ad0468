/**
 * Writes the plan's files under the output folder. Only files the plan owns are replaced: the
 * folder may be one the user chose, so nothing else in it is touched, except stale per-region
 * manifest files of regions a stack no longer has.
 */
import * as fs from "fs";
import * as path from "path";

export const MANIFESTS_DIR = "manifests";

/** Writes `files` (relative path -> content) under `outDir`; returns the absolute paths written. */
export function writeFiles(outDir: string, files: Readonly<Record<string, string>>): string[] {
    const manifests = path.join(outDir, MANIFESTS_DIR);
    if (fs.existsSync(manifests)) {
        for (const f of fs.readdirSync(manifests)) {
            if (f.endsWith(".yaml") && !(`${MANIFESTS_DIR}/${f}` in files)) fs.rmSync(path.join(manifests, f));
        }
    }
    const written: string[] = [];
    for (const rel of Object.keys(files).sort()) {
        const file = path.join(outDir, rel);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, files[rel]);
        written.push(file);
    }
    return written;
}

/** A path as a user should see it: relative to the working directory when under it. */
export function displayPath(file: string): string {
    const rel = path.relative(process.cwd(), file);
    return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}
