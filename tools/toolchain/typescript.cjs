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
 * it off) keeps V8's bytecode of the SDKs and of the transformed files between runs.
 *
 * Plain CommonJS so that `-r` can load it before any TypeScript.
 */
const fs = require("fs");
const Module = require("module");
const { transform } = require("sucrase");

Module.enableCompileCache?.();

const OPTIONS = { transforms: ["imports", "typescript"], disableESTransforms: true };

Module._extensions[".ts"] = function loadTypeScript(module, filename) {
    const { code } = transform(fs.readFileSync(filename, "utf8"), { ...OPTIONS, filePath: filename });
    module._compile(code, filename);
};
