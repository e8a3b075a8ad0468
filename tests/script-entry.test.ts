/** tools/script-entry.ts: the rollout's and e2e's entry-point tail (exit code, unexpected errors). */
import { strict as assert } from "assert";
import { runAsScript } from "../tools/script-entry";

function recorder() {
    const exits: number[] = [];
    const errors: string[] = [];
    return { exits, errors, deps: { exit: (c: number) => { exits.push(c); }, error: (t: string) => { errors.push(t); } } };
}

describe("runAsScript (the commands' entry point)", () => {
    it("passes the arguments to main and exits with the code it resolves to, printing nothing", async () => {
        const r = recorder();
        let seen: readonly string[] = [];
        await runAsScript(async (argv) => { seen = argv; return 3; }, 9, ["--stack", "prod"], r.deps);
        assert.deepEqual(seen, ["--stack", "prod"]);
        assert.deepEqual(r.exits, [3]);
        assert.deepEqual(r.errors, []);
    });

    it("prints an unexpected error's stack and exits with the command's failure code", async () => {
        const r = recorder();
        const boom = new Error("boom");
        await runAsScript(async () => { throw boom; }, 9, [], r.deps);
        assert.deepEqual(r.exits, [9]);
        assert.deepEqual(r.errors, [boom.stack]);
    });

    it("prints a thrown non-Error as text", async () => {
        const r = recorder();
        await runAsScript(async () => { throw "plain"; }, 4, [], r.deps);
        assert.deepEqual(r.exits, [4]);
        assert.deepEqual(r.errors, ["plain"]);
    });
});
