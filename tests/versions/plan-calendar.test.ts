import { strict as assert } from "assert";
import { main } from "../../tools/plan/cli";
import { plan } from "../../tools/plan/plan";
import { schemaSkew } from "../../tools/plan/warnings";
import { stackDir, tempDir } from "../plan/helpers";
import { sharedRunner } from "../support/fixtures";

describe("offline plan and the EKS support calendar", function () {
    this.timeout(60000);

    it("prints the day it read the calendar for and each region's end of standard support", async () => {
        // The day the suite pins (tests/support/pin-today.js): the suite's one run of prod serves it.
        const r = await plan("prod", { out: false, today: "2026-11-29", runProgram: sharedRunner });
        assert.equal(r.status, "planned");
        assert.match(r.text, /^EKS support calendar read for 2026-11-29 \(facts\/data\/eks-versions\.json, checked 2026-11-29/m);
        const lines = r.text.split("\n").filter((l) => l.startsWith("  Kubernetes 1.36 "));
        assert.equal(lines.length, 2, "one line per region");
        for (const l of lines) assert.match(l, /Kubernetes 1\.36 \(standard support ends 2027-08-02, 246 days left\)/);
        assert.equal(r.model!.today, "2026-11-29");
        assert.deepEqual(r.model!.regions[0].decisions.cluster.support, {
            version: "1.36", state: "standard", endOfStandardSupport: "2027-08-02", endOfExtendedSupport: "2028-08-02",
            standardSupportDaysLeft: 246, upgradeSoon: false,
        });
        assert.equal((r.json as any).today, "2026-11-29");
        assert.ok(!r.model!.warnings.some((w) => /standard support for/.test(w.message)));
        // The ledger's age: one header line; on the day the tables were read nothing is stale.
        assert.match(r.text, /^Facts as of 2026-11-29, 0 tables stale \(npm run facts\)\.$/m);
        assert.deepEqual((r.json as any).facts, { asOf: "2026-11-29", stale: [] });
        assert.ok(!r.model!.warnings.some((w) => w.subject.startsWith("facts/")));
    });

    it("warns once (not per region) when standard support ends within 90 days", async () => {
        const r = await plan("prod", { out: false, today: "2027-06-01" });
        const w = r.model!.warnings.filter((x) => x.subject === "kubernetesVersion" && /standard support for 1\.36 ends on 2027-08-02, in 62 day/.test(x.message));
        assert.equal(w.length, 1);
        assert.equal(w[0].region, undefined);
        assert.match(w[0].message, /EKS upgrades the cluster itself \(upgrade policy STANDARD\)/);
        // Half a year on, the 30-day tables are stale: the header counts them, a warning names each.
        assert.ok(r.model!.facts.stale.includes("eks-versions") && r.model!.facts.stale.includes("ami-releases"));
        assert.match(r.text, new RegExp(`^Facts as of 2026-11-29, ${r.model!.facts.stale.length} tables stale`, "m"));
        const stale = r.model!.warnings.find((x) => x.subject === "facts/eks-versions");
        assert.match(stale!.message, /^read 2026-11-29, 184 days before 2027-06-01, past its shelf life of 30 days: .*npm run facts -- --refresh eks-versions/);
        assert.ok(!r.model!.warnings.some((x) => x.subject === "facts/node-toolchain"), "the launcher's table is not the plan's");
        // The day before the window opens there is no warning.
        const early = await plan("dev", { out: false, today: "2027-05-03" });
        assert.ok(!early.model!.warnings.some((x) => /standard support for 1\.36/.test(x.message)));
    });

    it("refuses the stack once its version is past standard support on the given day", async () => {
        const r = await plan("dev", { out: false, today: "2027-08-03" });
        assert.equal(r.status, "invalid-config");
        assert.match(r.error!, /eks-platform:kubernetesVersion = "1\.36": standard support for 1\.36 ended on 2027-08-02/);
    });

    it("takes --today on the command line and refuses a malformed one as a usage error", async () => {
        const out: string[] = [];
        const err: string[] = [];
        const io = { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) };
        assert.equal(await main(["dev", "--out", tempDir("today"), "--today", "2027-06-01"], io), 0);
        assert.match(out.join(""), /EKS support calendar read for 2027-06-01/);
        assert.equal(await main(["dev", "--today", "June 1st"], io), 2);
        assert.match(err.join(""), /--today "June 1st" is not a date; expected YYYY-MM-DD/);
    });

    it("answers an unquoted kubernetesVersion: 1.30 in a stack file with \"quote the version\"", async () => {
        const dir = stackDir("unquoted", "dev", (t) => t.replace(/eks-platform:kubernetesVersion: "1\.36"[^\n]*/, "eks-platform:kubernetesVersion: 1.30"));
        const r = await plan("unquoted", { dir, out: false, today: "2026-11-29" });
        assert.equal(r.status, "invalid-config");
        assert.match(r.error!, /eks-platform:kubernetesVersion = "1\.3": looks like 1\.30 written without quotes .*quote the version, e\.g\. kubernetesVersion: "1\.30"/);
    });

    it("says in which direction a schema/version mismatch errs", () => {
        assert.match(schemaSkew("1.33.0", "1.36"), /reported invalid here although the cluster accepts it/);
        assert.match(schemaSkew("1.36.0", "1.34"), /would pass here and be rejected by the cluster/);
    });
});
