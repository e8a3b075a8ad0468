import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { OutputMap } from "@pulumi/pulumi/automation";
import { parseCliArgs } from "../../tools/rollout/args";
import { EXIT } from "../../tools/rollout/exit-codes";
import { Rollout, RolloutOptions } from "../../tools/rollout/orchestrator";
import { renderMarkdown, writeJsonReport } from "../../tools/rollout/report";
import {
    formatInsight, insightGate, insightVerdict, readDeployedVersions, versionChange, versionRefusal,
} from "../../tools/rollout/upgrade-gate";
import { FakeEks, insight } from "./support/fake-eks";
import { FakeStack, regionOutputs, stackConfig } from "./support/fake-stack";

const R1 = "ap-northeast-2";
const R2 = "ap-northeast-1";
const CLUSTER1 = `prod-${R1}`;

/** Stack outputs of a stack deployed at `version` in `regions`, as index.ts exports them. */
function deployedAt(regions: string[], version: string): OutputMap {
    const out = regionOutputs(regions);
    for (const r of regions) (out.regions.value as any)[r].kubernetesVersion = version;
    return out;
}

async function rollout(options: { deployed?: string; live?: Record<string, string>; eks?: FakeEks; regions?: string[]; version?: string } & Partial<RolloutOptions>) {
    const regions = options.regions ?? [R1, R2];
    const config = stackConfig({ regions });
    if (options.version) config["eks-platform:kubernetesVersion"] = options.version;
    const stack = new FakeStack("prod", config);
    if (options.deployed) stack.outputsValue = deployedAt(regions, options.deployed);
    const eks = options.eks ?? new FakeEks();
    if (options.live) eks.versions = options.live;
    const lines: string[] = [];
    const r = new Rollout({
        stack, signal: new AbortController().signal, log: (l) => lines.push(l), eks,
        connect: async () => undefined, // every endpoint reachable (the preflight is tested on its own)
        sleep: async () => true, probe: async () => ({ status: 200 }) as any,
    }, { mode: "up", ...options });
    const report = await r.run();
    return { report, stack, eks, lines };
}

describe("rollout: Kubernetes version checks (pure)", () => {
    it("classifies a version change", () => {
        assert.equal(versionChange("1.36", undefined), "new");
        assert.equal(versionChange("1.36", "1.36"), "same");
        assert.equal(versionChange("1.36", "1.35"), "upgrade");
        assert.equal(versionChange("1.36", "1.34"), "jump");
        assert.equal(versionChange("1.35", "1.36"), "downgrade");
    });

    it("refuses a downgrade and a jump with the key, the value and what to do", () => {
        const base = { region: R1, clusterName: CLUSTER1, source: "cluster" as const };
        const down = versionRefusal({ ...base, configured: "1.35", deployed: "1.36", recorded: "1.36" }, false)!;
        assert.match(down, /ap-northeast-2: cluster prod-ap-northeast-2 runs Kubernetes 1\.36 \(cluster\) and eks-platform:kubernetesVersion is "1\.35": a downgrade/);
        assert.match(down, /Set eks-platform:kubernetesVersion back to "1\.36"/);
        assert.match(down, /within 7 days/);
        const jump = versionRefusal({ ...base, configured: "1.36", deployed: "1.34", recorded: "1.34" }, false)!;
        assert.match(jump, /one minor version at a time\. Set eks-platform:kubernetesVersion to "1\.35", roll out, then continue to "1\.36"/);
        assert.equal(versionRefusal({ ...base, configured: "1.36", deployed: "1.35", recorded: "1.35" }, false), undefined);
    });

    it("refuses a state EKS moved past (a forced upgrade) unless the rollout refreshes first", () => {
        const v = { region: R1, clusterName: CLUSTER1, configured: "1.36", deployed: "1.36", source: "cluster" as const, recorded: "1.35" };
        assert.match(versionRefusal(v, false)!, /the stack's last update recorded 1\.35: EKS changed the version outside Pulumi.*--refresh/);
        assert.equal(versionRefusal(v, true), undefined);
    });

    it("asks EKS only about clusters the stack deployed, and falls back to the outputs when EKS cannot be asked", async () => {
        const eks = new FakeEks();
        eks.versions = { [R1]: "1.36" };
        const outputs = deployedAt([R1], "1.35");
        const read = await readDeployedVersions({ regions: [R1, R2], configured: "1.36", clusterNameOf: (r) => `prod-${r}`, outputs, eks });
        assert.deepEqual(eks.calls, [`DescribeCluster ${R1} ${CLUSTER1}`]);
        assert.deepEqual(read.versions.map((v) => [v.region, v.deployed, v.source, v.recorded]), [[R1, "1.36", "cluster", "1.35"], [R2, undefined, undefined, undefined]]);
        eks.versionError = new Error("AccessDeniedException: not authorized to perform eks:DescribeCluster");
        const fallback = await readDeployedVersions({ regions: [R1], configured: "1.36", clusterNameOf: (r) => `prod-${r}`, outputs, eks });
        assert.deepEqual(fallback.versions.map((v) => [v.deployed, v.source]), [["1.35", "stack outputs"]]);
        assert.match(fallback.warnings[0], /could not ask EKS for the version of prod-ap-northeast-2 \(AccessDeniedException.*\); using the stack outputs/);
    });

    it("keeps the insights about the target version (or about no version) and sorts them by status", () => {
        const verdict = insightVerdict([
            insight("ERROR", "Deprecated APIs removed in Kubernetes v1.36", "1.36", "2 clients still call flowcontrol v1beta3"),
            insight("ERROR", "Deprecated APIs removed in Kubernetes v1.35", "1.35"),
            insight("WARNING", "Kubelet version skew", undefined, "node group apps runs 1.34"),
            insight("PASSING", "Cluster health issues", "1.36"),
            insight("UNKNOWN", "Amazon Linux 2 compatibility", "1.36"),
        ], "1.36");
        assert.deepEqual(verdict.errors.map((i) => i.name), ["Deprecated APIs removed in Kubernetes v1.36"]);
        assert.deepEqual(verdict.warnings.map((i) => i.name), ["Kubelet version skew", "Amazon Linux 2 compatibility"]);
        assert.equal(formatInsight(verdict.errors[0]), "ERROR Deprecated APIs removed in Kubernetes v1.36 (Kubernetes 1.36): 2 clients still call flowcontrol v1beta3");
    });

    describe("the insights gate with a fake EKS client", () => {
        const version = { region: R1, clusterName: CLUSTER1, configured: "1.36", deployed: "1.35", source: "cluster" as const, recorded: "1.35" };

        it("passes when every insight passes", async () => {
            const eks = new FakeEks();
            eks.insights[R1] = [insight("PASSING", "Deprecated APIs removed in Kubernetes v1.36", "1.36")];
            const r = await insightGate({ version, eks, ignore: false });
            assert.deepEqual(r, { region: R1, ok: true, lines: [], warnings: [] });
            assert.deepEqual(eks.calls, [`ListInsights ${R1} ${CLUSTER1}`]);
        });

        it("passes with a warning in the report on a WARNING insight", async () => {
            const eks = new FakeEks();
            eks.insights[R1] = [insight("WARNING", "Kubelet version skew", "1.36", "node group apps runs 1.35")];
            const r = await insightGate({ version, eks, ignore: false });
            assert.equal(r.ok, true);
            assert.deepEqual(r.warnings, ["ap-northeast-2: upgrade insight WARNING Kubelet version skew (Kubernetes 1.36): node group apps runs 1.35"]);
        });

        it("halts on an ERROR insight, naming it; --ignore-insights goes ahead with a warning", async () => {
            const eks = new FakeEks();
            eks.insights[R1] = [insight("ERROR", "Deprecated APIs removed in Kubernetes v1.36", "1.36", "clients call a removed API")];
            const r = await insightGate({ version, eks, ignore: false });
            assert.equal(r.ok, false);
            assert.deepEqual(r.lines, ["ERROR Deprecated APIs removed in Kubernetes v1.36 (Kubernetes 1.36): clients call a removed API"]);
            const ignored = await insightGate({ version, eks, ignore: true });
            assert.equal(ignored.ok, true);
            assert.match(ignored.warnings[0], /ERROR Deprecated APIs removed.*--ignore-insights was given: going ahead/);
        });

        it("refreshes the insights on demand first, and says so when it cannot", async () => {
            const eks = new FakeEks();
            eks.refreshNote = "";
            eks.insights[R1] = [insight("PASSING", "Deprecated APIs removed in Kubernetes v1.36", "1.36")];
            assert.deepEqual((await insightGate({ version, eks, ignore: false })).warnings, []);
            assert.deepEqual(eks.calls, [`StartInsightsRefresh ${R1} ${CLUSTER1}`, `ListInsights ${R1} ${CLUSTER1}`]);
            eks.refreshNote = "could not refresh the insights on demand (AccessDeniedException)";
            const r = await insightGate({ version, eks, ignore: false });
            assert.equal(r.ok, true);
            assert.deepEqual(r.warnings, [`${R1}: could not refresh the insights on demand (AccessDeniedException); reading the insights of EKS's last scheduled refresh`]);
        });

        it("fails closed with a clear message when EKS cannot be asked", async () => {
            const eks = new FakeEks();
            eks.insightsError = new Error("AccessDeniedException: User is not authorized to perform: eks:ListInsights");
            const r = await insightGate({ version, eks, ignore: false });
            assert.equal(r.ok, false);
            assert.match(r.lines[0], /could not read the upgrade insights of prod-ap-northeast-2 \(ap-northeast-2\) for 1\.35 -> 1\.36: AccessDeniedException.*The gate fails closed; check AWS credentials and the eks:ListInsights permission, or rerun with --ignore-insights/);
            assert.equal((await insightGate({ version, eks: undefined, ignore: false })).ok, false, "no client at all: closed too");
            const ignored = await insightGate({ version, eks, ignore: true });
            assert.equal(ignored.ok, true);
            assert.match(ignored.warnings[0], /could not read the upgrade insights.*--ignore-insights was given/);
        });
    });
});

describe("rollout: Kubernetes version gates in a rollout (fake stack, fake EKS)", () => {
    it("refuses a jump of two minor versions before anything changes (exit 2)", async () => {
        const { report, stack, eks } = await rollout({ deployed: "1.34", live: { [R1]: "1.34", [R2]: "1.34" } });
        assert.equal(report.status, "invalid");
        assert.equal(report.exitCode, EXIT.USAGE);
        assert.equal(report.failure?.step, "versions");
        assert.match(report.failure!.message, /runs Kubernetes 1\.34 \(cluster\) and eks-platform:kubernetesVersion is "1\.36": EKS upgrades one minor version at a time/);
        assert.deepEqual(stack.opsCalled(), ["outputs"], "no preview, no update");
        assert.ok(!eks.calls.some((c) => c.startsWith("ListInsights")));
    });

    it("refuses a downgrade before anything changes", async () => {
        const { report, stack } = await rollout({ deployed: "1.36", live: { [R1]: "1.36", [R2]: "1.36" }, version: "1.35" });
        assert.equal(report.status, "invalid");
        assert.match(report.failure!.message, /"1\.35": a downgrade/);
        assert.deepEqual(stack.opsCalled(), ["outputs"]);
        assert.equal(report.regions[R1].status, "skipped");
    });

    it("refuses when EKS runs a newer version than the stack recorded, unless --refresh", async () => {
        const stale = await rollout({ deployed: "1.35", live: { [R1]: "1.36", [R2]: "1.35" } });
        assert.equal(stale.report.status, "invalid");
        assert.match(stale.report.failure!.message, /EKS changed the version outside Pulumi/);
        assert.equal(stale.report.failure!.region, R1);
        const refreshed = await rollout({ deployed: "1.35", live: { [R1]: "1.36", [R2]: "1.35" }, refresh: true });
        assert.equal(refreshed.report.status, "succeeded", JSON.stringify(refreshed.report.failure));
        assert.deepEqual(refreshed.stack.opsCalled().slice(0, 2), ["refresh", "outputs"]);
    });

    it("reads the upgrade insights before each wave that changes the version, and goes ahead when they pass", async () => {
        const eks = new FakeEks();
        eks.insights = { [R1]: [insight("PASSING", "Deprecated APIs", "1.36")], [R2]: [insight("WARNING", "Add-on version compatibility", "1.36", "coredns")] };
        const { report, stack, lines } = await rollout({ deployed: "1.35", live: { [R1]: "1.35", [R2]: "1.35" }, eks });
        assert.equal(report.status, "succeeded", JSON.stringify(report.failure));
        assert.deepEqual(eks.calls.filter((c) => c.startsWith("ListInsights")), [`ListInsights ${R1} ${CLUSTER1}`, `ListInsights ${R2} prod-${R2}`]);
        assert.deepEqual(report.waves.map((w) => w.steps.map((s) => s.step).filter((x) => x !== "preflight").slice(0, 3)), [["insights", "preview", "up"], ["insights", "preview", "up"]]);
        assert.deepEqual(report.regions[R1].kubernetes, { configured: "1.36", deployed: "1.35", source: "cluster", insights: [] });
        assert.deepEqual(report.warnings, [`${R2}: upgrade insight WARNING Add-on version compatibility (Kubernetes 1.36): coredns`]);
        assert.ok(lines.includes(`[${R1}] Kubernetes 1.35 (cluster) -> 1.36: upgrade`), lines.join("\n"));
        assert.equal(stack.opsCalled().filter((o) => o === "up").length, 2);
    });

    it("halts the wave on an ERROR insight, printing it, with nothing updated; the report and Markdown name it", async () => {
        const eks = new FakeEks();
        eks.insights[R1] = [insight("ERROR", "Deprecated APIs removed in Kubernetes v1.36", "1.36", "1 client calls a removed API")];
        const { report, stack, lines } = await rollout({ deployed: "1.35", live: { [R1]: "1.35", [R2]: "1.35" }, eks });
        assert.equal(report.status, "failed");
        assert.equal(report.exitCode, EXIT.FAILED);
        assert.deepEqual(report.failure && { step: report.failure.step, region: report.failure.region, wave: report.failure.wave },
            { step: "insights", region: R1, wave: report.waves[0].name });
        assert.deepEqual(stack.opsCalled(), ["outputs"], "no preview, no update");
        assert.ok(lines.some((l) => l === `[${R1}]   ERROR Deprecated APIs removed in Kubernetes v1.36 (Kubernetes 1.36): 1 client calls a removed API`), lines.join("\n"));
        assert.equal(report.regions[R2].status, "skipped");
        assert.match(renderMarkdown(report), /Stopped at insights.*ERROR Deprecated APIs removed in Kubernetes v1\.36/);
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "h8-insights-")), "r.json");
        writeJsonReport(file, report);
        assert.deepEqual(JSON.parse(fs.readFileSync(file, "utf8")).regions[R1].kubernetes.insights,
            ["ERROR Deprecated APIs removed in Kubernetes v1.36 (Kubernetes 1.36): 1 client calls a removed API"]);
    });

    it("goes ahead past an ERROR insight with --ignore-insights, warning in the report", async () => {
        const eks = new FakeEks();
        eks.insights[R1] = [insight("ERROR", "Deprecated APIs removed in Kubernetes v1.36", "1.36")];
        const { report } = await rollout({ deployed: "1.35", live: { [R1]: "1.35", [R2]: "1.35" }, eks, ignoreInsights: true });
        assert.equal(report.status, "succeeded");
        assert.ok(report.warnings.some((w) => /ERROR Deprecated APIs removed in Kubernetes v1\.36.*--ignore-insights was given/.test(w)), report.warnings.join("\n"));
        assert.match(renderMarkdown(report), /--ignore-insights was given/);
    });

    it("fails closed when the insights cannot be read (exit 1, clear message)", async () => {
        const eks = new FakeEks();
        eks.insightsError = new Error("ThrottlingException: Rate exceeded");
        const { report, stack } = await rollout({ deployed: "1.35", live: { [R1]: "1.35", [R2]: "1.35" }, eks });
        assert.equal(report.status, "failed");
        assert.match(report.failure!.message, /could not read the upgrade insights of prod-ap-northeast-2.*ThrottlingException.*fails closed/);
        assert.deepEqual(stack.opsCalled(), ["outputs"]);
    });

    it("does not read insights when no version changes, nor for a region not deployed yet", async () => {
        const same = await rollout({ deployed: "1.36", live: { [R1]: "1.36", [R2]: "1.36" } });
        assert.equal(same.report.status, "succeeded");
        assert.ok(!same.eks.calls.some((c) => c.startsWith("ListInsights")));
        const fresh = await rollout({});
        assert.deepEqual(fresh.stack.opsCalled().slice(0, 3), ["outputs", "preview", "up"], "a first rollout goes straight to its first wave");
        assert.deepEqual(fresh.report.stackSteps.find((s) => s.step === "versions")?.status, "succeeded");
        assert.deepEqual(fresh.eks.calls, [], "nothing deployed: EKS is not asked");
    });

    it("takes --ignore-insights on the command line", () => {
        const parsed = parseCliArgs(["--stack", "prod", "--ignore-insights"]);
        assert.equal(parsed.kind === "run" && parsed.options.ignoreInsights, true);
        const plain = parseCliArgs(["--stack", "prod"]);
        assert.equal(plain.kind === "run" && plain.options.ignoreInsights, false);
    });
});
