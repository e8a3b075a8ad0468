/**
 * The policy pack (policy/): the rules against every resource the real dev and prod stacks register
 * (under the mock engine), a hand-made violation per rule, and the pack in policy/index.ts listing
 * every rule as a mandatory policy.
 */
import * as assert from "assert";
import { nodeClassObject } from "../../components/compute/karpenter/settings";
import { autoModeIngressClassParamsSpec, ingressClassParamsLabels, ingressClassParamsSpec, ingressClasses } from "../../components/ingress-settings";
import { autoNodeClassObject } from "../../components/compute/auto/settings";
import { nodeClassSchema } from "../../stacks/karpenter-schema";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import type { PolicyPackArgs, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { EKS_LOG_TYPES, Props, RULES, Rule, checkResource, imageProblem } from "../../policy/rules";
import { policies, stackPolicies } from "../../policy/policies";
import { STACK_RULES } from "../../policy/stack-rules";
import { stackRun } from "../support/fixtures";

const rule = (name: string): Rule => {
    const r = RULES.find((x) => x.name === name);
    if (!r) throw new Error(`no rule ${name}; rules: ${RULES.map((x) => x.name).join(", ")}`);
    return r;
};

/** Runs a policy's validateResource the way the policy SDK does and collects the reported messages. */
async function runPolicy(policy: ResourceValidationPolicy, type: string, props: Props): Promise<string[]> {
    const reported: string[] = [];
    const report: ReportViolation = (message: string) => { reported.push(message); };
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource!];
    const args = { type, props, urn: `urn:pulumi:test::eks-platform::${type}::x`, name: "x" } as unknown as ResourceValidationArgs;
    for (const v of validations) await v(args, report);
    return reported;
}

/** Asserts that `props` of `type` violate exactly the rule `name`, with a message naming `field`. */
function assertViolation(name: string, props: Props, field: string | RegExp): void {
    const r = rule(name);
    const findings = checkResource(r.resourceType, props);
    assert.ok(findings.length > 0, `${name}: expected a violation for ${JSON.stringify(props)}`);
    assert.ok(findings.every((f) => f.rule === name), JSON.stringify(findings));
    const matches = (m: string) => (typeof field === "string" ? m.includes(field) : field.test(m));
    assert.ok(findings.some((f) => matches(f.message)), `${name}: no message names ${field}: ${JSON.stringify(findings)}`);
}

// ---- compliant props, as the platform builds them ----------------------------------------------

function eksClusterProps(): Props {
    return {
        name: "dev-ap-northeast-2",
        encryptionConfig: { provider: { keyArn: "arn:aws:kms:ap-northeast-2:123456789012:key/k" }, resources: ["secrets"] },
        enabledClusterLogTypes: [...EKS_LOG_TYPES],
        vpcConfig: { endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs: ["203.0.113.0/24"], subnetIds: ["subnet-a", "subnet-b"] },
    };
}

function launchTemplateProps(): Props {
    return {
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 50, volumeType: "gp3" } }],
    };
}

function container(overrides: Props = {}): Props {
    return {
        name: "web",
        image: "nginxinc/nginx-unprivileged:1.27.3-alpine",
        securityContext: {
            runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" },
        },
        ...overrides,
    };
}

/** `podSecurityContext` null: no pod-level securityContext. */
function deploymentProps(c: Props = container(), podSecurityContext: Props | null = { runAsNonRoot: true }): Props {
    return {
        apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "web" },
        spec: { template: { spec: { securityContext: podSecurityContext ?? undefined, containers: [c] } } },
    };
}

describe("policy pack (policy/)", () => {
    describe("the real stacks comply", () => {
        for (const stack of ["dev", "prod"] as const) {
            it(`every resource of the ${stack} stack passes every rule and every policy`, async () => {
                const { records } = await stackRun(stack);
                const seen = new Map<string, number>();
                for (const record of records) {
                    for (const r of RULES.filter((x) => x.resourceType === record.type)) {
                        seen.set(r.name, (seen.get(r.name) ?? 0) + 1);
                    }
                    assert.deepStrictEqual(checkResource(record.type, record.inputs), [], `${record.type} ${record.name}`);
                    for (const policy of policies) {
                        assert.deepStrictEqual(await runPolicy(policy, record.type, record.inputs), [], `${policy.name} on ${record.type} ${record.name}`);
                    }
                }
                // Every rule saw its resources, except the EKS cluster: pulumi-eks (a remote component)
                // registers aws:eks/cluster:Cluster itself, which the mocks never see.
                for (const r of RULES) {
                    if (r.resourceType === "aws:eks/cluster:Cluster") {
                        assert.strictEqual(seen.get(r.name) ?? 0, 0, "the mocks do register the EKS cluster now: drop this exception");
                        continue;
                    }
                    // EKS Auto Mode's objects exist only on Auto Mode stacks (sandbox, below).
                    if (r.resourceType.startsWith("kubernetes:eks.amazonaws.com/")) {
                        assert.strictEqual(seen.get(r.name) ?? 0, 0);
                        continue;
                    }
                    // dev runs on managed node groups only: no Karpenter node classes there.
                    if (stack === "dev" && r.name === "karpenter-node-class-hardening") {
                        assert.strictEqual(seen.get(r.name) ?? 0, 0);
                        continue;
                    }
                    assert.ok((seen.get(r.name) ?? 0) > 0, `${stack}: rule ${r.name} saw no ${r.resourceType}`);
                }
            });
        }

        it("the prod stack's EKS cluster settings, as the aws:eks/cluster:Cluster inputs, pass the cluster rule", async () => {
            // Hand-mapped from the eks:index:Cluster component's inputs onto the child cluster's input names.
            const { records } = await stackRun("prod");
            const clusters = records.filter((r) => r.type === "eks:index:Cluster");
            assert.ok(clusters.length > 0);
            for (const c of clusters) {
                const props = {
                    encryptionConfig: c.inputs.encryptionConfigKeyArn ? { resources: ["secrets"] } : undefined,
                    enabledClusterLogTypes: c.inputs.enabledClusterLogTypes,
                    vpcConfig: { endpointPublicAccess: c.inputs.endpointPublicAccess, publicAccessCidrs: c.inputs.publicAccessCidrs },
                };
                assert.deepStrictEqual(rule("eks-cluster-hardening").check(props), [], c.name);
            }
        });
    });

    describe("EKS Auto Mode (the sandbox stack, custom NodeClasses)", () => {
        it("every resource of the sandbox stack passes every rule", async () => {
            const { records } = await stackRun("sandbox");
            for (const record of records) assert.deepStrictEqual(checkResource(record.type, record.inputs), [], `${record.type} ${record.name}`);
            assert.ok(records.some((r) => r.type === rule("production-alb-logs-and-deletion-protection-auto-mode").resourceType));
        });

        it("auto-mode-node-class-hardening: passes the platform's NodeClass, names each weakened field", () => {
            const good = autoNodeClassObject({ name: "private", ephemeralStorageGiB: 80, networkPolicy: "DefaultAllow" },
                { nodeRoleName: "r", privateSubnetIds: ["subnet-a"], clusterSecurityGroupId: "sg-c", kmsKeyArn: "arn:aws:kms:r:1:key/k" });
            const props = (): Props => JSON.parse(JSON.stringify(good));
            assert.deepStrictEqual(checkResource(rule("auto-mode-node-class-hardening").resourceType, props()), []);
            const named = props(); named.metadata.name = "default";
            assertViolation("auto-mode-node-class-hardening", named, "must not be \"default\"");
            const noRole = props(); delete noRole.spec.role;
            assertViolation("auto-mode-node-class-hardening", noRole, "spec.role");
            const anySubnet = props(); anySubnet.spec.subnetSelectorTerms = [{ tags: { Name: "x" } }];
            assertViolation("auto-mode-node-class-hardening", anySubnet, "spec.subnetSelectorTerms[0]");
            const plain = props(); delete plain.spec.ephemeralStorage.kmsKeyID;
            assertViolation("auto-mode-node-class-hardening", plain, "kmsKeyID");
            const publicIp = props(); delete publicIp.spec.advancedNetworking;
            assertViolation("auto-mode-node-class-hardening", publicIp, "associatePublicIPAddress");
        });

        it("production Auto Mode ALB classes need access logs and deletion protection too", () => {
            const [c] = ingressClasses("prod");
            const props = { metadata: { name: c.name, labels: ingressClassParamsLabels(true) }, spec: autoModeIngressClassParamsSpec(c) };
            assertViolation("production-alb-logs-and-deletion-protection-auto-mode", props, "access logs");
            const ok = { ...props, spec: autoModeIngressClassParamsSpec(c, { logBucket: "b", deletionProtection: true }) };
            assert.deepStrictEqual(checkResource(rule("production-alb-logs-and-deletion-protection-auto-mode").resourceType, ok), []);
        });
    });

    describe("each rule reports a violation naming the field", () => {
        it("kms-key-rotation: enableKeyRotation off or missing", () => {
            assert.deepStrictEqual(rule("kms-key-rotation").check({ enableKeyRotation: true }), []);
            assertViolation("kms-key-rotation", { enableKeyRotation: false }, "enableKeyRotation");
            assertViolation("kms-key-rotation", { description: "no rotation set" }, "enableKeyRotation");
        });

        it("eks-cluster-hardening: compliant props pass, a private endpoint may list anything", () => {
            assert.deepStrictEqual(rule("eks-cluster-hardening").check(eksClusterProps()), []);
            const priv = eksClusterProps();
            priv.vpcConfig = { endpointPublicAccess: false, endpointPrivateAccess: true, publicAccessCidrs: ["0.0.0.0/0"] };
            assert.deepStrictEqual(rule("eks-cluster-hardening").check(priv), []);
        });

        it("eks-cluster-hardening: Secrets not KMS-encrypted", () => {
            const p = eksClusterProps();
            delete p.encryptionConfig;
            assertViolation("eks-cluster-hardening", p, "encryptionConfig.resources");
            assertViolation("eks-cluster-hardening", { ...eksClusterProps(), encryptionConfig: { provider: { keyArn: "k" }, resources: [] } }, "encryptionConfig.resources");
        });

        it("eks-cluster-hardening: a control-plane log type missing", () => {
            const p = { ...eksClusterProps(), enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager"] };
            assertViolation("eks-cluster-hardening", p, /enabledClusterLogTypes is missing scheduler/);
            assertViolation("eks-cluster-hardening", { ...eksClusterProps(), enabledClusterLogTypes: undefined }, "enabledClusterLogTypes");
        });

        it("eks-cluster-hardening: a public endpoint without an allow-list", () => {
            for (const cidrs of [[], undefined]) {
                const p = eksClusterProps();
                p.vpcConfig = { endpointPublicAccess: true, publicAccessCidrs: cidrs };
                assertViolation("eks-cluster-hardening", p, "vpcConfig.publicAccessCidrs");
            }
            // endpointPublicAccess unset means public (the AWS default)
            assertViolation("eks-cluster-hardening", { ...eksClusterProps(), vpcConfig: { publicAccessCidrs: [] } }, "vpcConfig.publicAccessCidrs");
            // An explicit 0.0.0.0/0 is the environment's call: the config validation forbids it in production.
            const open = eksClusterProps();
            open.vpcConfig = { endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] };
            assert.deepStrictEqual(rule("eks-cluster-hardening").check(open), []);
        });

        it("launch-template-imdsv2-encrypted-ebs: IMDSv1 allowed", () => {
            assert.deepStrictEqual(rule("launch-template-imdsv2-encrypted-ebs").check(launchTemplateProps()), []);
            const p = launchTemplateProps();
            p.metadataOptions.httpTokens = "optional";
            assertViolation("launch-template-imdsv2-encrypted-ebs", p, "metadataOptions.httpTokens");
            assertViolation("launch-template-imdsv2-encrypted-ebs", { ...launchTemplateProps(), metadataOptions: undefined }, "metadataOptions.httpTokens");
        });

        it("launch-template-imdsv2-encrypted-ebs: hop limit above 1", () => {
            const p = launchTemplateProps();
            p.metadataOptions.httpPutResponseHopLimit = 2;
            assertViolation("launch-template-imdsv2-encrypted-ebs", p, "metadataOptions.httpPutResponseHopLimit");
        });

        it("launch-template-imdsv2-encrypted-ebs: an unencrypted or undeclared EBS volume", () => {
            for (const encrypted of ["false", false, undefined]) {
                const p = launchTemplateProps();
                p.blockDeviceMappings[0].ebs.encrypted = encrypted;
                assertViolation("launch-template-imdsv2-encrypted-ebs", p, "blockDeviceMappings[0].ebs.encrypted");
            }
            assert.deepStrictEqual(rule("launch-template-imdsv2-encrypted-ebs").check({
                ...launchTemplateProps(), blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: true } }],
            }), []);
            assertViolation("launch-template-imdsv2-encrypted-ebs", { ...launchTemplateProps(), blockDeviceMappings: [] }, "blockDeviceMappings");
        });

        it("launch-template-imdsv2-encrypted-ebs: the root volume not declared (Bottlerocket with only its data volume)", () => {
            const dataOnly = { ...launchTemplateProps(), blockDeviceMappings: [{ deviceName: "/dev/xvdb", ebs: { encrypted: "true", volumeSize: 50 } }] };
            assertViolation("launch-template-imdsv2-encrypted-ebs", dataOnly, "declares no root volume (/dev/xvda");
            const both = { ...dataOnly, blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true" } }, ...dataOnly.blockDeviceMappings] };
            assert.deepStrictEqual(rule("launch-template-imdsv2-encrypted-ebs").check(both), []);
        });

        it("karpenter-node-class-hardening: the node class the platform builds passes; each weakening is named", () => {
            const R = "karpenter-node-class-hardening";
            const good = () => JSON.parse(JSON.stringify(nodeClassObject(nodeClassSchema.parse({ name: "default" }), { clusterName: "c", nodeRoleName: "r", tags: {} })));
            assert.deepStrictEqual(rule(R).check(good()), []);
            const cases: Array<[(o: any) => void, string]> = [
                [(o) => { o.spec.metadataOptions.httpTokens = "optional"; }, "spec.metadataOptions.httpTokens"],
                [(o) => { delete o.spec.metadataOptions; }, "spec.metadataOptions.httpTokens"],
                [(o) => { o.spec.metadataOptions.httpPutResponseHopLimit = 2; }, "spec.metadataOptions.httpPutResponseHopLimit"],
                [(o) => { o.spec.blockDeviceMappings[0].ebs.encrypted = false; }, "spec.blockDeviceMappings[0].ebs.encrypted"],
                [(o) => { o.spec.blockDeviceMappings = []; }, "must declare the root volume"],
                [(o) => { delete o.spec.associatePublicIPAddress; }, "spec.associatePublicIPAddress"],
                [(o) => { o.spec.subnetSelectorTerms = [{ tags: { "karpenter.sh/discovery": "c" } }]; }, "spec.subnetSelectorTerms[0]"],
                [(o) => { o.spec.subnetSelectorTerms = [{ id: "subnet-123" }]; }, "spec.subnetSelectorTerms[0]"],
                [(o) => { o.spec.amiSelectorTerms = [{ alias: "al2023@latest" }]; }, "spec.amiSelectorTerms[0].alias"],
            ];
            for (const [mutate, field] of cases) {
                const o = good();
                mutate(o);
                assertViolation(R, o, field);
            }
        });

        it("production-alb-logs-and-deletion-protection: production classes, internal too, log and are protected; others are not judged", () => {
            const R = "production-alb-logs-and-deletion-protection";
            const [pub, internal] = ingressClasses("prod");
            const params = (c: typeof pub, settings: { logBucket?: string; deletionProtection: boolean }, production = true) => JSON.parse(JSON.stringify({
                metadata: { name: c.name, labels: ingressClassParamsLabels(production) }, spec: ingressClassParamsSpec(c, "p", settings),
            }));
            for (const c of [pub, internal]) {
                assert.deepStrictEqual(rule(R).check(params(c, { logBucket: "b", deletionProtection: true })), [], c.name);
                assertViolation(R, params(c, { deletionProtection: true }), "access logs on");
                assertViolation(R, params(c, { logBucket: "b", deletionProtection: false }), "deletion_protection.enabled");
                assert.deepStrictEqual(rule(R).check(params(c, { deletionProtection: false }, false)), [], "not production: not judged");
            }
            const noAttrs = params(internal, { logBucket: "b", deletionProtection: true });
            delete noAttrs.spec.loadBalancerAttributes;
            assert.strictEqual(rule(R).check(noAttrs).length, 2);
        });

        it("node-group-no-remote-access: SSH access configured", () => {
            assert.deepStrictEqual(rule("node-group-no-remote-access").check({ clusterName: "c", nodeRoleArn: "r" }), []);
            assertViolation("node-group-no-remote-access", { clusterName: "c", remoteAccess: { ec2SshKey: "ops" } }, "remoteAccess");
        });

        it("subnet-no-public-ip-on-launch: public IPs mapped on launch", () => {
            assert.deepStrictEqual(rule("subnet-no-public-ip-on-launch").check({ cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: false }), []);
            assert.deepStrictEqual(rule("subnet-no-public-ip-on-launch").check({ cidrBlock: "10.0.0.0/24" }), []);
            assertViolation("subnet-no-public-ip-on-launch", { cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: true }, "mapPublicIpOnLaunch");
        });

        it("deployment-restricted-containers: compliant, and runAsNonRoot may come from the pod", () => {
            const r = rule("deployment-restricted-containers");
            assert.deepStrictEqual(r.check(deploymentProps()), []);
            const c = container();
            delete c.securityContext.runAsNonRoot;
            assert.deepStrictEqual(r.check(deploymentProps(c)), []);
            assertViolation("deployment-restricted-containers", deploymentProps(c, null), "securityContext.runAsNonRoot");
        });

        it("deployment-restricted-containers: each missing security setting", () => {
            const cases: Array<[Props, string]> = [
                [{ runAsNonRoot: false }, "securityContext.runAsNonRoot"],
                [{ allowPrivilegeEscalation: true }, "securityContext.allowPrivilegeEscalation"],
                [{ allowPrivilegeEscalation: undefined }, "securityContext.allowPrivilegeEscalation"],
                [{ capabilities: { drop: ["NET_RAW"] } }, "securityContext.capabilities.drop"],
                [{ capabilities: undefined }, "securityContext.capabilities.drop"],
                [{ readOnlyRootFilesystem: false }, "securityContext.readOnlyRootFilesystem"],
            ];
            for (const [change, field] of cases) {
                const base = container();
                const c = { ...base, securityContext: { ...base.securityContext, ...change } };
                assertViolation("deployment-restricted-containers", deploymentProps(c), `spec.template.spec.containers[0] (web): ${field}`);
            }
            assertViolation("deployment-restricted-containers", deploymentProps(container({ securityContext: undefined }), null), "securityContext.runAsNonRoot");
        });

        it("deployment-restricted-containers: images without a tag, with latest, and init containers", () => {
            for (const image of ["nginx", "nginx:latest", "registry.example.com:5000/team/app", "ghcr.io/x/app:latest", ""]) {
                assertViolation("deployment-restricted-containers", deploymentProps(container({ image })), /containers\[0\] \(web\): image/);
            }
            const digest = `ghcr.io/x/app@sha256:${"a".repeat(64)}`;
            for (const image of [digest, "registry.example.com:5000/team/app:1.2.3", "nginx:1.27"]) {
                assert.strictEqual(imageProblem(image), undefined, image);
            }
            const p = deploymentProps();
            p.spec.template.spec.initContainers = [container({ name: "migrate", image: "migrate:latest" })];
            assertViolation("deployment-restricted-containers", p, "spec.template.spec.initContainers[0] (migrate): image");
        });

        it("rules skip other resource types", () => {
            assert.deepStrictEqual(checkResource("aws:ec2/vpc:Vpc", { mapPublicIpOnLaunch: true, enableKeyRotation: false }), []);
        });
    });

    describe("policies and the pack", () => {
        it("one mandatory policy per rule, with a name and description, reporting the rule's messages for its type only", async () => {
            assert.deepStrictEqual(policies.map((p) => p.name), RULES.map((r) => r.name));
            assert.strictEqual(new Set(policies.map((p) => p.name)).size, policies.length);
            for (const p of policies) {
                assert.strictEqual(p.enforcementLevel, "mandatory", p.name);
                assert.ok(p.description && p.description.length > 20, p.name);
                assert.match(p.name, /^[a-z0-9-]+$/);
            }
            const kms = policies.find((p) => p.name === "kms-key-rotation")!;
            assert.deepStrictEqual(await runPolicy(kms, "aws:kms/key:Key", { enableKeyRotation: false }), ["enableKeyRotation must be true (got false)"]);
            assert.deepStrictEqual(await runPolicy(kms, "aws:ec2/subnet:Subnet", { enableKeyRotation: false }), []);
        });

        it("policy/index.ts builds PolicyPack \"eks-platform\" with every policy (server start stubbed)", () => {
            // PolicyPack's constructor reads ./package.json's version from the working directory and
            // starts the analyzer's gRPC server through server.serve; capture that call instead.
            // eslint-disable-next-line @typescript-eslint/no-var-requires
            const server = require("@pulumi/policy/server");
            const original = server.serve;
            const calls: Array<{ name: string; level: string; args: PolicyPackArgs }> = [];
            server.serve = (name: string, _version: string, level: string, args: PolicyPackArgs) => { calls.push({ name, level, args }); };
            const entry = require.resolve(path.join(__dirname, "..", "..", "policy", "index.ts"));
            try {
                delete require.cache[entry];
                require(entry);
            } finally {
                server.serve = original;
                delete require.cache[entry];
            }
            assert.strictEqual(calls.length, 1);
            assert.strictEqual(calls[0].name, "eks-platform");
            assert.deepStrictEqual(calls[0].args.policies, [...policies, ...stackPolicies]);
            assert.deepStrictEqual(calls[0].args.policies.map((p) => p.name), [...RULES, ...STACK_RULES].map((r) => r.name));
        });
    });
});

describe("policy pack wiring (layout, CI, docs)", () => {
    const ROOT = path.join(__dirname, "..", "..");
    const read = (...p: string[]) => fs.readFileSync(path.join(ROOT, ...p), "utf8");

    it("policy/ is a local Node.js pack that runs on the root install", () => {
        assert.strictEqual(parse(read("policy", "PulumiPolicy.yaml")).runtime, "nodejs");
        const pkg = JSON.parse(read("policy", "package.json"));
        assert.match(pkg.version, /^\d+\.\d+\.\d+/, "PolicyPack reads the version from the pack's package.json");
        assert.strictEqual(pkg.main, "index.ts");
        assert.strictEqual(pkg.dependencies, undefined, "dependencies come from the root package.json");
        const root = JSON.parse(read("package.json"));
        assert.ok(root.dependencies["@pulumi/policy"], "root package.json depends on @pulumi/policy");
        assert.strictEqual(require.resolve("@pulumi/policy", { paths: [path.join(ROOT, "policy")] }),
            require.resolve("@pulumi/policy"), "policy/ resolves @pulumi/policy from the root node_modules");
    });

    it("CI previews and rolls out with --policy-pack policy", () => {
        const workflow = parse(read(".github", "workflows", "platform.yml"));
        for (const job of ["preview", "rollout-dev", "rollout-prod"]) {
            const runs = workflow.jobs[job].steps.map((s: any) => s.run ?? "").filter((r: string) => r.includes("npm run rollout"));
            assert.strictEqual(runs.length, 1, job);
            assert.match(runs[0], /--policy-pack policy(\s|$)/, job);
        }
    });

    it("docs/policy.md documents every policy and how to run the pack", () => {
        const doc = read("docs", "policy.md");
        for (const r of RULES) {
            assert.ok(doc.includes(`| \`${r.name}\` | \`${r.resourceType}\``), `docs/policy.md row for ${r.name}`);
        }
        assert.ok(doc.includes("pulumi preview --stack dev --policy-pack policy"));
        assert.ok(doc.includes("npm run rollout -- --stack <stack> --preview --policy-pack policy"));
    });
});
