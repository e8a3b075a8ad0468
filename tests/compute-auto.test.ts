/**
 * Compute mode `auto` (EKS Auto Mode): the config it accepts and refuses, what it contributes to the
 * cluster and owns, its objects, and the sandbox stack that uses it (one shared program run).
 */
import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import { COMPUTE_MODES, computeCapabilities } from "../components/compute";
import { AutoMode } from "../components/compute/auto/auto-mode";
import {
    AUTO_MODE_CLUSTER_POLICIES, AUTO_MODE_NODE_POLICIES, AUTO_MODE_OWNED_ADDONS, AUTO_NODE_ACCESS_POLICY,
    autoModeCapabilities, autoNodeClassObject, autoNodePoolObject, nodeStorageKeyPolicy,
} from "../components/compute/auto/settings";
import { ADDONS } from "../components/addons-plan";
import { annotationsFor } from "../components/ingress-settings";
import { autoModeSchema } from "../stacks/auto-mode-schema";
import { parsePlatformConfig } from "../stacks/config";
import { PRICE_TABLE, priceKey } from "../facts/prices";
import { stackFileConfig } from "./support/stack-files";
import { REGION, T, json, ofType, one, runComponent, stackRun, validAutoRaw, validRaw } from "./support/fixtures";
import { rejectedIssues } from "./support/config-issues";
import { stackPlan } from "./plan/helpers";
import { allChecks } from "../tools/plan/plan";
import { crdValidator } from "../tools/plan/crd-schemas";

const parse = (raw: Record<string, any>) => parsePlatformConfig(raw, "x");

const issuesOf = (raw: Record<string, any>) => rejectedIssues(() => parse(raw));

const POOL = { name: "apps", nodeClass: "private", limits: { cpu: 64, memoryGiB: 256 } };

describe("compute mode auto (EKS Auto Mode)", () => {
    describe("config", () => {
        it("selects Auto Mode with the built-in pools by default, and needs no node groups", () => {
            const c = parse(validAutoRaw());
            const compute = c.regions[0].compute;
            assert.strictEqual(compute.mode, "auto");
            assert.deepStrictEqual(compute.mode === "auto" && compute.autoMode.builtInNodePools, ["system", "general-purpose"]);
            assert.deepStrictEqual(c.regions[0].nodeGroups, []);
        });

        it("still requires node groups where a region is not on Auto Mode", () => {
            const { nodeGroups: _none, ...raw } = validRaw();
            assert.deepStrictEqual(issuesOf(raw).filter((i) => i.key === "eks-platform:nodeGroups").map((i) => i.message), ["is required (a list) unless every region's computeMode is \"auto\""]);
            const mixed = validAutoRaw();
            mixed.regions.push({ region: "ap-northeast-1", vpcCidr: "10.21.0.0/16", overrides: { computeMode: "managed-node-groups" } });
            assert.ok(issuesOf(mixed).some((i) => i.key === "eks-platform:nodeGroups" && /is required/.test(i.message)));
        });

        const CASES: Array<{ title: string; mutate: (r: Record<string, any>) => void; key: string; allowed: RegExp }> = [
            { title: "node groups", mutate: (r) => { r.nodeGroups = validRaw().nodeGroups; }, key: "eks-platform:nodeGroups", allowed: /make no sense with computeMode "auto"/ },
            {
                title: "a region's own node groups",
                mutate: (r) => { r.regions[0].overrides = { nodeGroups: validRaw().nodeGroups }; },
                key: "eks-platform:regions[0].overrides.nodeGroups", allowed: /make no sense with computeMode "auto"/,
            },
            { title: "Karpenter settings", mutate: (r) => { r.karpenter = {}; }, key: "eks-platform:karpenter", allowed: /make no sense with computeMode "auto".*autoMode\.nodePools/ },
            {
                title: "a NodeClass named default",
                mutate: (r) => { r.autoMode = { nodeClasses: [{ name: "default" }] }; },
                key: "eks-platform:autoMode.nodeClasses[0].name", allowed: /built-in NodeClass's name/,
            },
            {
                title: "no built-in pool and no custom pool",
                mutate: (r) => { r.autoMode = { builtInNodePools: [] }; },
                key: "eks-platform:autoMode.builtInNodePools", allowed: /no capacity for system pods/,
            },
            {
                title: "a Windows requirement",
                mutate: (r) => { r.autoMode = { nodePools: [{ ...POOL, nodeClass: "default", labels: { "kubernetes.io/os": "windows" } }] }; },
                key: "eks-platform:autoMode.nodePools[0].labels.kubernetes.io/os", allowed: /Linux nodes only/,
            },
            {
                title: "a pool on the built-in class when there are no built-in pools",
                mutate: (r) => { r.autoMode = { builtInNodePools: [], nodePools: [{ ...POOL, nodeClass: "default" }] }; },
                key: "eks-platform:autoMode.nodePools[0].nodeClass", allowed: /exists only with built-in pools/,
            },
            {
                title: "a node lifetime past 21 days",
                mutate: (r) => { r.autoMode = { nodePools: [{ ...POOL, nodeClass: "default", expireAfter: "720h" }] }; },
                key: "eks-platform:autoMode.nodePools[0].expireAfter", allowed: /maximum node lifetime of 21 days/,
            },
            { title: "a Kubernetes version below Auto Mode's minimum", mutate: (r) => { r.kubernetesVersion = "1.28"; }, key: "eks-platform:kubernetesVersion", allowed: /needs Kubernetes 1\.29 or later/ },
            {
                title: "a region without Auto Mode",
                mutate: (r) => { r.regions[0] = { region: "mx-central-1", vpcCidr: "10.20.0.0/16", azCount: 2 }; },
                key: "eks-platform:regions[0].region", allowed: /not offered in mx-central-1/,
            },
            { title: "Fargate profiles", mutate: (r) => { r.fargateProfiles = [{ name: "batch", selectors: [{ namespace: "batch" }] }]; }, key: "eks-platform:fargateProfiles", allowed: /not registered in computeMode "auto"/ },
            {
                title: "autoMode settings no region uses",
                mutate: (r) => { r.computeMode = "managed-node-groups"; r.nodeGroups = validRaw().nodeGroups; r.autoMode = {}; },
                key: "eks-platform:autoMode", allowed: /has no effect/,
            },
        ];
        for (const c of CASES) {
            it(`refuses ${c.title} at its key`, () => {
                const raw = validAutoRaw();
                c.mutate(raw);
                const issues = issuesOf(raw);
                assert.ok(issues.some((i) => i.key === c.key && c.allowed.test(i.message)), JSON.stringify(issues, null, 1));
            });
        }

        it("accepts custom pools on custom classes, with Auto Mode's node lifetime by default", () => {
            const raw = validAutoRaw();
            raw.autoMode = { builtInNodePools: [], nodeClasses: [{ name: "private" }], nodePools: [POOL] };
            const compute = parse(raw).regions[0].compute;
            assert.ok(compute.mode === "auto");
            assert.strictEqual(compute.autoMode.nodePools[0].expireAfter, "336h");
            assert.strictEqual(compute.autoMode.nodeClasses[0].ephemeralStorageGiB, 80);
        });
    });

    describe("capabilities", () => {
        it("is registered beside the other two modes under the name a config selects", () => {
            assert.strictEqual(COMPUTE_MODES.auto.name, "auto");
            assert.strictEqual(computeCapabilities({ mode: "managed-node-groups" }).cluster.autoMode, undefined);
            assert.strictEqual(computeCapabilities({ mode: "managed-node-groups" }).loadBalancing, "aws-load-balancer-controller");
        });

        it("turns Auto Mode on with the configured pools and owns every add-on AWS calls redundant, not metrics-server", () => {
            const caps = autoModeCapabilities(autoModeSchema.parse({ builtInNodePools: ["system"] }));
            assert.deepStrictEqual(caps.cluster, { autoMode: { builtInNodePools: ["system"] } });
            assert.deepStrictEqual([...caps.ownedAddons].sort(),
                ["aws-ebs-csi-driver", "coredns", "eks-node-monitoring-agent", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
            assert.deepStrictEqual(ADDONS.map((a) => a.name).filter((n) => !(AUTO_MODE_OWNED_ADDONS as readonly string[]).includes(n)), ["metrics-server"]);
            assert.deepStrictEqual(caps.ownedControllers, ["aws-load-balancer-controller", "karpenter"]);
            assert.strictEqual(caps.loadBalancing, "eks-auto-mode");
            assert.strictEqual(caps.storageProvisioner, "ebs.csi.eks.amazonaws.com");
        });
    });

    describe("objects", () => {
        it("hardens a custom NodeClass: private subnets by ID, the cluster SG, encrypted storage with the key, no public IP", () => {
            const o = autoNodeClassObject({ name: "private", ephemeralStorageGiB: 100, networkPolicy: "DefaultDeny" },
                { nodeRoleName: "node-role", privateSubnetIds: ["subnet-a", "subnet-b"], clusterSecurityGroupId: "sg-c", kmsKeyArn: "arn:aws:kms:r:1:key/k" });
            assert.strictEqual(o.apiVersion, "eks.amazonaws.com/v1");
            assert.strictEqual(o.kind, "NodeClass");
            assert.deepStrictEqual(o.spec, {
                role: "node-role",
                subnetSelectorTerms: [{ id: "subnet-a" }, { id: "subnet-b" }],
                securityGroupSelectorTerms: [{ id: "sg-c" }],
                snatPolicy: "Random",
                networkPolicy: "DefaultDeny",
                networkPolicyEventLogs: "Disabled",
                ephemeralStorage: { size: "100Gi", kmsKeyID: "arn:aws:kms:r:1:key/k" },
                advancedNetworking: { associatePublicIPAddress: false },
            });
        });

        it("renders the Karpenter pool config with Auto Mode's labels and NodeClass, and no OS requirement", () => {
            const spec = autoModeSchema.parse({ nodePools: [{ ...POOL, instanceFamilies: ["m7i"], zones: [`${REGION}a`, "ap-northeast-1a"] }] }).nodePools[0];
            const o = autoNodePoolObject(spec, REGION) as any;
            assert.deepStrictEqual(o.spec.template.spec.nodeClassRef, { group: "eks.amazonaws.com", kind: "NodeClass", name: "private" });
            const keys = o.spec.template.spec.requirements.map((r: any) => r.key);
            assert.ok(keys.includes("eks.amazonaws.com/instance-category") && keys.includes("eks.amazonaws.com/instance-family"));
            assert.ok(!keys.some((k: string) => k.startsWith("karpenter.k8s.aws/") || k === "kubernetes.io/os"), keys.join(", "));
            assert.deepStrictEqual(o.spec.template.spec.requirements.find((r: any) => r.key === "topology.kubernetes.io/zone").values, [`${REGION}a`]);
            assert.strictEqual(o.spec.template.spec.expireAfter, "336h");
        });

        it("grants the cluster role the storage key for EBS only, and grants only for AWS resources", () => {
            const doc = nodeStorageKeyPolicy({ partition: "aws", accountId: "123456789012", region: REGION, clusterRoleArn: "arn:aws:iam::123456789012:role/c" });
            const use = doc.Statement.find((s) => s.Sid === "ClusterRoleEncryptsNodeVolumes") as any;
            assert.deepStrictEqual(use.Condition.StringEquals["kms:ViaService"], `ec2.${REGION}.amazonaws.com`);
            const grant = doc.Statement.find((s) => s.Sid === "ClusterRoleGrantsForVolumes") as any;
            assert.deepStrictEqual(grant.Condition, { Bool: { "kms:GrantIsForAWSResource": "true" } });
        });

        it("refuses an Ingress annotation Auto Mode does not support, and passes the platform's own", () => {
            const own = { "alb.ingress.kubernetes.io/scheme": "internet-facing", "alb.ingress.kubernetes.io/ssl-policy": "p", "alb.ingress.kubernetes.io/listen-ports": "[]" };
            assert.deepStrictEqual(annotationsFor("eks-auto-mode", "web", own), own);
            assert.throws(() => annotationsFor("eks-auto-mode", "web", { "alb.ingress.kubernetes.io/group.name": "g" }), /app web: .*group\.name is not supported by EKS Auto Mode; use the IngressClassParams group/);
            assert.throws(() => annotationsFor("eks-auto-mode", "web", { "alb.ingress.kubernetes.io/auth-type": "oidc" }), /OIDC/);
            assert.deepStrictEqual(annotationsFor("aws-load-balancer-controller", "web", { "alb.ingress.kubernetes.io/group.name": "g" }), { "alb.ingress.kubernetes.io/group.name": "g" });
        });
    });

    describe("custom pools (component)", () => {
        it("registers the key with its grant, the EC2 access entry with AmazonEKSAutoNodePolicy, the classes and the pools", async () => {
            const spec = autoModeSchema.parse({ builtInNodePools: [], nodeClasses: [{ name: "private" }], nodePools: [POOL] });
            const run = await runComponent((provider) => {
                const kubernetesProvider = new k8s.Provider("test-k8s", { kubeconfig: "{}" });
                new AutoMode("r-auto", {
                    provider, kubernetesProvider, region: REGION, clusterName: "c", kubernetesVersion: "1.36",
                    clusterArn: "arn:aws:eks:ap-northeast-2:123456789012:cluster/c", clusterEndpoint: "https://c.example", clusterSecurityGroupId: "sg-c",
                    clusterRoleArn: "arn:aws:iam::123456789012:role/cluster", modeNodeRole: { name: "auto-node", arn: "arn:aws:iam::123456789012:role/auto-node" },
                    privateSubnetIds: ["subnet-a", "subnet-b"], nodeGroups: [],
                }, spec);
                return {};
            });
            const entry = one(run.records, "aws:eks/accessEntry:AccessEntry", "r-auto-node-access");
            assert.strictEqual(entry.inputs.type, "EC2");
            const assoc = one(run.records, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation", "r-auto-node-access-policy");
            assert.strictEqual(assoc.inputs.policyArn, AUTO_NODE_ACCESS_POLICY);
            const key = one(run.records, T.kmsKey, "r-auto-node-storage-key");
            assert.ok(json(key.inputs.policy).Statement.some((s: any) => s.Principal?.AWS === "arn:aws:iam::123456789012:role/cluster"));
            const cls = one(run.records, "kubernetes:eks.amazonaws.com/v1:NodeClass", "r-auto-class-private");
            assert.strictEqual(cls.inputs.spec.role, "auto-node");
            assert.strictEqual(cls.inputs.spec.ephemeralStorage.kmsKeyID, key.state.arn, "encrypted with the node-storage key");
            const pool = one(run.records, "kubernetes:karpenter.sh/v1:NodePool", "r-auto-pool-apps");
            assert.ok(pool.dependsOn.includes(cls.key), pool.dependsOn.join(", "));
            assert.strictEqual(one(run.records, "kubernetes:core/v1:ConfigMapPatch", "r-auto-network-policy").inputs.data["enable-network-policy-controller"], "true");
        });

        it("leaves the access entry to EKS when built-in pools exist (one entry per principal)", async () => {
            const spec = autoModeSchema.parse({ nodeClasses: [{ name: "private" }], nodePools: [POOL] });
            const run = await runComponent((provider) => {
                const kubernetesProvider = new k8s.Provider("test-k8s", { kubeconfig: "{}" });
                new AutoMode("r-auto", {
                    provider, kubernetesProvider, region: REGION, clusterName: "c", kubernetesVersion: "1.36",
                    clusterArn: "a", clusterEndpoint: "e", clusterSecurityGroupId: "sg", clusterRoleArn: "arn:aws:iam::123456789012:role/cluster",
                    modeNodeRole: { name: "n", arn: "arn:aws:iam::123456789012:role/n" }, privateSubnetIds: ["s"], nodeGroups: [],
                }, spec);
                return {};
            });
            assert.deepStrictEqual(ofType(run.records, "aws:eks/accessEntry:AccessEntry"), []);
        });
    });

    describe("the sandbox stack (Pulumi.sandbox.yaml)", function () {
        this.timeout(60000);

        it("turns compute, block storage and load balancing on through the eks component, with the platform's node role and the built-in pools", async () => {
            const { records } = await stackRun("sandbox");
            const eks = ofType(records, T.eksCluster)[0];
            assert.strictEqual(eks.inputs.autoMode.enabled, true);
            assert.strictEqual(eks.inputs.autoMode.createNodeRole, false);
            assert.deepStrictEqual(eks.inputs.autoMode.computeConfig.nodePools, ["system", "general-purpose"]);
            assert.strictEqual(eks.inputs.autoMode.computeConfig.nodeRoleArn, one(records, T.role, "sandbox-ap-northeast-2-cluster-node-role").state.arn,
                "the built-in pools launch with the platform's node role");
            assert.strictEqual(eks.inputs.authenticationMode, "API", "Auto Mode needs access entries");
            assert.strictEqual(eks.inputs.corednsAddonOptions.enabled, false, "pulumi-eks would add CoreDNS under Auto Mode otherwise");
        });

        it("gives its own cluster role Auto Mode's policies and sts:TagSession, and a node role within IAM's limits", async () => {
            const { records } = await stackRun("sandbox");
            const role = ofType(records, T.role).find((r) => r.name.endsWith("-cluster-role"))!;
            assert.deepStrictEqual(json(role.inputs.assumeRolePolicy).Statement[0].Action, ["sts:AssumeRole", "sts:TagSession"]);
            const attached = ofType(records, T.attachment).filter((a) => a.inputs.role === role.name).map((a) => a.inputs.policyArn);
            for (const p of AUTO_MODE_CLUSTER_POLICIES) assert.ok(attached.includes(p), p);
            const node = one(records, T.role, "sandbox-ap-northeast-2-cluster-node-role");
            assert.deepStrictEqual(ofType(records, T.attachment).filter((a) => a.inputs.role === node.name).map((a) => a.inputs.policyArn).sort(), [...AUTO_MODE_NODE_POLICIES].sort());
            assert.ok(node.name.length + 8 <= 64, "auto-named within IAM's 64 characters");
        });

        it("registers none of the add-ons and controllers Auto Mode runs itself: only metrics-server, no Helm release, no node group", async () => {
            const { records } = await stackRun("sandbox");
            assert.deepStrictEqual(ofType(records, T.addon).map((a) => a.inputs.addonName), ["metrics-server"]);
            assert.deepStrictEqual(ofType(records, "kubernetes:helm.sh/v3:Release"), [], "no load balancer controller, no Karpenter");
            assert.deepStrictEqual(ofType(records, T.nodeGroup), []);
            assert.deepStrictEqual(ofType(records, "aws:eks/podIdentityAssociation:PodIdentityAssociation"), []);
        });

        it("keeps the apps: IngressClasses on Auto Mode's controller, params without a TLS field, a gp3 class on Auto Mode's provisioner", async () => {
            const { records } = await stackRun("sandbox");
            const cls = ofType(records, "kubernetes:networking.k8s.io/v1:IngressClass");
            assert.deepStrictEqual(cls.map((c) => c.inputs.spec.controller), ["eks.amazonaws.com/alb", "eks.amazonaws.com/alb"]);
            assert.deepStrictEqual(cls.find((c) => c.inputs.metadata.name === "alb")!.inputs.spec.parameters, { apiGroup: "eks.amazonaws.com", kind: "IngressClassParams", name: "alb" });
            const params = ofType(records, "kubernetes:eks.amazonaws.com/v1:IngressClassParams");
            assert.deepStrictEqual(params.map((p) => [p.inputs.spec.scheme, p.inputs.spec.group.name]).sort(), [["internal", "sandbox-internal"], ["internet-facing", "sandbox-public"]]);
            assert.ok(params.every((p) => p.inputs.spec.sslPolicy === undefined));
            const sc = ofType(records, "kubernetes:storage.k8s.io/v1:StorageClass");
            assert.deepStrictEqual(sc.map((s) => [s.inputs.provisioner, s.inputs.parameters]), [["ebs.csi.eks.amazonaws.com", { type: "gp3", encrypted: "true" }]]);
            assert.ok(ofType(records, "kubernetes:core/v1:ConfigMapPatch").some((c) => c.inputs.metadata.name === "amazon-vpc-cni"));
        });
    });
    describe("the sandbox plan (npm run plan -- sandbox, offline)", function () {
        this.timeout(60000);

        it("plans, and every Kubernetes object passes its schema check (Auto Mode's params against the schema written from the docs)", async () => {
            const { result } = await stackPlan("sandbox");
            assert.strictEqual(result.status, "planned", result.error);
            const checks = allChecks(result.model!);
            // The network policy ConfigMap is a server-side apply patch: partial by design, which the plan never checks.
            assert.deepStrictEqual(checks.filter((c) => c.status !== "valid").map((c) => `${c.kind} ${c.name}: ${c.status}`), ["ConfigMap amazon-vpc-cni: not-checked"]);
            assert.ok(checks.some((c) => c.kind === "IngressClassParams"), "the params were checked, not skipped");
        });

        it("shows the mode, the built-in pools, the NodeClasses and what AWS runs; the diagram draws Auto Mode managing the ALB", async () => {
            const { result } = await stackPlan("sandbox");
            const d = result.model!.regions[0].decisions;
            assert.strictEqual(d.compute.mode, "auto");
            assert.deepStrictEqual(d.compute.autoMode!.builtInNodePools, ["system", "general-purpose"]);
            assert.ok(d.compute.autoMode!.awsRuns.includes("aws-load-balancer-controller") && d.compute.autoMode!.awsRuns.includes("coredns"));
            assert.match(result.text, /Compute: auto \(EKS Auto Mode: AWS launches every node\)/);
            assert.match(result.text, /AWS runs \(not registered here\): vpc-cni, kube-proxy, coredns/);
            assert.match(result.files["architecture.md"], /EKS Auto Mode \(run by AWS\)/);
            assert.match(result.files["architecture.md"], /r0_auto -\.->\|"manages"\| r0_alb0/);
        });

        it("upgrades: the control plane, then AWS moves the nodes itself (labelled, no duration invented), and no add-on of AWS's", async () => {
            const { result } = await stackPlan("sandbox");
            const u = result.timeline!.upgrade[0];
            const auto = u.steps.find((x) => x.what === "EKS Auto Mode nodes")!;
            assert.ok(auto, u.steps.map((x) => x.what).join(", "));
            assert.strictEqual(auto.end - auto.start, 0);
            assert.match(auto.note!, /AWS replaces Auto Mode nodes itself.*not modelled/);
            assert.deepStrictEqual(u.steps.filter((x) => x.what.startsWith("add-on")).map((x) => x.what), ["add-on metrics-server"]);
        });

        it("prices the control plane, Auto Mode's EC2, NAT, public addresses, the ALB, KMS and log storage from the price table, and lists Auto Mode's fee as unpriced, never guessed", async () => {
            const { result } = await stackPlan("sandbox");
            // The expectation from Pulumi.sandbox.yaml, the default usage assumptions and facts/data/prices.json.
            const c = stackFileConfig("sandbox");
            const [r] = c.regions;
            const a = c.cost.assumptions;
            const h = PRICE_TABLE.hoursPerMonth;
            const usd = (item: string) => {
                const e = PRICE_TABLE.entries.find((x) => x.key === priceKey(item, r.region)) ?? PRICE_TABLE.entries.find((x) => x.key === priceKey(item, "*"));
                assert.ok(e, `the price table has ${item} for ${r.region}`);
                return e!.value.usd;
            };
            assert.deepStrictEqual([c.regions.length, r.network.natGateways, c.apps.map((x) => x.scheme)], [1, "single", ["internet-facing"]], "what the lines below count");
            const expected: Array<[string, string, number]> = [
                ["EKS control plane", "eks.cluster.standard", h], // one cluster on a version in standard support
                ["EKS Auto Mode", `ec2.${a.autoModeInstanceType}`, a.autoModeAverageNodes * h],
                ["NAT gateways (hours)", "nat.hour", h], // natGateways: single
                ["ALB (hours)", "alb.hour", h], // the one internet-facing app's ALB
                ["Public IPv4 addresses", "vpc.publicIpv4", r.azCount * h], // the ALB's address in each public subnet
                ["Public IPv4 addresses", "vpc.publicIpv4", h], // the NAT gateway's Elastic IP
                ["KMS", "kms.key", 1],
                ["KMS", "kms.requests", a.kmsRequestsPerKeyPerMonth / 10_000],
                ["CloudWatch Logs storage", "logs.storage", Math.round(((a.controlPlaneLogGbPerMonth * r.cluster.logRetentionDays) / 30.4) * 100) / 100],
            ];
            const cents = (n: number) => Math.round(n * 100) / 100;
            const lines = result.cost!.regions[0].lines;
            const priced = lines.filter((l) => l.missing === undefined);
            assert.deepStrictEqual(priced.map((l) => [l.driver, l.item, l.quantity, l.unitUsd, l.monthlyUsd]).sort(),
                expected.map(([driver, item, q]) => [driver, item, q, usd(item), cents(q * usd(item))]).sort());
            const total = cents(expected.reduce((sum, [, item, q]) => sum + cents(q * usd(item)), 0));
            assert.strictEqual(result.cost!.regions[0].monthlyUsd, total);
            assert.match(result.text, new RegExp(`${r.region}: \\$${total.toFixed(2).replace(".", "\\.")}\n    EKS control plane +\\$${cents(h * usd("eks.cluster.standard")).toFixed(2).replace(".", "\\.")}\n`));
            // Unpriced: Auto Mode's management fee (the table has no price for it), and the usage-priced items.
            assert.deepStrictEqual(lines.filter((l) => l.missing !== undefined).map((l) => l.item),
                [`eks.autoMode.${a.autoModeInstanceType}`, "nat.gb", "alb.lcu", "logs.ingest"]);
            assert.match(result.text, /no price: eks\.autoMode\.m6i\.large/);
        });

        it("renders custom NodeClasses and NodePools that pass the schemas the plan checks", () => {
            const cls = autoNodeClassObject({ name: "private", ephemeralStorageGiB: 80, networkPolicy: "DefaultAllow" },
                { nodeRoleName: "r", privateSubnetIds: ["subnet-0a1"], clusterSecurityGroupId: "sg-0c1", kmsKeyArn: "arn:aws:kms:r:1:key/k" });
            const pool = autoNodePoolObject(autoModeSchema.parse({ nodePools: [POOL] }).nodePools[0], REGION);
            for (const o of [cls, pool]) {
                const validate = crdValidator(o.apiVersion, o.kind);
                assert.ok(validate, `${o.apiVersion} ${o.kind} has a schema`);
                assert.ok(validate!({ ...o, metadata: { name: o.metadata.name } }), JSON.stringify(validate!.errors));
            }
            const validate = crdValidator("eks.amazonaws.com/v1", "NodeClass")!;
            const { role: _none, ...noRole } = cls.spec;
            assert.ok(!validate({ ...cls, spec: noRole }), "a NodeClass without a role fails the schema");
        });
    });
});
