/**
 * A rollout never deletes a CustomResourceDefinition from a cluster (tools/rollout/crd-guard.ts), and
 * refuses a Pulumi CLI older than the engine the platform needs (tools/pulumi-cli.ts).
 */
import { strict as assert } from "assert";
import { MIN_PULUMI_CLI, pulumiCliRefusal } from "../../tools/pulumi-cli";
import { CRD_TYPE, crdDeletions } from "../../tools/rollout/crd-guard";
import { previewGate } from "../../tools/rollout/gates/preview";
import { emit, stepEvents } from "./support/fake-stack";
import { waveContext } from "./support/wave-context";

const R = "ap-northeast-2";
const crd = (name: string) => `urn:pulumi:prod::eks-platform::eks-platform:index:RegionalPlatform$eks-platform:index:Ingress$kubernetes:yaml/v2:ConfigGroup$${CRD_TYPE}::prod-${R}-ingress-gateway-crds:${name}`;
const HTTPROUTES = crd("httproutes.gateway.networking.k8s.io");

describe("rollout: no CustomResourceDefinition is deleted from a cluster", () => {
    it("refuses a delete or replacement of a CRD whose state does not retain it, once per CRD; passes a retained one", () => {
        const step = (op: string, retained?: boolean) => ({ urn: HTTPROUTES, type: CRD_TYPE, name: "h", region: R, op: op as never, status: "done" as const, planning: true, ...(retained ? { retained } : {}) });
        assert.deepEqual(crdDeletions([step("delete")]).length, 1);
        assert.match(crdDeletions([step("delete")])[0], /^refused: the plan deletes .*httproutes\.gateway\.networking\.k8s\.io from its cluster, and with it every object of its kind/);
        assert.equal(crdDeletions([step("replace"), step("delete-replaced")]).length, 1, "one line per CRD");
        assert.deepEqual(crdDeletions([step("delete", true), step("update"), step("create")]), []);
        assert.deepEqual(crdDeletions([{ ...step("delete"), type: "kubernetes:core/v1:ConfigMap" }]), []);
    });

    it("the preview gate halts a wave whose plan deletes an unretained CRD, and passes when the state retains it", async () => {
        const bare = waveContext({ regions: [R] });
        bare.stack.scripts.preview = (req) => emit(req, stepEvents(HTTPROUTES, CRD_TYPE, "delete", true, { retainOnDelete: false }));
        assert.equal(await previewGate.run(bare.ctx), "halted");
        assert.match(bare.rec.report.failure!.message, /refused: the plan deletes .*httproutes.*Nothing was changed/);
        const kept = waveContext({ regions: [R] });
        kept.stack.scripts.preview = (req) => emit(req, stepEvents(HTTPROUTES, CRD_TYPE, "delete", true, { retainOnDelete: true }));
        assert.equal(await previewGate.run(kept.ctx), "passed");
    });
});

describe("rollout: the Pulumi CLI floor", () => {
    it(`refuses a CLI older than ${MIN_PULUMI_CLI}, naming both versions; accepts it and newer, and an unreadable version`, () => {
        assert.equal(MIN_PULUMI_CLI, "3.158.0");
        for (const old of ["v3.157.9", "3.151.0", "v2.25.2"]) assert.match(pulumiCliRefusal(old)!, new RegExp(`is ${old.replace(/\./g, "\\.")}, older than 3\\.158\\.0.*nothing was changed`));
        for (const ok of ["v3.158.0", "3.276.0", "v4.0.0", "v3.200.0-alpha.1"]) assert.equal(pulumiCliRefusal(ok), undefined, ok);
        assert.equal(pulumiCliRefusal(undefined), undefined);
        assert.equal(pulumiCliRefusal("dev"), undefined);
    });
});
