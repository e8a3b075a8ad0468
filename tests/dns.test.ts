/**
 * Managed names (eks-platform:dns, issue 20): config refused at its key, the certificates, the
 * shared validation records, the records and health checks per region (prod's stack, the suite's
 * shared run), and the rollout's traffic-after-health gate.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Dns } from "../components/dns";
import { managedCertificate } from "../components/certificates";
import { appNamesPlan, dnsProviderArgs } from "../components/dns-settings";
import { parsePlatformConfig } from "../stacks/config";
import { ConfigError } from "../stacks/errors";
import { resolveDns } from "../stacks/dns-schema";
import { runWithMocks } from "../tools/harness/engine";
import { WAVE_GATES } from "../tools/rollout/gates";
import { runGates } from "../tools/rollout/gates/gate";
import { trafficGate } from "../tools/rollout/gates/traffic";
import { renderMarkdown } from "../tools/rollout/report";
import { StackOperationError } from "../tools/rollout/stack-ops";
import { regionOfUrn } from "../tools/rollout/waves";
import * as aws from "@pulumi/aws";
import { cliConfig, json, ofType, one, runProgramKeepingRecords, stackRun, validProdRaw, validRaw, rawApp as app } from "./support/fixtures";
import { expectIssue } from "./support/config-issues";
import { emit, regionOutputs, stepEvents } from "./rollout/support/fake-stack";
import { waveContext } from "./rollout/support/wave-context";
import { stackPlan } from "./plan/helpers";
import type { ResourceRecord } from "../tools/harness/records";
import { expectedDns } from "./support/dns-expected";
import { stackFileConfig } from "./support/stack-files";

const R1 = "ap-northeast-2";
const R2 = "ap-northeast-1";
const DNS = { zones: [{ name: "example.com" }] };

function twoRegions(raw: Record<string, any>): Record<string, any> {
    return { ...raw, regions: [...raw.regions, { region: R2, vpcCidr: "10.21.0.0/16", azCount: 2 }] };
}

describe("managed names: config", () => {
    it("gives apps with hosts a managed certificate and HTTPS, latency routing over several regions and simple over one", () => {
        const one = parsePlatformConfig({ ...validRaw(), dns: DNS, apps: [app({ hosts: ["web.example.com"] }), app({ name: "any", namespace: "any", path: "/x", scheme: "internal" })] }, "t");
        assert.deepEqual(one.apps.map((a) => a.managedCertificate), [true, false]);
        assert.equal(one.dns?.routing, "simple");
        const two = parsePlatformConfig({ ...twoRegions(validProdRaw()), dns: DNS, apps: [app({ hosts: ["web.example.com", "*.api.example.com"], replicas: 2 })] }, "t");
        assert.equal(two.dns?.routing, "latency");
        assert.equal(two.dns?.primaryRegion, R1);
        // Production's "internet-facing must serve HTTPS" is met by the managed certificate, without certificateArns.
        assert.deepEqual(two.apps[0].certificateArns, {});
        const noDns = parsePlatformConfig({ ...validRaw(), apps: [app({ hosts: ["web.example.com"] })] }, "t");
        assert.equal(noDns.apps[0].managedCertificate, false, "hosts without eks-platform:dns only route");
    });

    it("refuses each bad input of the issue at its key, with what is allowed", () => {
        const withDns = (apps: unknown[], dns: unknown = DNS, base = validRaw()) => ({ ...base, dns, apps });
        expectIssue(withDns([app({ hosts: ["web.example.org"] })]), "eks-platform:apps[0].hosts[0]", /in none of the zones .*example\.com.*allowed/);
        expectIssue(withDns([app({ hosts: ["*.example.org"] })]), "eks-platform:apps[0].hosts[0]", /ACM validates \*\.example\.org with a record at its base example\.org.*allowed: a wildcard whose base/);
        expectIssue(withDns([app({ hosts: ["a.*.example.com"] })]), "eks-platform:apps[0].hosts[0]", /wildcard only as the whole first label/);
        expectIssue(withDns([app({ hosts: ["web.example.com"] }), app({ name: "b", namespace: "b", path: "/b", host: "web.example.com" })]),
            "eks-platform:apps[1].host", /also a host of apps\[0\] \(web\); one app per host/);
        const eleven = Array.from({ length: 11 }, (_, i) => `n${i}.example.com`);
        expectIssue(withDns([app({ hosts: eleven })]), "eks-platform:apps[0].hosts[10]", /at most 10 names .*default quota/);
        const long = `${"a".repeat(60)}.${"b".repeat(60)}.${"c".repeat(60)}.${"d".repeat(60)}.example.com`;
        expectIssue(withDns([app({ hosts: [long] })]), "eks-platform:apps[0].hosts[0]", /is 255 characters; a DNS name has at most 253/);
        expectIssue(withDns([app({ hosts: ["web.example.com"] })], { ...DNS, routing: "failover" }), "eks-platform:dns.routing", /failover needs exactly two regions .* this stack has 1 .*Allowed: simple/);
        expectIssue(withDns([app({ hosts: ["web.example.com"] })], { ...DNS, routing: "simple" }, twoRegions(validRaw())), "eks-platform:dns.routing", /one region; this stack has 2/);
        expectIssue(withDns([app({ hosts: ["web.example.com"], certificateArns: { [R1]: "arn:aws:acm:ap-northeast-2:123456789012:certificate/11111111-1111-4111-8111-111111111111" } })]),
            "eks-platform:apps[0].certificateArns", /managed certificates .*allowed: one of the two/);
        expectIssue(withDns([app({ host: "web.example.com", hosts: ["web.example.com"] })]), "eks-platform:apps[0].hosts", /together with host/);
        expectIssue(withDns([app({ hosts: ["web.example.com"] })], { ...DNS, routing: "failover", primaryRegion: "us-east-1" }, twoRegions(validRaw())),
            "eks-platform:dns.primaryRegion", /not one of this stack's regions/);
        expectIssue(withDns([app({ hosts: ["web.example.com"], listeners: ["HTTP"] })]), "eks-platform:apps[0].listeners", /add "HTTPS"/);
        expectIssue(withDns([], { zones: [{ name: "example.com" }, { name: "example.com" }] }), "eks-platform:dns.zones[1].name", /listed twice/);
        // ACM's common name is at most 64 characters: a group whose every host is longer has none.
        const sixtyFive = `${"a".repeat(53)}.example.com`;
        expectIssue(withDns([app({ hosts: [sixtyFive] })]), "eks-platform:apps[0].hosts[0]", /at most 64 characters; ACM needs one as the certificate's common name/);
    });

    it("registers nothing on bad DNS input", async () => {
        const raw = { ...validRaw(), dns: DNS, apps: [app({ hosts: ["web.example.org"] })] };
        const { records, error } = await runProgramKeepingRecords("test", cliConfig(raw));
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(records.map((r) => r.type), ["pulumi:pulumi:Stack"]);
    });
});

describe("managed names: prod's stack (certificates, shared validation records, latency records, health checks)", function () {
    this.timeout(60_000);
    let records: ResourceRecord[];
    before(async () => { records = (await stackRun("prod")).records; });
    const dnsChildren = () => records.filter((r) => r.parent === "eks-platform:index:Dns::prod-dns");

    it("requests one DNS-validated certificate per region on that region's provider, and the Ingress takes it once validated", () => {
        for (const region of [R1, R2]) {
            const cert = one(records, "aws:acm/certificate:Certificate", `prod-${region}-public-cert`);
            assert.deepEqual([cert.inputs.domainName, cert.inputs.subjectAlternativeNames, cert.inputs.validationMethod], ["hello.example.com", [], "DNS"]);
            assert.equal(cert.provider, `pulumi:providers:aws::prod-${region}-aws`);
            const validation = one(records, "aws:acm/certificateValidation:CertificateValidation", `prod-${region}-public-cert-validation`);
            assert.equal(validation.inputs.certificateArn, cert.state.arn);
            const ingress = one(records, "kubernetes:networking.k8s.io/v1:Ingress", `prod-${region}-workloads-hello-ingress`);
            assert.equal(ingress.inputs.metadata.annotations["alb.ingress.kubernetes.io/certificate-arn"], validation.state.certificateArn);
            assert.ok(ingress.dependencies!.includes(validation.key), "the Ingress waits for the validation");
            assert.deepEqual(ingress.inputs.spec.rules.map((r: any) => r.host), ["hello.example.com", `hello-${region}.example.com`]);
        }
    });

    it("creates the validation record once for the stack, and both regions' validations wait on that one record", () => {
        const validationRecords = ofType(dnsChildren(), "aws:route53/record:Record").filter((r) => r.name.startsWith("prod-dns-validation-"));
        assert.deepEqual(validationRecords.map((r) => r.name), ["prod-dns-validation-hello.example.com"]);
        const [record] = validationRecords;
        // ACM's record for a name in one account is the same in every region (mock answers like ACM).
        const options = [R1, R2].map((region) => one(records, "aws:acm/certificate:Certificate", `prod-${region}-public-cert`).state.domainValidationOptions);
        assert.deepEqual(options[0], options[1]);
        assert.deepEqual([record.inputs.name, record.inputs.type, record.inputs.records], [options[0][0].resourceRecordName, "CNAME", [options[0][0].resourceRecordValue]]);
        assert.equal(record.inputs.allowOverwrite, false);
        for (const region of [R1, R2]) {
            assert.deepEqual(one(records, "aws:acm/certificateValidation:CertificateValidation", `prod-${region}-public-cert-validation`).inputs.validationRecordFqdns, [record.state.fqdn]);
        }
        assert.equal(regionOfUrn(`urn:pulumi:prod::eks-platform::eks-platform:index:Dns$aws:route53/record:Record::${record.name}`, { environment: "prod" }, [R1, R2]), undefined,
            "the validation record belongs to no region");
    });

    it("answers hello.example.com by latency over both regions, each an alias to its own ALB evaluating its health, with a Route 53 HTTPS check", () => {
        const zoneIds: Record<string, string> = { [R1]: "ZWKZPGTI48KDX", [R2]: "Z14GRHDCWA56QT" };
        for (const region of [R1, R2]) {
            const ingress = one(records, "kubernetes:networking.k8s.io/v1:Ingress", `prod-${region}-workloads-hello-ingress`);
            const alb = ingress.state.status.loadBalancer.ingress[0].hostname;
            const check = one(dnsChildren(), "aws:route53/healthCheck:HealthCheck", `prod-dns-${region}-hello-health`);
            assert.deepEqual([check.inputs.type, check.inputs.fqdn, check.inputs.port, check.inputs.resourcePath, check.inputs.enableSni],
                ["HTTPS", `hello-${region}.example.com`, 443, "/", true]);
            const r = one(dnsChildren(), "aws:route53/record:Record", `prod-dns-${region}-hello.example.com`);
            assert.deepEqual([r.inputs.name, r.inputs.type, r.inputs.setIdentifier, r.inputs.latencyRoutingPolicies, r.inputs.ttl],
                ["hello.example.com", "A", region, [{ region }], undefined]);
            // The check's id (a UUID, as Route 53 gives it) is the one its ARN ends with.
            assert.match(r.inputs.healthCheckId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
            assert.ok(check.state.arn.endsWith(`/${r.inputs.healthCheckId}`));
            assert.deepEqual(r.inputs.aliases, [{ name: alb, zoneId: zoneIds[region], evaluateTargetHealth: true }]);
            const endpoint = one(dnsChildren(), "aws:route53/record:Record", `prod-dns-${region}-hello-endpoint`);
            assert.deepEqual([endpoint.inputs.name, endpoint.inputs.setIdentifier, endpoint.inputs.aliases[0].name], [`hello-${region}.example.com`, undefined, alb]);
            assert.ok(check.dependsOn.includes(endpoint.key), "the check probes a name that exists");
        }
    });

    it("holds the Route 53 provider to the stack's account, or to the zones' account through dns.roleArn after the deployer's role", () => {
        const own = dnsProviderArgs({ environment: "prod", tags: {}, account: { id: "111122223333" } });
        assert.deepEqual([own.region, own.allowedAccountIds, own.assumeRoles], ["us-east-1", ["111122223333"], undefined]);
        const other = dnsProviderArgs({
            environment: "prod", tags: {}, account: { id: "111122223333", assumeRoleArn: "arn:aws:iam::111122223333:role/deployer" },
            roleArn: "arn:aws:iam::999988887777:role/dns-records",
        });
        assert.deepEqual(other.allowedAccountIds, ["999988887777"]);
        assert.deepEqual(other.assumeRoles, [
            { roleArn: "arn:aws:iam::111122223333:role/deployer", sessionName: "eks-platform-prod" },
            { roleArn: "arn:aws:iam::999988887777:role/dns-records", sessionName: "eks-platform-prod-dns" },
        ]);
    });

    it("puts every Route 53 resource on the one DNS provider (us-east-1), never a region's or a default one", () => {
        const provider = one(records, "pulumi:providers:aws", "prod-dns-aws");
        assert.equal(provider.inputs.region, "us-east-1");
        assert.equal(json(provider.inputs.defaultTags).tags.region, "global");
        const r53 = records.filter((r) => r.type.startsWith("aws:route53/"));
        for (const r of r53) assert.equal(r.provider, provider.key, r.key);
        // How many, from Pulumi.prod.yaml alone (support/dns-expected.ts): 2 regions x (1 host + 1 endpoint)
        // alias records + 1 validation record = 5 records, and 2 health checks; 2 certificates (one per region).
        const expected = expectedDns(stackFileConfig("prod"));
        assert.deepEqual([expected.records, expected.healthChecks, expected.certificates], [5, 2, 2], "prod's stack file as the comment counts it");
        assert.deepEqual(
            [ofType(r53, "aws:route53/record:Record").length, ofType(r53, "aws:route53/healthCheck:HealthCheck").length, r53.length],
            [expected.records, expected.healthChecks, expected.records + expected.healthChecks]);
        assert.deepEqual([ofType(records, "aws:acm/certificate:Certificate").length, ofType(records, "aws:acm/certificateValidation:CertificateValidation").length],
            [expected.certificates, expected.certificates]);
    });
});

describe("managed names: validation records are shared, whatever the regions and names", function () {
    this.timeout(30_000);
    it("creates one record for a wildcard and its base, asked by two regions' certificates, and no second one", async () => {
        const { records } = await runWithMocks(() => {
            const dns = new Dns("t-dns", { environment: "t", dns: resolveDns({ zones: [{ name: "example.com" }] }, [R1, R2]), tags: {}, account: { id: "123456789012" } });
            const certs = [R1, R2].map((region) => {
                const provider = new aws.Provider(`t-${region}-aws`, { region: region as aws.Region });
                return managedCertificate(`t-${region}-public`, { provider, hosts: ["example.com", "*.example.com", "api.example.com"], dns }, provider);
            });
            return { arns: pulumi.all(certs.map((c) => c.certificateArn)) };
        }, { stack: "t" });
        const validation = ofType(records, "aws:route53/record:Record");
        assert.deepEqual(validation.map((r) => r.name).sort(), ["t-dns-validation-api.example.com", "t-dns-validation-example.com"]);
        const fqdns = ofType(records, "aws:acm/certificateValidation:CertificateValidation").map((v) => v.inputs.validationRecordFqdns);
        assert.equal(fqdns.length, 2);
        assert.deepEqual(fqdns[0], fqdns[1]);
        assert.equal(fqdns[0].length, 2);
    });

    it("routes failover PRIMARY/SECONDARY by region, and simple without a set identifier", () => {
        const parsed = parsePlatformConfig({ ...twoRegions(validRaw()), dns: { ...DNS, routing: "failover", primaryRegion: R2 }, apps: [app({ hosts: ["web.example.com"] })] }, "t");
        const [primary, secondary] = [R2, R1].map((region) => appNamesPlan("t", parsed.dns!, region, parsed.apps[0])!.records[0]);
        assert.deepEqual([primary.routing, primary.setIdentifier, primary.evaluateTargetHealth, primary.healthChecked], ["failover-primary", R2, true, true]);
        assert.equal(secondary.routing, "failover-secondary");
        const single = parsePlatformConfig({ ...validRaw(), dns: DNS, apps: [app({ hosts: ["web.example.com"], scheme: "internal" })] }, "t");
        const plan = appNamesPlan("t", single.dns!, R1, single.apps[0])!;
        assert.equal(plan.healthCheck, undefined, "Route 53's checkers cannot reach an internal ALB");
        assert.deepEqual([plan.records.length, plan.records[0].routing, plan.records[0].setIdentifier, plan.records[0].evaluateTargetHealth], [1, "simple", undefined, false]);
    });
});

describe("managed names: the rollout gives a region traffic only after its health gate", () => {
    const dns = DNS;
    const apps = [{ name: "web", hosts: ["web.example.com"] }];
    // The wave's own gates, in the order WAVE_GATES runs them (gates.test.ts checks the whole sequence).
    const upHealthTraffic = () => {
        const gates = WAVE_GATES.filter((g) => ["up", "health", "traffic"].includes(g.name));
        assert.deepEqual(gates.map((g) => g.name), ["up", "health", "traffic"]);
        return gates;
    };
    const TRAFFIC_R1 = `urn:pulumi:prod::eks-platform::eks-platform:index:Dns$**::prod-dns-${R1}-**`;

    /**
     * The first wave (R1 of R1, R2) with fakes that log, in order, each stack update (which targets:
     * the wave's or its traffic) and each HTTP health probe, the probe answering `status`.
     */
    function wave(status: number) {
        const events: string[] = [];
        const h = waveContext({
            regions: [R1, R2], dns, apps,
            deps: {
                probe: async (t) => {
                    events.push(`probe ${t.app} ${t.connectHost}`);
                    const ok = status >= 200 && status < 300;
                    return { check: "http", target: `GET ${t.url}`, app: t.app, ok, status, attempts: 1, message: `HTTP ${status}` };
                },
            },
        });
        const outputs = regionOutputs([R1, R2], { web: { hostname: "web-alb.example" } });
        (outputs.regions.value as any)[R1].names = ["web.example.com"];
        h.stack.outputsValue = outputs;
        h.stack.scripts.up = (req) => {
            events.push(req.target.includes(TRAFFIC_R1) ? "up traffic" : "up wave");
            if (req.target.includes(TRAFFIC_R1)) {
                emit(req, stepEvents(`urn:pulumi:prod::eks-platform::eks-platform:index:Dns$aws:route53/record:Record::prod-dns-${R1}-web.example.com`, "aws:route53/record:Record", "create"));
            }
        };
        return { h, events };
    }

    it("runs up, then health, then the traffic update of exactly the wave's alias records and health checks, and reports the names each region serves", async () => {
        const { h, events } = wave(200);
        assert.equal(await runGates(upHealthTraffic(), h.ctx), true);
        assert.deepEqual(events, ["up wave", "probe web web-alb.example", "up traffic"], "traffic only after the health probe passed");
        assert.deepEqual(h.ctx.wave.steps.map((s) => [s.step, s.status]), [["up", "succeeded"], ["outputs", "succeeded"], ["health", "succeeded"], ["traffic", "succeeded"]]);
        const [first, traffic] = h.stack.calls.filter((c) => c.op === "up");
        assert.deepEqual(traffic.target, [TRAFFIC_R1], "R1's records and checks only, not R2's");
        assert.deepEqual(first.target, h.ctx.target);
        assert.ok(!first.target!.includes(TRAFFIC_R1), "the wave's first update never selects its traffic resources");
        assert.deepEqual(h.rec.region(R1).names, ["web.example.com"]);
        assert.equal(h.rec.region(R2).names, undefined, "a later wave's region is untouched");
        assert.match(renderMarkdown(h.rec.report), /\*\*Names served\*\*\n\n- ap-northeast-2: `web\.example\.com`/);
    });

    it("never runs the traffic update when the health gate halts: a failing probe, or a missing load balancer", async () => {
        const { h, events } = wave(503);
        assert.equal(await runGates(upHealthTraffic(), h.ctx), false);
        assert.deepEqual(events, ["up wave", "probe web web-alb.example"]);
        assert.deepEqual(h.ctx.wave.steps.map((s) => [s.step, s.status]), [["up", "succeeded"], ["outputs", "succeeded"], ["health", "failed"]]);
        assert.deepEqual([h.rec.report.failure?.step, h.rec.region(R1).names], ["health", undefined]);

        const sick = waveContext({ regions: [R1, R2], dns, apps, deps: { probe: async () => assert.fail("no HTTP check without a hostname") } });
        sick.stack.outputsValue = regionOutputs([R1, R2]);
        assert.equal(await runGates(upHealthTraffic(), sick.ctx), false);
        assert.deepEqual(sick.stack.opsCalled(), ["up", "outputs"], "only the wave's first update ran");
        assert.equal(sick.rec.report.failure?.step, "health");
    });

    it("halts the rollout when the traffic update fails after health passed", async () => {
        const { h, events } = wave(200);
        h.stack.scripts.up = (req) => {
            events.push(req.target.includes(TRAFFIC_R1) ? "up traffic" : "up wave");
            if (req.target.includes(TRAFFIC_R1)) throw new StackOperationError("failed", "Route 53 said no");
        };
        assert.equal(await runGates(upHealthTraffic(), h.ctx), false);
        assert.deepEqual(events, ["up wave", "probe web web-alb.example", "up traffic"]);
        assert.deepEqual([h.rec.report.failure?.step, h.ctx.wave.steps.at(-1)?.step, h.ctx.wave.steps.at(-1)?.status], ["traffic", "traffic", "failed"]);
        assert.equal(h.rec.region(R1).names, undefined);
    });

    it("is skipped for a stack without eks-platform:dns", async () => {
        const h = waveContext({ regions: [R1] });
        assert.equal(await trafficGate.run(h.ctx), "skipped");
        assert.deepEqual(h.stack.opsCalled(), []);
    });
});

describe("managed names: the plan (per region certificates and records, DNS in the diagram, cost)", function () {
    this.timeout(60_000);

    it("lists per region the certificate (names, shared validation record) and the records (name, type, routing, health check)", async () => {
        const { result } = await stackPlan("prod");
        for (const region of [R1, R2]) {
            const names = result.model!.regions.find((r) => r.region === region)!.decisions.names!;
            assert.deepEqual(names.certificates, [{ resource: `prod-${region}-public-cert`, names: ["hello.example.com"], validationRecords: ["prod-dns-validation-hello.example.com"] }]);
            assert.deepEqual(names.records[0], {
                name: "hello.example.com", type: "A (alias)", routing: `latency (${region})`, evaluateTargetHealth: true,
                healthCheck: `HTTPS hello-${region}.example.com/`,
            });
            const section = result.text.split(`== Region ${region} `)[1].split("== Region ")[0];
            assert.match(section, /Names \(eks-platform:dns, latency routing\)\n  certificate .*hello\.example\.com; DNS-validated by prod-dns-validation-hello\.example\.com/);
        }
        const dev = (await stackPlan("dev")).result;
        assert.equal(dev.model!.regions[0].decisions.names, undefined, "no names without eks-platform:dns");
    });

    it("draws DNS -> regions -> ALBs, and prices each region's health check from the ledger, the queries unpriced", async () => {
        const { result } = await stackPlan("prod");
        const md = result.files["architecture.md"];
        assert.match(md, /dns\[\("Route 53<br\/>latency routing"\)\]/);
        for (const i of [0, 1]) assert.match(md, new RegExp(`dns -->\\|"hello\\.example\\.com · latency \\([a-z0-9-]+\\)"\\| r${i}_alb0`));
        const cost = JSON.parse(result.files["cost.json"]);
        for (const region of [R1, R2]) {
            const lines = cost.regions.find((r: any) => r.region === region).lines.filter((l: any) => l.driver.startsWith("Route 53"));
            const check = lines.find((l: any) => l.driver === "Route 53 health checks");
            // An AWS endpoint ($0.50) with one optional feature, HTTPS ($1.00).
            assert.deepEqual([check.quantity, check.unitUsd, check.monthlyUsd], [1, 1.5, 1.5]);
            assert.match(lines.find((l: any) => l.driver === "Route 53 queries").missing, /not found/);
        }
    });
});
