/**
 * Compute mode `karpenter`: its config and validation, the objects it builds (EC2NodeClass, NodePool,
 * Helm values, IAM and SQS documents), and what a region on Karpenter registers, in which order.
 */
import { PINNED_ADDONS } from "../facts/addon-versions";
import * as assert from "assert";
import { AMI_RELEASE } from "../facts/ami-releases";
import { KARPENTER } from "../facts/karpenter";
import { INTERRUPTION_RULES, controllerPolicies, queuePolicy } from "../components/compute/karpenter/policies";
import {
    controllerValues, discoveryTags, nodeClassObject, nodeClassTags, nodePoolObject,
} from "../components/compute/karpenter/settings";
import { MANAGED_POLICY } from "../components/iam-policies";
import { parsePlatformConfig } from "../stacks/config";
import { AWS_REGIONS } from "../stacks/schema";
import { ConfigError, showValue } from "../stacks/errors";
import { familyArchitecture, karpenterSchema, nodeClassSchema, nodePoolSchema } from "../stacks/karpenter-schema";
import { MOCK_ACCOUNT_ID } from "../tools/harness/outputs";
import { checkObject } from "../tools/plan/validate-manifests";
import type { ResourceRecord } from "../tools/harness/records";
import {
    T, attachedPolicies, cliConfig, json, ofType, one, runProgramKeepingRecords, stackRun, validKarpenterRaw, validRaw,
} from "./support/fixtures";
import { rejectedIssues } from "./support/config-issues";

const K = {
    component: "eks-platform:index:Karpenter",
    release: "kubernetes:helm.sh/v3:Release",
    nodePool: "kubernetes:karpenter.sh/v1:NodePool",
    nodeClass: "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass",
    queue: "aws:sqs/queue:Queue",
    queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
    rule: "aws:cloudwatch/eventRule:EventRule",
    target: "aws:cloudwatch/eventTarget:EventTarget",
    accessEntry: "aws:eks/accessEntry:AccessEntry",
    tag: "aws:ec2/tag:Tag",
    identity: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
    policy: "aws:iam/policy:Policy",
};

const pool = (spec: Record<string, unknown> = {}) => nodePoolSchema.parse({ name: "general", limits: { cpu: 100, memoryGiB: 400 }, ...spec });

describe("compute mode karpenter", () => {
    describe("facts", () => {
        it("pins Karpenter 1.14.1 from its OCI registry, supporting Kubernetes 1.26 to 1.36", () => {
            assert.strictEqual(KARPENTER.version, "1.14.1");
            assert.strictEqual(KARPENTER.chart, "oci://public.ecr.aws/karpenter/karpenter");
            assert.strictEqual(KARPENTER.crdChart, "oci://public.ecr.aws/karpenter/karpenter-crd");
            assert.deepStrictEqual(KARPENTER.kubernetes, { min: "1.26", max: "1.36" });
            assert.match(AMI_RELEASE.al2023, /^v\d{8}$/, "a dated AMI release, never latest");
        });
    });

    describe("EC2NodeClass", () => {
        const obj = nodeClassObject(nodeClassSchema.parse({ name: "default", diskSizeGiB: 80 }), {
            clusterName: "prod-ap-northeast-2", nodeRoleName: "node-role", tags: { team: "platform", "kubernetes.io/cluster/x": "owned", "karpenter.sh/nodepool": "p" },
        });
        const spec = obj.spec as any;

        it("makes pulumi up wait until Karpenter reports it Ready", () => {
            assert.deepStrictEqual(obj.metadata.annotations, { "pulumi.com/waitFor": "condition=Ready" });
        });

        it("requires IMDSv2 with a hop limit of 1 and no public IP", () => {
            assert.deepStrictEqual(spec.metadataOptions, { httpEndpoint: "enabled", httpProtocolIPv6: "disabled", httpPutResponseHopLimit: 1, httpTokens: "required" });
            assert.strictEqual(spec.associatePublicIPAddress, false);
        });

        it("boots from an encrypted gp3 root volume of the configured size", () => {
            assert.deepStrictEqual(spec.blockDeviceMappings, [{
                deviceName: "/dev/xvda", rootVolume: true, ebs: { volumeSize: "80Gi", volumeType: "gp3", encrypted: true, deleteOnTermination: true },
            }]);
        });

        it("selects the AMI by an alias pinned to a release, not @latest", () => {
            assert.deepStrictEqual(spec.amiSelectorTerms, [{ alias: `al2023@${AMI_RELEASE.al2023}` }]);
            assert.ok(!JSON.stringify(spec.amiSelectorTerms).includes("latest"));
        });

        it("launches into private subnets only: the discovery tag and the private tier's tag must both match", () => {
            assert.deepStrictEqual(spec.subnetSelectorTerms, [{ tags: { "karpenter.sh/discovery": "prod-ap-northeast-2", "kubernetes.io/role/internal-elb": "1" } }]);
            assert.deepStrictEqual(spec.securityGroupSelectorTerms, [{ tags: { "karpenter.sh/discovery": "prod-ap-northeast-2" } }]);
        });

        it("gives nodes the role (Karpenter manages the instance profiles) and the platform's tags minus the reserved keys", () => {
            assert.strictEqual(spec.role, "node-role");
            assert.strictEqual(spec.instanceProfile, undefined);
            assert.deepStrictEqual(spec.tags, { team: "platform" });
            assert.deepStrictEqual(nodeClassTags({ "eks:eks-cluster-name": "c", "karpenter.k8s.aws/ec2nodeclass": "x", "karpenter.sh/nodeclaim": "y", a: "b" }), { a: "b" });
        });
    });

    describe("NodePool", () => {
        it("turns the defaults into an on-demand c/m/r pool of generation 5+, amd64, with limits, expiry and disruption", () => {
            const o = nodePoolObject(pool(), "ap-northeast-2");
            assert.deepStrictEqual(o.metadata, { name: "general", annotations: { "pulumi.com/waitFor": "condition=Ready" } }, "pulumi up waits until Karpenter accepts it");
            assert.deepStrictEqual(o.spec, {
                template: {
                    metadata: { labels: {} },
                    spec: {
                        nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" },
                        requirements: [
                            { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
                            { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
                            { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
                            { key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["c", "m", "r"] },
                            { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["4"] },
                        ],
                        taints: [],
                        expireAfter: "720h",
                    },
                },
                limits: { cpu: "100", memory: "400Gi" },
                disruption: { consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "5m", budgets: [{ nodes: "10%" }] },
            });
        });

        it("carries capacity types, weight, families, architectures, the region's zones, labels, taints and budgets per reason and schedule", () => {
            const o = nodePoolObject(pool({
                capacityTypes: ["spot", "on-demand"], weight: 50, instanceFamilies: ["m7g", "c7g"], architectures: ["arm64"],
                zones: ["ap-northeast-2a", "ap-northeast-2c", "ap-northeast-1a"], labels: { workload: "apps" },
                taints: [{ key: "dedicated", value: "apps", effect: "NoSchedule" }], expireAfter: "336h",
                disruption: {
                    consolidationPolicy: "WhenEmpty", consolidateAfter: "10m",
                    budgets: [{ nodes: "20%", reasons: ["Empty", "Drifted"] }, { nodes: "0", reasons: ["Underutilized"], schedule: "0 9 * * mon-fri", duration: "8h" }],
                },
            }), "ap-northeast-2");
            const spec = o.spec as any;
            assert.strictEqual(spec.weight, 50);
            const req = Object.fromEntries(spec.template.spec.requirements.map((r: any) => [r.key, r.values]));
            assert.deepStrictEqual(req["karpenter.sh/capacity-type"], ["spot", "on-demand"]);
            assert.deepStrictEqual(req["karpenter.k8s.aws/instance-family"], ["m7g", "c7g"]);
            assert.deepStrictEqual(req["kubernetes.io/arch"], ["arm64"]);
            assert.deepStrictEqual(req["topology.kubernetes.io/zone"], ["ap-northeast-2a", "ap-northeast-2c"], "only this region's zones");
            assert.deepStrictEqual(spec.template.metadata.labels, { workload: "apps" });
            assert.deepStrictEqual(spec.template.spec.taints, [{ key: "dedicated", value: "apps", effect: "NoSchedule" }]);
            assert.strictEqual(spec.template.spec.expireAfter, "336h");
            assert.deepStrictEqual(spec.disruption, {
                consolidationPolicy: "WhenEmpty", consolidateAfter: "10m",
                budgets: [{ nodes: "20%", reasons: ["Empty", "Drifted"] }, { nodes: "0", reasons: ["Underutilized"], schedule: "0 9 * * mon-fri", duration: "8h" }],
            });
        });

        it("tells Graviton families from x86 ones", () => {
            assert.deepStrictEqual(["m7g", "c8gd", "r7gn", "t4g", "m7i", "m7a", "c6in", "g5", "a1"].map(familyArchitecture),
                ["arm64", "arm64", "arm64", "arm64", "amd64", "amd64", "amd64", "amd64", "arm64"]);
        });
    });

    describe("against the pinned CRD schemas (as the plan checks them)", () => {
        const cls = nodeClassObject(nodeClassSchema.parse({ name: "default" }), { clusterName: "c", nodeRoleName: "r", tags: { team: "t" } });
        const full = nodePoolObject(pool({
            capacityTypes: ["spot", "on-demand"], weight: 10, instanceFamilies: ["m7i"], zones: ["ap-northeast-2a"],
            taints: [{ key: "spot", value: "true", effect: "NoSchedule" }], labels: { a: "b" },
            disruption: { consolidationPolicy: "Balanced", budgets: [{ nodes: "0", reasons: ["Drifted"], schedule: "@daily", duration: "1h" }] },
        }), "ap-northeast-2");

        it("finds the EC2NodeClass and NodePools we build valid", () => {
            assert.deepStrictEqual(checkObject({ ...cls }, "1.36"), { status: "valid", errors: [] });
            assert.deepStrictEqual(checkObject({ ...nodePoolObject(pool(), "ap-northeast-2") }, "1.36"), { status: "valid", errors: [] });
            assert.deepStrictEqual(checkObject({ ...full }, "1.36"), { status: "valid", errors: [] });
        });

        it("reports what the CRDs refuse, by field", () => {
            const badClass = JSON.parse(JSON.stringify(cls));
            badClass.spec.metadataOptions.httpPutResponseHopLimit = 0;
            badClass.spec.metadataOptions.httpTokens = "sometimes";
            badClass.spec.blockDeviceMappings[0].ebs.volumeSize = "50";
            delete badClass.spec.subnetSelectorTerms;
            const r = checkObject(badClass, "1.36");
            assert.strictEqual(r.status, "invalid");
            assert.deepStrictEqual(r.errors.map((e) => e.field).sort(), [
                "spec.blockDeviceMappings[0].ebs.volumeSize", "spec.metadataOptions.httpPutResponseHopLimit",
                "spec.metadataOptions.httpTokens", "spec.subnetSelectorTerms",
            ]);
            const badPool = JSON.parse(JSON.stringify(full));
            badPool.spec.disruption.consolidationPolicy = "Always";
            badPool.spec.template.spec.expireAfter = "30d";
            badPool.spec.limits.gpus = "x";
            badPool.spec.template.spec.nodeClass = "default";
            const p = checkObject(badPool, "1.36");
            assert.deepStrictEqual(p.errors.map((e) => e.field).sort(), [
                "spec.disruption.consolidationPolicy", "spec.limits.gpus", "spec.template.spec.expireAfter", "spec.template.spec.nodeClass",
            ]);
            assert.match(p.errors.find((e) => e.field === "spec.disruption.consolidationPolicy")!.message, /must be one of "WhenEmpty", "WhenEmptyOrUnderutilized", "Balanced"/);
        });
    });

    describe("controller values", () => {
        const v = controllerValues({ clusterName: "c", clusterEndpoint: "https://c.example", interruptionQueue: "c" }) as any;

        it("gives the cluster name, endpoint and interruption queue explicitly", () => {
            assert.deepStrictEqual(v.settings, { clusterName: "c", clusterEndpoint: "https://c.example", interruptionQueue: "c" });
        });

        it("runs 2 replicas on separate system nodes, spread over zones, never on nodes Karpenter launched", () => {
            assert.strictEqual(v.replicas, 2);
            const terms = v.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
            assert.deepStrictEqual(terms, [{ matchExpressions: [
                { key: "karpenter.sh/nodepool", operator: "DoesNotExist" },
                { key: "eks.amazonaws.com/nodegroup", operator: "Exists" },
            ] }]);
            assert.deepStrictEqual(v.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution, [{ topologyKey: "kubernetes.io/hostname" }]);
            assert.strictEqual(v.topologySpreadConstraints[0].topologyKey, "topology.kubernetes.io/zone");
            assert.deepStrictEqual(v.tolerations, [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }]);
        });

        it("sets requests equal to limits and the service account Pod Identity binds", () => {
            assert.deepStrictEqual(v.controller.resources, { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } });
            assert.deepStrictEqual(v.serviceAccount, { create: true, name: "karpenter" });
            assert.strictEqual(v.dnsPolicy, "Default");
        });
    });

    describe("IAM and SQS documents", () => {
        const docs = controllerPolicies({
            partition: "aws", region: "ap-northeast-2", accountId: "111122223333", clusterName: "prod-ap-northeast-2",
            nodeRoleArn: "arn:aws:iam::111122223333:role/node", queueArn: "arn:aws:sqs:ap-northeast-2:111122223333:prod-ap-northeast-2",
        });
        const statements = Object.values(docs).flatMap((d) => d.Statement as any[]);

        it("renders the six published controller policies (18 statements) for this cluster", () => {
            assert.deepStrictEqual(Object.keys(docs), ["NodeLifecycle", "IAMIntegration", "EKSIntegration", "Interruption", "ZonalShift", "ResourceDiscovery"]);
            assert.strictEqual(statements.length, 18);
            const text = JSON.stringify(docs);
            assert.ok(!text.includes("${"), "no placeholder left");
            assert.ok(text.includes("aws:ResourceTag/kubernetes.io/cluster/prod-ap-northeast-2"));
        });

        it("lets it pass only the node role, only to EC2, and read only its own queue", () => {
            const pass = statements.find((s) => s.Action === "iam:PassRole");
            assert.deepStrictEqual([pass.Resource, pass.Condition], ["arn:aws:iam::111122223333:role/node", { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] } }]);
            const sqs = statements.find((s) => s.Sid === "AllowInterruptionQueueActions");
            assert.strictEqual(sqs.Resource, "arn:aws:sqs:ap-northeast-2:111122223333:prod-ap-northeast-2");
        });

        it("scopes terminate and delete to instances of this cluster's node pools", () => {
            const del = statements.find((s) => s.Sid === "AllowScopedDeletion");
            assert.deepStrictEqual(del.Condition, {
                StringEquals: { "aws:ResourceTag/kubernetes.io/cluster/prod-ap-northeast-2": "owned" },
                StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
            });
        });

        it("admits EventBridge and SQS to the queue only from this account, and nothing over plain HTTP", () => {
            const q = queuePolicy("arn:q", "111122223333");
            assert.deepStrictEqual(q.Statement[0], {
                Sid: "EventBridgeFromThisAccount", Effect: "Allow",
                Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] },
                Action: "sqs:SendMessage", Resource: "arn:q",
                Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
            });
            assert.deepStrictEqual((q.Statement[1] as any).Condition, { Bool: { "aws:SecureTransport": "false" } });
            assert.strictEqual((q.Statement[1] as any).Effect, "Deny");
        });

        it("keeps every auto-named EventBridge rule within EventBridge's 64 characters for the longest environment and region", () => {
            const longestRegion = Math.max(...AWS_REGIONS.map((r) => r.length));
            const prefix = `${"e".repeat(10)}-${"r".repeat(longestRegion)}-karpenter`;
            for (const r of INTERRUPTION_RULES) {
                const autonamed = `${prefix}-${r.name}-1234567`;
                assert.ok(autonamed.length <= 64, `${autonamed} has ${autonamed.length} characters`);
            }
        });

        it("routes the five interruption events upstream lists", () => {
            assert.deepStrictEqual(INTERRUPTION_RULES.map((r) => r.detailType), [
                "AWS Health Event", "EC2 Spot Instance Interruption Warning", "EC2 Instance Rebalance Recommendation",
                "EC2 Instance State-change Notification", "EC2 Capacity Reservation Instance Interruption Warning",
            ]);
        });
    });

    describe("config", () => {
        const parse = (raw: Record<string, any>) => parsePlatformConfig(raw, "x");
        const issuesOf = (raw: Record<string, any>) => rejectedIssues(() => parse(raw));

        it("defaults to one hardened class and one on-demand pool with limits a new user can run", () => {
            const c = parse(validKarpenterRaw());
            const compute = c.regions[0].compute;
            assert.strictEqual(compute.mode, "karpenter");
            if (compute.mode !== "karpenter") return;
            assert.deepStrictEqual(compute.karpenter, karpenterSchema.parse({}));
            assert.deepStrictEqual(compute.karpenter.nodeClasses.map((n) => [n.name, n.amiFamily, n.diskSizeGiB]), [["default", "al2023", 50]]);
            assert.deepStrictEqual(compute.karpenter.nodePools.map((p) => [p.name, p.capacityTypes, p.limits]), [["general", ["on-demand"], { cpu: 100, memoryGiB: 400 }]]);
            assert.strictEqual(parse(validRaw()).regions[0].compute.mode, "managed-node-groups", "node groups stay the default");
        });

        it("lets one region run Karpenter while the others stay on node groups", () => {
            const raw = validRaw();
            raw.regions.push({ region: "ap-northeast-1", vpcCidr: "10.21.0.0/16", overrides: { computeMode: "karpenter", nodeGroups: validKarpenterRaw().nodeGroups } });
            const c = parse(raw);
            assert.deepStrictEqual(c.regions.map((r) => r.compute.mode), ["managed-node-groups", "karpenter"]);
        });

        const CASES: Array<{ title: string; mutate: (r: Record<string, any>) => void; key: string; allowed: RegExp }> = [
            {
                title: "Karpenter without a tainted on-demand system node group",
                mutate: (r) => { r.nodeGroups[0].taints = []; },
                key: "eks-platform:nodeGroups", allowed: /needs a system node group.*CriticalAddonsOnly/,
            },
            {
                title: "a system node group of one node (two controller replicas need two)",
                mutate: (r) => { r.nodeGroups[0].minSize = 1; r.nodeGroups[0].desiredSize = 1; },
                key: "eks-platform:nodeGroups", allowed: /minSize >= 2/,
            },
            {
                title: "a Kubernetes version the pinned Karpenter does not support",
                // Add-on versions given, so that the pinned table's missing 1.37 row is not what is refused.
                mutate: (r) => { r.kubernetesVersion = "1.37"; r.addonVersions = Object.fromEntries(PINNED_ADDONS.map((a) => [a, "v1.0.0-eksbuild.1"])); },
                key: "eks-platform:kubernetesVersion", allowed: /supports Kubernetes 1\.26 to 1\.36 \(its compatibility matrix, https:\/\/karpenter\.sh\/docs\/upgrading\/compatibility\/\)/,
            },
            {
                title: "karpenter settings no region uses",
                mutate: (r) => { r.computeMode = "managed-node-groups"; r.karpenter = {}; },
                key: "eks-platform:karpenter", allowed: /has no effect/,
            },
            {
                title: "a pool without limits",
                mutate: (r) => { r.karpenter = { nodePools: [{ name: "apps" }] }; },
                key: "eks-platform:karpenter.nodePools[0].limits", allowed: /required/,
            },
            {
                title: "an arm64 family in an amd64 pool",
                mutate: (r) => { r.karpenter = { nodePools: [{ name: "apps", instanceFamilies: ["m7g"], limits: { cpu: 10, memoryGiB: 40 } }] }; },
                key: "eks-platform:karpenter.nodePools[0].instanceFamilies[0]", allowed: /arm64 family but the pool's architectures are amd64/,
            },
            {
                title: "a family outside the pool's categories (it could launch nothing)",
                mutate: (r) => { r.karpenter = { nodePools: [{ name: "apps", instanceFamilies: ["t3"], limits: { cpu: 10, memoryGiB: 40 } }] }; },
                key: "eks-platform:karpenter.nodePools[0].instanceFamilies[0]", allowed: /not in the pool's instanceCategories/,
            },
            {
                title: "a pool naming a node class that does not exist",
                mutate: (r) => { r.karpenter = { nodePools: [{ name: "apps", nodeClass: "gpu", limits: { cpu: 10, memoryGiB: 40 } }] }; },
                key: "eks-platform:karpenter.nodePools[0].nodeClass", allowed: /allowed: default/,
            },
            {
                title: "spot-only capacity in production without an on-demand fallback",
                mutate: (r) => { r.karpenter = { nodePools: [{ name: "apps", capacityTypes: ["spot"], limits: { cpu: 10, memoryGiB: 40 } }] }; },
                key: "eks-platform:karpenter.nodePools", allowed: /needs a pool that may launch on-demand/,
            },
            {
                title: "a spot pool not weighted above its on-demand fallback",
                mutate: (r) => {
                    r.karpenter = { nodePools: [
                        { name: "spot", capacityTypes: ["spot"], limits: { cpu: 10, memoryGiB: 40 } },
                        { name: "fallback", limits: { cpu: 10, memoryGiB: 40 } },
                    ] };
                },
                key: "eks-platform:karpenter.nodePools[0].capacityTypes", allowed: /without an on-demand fallback: give it a weight above/,
            },
            {
                title: "pinned zones none of which is in a Karpenter region",
                mutate: (r) => { r.karpenter = { nodePools: [{ name: "apps", zones: ["ap-northeast-1a"], limits: { cpu: 10, memoryGiB: 40 } }] }; },
                key: "eks-platform:karpenter.nodePools[0].zones[0]", allowed: /not a zone of the regions that run Karpenter/,
            },
            {
                title: "a scheduled budget without a duration",
                mutate: (r) => { r.karpenter = { nodePools: [{ name: "apps", limits: { cpu: 10, memoryGiB: 40 }, disruption: { budgets: [{ nodes: "0", schedule: "@daily" }] } }] }; },
                key: "eks-platform:karpenter.nodePools[0].disruption.budgets[0]", allowed: /schedule and duration go together/,
            },
            {
                title: "a budget that is neither a count nor a percentage",
                mutate: (r) => { r.karpenter = { nodePools: [{ name: "apps", limits: { cpu: 10, memoryGiB: 40 }, disruption: { budgets: [{ nodes: "ten" }] } }] }; },
                key: "eks-platform:karpenter.nodePools[0].disruption.budgets[0].nodes", allowed: /node count such as "2" or a percentage/,
            },
        ];
        for (const c of CASES) {
            it(`rejects ${c.title}, naming the key, the value and what is allowed`, () => {
                const raw = validKarpenterRaw();
                c.mutate(raw);
                const issues = issuesOf(raw);
                const found = issues.find((i) => i.key === c.key);
                assert.ok(found, `no issue at ${c.key}: ${issues.map((i) => `${i.key}: ${i.message}`).join("; ")}`);
                assert.match(found.message, c.allowed);
                assert.ok(showValue(found.value) !== undefined);
            });
        }

        it("accepts a spot pool weighted above an on-demand fallback in production", () => {
            const raw = validKarpenterRaw();
            raw.karpenter = { nodePools: [
                { name: "spot", capacityTypes: ["spot"], weight: 50, limits: { cpu: 10, memoryGiB: 40 } },
                { name: "fallback", limits: { cpu: 10, memoryGiB: 40 } },
            ] };
            assert.strictEqual(parse(raw).regions[0].compute.mode, "karpenter");
        });

        it("stops the program before anything is registered", async () => {
            const raw = validKarpenterRaw();
            raw.kubernetesVersion = "1.37";
            const { records, error } = await runProgramKeepingRecords("x", cliConfig(raw));
            assert.ok(error instanceof ConfigError, String(error));
            assert.deepStrictEqual(records.filter((r) => r.type !== T.stack), []);
        });
    });

    describe("a region on Karpenter (the program)", () => {
        let records: ResourceRecord[];
        const R = "prod-ap-northeast-2";
        const KN = `${R}-karpenter`;
        before(async () => {
            const raw = validKarpenterRaw();
            raw.karpenter = {
                nodeClasses: [{ name: "default" }],
                nodePools: [
                    { name: "spot", capacityTypes: ["spot"], weight: 50, limits: { cpu: 200, memoryGiB: 800 } },
                    { name: "on-demand", limits: { cpu: 100, memoryGiB: 400 } },
                ],
            };
            const run = await runProgramKeepingRecords("prod", cliConfig(raw));
            if (run.error) throw run.error;
            records = run.records;
        });
        const mine = (type: string) => ofType(records, type).filter((r) => r.parent === `${K.component}::${KN}`);

        it("registers Karpenter beside the system node groups, under the region", () => {
            assert.strictEqual(one(records, K.component, KN).parent, `${T.regional}::${R}`);
            assert.strictEqual(one(records, T.nodeGroups, `${R}-nodes`).parent, `${T.regional}::${R}`);
            assert.deepStrictEqual(ofType(records, T.nodeGroup).map((g) => g.name), [`${R}-nodes-system`]);
        });

        it("gives nodes a role with the worker, ECR pull-only and SSM policies (no CNI) and an EC2_LINUX access entry", () => {
            assert.deepStrictEqual(attachedPolicies(records, `${KN}-node-role`), [MANAGED_POLICY.workerNode, MANAGED_POLICY.ecrPullOnly, MANAGED_POLICY.ssmCore].sort());
            const entry = one(records, K.accessEntry, `${KN}-node-access`).inputs;
            assert.strictEqual(entry.type, "EC2_LINUX");
            assert.strictEqual(entry.principalArn, one(records, T.role, `${KN}-node-role`).state.arn);
            assert.strictEqual(entry.kubernetesGroups, undefined);
        });

        it("gives the controller a Pod Identity role for kube-system/karpenter of this cluster with the six published policies", () => {
            const role = one(records, T.role, `${KN}-controller-role`);
            const trust = json(role.inputs.assumeRolePolicy).Statement[0];
            assert.deepStrictEqual(trust.Action, ["sts:AssumeRole", "sts:TagSession"]);
            assert.deepStrictEqual(trust.Condition.StringEquals, {
                "aws:RequestTag/eks-cluster-arn": `arn:aws:eks:ap-northeast-2:${MOCK_ACCOUNT_ID}:cluster/${R}`,
                "aws:RequestTag/kubernetes-namespace": "kube-system",
                "aws:RequestTag/kubernetes-service-account": "karpenter",
            });
            const policies = mine(K.policy);
            assert.strictEqual(policies.length, 6);
            assert.strictEqual(attachedPolicies(records, `${KN}-controller-role`).length, 6);
            assert.ok(policies.every((p) => JSON.stringify(json(p.inputs.policy)).includes(R) || p.name.endsWith("resourcediscovery")), "scoped to this cluster");
            const identity = one(records, K.identity, `${KN}-controller-identity`).inputs;
            assert.deepStrictEqual([identity.namespace, identity.serviceAccount, identity.roleArn], ["kube-system", "karpenter", role.state.arn]);
        });

        it("creates an encrypted interruption queue named after the cluster, fed by the five EventBridge rules", () => {
            const q = one(records, K.queue, `${KN}-interruption`);
            assert.deepStrictEqual([q.inputs.name, q.inputs.sqsManagedSseEnabled, q.inputs.messageRetentionSeconds], [R, true, 300]);
            assert.deepStrictEqual(json(one(records, K.queuePolicy, `${KN}-interruption-policy`).inputs.policy), queuePolicy(q.state.arn, MOCK_ACCOUNT_ID));
            assert.strictEqual(mine(K.rule).length, 5);
            for (const t of mine(K.target)) assert.strictEqual(t.inputs.arn, q.state.arn, t.name);
            assert.deepStrictEqual(mine(K.rule).map((r) => json(r.inputs.eventPattern)["detail-type"][0]), INTERRUPTION_RULES.map((r) => r.detailType));
        });

        it("tags the private subnets and the cluster security group for discovery, and nothing else", () => {
            const subnets = ofType(records, T.subnet).filter((s) => s.name.startsWith(`${R}-network-`));
            assert.strictEqual(subnets.length, 4, "2 zones, public and private");
            for (const s of subnets) assert.strictEqual(s.inputs.tags["karpenter.sh/discovery"], s.name.includes("-private-") ? R : undefined, s.name);
            const tags = ofType(records, K.tag);
            assert.deepStrictEqual(tags.map((t) => [t.name, t.inputs.key, t.inputs.value]), [[`${KN}-sg-discovery`, "karpenter.sh/discovery", R]]);
            assert.match(tags[0].inputs.resourceId, /^sg-/);
            assert.deepStrictEqual(discoveryTags(R), { "karpenter.sh/discovery": R });
        });

        it("installs the CRDs from the karpenter-crd chart and the controller from its OCI chart without its crds/", () => {
            const crds = one(records, K.release, `${KN}-crds`).inputs;
            assert.deepStrictEqual([crds.name, crds.chart, crds.version], ["karpenter-crd", KARPENTER.crdChart, KARPENTER.version]);
            const c = one(records, K.release, `${KN}-controller`).inputs;
            assert.deepStrictEqual([c.name, c.chart, c.version, c.namespace, c.skipCrds, c.repositoryOpts], ["karpenter", KARPENTER.chart, KARPENTER.version, "kube-system", true, undefined]);
            assert.deepStrictEqual(c.values.settings, {
                clusterName: R, clusterEndpoint: one(records, T.eksCluster, `${R}-cluster-eks`).state.eksCluster.endpoint, interruptionQueue: R,
            });
        });

        it("applies one EC2NodeClass and the NodePools with their limits and requirements", () => {
            const cls = one(records, K.nodeClass, `${KN}-class-default`).inputs;
            assert.strictEqual(cls.spec.role, one(records, T.role, `${KN}-node-role`).state.name);
            assert.strictEqual(cls.spec.metadataOptions.httpTokens, "required");
            const pools = mine(K.nodePool).sort((a, b) => a.name.localeCompare(b.name));
            assert.deepStrictEqual(pools.map((p) => [p.inputs.metadata.name, p.inputs.spec.weight, p.inputs.spec.limits]), [
                ["on-demand", undefined, { cpu: "100", memory: "400Gi" }],
                ["spot", 50, { cpu: "200", memory: "800Gi" }],
            ]);
        });

        it("orders destroy: pools before their class and the controller; classes before the controller and the node role; the controller before its identity, policies, queue and the system nodes", () => {
            const key = (type: string, name: string) => one(records, type, name).key;
            const controller = key(K.release, `${KN}-controller`);
            for (const p of mine(K.nodePool)) {
                assert.ok(p.dependsOn.includes(controller), p.name);
                assert.ok(p.dependsOn.includes(key(K.nodeClass, `${KN}-class-default`)), p.name);
            }
            const cls = one(records, K.nodeClass, `${KN}-class-default`);
            for (const k of [controller, key(K.accessEntry, `${KN}-node-access`), key(T.attachment, `${KN}-node-role-policy-0`)]) assert.ok(cls.dependsOn.includes(k), k);
            const c = one(records, K.release, `${KN}-controller`);
            for (const k of [
                key(K.release, `${KN}-crds`), key(K.identity, `${KN}-controller-identity`), key(T.attachment, `${KN}-nodelifecycle-attachment`),
                key(K.target, `${KN}-spot-target`), key(T.nodeGroups, `${R}-nodes`),
            ]) assert.ok(c.dependsOn.includes(k), k);
            // The queue reaches the controller through its values (the queue's name): an implicit dependency.
            assert.ok(c.dependencies?.includes(key(K.queue, `${KN}-interruption`)), JSON.stringify(c.dependencies));
        });

        it("makes the apps' pods and the add-ons wait for Karpenter, so destroy removes them first", () => {
            const addons = ofType(records, T.addons).find((x) => x.name.startsWith(R))!;
            assert.ok(addons.dependsOn.includes(`${K.component}::${KN}`), `addons: ${addons.dependsOn.join(", ")}`);
        });

        it("makes the apps' pods wait for Karpenter, but not their Ingress (the ALB needs no node): the prod stack", async () => {
            const prod = (await stackRun("prod")).records;
            const deployments = ofType(prod, "kubernetes:apps/v1:Deployment").filter((x) => x.name.startsWith(R));
            assert.ok(deployments.length > 0);
            for (const d of deployments) assert.ok(d.dependsOn.includes(`${K.component}::${KN}`), `${d.name}: ${d.dependsOn.join(", ")}`);
            const ingress = ofType(prod, "kubernetes:networking.k8s.io/v1:Ingress").find((x) => x.name.startsWith(R))!;
            assert.ok(!ingress.dependsOn.includes(`${K.component}::${KN}`), ingress.dependsOn.join(", "));
            assert.ok(ingress.dependsOn.includes(`eks-platform:index:Ingress::${R}-ingress`), ingress.dependsOn.join(", "));
        });
    });
});
