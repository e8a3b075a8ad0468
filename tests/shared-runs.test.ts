/**
 * The runs the tests share (tests/support/fixtures.ts): one per stack file and set of EKS_PLATFORM_*
 * variables, frozen, and handed to plan() only for exactly that stack file's config.
 */
import { strict as assert } from "assert";
import { PROJECT_DIR } from "../tools/harness/program";
import { readStackConfig } from "../tools/harness/stack-files";
import { TODAY_ENV, withToday } from "../stacks/today";
import { sharedRunner, stackRun } from "./support/fixtures";

describe("runs shared between tests", function () {
    this.timeout(60000);

    it("runs each stack file once and hands every reader the same frozen result", async () => {
        const a = await stackRun("dev");
        assert.equal(await stackRun("dev"), a);
        assert.ok(a.records.length > 0);
        assert.ok(Object.isFrozen(a) && Object.isFrozen(a.records) && Object.isFrozen(a.records[0].inputs));
        assert.throws(() => { (a.records as any[]).push(a.records[0]); }, TypeError);
        assert.throws(() => { a.records[0].inputs.changed = true; }, TypeError);
    });

    it("runs again for another day, which the program reads from the environment", async () => {
        const pinned = await stackRun("dev");
        const other = await withToday("2027-01-04", () => stackRun("dev"));
        assert.notEqual(other, pinned);
        assert.equal(await withToday("2027-01-04", () => stackRun("dev")), other);
        assert.notEqual(process.env[TODAY_ENV], "2027-01-04", "the day is restored");
    });

    it("hands plan() the shared run only for the stack file's own config", async () => {
        const file = readStackConfig(PROJECT_DIR, "dev");
        assert.equal(await sharedRunner("dev", { config: file.config, secretKeys: file.secretKeys }), await stackRun("dev"));
        const edited = { ...file.config, "eks-platform:flowLogs": "true" };
        const own = await sharedRunner("dev", { config: edited, secretKeys: file.secretKeys });
        assert.notEqual(own, await stackRun("dev"));
        assert.ok(own.records.some((r) => r.type === "aws:ec2/flowLog:FlowLog"), "the edited config was run");
        assert.ok(!(await stackRun("dev")).records.some((r) => r.type === "aws:ec2/flowLog:FlowLog"));
    });
});
