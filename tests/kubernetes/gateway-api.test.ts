/**
 * Gateway API routes (route: gateway | both): config rules, the CRDs before the controller, the platform's
 * Gateways and the apps' routes. Pure functions where they decide; the dev and prod runs (shared) for the
 * wiring.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import { ALB_GATEWAY_KINDS, GATEWAY_API, GATEWAY_CRD_FILES, GATEWAY_UPGRADE_POLICY_FILES, gatewayCrdManifest } from "../../components/gateway-api/crds";
import { httpRouteObject, redirectRouteObject, targetGroupConfigurationObject } from "../../components/gateway-api/routes";
import { controllerFeatureGates, gatewayFeatureGates, gatewayObject, gatewayPlans, loadBalancerConfigurationSpec } from "../../components/gateway-api/settings";
import { controllerValues } from "../../components/ingress-settings";
import { parsePlatformConfig } from "../../stacks/config";
import { primaryEndpoint } from "../../stacks/apps-schema";
import { endpointKeys } from "../../components/workloads";
import { ConfigError } from "../../stacks/errors";
import { crdKinds, crdValidator } from "../../tools/plan/crd-schemas";
import { checkObject } from "../../tools/plan/validate-manifests";
import { CEL_RULES } from "../../tools/plan/crd-cel";
import { urnOf } from "../../tools/harness/records";
import { PROJECT } from "../../stacks/errors";
import { cliConfig, ofType, one, REGION, runProgramKeepingRecords, stackRun, validAutoRaw, validProdRaw, withApps, rawApp } from "../support/fixtures";
import { expectIssue } from "../support/config-issues";

const CERT = "arn:aws:acm:ap-northeast-2:123456789012:certificate/11111111-1111-4111-8111-111111111111";
const CERT_B = "arn:aws:acm:ap-northeast-2:123456789012:certificate/33333333-3333-4333-8333-333333333333";

const app = (over: Record<string, unknown> = {}) => rawApp({ route: "gateway", ...over });

function appsOf(raw: Record<string, unknown>) {
    return parsePlatformConfig(raw, "test").apps;
}

describe("Gateway API: config", () => {
    it("defaults to route ingress, no canaries, no weights", () => {
        const [a] = appsOf(withApps([app({ route: undefined })]));
        assert.equal(a.route, "ingress");
        assert.deepEqual(a.canaries, []);
        assert.equal(a.weights, undefined);
    });

    it("refuses a weight for a Service the app does not have, naming its Services", () => {
        expectIssue(withApps([app({ canaries: [{ name: "v2", image: "nginx:1.27.4" }], weights: { web: 90, "web-v3": 10 } })]),
            "eks-platform:apps[0].weights.web-v3", /not a Service of this app; its Services are web, web-v2/);
    });

    it("refuses weights that do not add up to 100, and a canary left out of them", () => {
        expectIssue(withApps([app({ canaries: [{ name: "v2", image: "nginx:1.27.4" }], weights: { web: 90, "web-v2": 20 } })]),
            "eks-platform:apps[0].weights", /add up to 110/);
        expectIssue(withApps([app({ canaries: [{ name: "v2", image: "nginx:1.27.4" }], weights: { web: 100 } })]),
            "eks-platform:apps[0].weights", /gives canary v2 no weight/);
        expectIssue(withApps([app({ canaries: [{ name: "v2", image: "nginx:1.27.4" }] })]),
            "eks-platform:apps[0].weights", /is required with canaries/);
        expectIssue(withApps([app({ weights: { web: 150 } })]), "eks-platform:apps[0].weights.web", /from 0 to 100/);
    });

    it("refuses canaries and weights on an app routed by an Ingress", () => {
        expectIssue(withApps([app({ route: "ingress", canaries: [{ name: "v2", image: "nginx:1.27.4" }], weights: { web: 50, "web-v2": 50 } })]),
            "eks-platform:apps[0].canaries", /need route "gateway" or "both"/);
    });

    it("refuses a canary whose Deployment name another app has", () => {
        expectIssue(withApps([app({ canaries: [{ name: "v2", image: "nginx:1.27.4" }], weights: { web: 50, "web-v2": 50 } }), app({ name: "web-v2", namespace: "other", route: "ingress", path: "/x" })]),
            "eks-platform:apps[0].canaries[0].name", /web-v2, a name apps\[1\]/);
    });

    it("refuses an L4 listener at its key: an ALB Gateway serves HTTP and HTTPS only", () => {
        expectIssue(withApps([app({ listeners: ["TCP"] })]), "eks-platform:apps[0].listeners[0]", /TCP, UDP and TLS routes are L4 and need a Network Load Balancer Gateway/);
    });

    it("refuses route gateway when the stack turns the controller's ALB Gateway API gate off", () => {
        expectIssue({ ...withApps([app()]), albControllerFeatureGates: { ALBGatewayAPI: false } }, "eks-platform:apps[0].route", /ALBGatewayAPI is false/);
        // The same gate off with only Ingress apps is the stack's business.
        assert.doesNotThrow(() => parsePlatformConfig({ ...withApps([app({ route: "ingress" })]), albControllerFeatureGates: { ALBGatewayAPI: false } }, "test"));
        expectIssue({ ...withApps([app()]), albControllerFeatureGates: { NoSuchGate: true } }, "eks-platform:albControllerFeatureGates.NoSuchGate", /./);
    });

    it("refuses route gateway in a region on EKS Auto Mode (no controller of the platform's there), not route ingress", () => {
        expectIssue(withApps([app({ route: "both" })], validAutoRaw()), "eks-platform:apps[0].route", /EKS Auto Mode \(computeMode auto\).*docs\/gateway-api-auto-mode\.md/);
        assert.doesNotThrow(() => parsePlatformConfig(withApps([app({ route: "ingress" })], validAutoRaw()), "test"));
    });

    it("refuses two apps with the same host and path on one Gateway", () => {
        expectIssue(withApps([app({ host: "a.example.com" }), app({ name: "web2", namespace: "web2", host: "a.example.com" })]),
            "eks-platform:apps[1].path", /already routed to apps\[0\]/);
    });

    it("registers nothing when a route is refused", async () => {
        const { records, error } = await runProgramKeepingRecords("test", cliConfig(withApps([app({ weights: { web: 60 } })])));
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
        assert.match((error as Error).message, /eks-platform:apps\[0\]\.weights = .*add up to 60/);
        assert.deepEqual(records.map((r) => r.type), ["pulumi:pulumi:Stack"]);
    });
});

describe("Gateway API: the CRDs the project carries", () => {
    it("are the v1.6.0 standard channel and serve every kind the controller's ALB Gateway needs", () => {
        const served = new Set(crdKinds());
        for (const [apiVersion, kinds] of Object.entries(ALB_GATEWAY_KINDS)) {
            for (const kind of kinds) assert.ok(served.has(`${apiVersion} ${kind}`), `${apiVersion} ${kind} is not served by the carried CRDs`);
        }
        for (const file of [...GATEWAY_CRD_FILES, ...GATEWAY_UPGRADE_POLICY_FILES]) {
            const o = JSON.parse(fs.readFileSync(file, "utf8"));
            if (o.spec?.group !== "gateway.networking.k8s.io" && o.kind === "CustomResourceDefinition") continue;
            assert.equal(o.metadata.annotations["gateway.networking.k8s.io/bundle-version"], GATEWAY_API.version, file);
            assert.equal(o.metadata.annotations["gateway.networking.k8s.io/channel"], GATEWAY_API.channel, file);
        }
        assert.equal(GATEWAY_CRD_FILES.length, 13);
    });

    it("check objects against their schemas: a wrong field, type or enum is invalid, with its path", () => {
        const [a] = appsOf(withApps([app({ host: "a.example.com" })]));
        const route = httpRouteObject(a, { region: REGION });
        assert.deepEqual(checkObject(route as any, "1.36"), { status: "valid", errors: [] });
        const bad = structuredClone(route) as any;
        bad.spec.rules[0].backendRefs[0].weight = -1;
        bad.spec.rules[0].matches[0].path.type = "Prefix";
        bad.spec.hostname = ["a.example.com"];
        const r = checkObject(bad, "1.36");
        assert.equal(r.status, "invalid");
        assert.deepEqual(r.errors.map((e) => e.field).sort(),
            ["spec.hostname", "spec.rules[0].backendRefs[0].weight", "spec.rules[0].matches[0].path.type"]);
        const tgc = targetGroupConfigurationObject(a, "web") as any;
        tgc.spec.defaultConfiguration.targetType = "pod";
        assert.match(JSON.stringify(checkObject(tgc, "1.36").errors), /must be one of \\"instance\\", \\"ip\\"/);
        assert.equal(crdValidator("gateway.networking.k8s.io/v1", "NoSuchKind"), undefined);
    });
});

describe("Gateway API: CEL rules re-implemented for the plan", () => {
    it("each stands for a rule the carried CRD has, word for word", () => {
        const ruleTexts = new Set<string>();
        const walk = (s: any): void => {
            if (!s || typeof s !== "object") return;
            for (const v of s["x-kubernetes-validations"] ?? []) ruleTexts.add(String(v.rule).replace(/\s+/g, " ").trim());
            for (const x of Object.values(s)) walk(x);
        };
        for (const f of GATEWAY_CRD_FILES) walk(JSON.parse(fs.readFileSync(f, "utf8")));
        for (const r of CEL_RULES) assert.ok(ruleTexts.has(r.rule), `${r.kind}: no such rule in the carried CRDs: ${r.rule}`);
    });

    it("makes a redirect with backends, a Service without port, tls on HTTP and a repeated listener name invalid", () => {
        const [a] = appsOf(withApps([app()]));
        const route = httpRouteObject(a, { region: REGION }) as any;
        route.spec.rules[0].filters = [{ type: "RequestRedirect", requestRedirect: { scheme: "https" } }];
        delete route.spec.rules[0].backendRefs[0].port;
        assert.deepEqual(checkObject(route, "1.36").errors.map((e) => e.field).sort(), ["spec.rules[0]", "spec.rules[0].backendRefs[0].port"]);
        const gw = gatewayObject(gatewayPlans([a], REGION)[0], false) as any;
        assert.deepEqual(checkObject(gw, "1.36"), { status: "valid", errors: [] });
        gw.spec.listeners = [{ ...gw.spec.listeners[0], tls: { mode: "Terminate", certificateRefs: [{ name: "x" }] } }, gw.spec.listeners[0]];
        assert.deepEqual(checkObject(gw, "1.36").errors.map((e) => e.field).sort(), ["spec.listeners[0].name", "spec.listeners[0].tls", "spec.listeners[1].name"]);
    });
});

describe("Gateway API: the platform's side", () => {
    it("installs the CRDs before the controller starts, and sets its Gateway feature gates", async () => {
        for (const stack of ["dev", "prod"] as const) {
            const { records } = await stackRun(stack);
            const releases = ofType(records, "kubernetes:helm.sh/v3:Release").filter((r) => r.name.endsWith("-ingress-controller"));
            assert.ok(releases.length > 0);
            for (const release of releases) {
                const prefix = release.name.replace(/-ingress-controller$/, "");
                const crds = one(records, "kubernetes:yaml/v2:ConfigGroup", `${prefix}-ingress-gateway-crds`);
                assert.ok(release.dependsOn.includes(crds.key), `${release.key} does not wait for ${crds.key}`);
                assert.equal(crds.inputs.yaml, gatewayCrdManifest());
                assert.deepEqual(release.inputs.values.controllerConfig.featureGates, { ALBGatewayAPI: true, NLBGatewayAPI: false, GatewayListenerSet: false });
            }
        }
    });

    it("hands the provider the carried objects as text, no path to read, under the names the children always had", async () => {
        const { records } = await stackRun("prod");
        const groups = ofType(records, "kubernetes:yaml/v2:ConfigGroup").filter((r) => r.name.endsWith("-ingress-gateway-crds"));
        assert.ok(groups.length >= 2);
        const id = (o: any) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}`;
        const carried = [...GATEWAY_CRD_FILES, ...GATEWAY_UPGRADE_POLICY_FILES].map((f) => JSON.parse(fs.readFileSync(f, "utf8")));
        for (const g of groups) {
            // Nothing the provider would resolve against its working directory: no files, no prefix.
            assert.deepEqual(Object.keys(g.inputs), ["yaml"], g.key);
            assert.ok(g.inputs.yaml.startsWith("{"), "a JSON stream: the provider's decoder reads it as JSON, as it read the files");
        }
        // One JSON document a line, each a carried file's object, whole and in order (once: every region has the same text).
        const documents = groups[0].inputs.yaml.split("\n").map((line: string) => JSON.parse(line));
        assert.deepEqual(documents.map(id), carried.map(id));
        assert.deepEqual(documents, carried);
        // Compacting changes no number's or string's text: the files are JSON.stringify's own output
        // (tools/import-crds.ts), so the provider decodes the same values it decoded from them.
        for (const f of [...GATEWAY_CRD_FILES, ...GATEWAY_UPGRADE_POLICY_FILES]) {
            const text = fs.readFileSync(f, "utf8");
            assert.equal(text, `${JSON.stringify(JSON.parse(text), null, 1)}\n`, f);
        }
        // The provider names each child `<resourcePrefix>:<metadata.name>` (a namespace would add `<namespace>/`),
        // the prefix defaulting to the group's name, whichever input holds the objects (pulumi-kubernetes
        // provider/pkg/provider/yaml/v2/yaml.go `register`): one name per kind, none namespaced, so each
        // child keeps the URN the files gave it.
        assert.ok(carried.every((o) => o.metadata.namespace === undefined));
        assert.equal(new Set(carried.map((o) => `${o.kind} ${o.metadata.name}`)).size, carried.length);
    });

    it("hands the provider the CRDs in the order and with the names that give its children the URNs they had (yaml.go `register`'s naming, as read; tests/urns.test.ts cannot see inside the remote component)", async () => {
        const { records } = await stackRun("prod");
        const g = one(records, "kubernetes:yaml/v2:ConfigGroup", "prod-ap-northeast-2-ingress-gateway-crds");
        const group = urnOf(records, g, "prod", PROJECT);
        assert.equal(group, "urn:pulumi:prod::eks-platform::eks-platform:index:RegionalPlatform$eks-platform:index:Ingress$kubernetes:yaml/v2:ConfigGroup::prod-ap-northeast-2-ingress-gateway-crds");
        // As the provider registers them (pulumi-kubernetes yaml/v2 yaml.go `register`: type from apiVersion and
        // kind, name `<group name>:<metadata.name>`), under the group. A change here deletes and re-creates a CRD.
        const [head] = group.split("::prod-ap-northeast-2-ingress-gateway-crds");
        const children = g.inputs.yaml.split("\n").map((line: string) => JSON.parse(line))
            .map((o: any) => `${head}$kubernetes:${o.apiVersion}:${o.kind}::${g.name}:${o.metadata.name}`);
        const crd = (plural: string) => `${head}$kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition::${g.name}:${plural}`;
        const policy = (kind: string) => `${head}$kubernetes:admissionregistration.k8s.io/v1:${kind}::${g.name}:safe-upgrades.gateway.networking.k8s.io`;
        assert.deepEqual(children, [
            ...["gatewayclasses", "gateways", "httproutes", "referencegrants", "grpcroutes", "backendtlspolicies", "listenersets",
                "tlsroutes", "tcproutes", "udproutes"].map((p) => crd(`${p}.gateway.networking.k8s.io`)),
            ...["loadbalancerconfigurations", "targetgroupconfigurations", "listenerruleconfigurations"].map((p) => crd(`${p}.gateway.k8s.aws`)),
            policy("ValidatingAdmissionPolicy"), policy("ValidatingAdmissionPolicyBinding"),
        ]);
    });

    it("asks for the CRD group to be kept on delete, which its children inherit on a Pulumi CLI >= 3.158 (the rollout refuses older ones and any unretained CRD delete: tests/rollout/crd-guard.test.ts)", async () => {
        // A deleted CRD takes every object of its kind with it. retainOnDelete on the remote component
        // reaches every child the provider registers (components/ingress.ts has the chain, with sources);
        // no transform may take it back.
        for (const stack of ["dev", "prod"] as const) {
            const groups = ofType((await stackRun(stack)).records, "kubernetes:yaml/v2:ConfigGroup").filter((r) => r.name.endsWith("-ingress-gateway-crds"));
            assert.ok(groups.length > 0, stack);
            for (const g of groups) {
                assert.equal(g.retainOnDelete, true, g.key);
                assert.deepEqual(g.transforms, [], g.key);
                assert.equal(g.protect, false, `${g.key}: protect would block removing the group`);
            }
        }
    });

    it("sets all three Gateway gates, so the controller skips its CRD detection; keeps the stack's others", () => {
        assert.deepEqual(gatewayFeatureGates({ NLBGatewayAPI: true, ALBGatewayAPI: false, WeightedTargetGroups: false }),
            { NLBGatewayAPI: true, GatewayListenerSet: false, WeightedTargetGroups: false, ALBGatewayAPI: true });
        // A region without Gateway apps gets the gates the program passes there (controllerFeatureGates(false, ...)).
        const plain = controllerValues({ clusterName: "c", region: REGION, vpcId: "vpc-1", tags: {}, featureGates: controllerFeatureGates(false, {}) });
        assert.deepEqual(plain.controllerConfig, { featureGates: { NLBGatewayAPI: false, GatewayListenerSet: false } });
    });

    it("elsewhere turns off the NLB Gateway and ListenerSet gates the kept CRDs would turn on, and leaves ALBGatewayAPI to detection", () => {
        // The CRDs stay after the region's last Gateway app (retained); the three gates are on by default in
        // v3.5.0 and detection only turns them off when CRDs are missing.
        const none = controllerFeatureGates(false, {});
        assert.deepEqual(none, { NLBGatewayAPI: false, GatewayListenerSet: false });
        // Detection runs while any gate is defaulted: the ALB Gateway controller stays on while the platform's
        // last Gateways are deleted (after the Helm update), so their finalizers and ALBs go.
        assert.equal("ALBGatewayAPI" in none, false);
        assert.deepEqual(controllerFeatureGates(false, { NLBGatewayAPI: true, WeightedTargetGroups: false }),
            { NLBGatewayAPI: true, GatewayListenerSet: false, WeightedTargetGroups: false });
        assert.deepEqual(controllerFeatureGates(true, { WeightedTargetGroups: false }), gatewayFeatureGates({ WeightedTargetGroups: false }));
    });

    it("makes a Gateway only for a scheme some app routes through, with its listeners, certificates and namespaces", () => {
        const apps = appsOf(withApps([
            app({ host: "a.example.com", certificateArns: { [REGION]: CERT_B } }),
            app({ name: "b", namespace: "b", host: "b.example.com", certificateArns: { [REGION]: CERT } }),
            app({ name: "c", namespace: "c", route: "ingress", scheme: "internal" }),
        ]));
        const plans = gatewayPlans(apps, REGION);
        assert.deepEqual(plans, [{ name: "alb", scheme: "internet-facing", listeners: ["HTTP", "HTTPS"], certificates: [CERT, CERT_B], managedCertificate: false, namespaces: ["b", "web"] }]);
        assert.deepEqual(gatewayPlans(appsOf(withApps([app({ route: "ingress" })])), REGION), []);
        const spec = loadBalancerConfigurationSpec(plans[0], "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", { logBucket: "logs", deletionProtection: true }) as any;
        assert.equal(spec.scheme, "internet-facing");
        assert.deepEqual(spec.listenerConfigurations, [{ protocolPort: "HTTPS:443", defaultCertificate: CERT, certificates: [CERT_B], sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" }]);
        assert.deepEqual(spec.loadBalancerAttributes.map((x: any) => `${x.key}=${x.value}`), [
            "routing.http.drop_invalid_header_fields.enabled=true", "access_logs.s3.enabled=true", "access_logs.s3.bucket=logs",
            "access_logs.s3.prefix=alb-public", "deletion_protection.enabled=true",
        ]);
        const internal = gatewayPlans(appsOf(withApps([app({ scheme: "internal" })])), REGION)[0];
        const internalSpec = loadBalancerConfigurationSpec(internal, "p", { logBucket: "logs", deletionProtection: true }) as any;
        assert.equal(internalSpec.scheme, "internal");
        assert.deepEqual(internalSpec.loadBalancerAttributes.map((x: any) => `${x.key}=${x.value}`).slice(-2), ["access_logs.s3.prefix=alb-internal", "deletion_protection.enabled=true"]);
        const gw = gatewayObject(plans[0], true) as any;
        assert.equal(gw.metadata.labels["eks-platform/production"], "true");
        assert.equal((gatewayObject(plans[0], false) as any).metadata.labels, undefined);
        assert.deepEqual(gw.spec.listeners.map((l: any) => `${l.name}:${l.protocol}:${l.port}`), ["http:HTTP:80", "https:HTTPS:443"]);
        assert.equal(gw.spec.listeners.some((l: any) => "tls" in l), false, "certificates come from the LoadBalancerConfiguration, not tls.certificateRefs");
        assert.deepEqual(gw.spec.listeners[0].allowedRoutes.namespaces.selector.matchExpressions[0].values, ["b", "web"]);
    });

    it("gives prod's internet-facing Gateway access logs and deletion protection, each Gateway and config schema-valid", async () => {
        const { records } = await stackRun("prod");
        const configs = ofType(records, "kubernetes:gateway.k8s.aws/v1:LoadBalancerConfiguration");
        assert.equal(configs.length, 2);
        for (const c of configs) {
            const attrs = Object.fromEntries(c.inputs.spec.loadBalancerAttributes.map((x: any) => [x.key, x.value]));
            assert.equal(attrs["deletion_protection.enabled"], "true");
            assert.equal(attrs["access_logs.s3.enabled"], "true");
            assert.equal(c.inputs.spec.listenerConfigurations[0].sslPolicy, "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09");
            // The managed certificate of the region's public group (eks-platform:dns), the Ingress's too.
            const region = c.name.split("-gateways-")[0].replace(/^prod-/, "");
            const ingress = one(records, "kubernetes:networking.k8s.io/v1:Ingress", `prod-${region}-workloads-hello-ingress`);
            assert.match(c.inputs.spec.listenerConfigurations[0].defaultCertificate, new RegExp(`^arn:aws:acm:${region}:`));
            assert.equal(c.inputs.spec.listenerConfigurations[0].defaultCertificate, ingress.inputs.metadata.annotations["alb.ingress.kubernetes.io/certificate-arn"]);
        }
        for (const type of ["Gateway", "GatewayClass", "HTTPRoute"].map((k) => `kubernetes:gateway.networking.k8s.io/v1:${k}`)
            .concat(["kubernetes:gateway.k8s.aws/v1:LoadBalancerConfiguration", "kubernetes:gateway.k8s.aws/v1:TargetGroupConfiguration"])) {
            const objects = ofType(records, type);
            assert.ok(objects.length >= 2, type);
            for (const o of objects) assert.deepEqual(checkObject(o.inputs, "1.36"), { status: "valid", errors: [] }, o.key);
        }
    });
});

describe("Gateway API: the app's side", () => {
    it("routes the app's host and path to its Services by weight, on the HTTPS listener when it serves HTTPS", () => {
        const [a] = appsOf(withApps([app({
            host: "a.example.com", path: "/api", certificateArns: { [REGION]: CERT },
            canaries: [{ name: "v2", image: "nginx:1.27.4" }], weights: { web: 90, "web-v2": 10 },
        })]));
        const route = httpRouteObject(a, { region: REGION }) as any;
        assert.deepEqual(route.spec.parentRefs, [{ group: "gateway.networking.k8s.io", kind: "Gateway", namespace: "kube-system", name: "alb", sectionName: "https" }]);
        assert.deepEqual(route.spec.hostnames, ["a.example.com"]);
        assert.deepEqual(route.spec.rules[0].matches, [{ path: { type: "PathPrefix", value: "/api" } }]);
        assert.deepEqual(route.spec.rules[0].backendRefs.map((b: any) => `${b.name}:${b.port}:${b.weight}`), ["web:80:90", "web-v2:80:10"]);
        const redirect = redirectRouteObject(a, { region: REGION }) as any;
        assert.equal(redirect.spec.parentRefs[0].sectionName, "http");
        assert.deepEqual(redirect.spec.rules[0].filters, [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }]);
        assert.equal(redirect.spec.rules[0].backendRefs, undefined);
        assert.equal(redirectRouteObject({ ...a, listeners: ["HTTPS"] }, { region: REGION }), undefined);
        const tgc = targetGroupConfigurationObject(a, "web-v2") as any;
        assert.deepEqual(tgc.spec, { targetReference: { kind: "Service", name: "web-v2" }, defaultConfiguration: { targetType: "ip", healthCheckConfig: { healthCheckPath: "/", healthCheckProtocol: "HTTP" } } });
    });

    it("registers a canary as a Deployment and Service of its own, and each Service's target group, after the Gateway", async () => {
        const raw = withApps([app({ canaries: [{ name: "v2", image: "nginx:1.27.4" }], weights: { web: 80, "web-v2": 20 } })], validProdRaw());
        (raw.apps as any)[0].replicas = 2;
        (raw.apps as any)[0].certificateArns = { [REGION]: CERT };
        const { records, error } = await runProgramKeepingRecords("gw", cliConfig(raw));
        if (error) throw error;
        const p = `prod-${REGION}-workloads`;
        const canary = one(records, "kubernetes:apps/v1:Deployment", `${p}-web-v2-deployment`);
        assert.equal(canary.inputs.spec.template.spec.containers[0].image, "nginx:1.27.4");
        assert.equal(canary.inputs.spec.replicas, 1);
        one(records, "kubernetes:core/v1:Service", `${p}-web-v2-service`);
        one(records, "kubernetes:networking.k8s.io/v1:NetworkPolicy", `${p}-web-v2-netpol`);
        assert.equal(ofType(records, "kubernetes:networking.k8s.io/v1:Ingress").length, 0);
        const route = one(records, "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", `${p}-web-route`);
        for (const dep of [`eks-platform:index:Gateways::prod-${REGION}-gateways`,
            `kubernetes:gateway.k8s.aws/v1:TargetGroupConfiguration::${p}-web-target-group`,
            `kubernetes:gateway.k8s.aws/v1:TargetGroupConfiguration::${p}-web-v2-target-group`]) {
            assert.ok(route.dependsOn.includes(dep), `${route.key} does not wait for ${dep}`);
        }
        one(records, "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", `${p}-web-redirect-route`);
        // Only the scheme in use gets a Gateway (an ALB).
        assert.deepEqual(ofType(records, "kubernetes:gateway.networking.k8s.io/v1:Gateway").map((g) => g.inputs.metadata.name), ["alb"]);
    });
});

describe("Gateway API: moving an app's endpoint (route both, endpoint)", () => {
    it("exports the app's endpoint under its name and the other load balancer beside it", () => {
        assert.deepEqual(endpointKeys({ name: "web", route: "ingress" }), { ingress: "web" });
        assert.deepEqual(endpointKeys({ name: "web", route: "gateway" }), { gateway: "web" });
        assert.deepEqual(endpointKeys({ name: "web", route: "both" }), { ingress: "web", gateway: "web@gateway" });
        // The DNS switch of a migration: the Gateway's ALB becomes `apps.web` while the Ingress still serves.
        assert.deepEqual(endpointKeys({ name: "web", route: "both", endpoint: "gateway" }), { ingress: "web@ingress", gateway: "web" });
    });

    it("accepts endpoint gateway while both routes run, and endpoint naming the one route; parses it through", () => {
        const [both] = appsOf(withApps([app({ route: "both", endpoint: "gateway" })]));
        assert.equal(both.endpoint, "gateway");
        assert.equal(primaryEndpoint(both), "gateway");
        assert.equal(primaryEndpoint(appsOf(withApps([app({ route: "both" })]))[0]), "ingress");
        assert.equal(appsOf(withApps([app({ route: "gateway", endpoint: "gateway" })]))[0].endpoint, "gateway");
    });

    it("refuses an endpoint the app's route does not give it, at apps[i].endpoint", () => {
        expectIssue(withApps([app({ route: "ingress", endpoint: "gateway" })]), "eks-platform:apps[0].endpoint", /route "ingress" gives the app no Gateway load balancer: use route "both"/);
        expectIssue(withApps([app({ route: "gateway", endpoint: "ingress" })]), "eks-platform:apps[0].endpoint", /no Ingress load balancer/);
        expectIssue(withApps([app({ route: "both", endpoint: "nlb" })]), "eks-platform:apps[0].endpoint", /ingress|gateway/);
    });
});
