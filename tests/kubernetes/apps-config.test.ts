import { strict as assert } from "assert";
import { parsePlatformConfig } from "../../stacks/config";
import { ConfigError } from "../../stacks/errors";
import { cliConfig, REGION, runProgramKeepingRecords, validProdRaw, rawApp as app, withApps } from "../support/fixtures";
import { expectIssue } from "../support/config-issues";

const CERT_SEOUL = "arn:aws:acm:ap-northeast-2:123456789012:certificate/11111111-1111-4111-8111-111111111111";
const CERT_TOKYO = "arn:aws:acm:ap-northeast-1:123456789012:certificate/22222222-2222-4222-8222-222222222222";

describe("apps config", () => {
    it("applies the documented defaults", () => {
        const c = parsePlatformConfig(withApps([app()]), "test");
        const a = c.apps[0];
        assert.equal(a.replicas, 2);
        assert.equal(a.scheme, "internet-facing");
        assert.equal(a.targetType, "ip");
        assert.equal(a.healthPath, "/");
        assert.equal(a.path, "/");
        assert.deepEqual(a.resources, { cpuRequest: "100m", memoryRequest: "128Mi", memoryLimit: "256Mi" });
        assert.deepEqual(a.writablePaths, ["/tmp"]);
        assert.equal(c.ingressSslPolicy, "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09");
    });

    it("rejects an image without a tag or digest", () => {
        expectIssue(withApps([app({ image: "nginx" })]), "eks-platform:apps[0].image", /explicit tag or digest/);
    });

    it("rejects the latest tag", () => {
        expectIssue(withApps([app({ image: "nginx:latest" })]), "eks-platform:apps[0].image", /"latest" is not allowed/);
    });

    it("accepts a digest and a registry with a port", () => {
        const digest = `nginx@sha256:${"a".repeat(64)}`;
        const c = parsePlatformConfig(withApps([app({ image: digest }), app({ name: "b", image: "registry.local:5000/team/b:2.0.1", path: "/b" })]), "test");
        assert.deepEqual(c.apps.map((a) => a.image), [digest, "registry.local:5000/team/b:2.0.1"]);
    });

    it("rejects duplicate app names", () => {
        expectIssue(withApps([app(), app({ path: "/other" })]), "eks-platform:apps[1].name", /used twice/);
    });

    it("rejects two apps on the same host and path of one load balancer", () => {
        expectIssue(withApps([app({ host: "a.example.com" }), app({ name: "b", host: "a.example.com" })]),
            "eks-platform:apps[1].path", /already routed to apps\[0\]/);
    });

    it("allows the same path on an internal and an internet-facing app (different load balancers)", () => {
        const c = parsePlatformConfig(withApps([app(), app({ name: "b", scheme: "internal" })]), "test");
        assert.deepEqual(c.apps.map((a) => a.scheme), ["internet-facing", "internal"]);
    });

    it("rejects a bad port", () => {
        expectIssue(withApps([app({ containerPort: 70000 })]), "eks-platform:apps[0].containerPort", /1 to 65535/);
        expectIssue(withApps([app({ containerPort: 0 })]), "eks-platform:apps[0].containerPort", /1 to 65535/);
    });

    it("rejects replicas below 1", () => {
        expectIssue(withApps([app({ replicas: 0 })]), "eks-platform:apps[0].replicas", /at least 1/);
    });

    it("rejects a scheme typo and names the allowed values", () => {
        expectIssue(withApps([app({ scheme: "internet_facing" })]), "eks-platform:apps[0].scheme", /"internet-facing"\|"internal"/);
    });

    it("rejects a target type outside ip/instance", () => {
        expectIssue(withApps([app({ targetType: "pod" })]), "eks-platform:apps[0].targetType", /"ip"\|"instance"/);
    });

    it("rejects a certificate with no HTTPS listener (e.g. an instance target on HTTP only)", () => {
        expectIssue(withApps([app({ targetType: "instance", listeners: ["HTTP"], certificateArns: { [REGION]: CERT_SEOUL } })]),
            `eks-platform:apps[0].certificateArns.${REGION}`, /needs an HTTPS listener/);
    });

    it("rejects an HTTPS listener without a certificate", () => {
        expectIssue(withApps([app({ listeners: ["HTTPS"] })]), "eks-platform:apps[0].listeners", /no certificate for ap-northeast-2/);
    });

    it("rejects a certificate from another region or for a region the stack lacks", () => {
        expectIssue(withApps([app({ certificateArns: { [REGION]: CERT_TOKYO } })]),
            `eks-platform:apps[0].certificateArns.${REGION}`, /lives in ap-northeast-1/);
        expectIssue(withApps([app({ certificateArns: { [REGION]: CERT_SEOUL, "ap-northeast-1": CERT_TOKYO } })]),
            "eks-platform:apps[0].certificateArns.ap-northeast-1", /not one of this stack's regions/);
    });

    it("requires 2+ replicas and HTTPS for internet-facing apps in production", () => {
        const raw = withApps([app({ replicas: 1 })], validProdRaw());
        expectIssue(raw, "eks-platform:apps[0].replicas", /at least 2 replicas/);
        expectIssue(raw, "eks-platform:apps[0].certificateArns", /must serve HTTPS/);
    });

    it("rejects autoscaling with min above max", () => {
        expectIssue(withApps([app({ autoscaling: { minReplicas: 5, maxReplicas: 2 } })]),
            "eks-platform:apps[0].autoscaling.minReplicas", /greater than maxReplicas \(2\)/);
    });

    it("rejects an app in a system namespace", () => {
        expectIssue(withApps([app({ namespace: "kube-system" })]), "eks-platform:apps[0].namespace", /not default or a kube-\* system namespace/);
    });

    it("registers nothing when an app is invalid", async () => {
        const { records, error } = await runProgramKeepingRecords("test", cliConfig(withApps([app({ image: "nginx:latest" })])));
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
        assert.match((error as Error).message, /eks-platform:apps\[0\]\.image = "nginx:latest"/);
        assert.deepEqual(records.map((r) => r.type), ["pulumi:pulumi:Stack"]);
    });
});
