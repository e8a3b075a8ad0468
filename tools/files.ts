/**
 * Folder and file handling shared by the plan's and the rollout's writers.
 *
 * Never `fs.mkdirSync(dir, { recursive: true })` on a path a user gives: Node's recursive mkdir reads
 * ENOENT as "the parent is missing", creates the parent (EEXIST) and retries, forever, when the child
 * cannot exist although its parent does. Linux procfs answers exactly that for `mkdir /proc/x`, so
 * `--out /proc/plan` spun at 100% CPU inside one synchronous call, where no SIGTERM handler can run
 * (reproduced here on Node 20 and 24: `fs.mkdirSync("/proc/x/y", {recursive: true})` never returns;
 * same root cause as https://github.com/oven-sh/bun/pull/36162 describes for Bun). `makeDirs` walks
 * up once to the nearest existing folder and creates each level with a plain mkdir, so every
 * failure is an error.
 */
import * as fs from "fs";
import * as path from "path";

/** Kernel pseudo-filesystems: nothing is written there, whatever the path says. */
const PSEUDO_FILESYSTEMS = ["/proc", "/sys", "/dev"];

export class UnusableFolderError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UnusableFolderError";
    }
}

/** The real path of `p`, or of its nearest existing ancestor joined with the rest. */
function realish(p: string): string {
    const missing: string[] = [];
    let cur = path.resolve(p);
    for (;;) {
        try {
            return path.join(fs.realpathSync(cur), ...missing.reverse());
        } catch {
            const parent = path.dirname(cur);
            if (parent === cur) return path.resolve(p);
            missing.push(path.basename(cur));
            cur = parent;
        }
    }
}

/** What an errno of a failed write means, for a message that names the cause. */
const WRITE_CAUSES: Record<string, string> = {
    EROFS: "the file system is read-only",
    ENOSPC: "no space left on the device",
    EDQUOT: "the disk quota is exceeded",
    EBUSY: "the path is busy (a mount point, or held by another process)",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    ENOTDIR: "a part of the path is a file, not a folder",
    EISDIR: "it is a folder",
    EXDEV: "it is on another file system than its folder",
    ENAMETOOLONG: "the name is too long",
};

/** A write that failed, named with its path and cause (the plan and the rollout exit 2 on it). */
export class WriteFailure extends Error {
    constructor(readonly target: string, readonly code: string | undefined, cause: string) {
        super(`could not write ${target}: ${cause}`);
        this.name = "WriteFailure";
    }
}

/** `e` (a failed fs call) as a WriteFailure for `target`, with the errno's meaning. */
export function writeFailure(e: unknown, target: string): WriteFailure {
    if (e instanceof WriteFailure) return e;
    const code = (e as NodeJS.ErrnoException)?.code;
    const meaning = code ? WRITE_CAUSES[code] : undefined;
    const detail = e instanceof Error && e.message.trim() !== "" ? e.message : String(code ?? e);
    return new WriteFailure(target, code, meaning ? `${meaning} (${code})` : detail);
}

/** Why the folder `dir` (existing) cannot take new files, from the kernel's own answer, or undefined. */
export function unwritableFolder(dir: string, access: (p: string, mode: number) => void = fs.accessSync): string | undefined {
    try {
        // access(2) answers EROFS for a read-only file system even to root, EACCES to others.
        access(dir, fs.constants.W_OK);
        return undefined;
    } catch (e) {
        return writeFailure(e, dir).message.replace(/^could not write /, "cannot write into ");
    }
}

/**
 * A note when a path the user gave starts with `~` but reached the program as is: the shell expands `~`
 * only at the start of an unquoted word (not after `--out=`, not in quotes), so it would name a folder
 * called `~` here.
 */
export function tildeNote(flag: string, value: string | undefined): string | undefined {
    if (value === undefined || !/^~($|\/)/.test(value)) return undefined;
    return `note: ${flag} ${value} is taken literally: a folder named "~" in ${process.cwd()}, not your home folder ` +
        `(the shell expands ~ only at the start of an unquoted word; write ${flag} ${value.replace(/^~/, "$HOME")} to mean home)`;
}

/** Why `p` cannot be written to as a folder of files, or undefined. */
export function pseudoFilesystem(p: string): string | undefined {
    const real = realish(p);
    return PSEUDO_FILESYSTEMS.find((root) => real === root || real.startsWith(`${root}/`));
}

/** `mkdir -p` that fails instead of looping (see the file comment). */
export function makeDirs(dir: string): void {
    const target = path.resolve(dir);
    const toCreate: string[] = [];
    let cur = target;
    for (;;) {
        let stat: fs.Stats | undefined;
        try {
            stat = fs.statSync(cur);
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
        }
        if (stat) {
            if (!stat.isDirectory()) throw new UnusableFolderError(`${cur} is not a folder`);
            break;
        }
        const parent = path.dirname(cur);
        if (parent === cur) break;
        toCreate.push(cur);
        cur = parent;
    }
    for (const d of toCreate.reverse()) {
        try {
            fs.mkdirSync(d);
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "EEXIST" || !fs.statSync(d).isDirectory()) throw e;
        }
    }
}

/**
 * Checks that a file the user named can be written: not empty, not a folder, not on a pseudo
 * filesystem, and its folder exists or can be created. Returns the problem, or undefined.
 */
export function unwritableFileReason(file: string): string | undefined {
    if (file.trim() === "") return "needs a file name";
    const pseudo = pseudoFilesystem(file);
    if (pseudo) return `${file} is under ${pseudo}, a kernel pseudo-filesystem; give a path on a real disk`;
    const abs = path.resolve(file);
    if (fs.existsSync(abs) && fs.statSync(abs).isDirectory()) return `${file} is a folder; give a file name`;
    let cur = path.dirname(abs);
    while (!fs.existsSync(cur)) cur = path.dirname(cur);
    if (!fs.statSync(cur).isDirectory()) return `${cur} is not a folder, so ${file} cannot be created`;
    if (fs.existsSync(abs)) {
        try {
            fs.accessSync(abs, fs.constants.W_OK);
        } catch (e) {
            return writeFailure(e, file).message;
        }
    }
    return unwritableFolder(cur);
}

/** Writes (or appends to) a file the user named, creating its folder without looping. */
export function writeUserFile(file: string, content: string, mode: "write" | "append" = "write"): void {
    const reason = unwritableFileReason(file);
    if (reason) throw new UnusableFolderError(reason);
    try {
        makeDirs(path.dirname(path.resolve(file)));
        if (mode === "append") fs.appendFileSync(file, content);
        else fs.writeFileSync(file, content);
    } catch (e) {
        throw writeFailure(e, file);
    }
}
