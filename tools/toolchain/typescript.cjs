"use strict";
/**
 * Lets Node.js `require` the project's TypeScript: the tests (.mocharc.json `require`) and the offline
 * commands (`npm run plan`, `rollout`, `prices`: `node -r ./tools/toolchain/typescript.cjs ...`).
 *
 * It only strips types and turns `import`/`export` into CommonJS; nothing is type-checked here (that is
 * `npm run build`, `tsc --noEmit`, its own step in .ci/run). The transform is sucrase's:
 *  - It keeps every statement on its source line (sucrase's own guarantee, see `sourceMapOptions` in
 *    node_modules/sucrase/dist/types/Options.d.ts), so stack traces point at the right `.ts` lines with
 *    no source maps. That matters for speed: the Pulumi SDK takes a stack trace for every resource
 *    (Resource.callsites) and every internal promise (runtime/debuggable.js), and a loader that maps
 *    those through source-map-support (ts-node does) spent about half of each program run on it.
 *  - `imports` follows esModuleInterop (tsconfig.json `esModuleInterop: true`); type-only imports are
 *    dropped as tsc drops them.
 *  - `disableESTransforms` leaves class fields, optional chaining and the rest as written: Node 24 runs
 *    them natively, with the semantics tsc emits for `target: ES2022` (class fields are defined).
 * Node's compile cache (module.enableCompileCache, Node >= 22.1; `NODE_DISABLE_COMPILE_CACHE=1` turns
 * it off) keeps V8's bytecode of the SDKs and of the transformed files between runs, and the transform
 * itself is cached by content (transformCached below).
 *
 * Plain CommonJS so that `-r` can load it before any TypeScript.
 */
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");
const { transform } = require("sucrase");

Module.enableCompileCache?.();

const OPTIONS = { transforms: ["imports", "typescript"], disableESTransforms: true };
const SUCRASE_VERSION = require("sucrase/package.json").version;

/**
 * Where transformed files are kept between runs (git-ignored with node_modules/, like ts-node's and
 * babel's caches): every `npm test` worker and every `npm run plan` would otherwise transform the same
 * unchanged files again (about 0.7 s of a prod plan). `EKS_PLATFORM_TS_CACHE=off` turns it off.
 */
const CACHE_DIR = path.join(__dirname, "..", "..", "node_modules", ".cache", "eks-platform-ts");

/**
 * The CommonJS of a TypeScript source: from the cache when the same source (same path, same sucrase,
 * same options) was transformed before, else transformed and stored. The key hashes the whole input, so
 * a changed file, a sucrase upgrade or new options never reuse an old entry; an entry is written to a
 * temporary file and renamed, so a reader never sees half of one, and any cache failure just transforms.
 */
function transformCached(source, filename, cacheDir = CACHE_DIR) {
    const run = () => transform(source, { ...OPTIONS, filePath: filename }).code;
    if (!cacheDir) return run();
    const key = crypto.createHash("sha256").update(`${SUCRASE_VERSION}\0${JSON.stringify(OPTIONS)}\0${filename}\0${source}`).digest("hex");
    const file = path.join(cacheDir, `${key}.js`);
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        // not cached yet
    }
    const code = run();
    try {
        fs.mkdirSync(cacheDir, { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, code);
        fs.renameSync(tmp, file);
    } catch {
        // a read-only or full disk: the transform still stands
    }
    return code;
}

const cacheDir = process.env.EKS_PLATFORM_TS_CACHE === "off" ? undefined : CACHE_DIR;

Module._extensions[".ts"] = function loadTypeScript(module, filename) {
    module._compile(transformCached(fs.readFileSync(filename, "utf8"), filename, cacheDir), filename);
};

module.exports = { transformCached };
