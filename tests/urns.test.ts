/**
 * Refactors must not replace anything: a resource whose URN changes is deleted and created again by
 * `pulumi up` (a new cluster, new node groups, new IAM roles). This runs the program on one frozen
 * stack config and checks that every URN recorded before a refactor is still registered.
 *
 * The baseline (tests/fixtures/urns-baseline.json) was written from the program as it was before the
 * compute modes moved to components/compute/ (commit c48e70e). New resources may appear; a URN may
 * disappear only on purpose (a resource really removed, or moved with `aliases`): then rewrite the
 * baseline with `UPDATE_URN_BASELINE=1 npx mocha tests/urns.test.ts` and say why in the commit.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT } from "../stacks/errors";
import { urnOf } from "../tools/harness/records";
import { cliConfig, runProgramKeepingRecords } from "./support/fixtures";

const BASELINE = path.join(__dirname, "fixtures", "urns-baseline.json");
const STACK = "urns";

/** A frozen stack config that exercises every component (kept here, not in the shared fixtures). */
const CONFIG = {
    environment: "urns",
    accountId: "123456789012",
    production: false,
    protect: false,
    natGateways: "single",
    flowLogs: true,
    regions: [{ region: "ap-northeast-2", vpcCidr: "10.20.0.0/16", azCount: 2 }],
    endpointAccess: "public-and-private",
    publicAccessCidrs: ["203.0.113.0/24"],
    adminPrincipals: ["arn:aws:iam::123456789012:role/platform-admin"],
    logRetentionDays: 7,
    nodeGroups: [
        { name: "system", instanceTypes: ["m6i.large"], minSize: 2, desiredSize: 2, maxSize: 3 },
        { name: "apps", instanceTypes: ["m6i.xlarge"], capacityType: "SPOT", minSize: 1, desiredSize: 2, maxSize: 5, autoscaler: true },
    ],
    fargateProfiles: [{ name: "batch", selectors: [{ namespace: "batch" }] }],
    apps: [{ name: "hello", namespace: "hello", image: "nginxinc/nginx-unprivileged:1.27.3-alpine", containerPort: 8080 }],
};

describe("URNs stay stable across refactors", () => {
    let urns: string[];
    before(async () => {
        const { records, error } = await runProgramKeepingRecords(STACK, cliConfig(CONFIG));
        if (error) throw error;
        urns = records.map((r) => urnOf(records, r, STACK, PROJECT)).sort();
        if (process.env.UPDATE_URN_BASELINE === "1") fs.writeFileSync(BASELINE, `${JSON.stringify(urns, null, 2)}\n`);
    });

    it("computes URNs as the SDK does (stack type left out, parent types joined by $)", () => {
        assert.ok(urns.includes(`urn:pulumi:${STACK}::${PROJECT}::eks-platform:index:RegionalPlatform::urns-ap-northeast-2`), urns.slice(0, 5).join("\n"));
        assert.ok(urns.includes(`urn:pulumi:${STACK}::${PROJECT}::eks-platform:index:RegionalPlatform$eks-platform:index:NodeGroups$aws:eks/nodeGroup:NodeGroup::urns-ap-northeast-2-nodes-system`));
    });

    it("registers every URN of the baseline again (nothing would be replaced)", () => {
        const baseline: string[] = JSON.parse(fs.readFileSync(BASELINE, "utf8"));
        assert.ok(baseline.length > 50, `baseline holds ${baseline.length} URNs`);
        const now = new Set(urns);
        const gone = baseline.filter((u) => !now.has(u));
        assert.deepStrictEqual(gone, [], `these resources would be deleted and created again:\n${gone.join("\n")}`);
    });
});
