/**
 * The printed plan's layout: the node-group table's columns line up, and a warning several regions
 * share prints once, naming them.
 */
import { strict as assert } from "assert";
import { alignColumns, warningLines } from "../../tools/plan/render-text";

describe("plan text layout", () => {
    it("aligns the columns of rows whose cells differ in width", () => {
        const lines = alignColumns([
            ["general", "SPOT", "t3.large, t3a.large", "min 2 / desired 2 / max 4", ""],
            ["gpu-workers", "ON_DEMAND", "g6.xlarge", "min 0 / desired 1 / max 10", "taints nvidia.com/gpu=true:NoSchedule"],
        ]);
        assert.deepEqual(lines, [
            "general       SPOT        t3.large, t3a.large   min 2 / desired 2 / max 4",
            "gpu-workers   ON_DEMAND   g6.xlarge             min 0 / desired 1 / max 10   taints nvidia.com/gpu=true:NoSchedule",
        ]);
        const starts = (l: string) => [...l.matchAll(/ {3}(?=\S)/g)].map((m) => m.index! + 3);
        assert.deepEqual(starts(lines[0]), starts(lines[1]).slice(0, 3), "every column starts at the same place");
    });

    it("prints a warning that several regions share once, and keeps different ones apart", () => {
        const lines = warningLines([
            { subject: "tags", message: "stack-wide" },
            { region: "ap-northeast-2", subject: "publicAccessCidrs", message: "run it from an address in that list" },
            { region: "ap-northeast-1", subject: "publicAccessCidrs", message: "run it from an address in that list" },
            { region: "ap-northeast-1", subject: "natGateways", message: "single NAT gateway" },
        ]);
        assert.deepEqual(lines, [
            "  ! tags: stack-wide",
            "  ! [ap-northeast-2, ap-northeast-1] publicAccessCidrs: run it from an address in that list",
            "  ! [ap-northeast-1] natGateways: single NAT gateway",
        ]);
    });
});
