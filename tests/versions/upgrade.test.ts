/**
 * A Kubernetes version change carries the whole cluster along in one `pulumi up`: the control plane,
 * then the networking add-ons, then the managed node groups, then the add-ons that run on the nodes,
 * each add-on moving to the version pinned for the new Kubernetes minor (facts/data/addon-versions.json).
 */
import { strict as assert } from "assert";
import { addonsFor } from "../../components/addons-plan";
import { addonPin } from "../../facts/addon-versions";
import type { ResourceRecord } from "../../tools/harness/records";
import { runProgram } from "../../tools/harness/program";
import { T, cliConfig, ofType, one, stackRun, validRaw } from "../support/fixtures";

const REGION_NAME = "test-ap-northeast-2";

const outputsAt: Record<string, any> = {};

async function programAt(version: string): Promise<ResourceRecord[]> {
    const run = await runProgram("test", { config: cliConfig({ ...validRaw(), kubernetesVersion: version }) });
    outputsAt[version] = run.outputs;
    return run.records;
}

function addonVersions(records: readonly ResourceRecord[]): Record<string, string> {
    return Object.fromEntries(ofType(records, T.addon).map((a) => [a.inputs.addonName, a.inputs.addonVersion]));
}

describe("Kubernetes upgrades that complete", function () {
    this.timeout(60000);
    let at135: ResourceRecord[];
    let at136: ResourceRecord[];
    before(async () => {
        at135 = await programAt("1.35");
        at136 = await programAt("1.36");
    });

    it("gives every add-on an explicit version, the one pinned for the cluster's Kubernetes minor", () => {
        for (const [records, version] of [[at135, "1.35"], [at136, "1.36"]] as const) {
            const versions = addonVersions(records);
            assert.deepEqual(Object.keys(versions).sort(), [...addonsFor("before-nodes"), ...addonsFor("after-nodes")].map((a) => a.name).sort());
            for (const [name, v] of Object.entries(versions)) assert.equal(v, addonPin(name, version)!.version, `${name} on ${version}`);
        }
        // kube-proxy's pin follows the Kubernetes minor version, so a bump changes it.
        assert.notEqual(addonVersions(at135)["kube-proxy"], addonVersions(at136)["kube-proxy"]);
        assert.match(addonVersions(at136)["kube-proxy"], /^v1\.36\./);
    });

    it("sets every managed node group's version to the cluster's, so a bump upgrades the nodes too", () => {
        for (const [records, version] of [[at135, "1.35"], [at136, "1.36"]] as const) {
            const groups = ofType(records, T.nodeGroup);
            assert.ok(groups.length > 0);
            for (const g of groups) assert.equal(g.inputs.version, version, g.key);
            assert.equal(one(records, T.eksCluster, `${REGION_NAME}-cluster-eks`).inputs.version, version);
            assert.ok(groups.every((g) => g.inputs.releaseVersion === undefined), "EKS picks the newest AMI release of the version");
        }
    });

    it("orders the update: control plane -> networking add-ons -> node groups (within their budget) -> add-ons on the nodes", () => {
        const r = at136;
        const clusterComponent = `${T.cluster}::${REGION_NAME}-cluster`;
        const eks = `${T.eksCluster}::${REGION_NAME}-cluster-eks`;
        for (const a of ofType(r, T.addon).filter((x) => x.parent === clusterComponent)) {
            assert.ok(a.dependsOn.includes(eks), `${a.key} waits for the control plane`);
        }
        const nodes = one(r, T.nodeGroups, `${REGION_NAME}-nodes`);
        for (const g of ofType(r, T.nodeGroup)) {
            assert.ok(g.dependsOn.includes(clusterComponent), `${g.key} waits for the Cluster component (control plane and networking add-ons)`);
            assert.deepEqual(g.inputs.updateConfig, { maxUnavailable: 1 });
        }
        const addons = one(r, T.addons, `${REGION_NAME}-addons`);
        assert.ok(addons.dependsOn.includes(nodes.key), "the add-ons that run on nodes come after the node groups");
        assert.deepEqual(ofType(r, T.addon).filter((x) => x.parent === addons.key).map((a) => a.inputs.addonName).sort(),
            ["aws-ebs-csi-driver", "coredns", "eks-node-monitoring-agent", "metrics-server"]);
    });

    it("exports each region's deployed Kubernetes version (the rollout compares it with the config)", () => {
        assert.equal(outputsAt["1.35"].regions["ap-northeast-2"].kubernetesVersion, "1.35");
        assert.equal(outputsAt["1.36"].regions["ap-northeast-2"].kubernetesVersion, "1.36");
    });

    it("installs the node monitoring agent, so that node auto repair sees more than Ready/NotReady", async () => {
        const records = (await stackRun("dev")).records;
        const agent = ofType(records, T.addon).filter((a) => a.inputs.addonName === "eks-node-monitoring-agent");
        assert.equal(agent.length, 1);
        assert.equal(agent[0].inputs.addonVersion, addonPin("eks-node-monitoring-agent", "1.36")!.version);
        assert.equal(agent[0].inputs.podIdentityAssociations, undefined, "needs no AWS role");
        for (const g of ofType(records, T.nodeGroup)) assert.deepEqual(g.inputs.nodeRepairConfig, { enabled: true });
    });
});
