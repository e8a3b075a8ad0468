import { strict as assert } from "assert";
import {
    CHECKED_ON, DEFAULT_KUBERNETES_VERSION, EKS_VERSIONS, EKS_VERSION_TABLE, SUPPORT_WARNING_DAYS, cheapestStandardVersion, daysUntil,
    eksVersion, minorOf, offeredVersions, supportState,
} from "../../facts/eks-versions";
import { KARPENTER } from "../../facts/karpenter";
import { parsePlatformConfig } from "../../stacks/config";
import { ConfigError } from "../../stacks/errors";
import { platformSchema } from "../../stacks/schema";
import { TODAY_ENV, resolveToday } from "../../stacks/today";
import { T, cliConfig, ofType, runProgramKeepingRecords, validRaw } from "../support/fixtures";
import { configErrorThrownBy } from "../support/config-issues";

const TODAY = "2026-11-29";

const versionError = (raw: Record<string, unknown>, today = TODAY) =>
    configErrorThrownBy(() => parsePlatformConfig(raw, "dev", { today }), `expected ${JSON.stringify(raw.kubernetesVersion)} to be refused on ${today}`);

function withVersion(version: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { ...validRaw(), kubernetesVersion: version, ...extra };
}

describe("EKS version calendar", () => {
    it("is one dated table, oldest first, each version's dates in order and sourced", () => {
        assert.match(CHECKED_ON, /^\d{4}-\d{2}-\d{2}$/);
        EKS_VERSIONS.forEach((v, i) => {
            assert.ok(v.released < v.endOfStandardSupport && v.endOfStandardSupport < v.endOfExtendedSupport, v.version);
            // A URL, or an entry that says in its note that its source is secondary (1.37).
            const note = EKS_VERSION_TABLE.entries.find((e) => e.key === v.version)?.note ?? "";
            assert.ok(/^https:\/\//.test(v.source) || /^secondary:/.test(note), v.version);
            if (i > 0) assert.equal(Number(v.version.split(".")[1]), Number(EKS_VERSIONS[i - 1].version.split(".")[1]) + 1);
        });
    });

    it("defaults to the version in standard support with the most runway on the day the table was checked", () => {
        // Among the versions every compute mode supports: Karpenter's matrix stops at 1.36, so 1.37 is
        // allowed (managed node groups) but not the default.
        const standard = offeredVersions(CHECKED_ON).filter((v) => v.state === "standard" && minorOf(v.version) <= minorOf(KARPENTER.kubernetes.max));
        const longest = [...standard].sort((a, b) => (a.endOfStandardSupport < b.endOfStandardSupport ? 1 : -1))[0];
        assert.equal(DEFAULT_KUBERNETES_VERSION, longest.version);
        assert.equal(DEFAULT_KUBERNETES_VERSION, "1.36");
        assert.equal((platformSchema.shape.kubernetesVersion as any).def.defaultValue, DEFAULT_KUBERNETES_VERSION);
        assert.ok(daysUntil(eksVersion("1.36")!.endOfStandardSupport, CHECKED_ON) > SUPPORT_WARNING_DAYS);
    });

    it("tells the support state on a given day", () => {
        const v133 = eksVersion("1.33")!;
        // The end date is the first day of the next state (AWS bills extended support from its start).
        assert.equal(supportState(v133, "2026-07-28"), "standard");
        assert.equal(supportState(v133, "2026-07-29"), "extended");
        assert.equal(supportState(v133, "2027-07-28"), "extended");
        assert.equal(supportState(v133, "2027-07-29"), "ended");
        assert.equal(supportState(eksVersion("1.36")!, "2026-06-01"), "not-released");
        assert.equal(daysUntil("2026-12-02", TODAY), 3);
    });

    it("offers the cheapest standard alternative that is not itself about to end", () => {
        // 1.34 ends standard support on 2026-12-02, three days after TODAY: 1.35 is the answer.
        assert.equal(cheapestStandardVersion(TODAY)?.version, "1.35");
        assert.equal(cheapestStandardVersion("2026-08-01")?.version, "1.34");
    });
});

describe("kubernetesVersion validation", () => {
    it("accepts the stack files' version and, with extendedSupport, a version in extended support", () => {
        assert.equal(parsePlatformConfig(withVersion("1.36"), "dev", { today: TODAY }).regions[0].cluster.version, "1.36");
        const c = parsePlatformConfig(withVersion("1.33", { extendedSupport: true }), "dev", { today: TODAY });
        assert.equal(c.regions[0].cluster.version, "1.33");
        assert.equal(c.today, TODAY);
    });

    for (const bad of ["2.0", "1.36.1", "latest", "1.38", "v1.36", ""]) {
        it(`refuses ${JSON.stringify(bad)} with the key, the value and the versions EKS offers`, () => {
            const e = versionError(withVersion(bad));
            assert.equal(e.issues.length, 1);
            const line = e.message.split("\n")[1];
            assert.ok(line.startsWith(`  - eks-platform:kubernetesVersion = ${JSON.stringify(bad)}: is not a Kubernetes minor version EKS offers`), line);
            assert.match(line, /"1\.36" \(standard support ends 2027-08-02\)/);
            assert.match(line, /"1\.33" \(extended support only, ends 2027-07-29; needs extendedSupport: true\)/);
            assert.doesNotMatch(line, /"1\.31"/); // extended support ended 2026-11-26
        });
    }

    it("refuses a version whose extended support has ended, even with extendedSupport", () => {
        for (const v of ["1.29", "1.31"]) {
            const e = versionError(withVersion(v, { extendedSupport: true }));
            assert.match(e.message, new RegExp(`kubernetesVersion = "${v.replace(".", "\\.")}": EKS support for ${v.replace(".", "\\.")} ended on 20\\d\\d-\\d\\d-\\d\\d`));
        }
    });

    it("refuses a version past standard support without extendedSupport, naming the end date and the cheapest alternative", () => {
        const e = versionError(withVersion("1.33"));
        assert.match(e.message, /eks-platform:kubernetesVersion = "1\.33": standard support for 1\.33 ended on 2026-07-29/);
        assert.match(e.message, /Upgrade to 1\.35 \(the cheapest supported alternative: standard support ends 2027-03-27\)/);
        assert.match(e.message, /\(1\.33 -> 1\.34 -> 1\.35\)/);
        assert.match(e.message, /or set eks-platform:extendedSupport: true/);
    });

    it("past the calendar's last standard-support day (--today 2027-08-02) says so in whole sentences, never \"itself. or set\"", () => {
        // The day the calendar's last standard support ends (2027-08-02 before 1.37 was added): 1.36 is then in extended support.
        const day = [...EKS_VERSIONS].map((v) => v.endOfStandardSupport).sort().at(-1)!;
        assert.equal(supportState(eksVersion("1.36")!, day), "extended");
        const e = versionError(withVersion("1.36"), day);
        assert.match(e.message, new RegExp(`EKS upgrades the cluster itself\\. The support calendar \\(facts/data/eks-versions\\.json\\) has no version in standard support on ${day}; .* Until then, set eks-platform:extendedSupport: true to stay on 1\\.36`));
        assert.doesNotMatch(e.message, /itself\. or/);
    });

    it("takes today as an input: 1.34 is fine on 2026-12-01 and refused on 2026-12-02, its end of standard support", () => {
        assert.doesNotThrow(() => parsePlatformConfig(withVersion("1.34"), "dev", { today: "2026-12-01" }));
        assert.match(versionError(withVersion("1.34"), "2026-12-02").message, /standard support for 1\.34 ended on 2026-12-02/);
    });

    it("refuses a version before EKS released it", () => {
        assert.match(versionError(withVersion("1.36"), "2026-05-01").message,
            /eks-platform:kubernetesVersion = "1\.36": is not available on EKS before 2026-06-02; allowed on 2026-05-01: .*"1\.35"/);
    });

    it("says \"quote the version\" for an unquoted 1.30 that YAML read as 1.3", () => {
        const e = versionError(withVersion("1.3"));
        assert.match(e.message, /eks-platform:kubernetesVersion = "1\.3": looks like 1\.30 written without quotes .*quote the version, e\.g\. kubernetesVersion: "1\.30"/);
    });

    it("reads today from EKS_PLATFORM_TODAY, else the UTC date, and refuses a malformed override", () => {
        assert.equal(resolveToday({ [TODAY_ENV]: "2027-01-05" }), "2027-01-05");
        assert.equal(resolveToday({}, new Date("2026-11-29T23:30:00-05:00")), "2026-11-30");
        assert.throws(() => resolveToday({ [TODAY_ENV]: "2027-02-30" }), /EKS_PLATFORM_TODAY="2027-02-30" is not a date; expected YYYY-MM-DD/);
        // The suite pins it (tests/support/pin-today.js).
        assert.equal(resolveToday(), TODAY);
    });

    it("registers nothing when the version is refused", async () => {
        const { records, error } = await runProgramKeepingRecords("dev", cliConfig(withVersion("1.29")));
        assert.ok(error instanceof ConfigError, String(error));
        assert.match((error as Error).message, /kubernetesVersion = "1\.29"/);
        assert.deepEqual(records.filter((r) => r.type !== T.stack).map((r) => r.type), []);
        assert.equal(ofType(records, T.eksCluster).length, 0);
    });
});
