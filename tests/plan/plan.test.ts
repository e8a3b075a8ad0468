/**
 * The offline plan of the real stack files: what it shows, what it writes, and that it is
 * byte-stable. The plan of each stack runs once for the suite (stackPlan); the byte-stability check
 * plans each stack a second time, on a program run of its own.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { planSubnets } from "../../components/network-plan";
import { plan, PlanResult } from "../../tools/plan/plan";
import {
    installedSchemaPackageVersion, SCHEMA_KUBERNETES_VERSION, SCHEMA_PACKAGE_VERSION,
} from "../../tools/plan/validate-manifests";
import { readTree, stackDir, stackPlan, tempDir, yamlObjects } from "./helpers";
import { expectedDns } from "../support/dns-expected";
import { stackFileConfig } from "../support/stack-files";

describe("offline plan of the stack files", function () {
    this.timeout(120000);
    const out = { dev: "", prod: "" };
    let dev: PlanResult;
    let prod: PlanResult;

    before(async () => {
        ({ result: dev, out: out.dev } = await stackPlan("dev"));
        ({ result: prod, out: out.prod } = await stackPlan("prod"));
    });

    const region = (r: PlanResult, name: string) => {
        const found = r.model!.regions.find((x) => x.region === name);
        assert.ok(found, `no region ${name} in the plan of ${r.stack}`);
        return found!;
    };

    it("plans both stacks with every Kubernetes object valid or explicitly unchecked", () => {
        for (const r of [dev, prod]) {
            assert.equal(r.status, "planned", r.text);
            const checks = r.model!.regions.flatMap((x) => x.checks);
            assert.ok(checks.length > 0, `${r.stack}: no Kubernetes objects`);
            assert.deepEqual(checks.filter((c) => c.status === "invalid"), []);
            // The only objects without a schema are the controller's custom resources, and they say why.
            const unchecked = checks.filter((c) => c.status === "not-checked");
            assert.deepEqual([...new Set(unchecked.map((c) => `${c.apiVersion} ${c.kind}`))], ["elbv2.k8s.aws/v1beta1 IngressClassParams"]);
            assert.ok(unchecked.every((c) => /custom resource/.test(c.reason ?? "")));
        }
    });

    it("has the configured regions, in config order", () => {
        assert.deepEqual(dev.model!.regions.map((r) => r.region), ["ap-northeast-2"]);
        assert.deepEqual(prod.model!.regions.map((r) => r.region), ["ap-northeast-2", "ap-northeast-1"]);
    });

    it("shows each subnet's CIDR from the subnet plan and the zone the region offered", () => {
        const d = region(dev, "ap-northeast-2").decisions;
        assert.deepEqual(d.availabilityZones, ["ap-northeast-2a", "ap-northeast-2b"]);
        assert.deepEqual(d.subnets.map((s) => [s.tier, s.cidr]), planSubnets("10.20.0.0/16", 2).map((s) => [s.tier, s.cidr]));
        assert.deepEqual(d.subnets.filter((s) => s.tier === "public").map((s) => s.availabilityZone), ["ap-northeast-2a", "ap-northeast-2b"]);
        const tokyo = region(prod, "ap-northeast-1").decisions;
        assert.deepEqual(tokyo.availabilityZones, ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"], "Tokyo offers a, c and d (facts/data/zones.json)");
        assert.equal(tokyo.vpcCidr, "10.41.0.0/16");
        assert.equal(tokyo.subnets.find((s) => s.tier === "private" && s.zone === 2)?.cidr, "10.41.64.0/19");
    });

    it("shows NAT, endpoint, version, add-ons, node groups and the controller release", () => {
        const d = region(dev, "ap-northeast-2").decisions;
        assert.deepEqual(d.natGateways, { strategy: "single", count: 1 });
        assert.equal(d.cluster.name, "dev-ap-northeast-2");
        assert.equal(d.cluster.kubernetesVersion, "1.36");
        assert.equal(d.cluster.endpointAccess, "public-and-private");
        assert.deepEqual(d.cluster.publicAccessCidrs, ["203.0.113.0/24"]);
        assert.deepEqual(d.addons.map((a) => a.name), ["vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns", "aws-ebs-csi-driver", "metrics-server", "eks-node-monitoring-agent"]);
        // Every add-on has an explicit version, resolved for the cluster's Kubernetes version.
        assert.deepEqual(d.addons.filter((a) => !/^v\d+\.\d+\.\d+-eksbuild\.\d+$/.test(a.version ?? "")), []);
        assert.equal(d.addons.find((a) => a.name === "kube-proxy")?.version, "v1.36.0-eksbuild.14");
        assert.equal(d.addons.find((a) => a.name === "vpc-cni")?.podIdentityServiceAccount, "aws-node");
        assert.deepEqual(d.nodeGroups.map((g) => [g.name, g.capacityType, g.minSize, g.desiredSize, g.maxSize]), [["general", "SPOT", 2, 2, 4]]);
        assert.deepEqual(d.helmReleases.map((h) => [h.chart, h.version, h.repo, h.namespace]),
            [["aws-load-balancer-controller", "3.5.0", "https://aws.github.io/eks-charts", "kube-system"]]);
        const p = region(prod, "ap-northeast-2").decisions;
        assert.deepEqual(p.natGateways, { strategy: "per-az", count: 3 });
        assert.equal(p.flowLogs, true);
        assert.equal(p.cluster.deletionProtection, true);
        assert.deepEqual(p.nodeGroups.map((g) => `${g.name}:${g.capacityType}:${g.maxSize}`), ["system:ON_DEMAND:4"]);
        assert.equal(d.compute.mode, "managed-node-groups");
        assert.deepEqual(d.compute.nodePools, []);
    });

    it("shows each Karpenter pool: capacity types, weight, instances, limits, expiry and disruption", () => {
        const p = region(prod, "ap-northeast-1").decisions;
        assert.equal(p.compute.mode, "karpenter");
        assert.deepEqual(p.compute.nodePools.map((x) => [x.name, x.capacityTypes, x.weight, x.instanceCategories, x.minInstanceGeneration, x.architectures, x.limits]), [
            ["spot", ["spot"], 50, ["c", "m", "r"], 6, ["amd64"], { cpu: "200", memory: "800Gi" }],
            ["on-demand", ["on-demand"], undefined, ["c", "m", "r"], 6, ["amd64"], { cpu: "200", memory: "800Gi" }],
        ]);
        const od = p.compute.nodePools[1];
        assert.deepEqual([od.expireAfter, od.consolidationPolicy, od.consolidateAfter, od.budgets],
            ["720h", "WhenEmptyOrUnderutilized", "10m", ["10%", "0 for Underutilized at \"0 0 * * mon-fri\" for 9h"]]);
        assert.deepEqual(p.compute.nodePools[0].taints, ["spot=true:NoSchedule"]);
        assert.match(prod.text, /Compute: karpenter \(the node groups are the system nodes; Karpenter launches the rest\)\n  Node pools \(highest weight first\)\n    spot {8}spot {14}weight 50/);
    });

    it("derives each app's replicas, image, scheme and route from its Deployment and Ingress", () => {
        const [hello] = region(dev, "ap-northeast-2").decisions.apps;
        assert.equal(hello.name, "hello");
        assert.equal(hello.replicas, 2);
        assert.deepEqual(hello.images, ["nginxinc/nginx-unprivileged:1.27.3-alpine"]);
        // dev: route gateway, an HTTPRoute on the Gateway's HTTP listener.
        assert.equal(hello.exposure.length, 1);
        assert.equal(hello.exposure[0].scheme, "internet-facing");
        assert.equal(hello.exposure[0].gateway, "kube-system/alb");
        assert.deepEqual(hello.exposure[0].routes, ["*/"]);
        assert.deepEqual(hello.exposure[0].listeners, ["HTTP:80"]);
        assert.equal(hello.exposure[0].tls, false);
        for (const r of ["ap-northeast-2", "ap-northeast-1"]) {
            const [app] = region(prod, r).decisions.apps;
            assert.equal(app.replicas, 3);
            assert.deepEqual(app.autoscaling, { minReplicas: 3, maxReplicas: 10, targetCpuUtilization: 70 });
            // prod: route both, during the move: the Ingress and the HTTPRoute, two ALBs.
            const [ingress, route] = app.exposure;
            // The shared name, and the region's own name its Route 53 health check probes (stacks/dns-names.ts).
            assert.deepEqual(ingress.routes, ["hello.example.com/", `hello-${r}.example.com/`]);
            assert.deepEqual(ingress.listeners, ["HTTP:80", "HTTPS:443"]);
            assert.equal(ingress.tls, true);
            assert.equal(ingress.gateway, undefined);
            assert.deepEqual([route.gateway, route.routes, route.listeners, route.tls], ["kube-system/alb", ["hello.example.com/", `hello-${r}.example.com/`], ["HTTPS:443"], true]);
            assert.deepEqual(region(prod, r).decisions.loadBalancers.map((lb) => [lb.scheme, lb.gateway ?? lb.group, lb.apps]),
                [["internet-facing", "kube-system/alb", ["hello"]], ["internet-facing", "prod-public", ["hello"]]]);
        }
    });

    it("prints per region the decisions, the component tree with types and names, and counts by type", () => {
        for (const [r, name] of [[prod, "ap-northeast-2"], [prod, "ap-northeast-1"], [dev, "ap-northeast-2"]] as const) {
            const section = r.text.split(`== Region ${name} `)[1]?.split("== Region ")[0];
            assert.ok(section, `${r.stack}: no section for ${name}`);
            assert.match(section!, new RegExp(`Cluster ${r.stack}-${name}`));
            assert.match(section!, /NAT gateways: \d/);
            assert.match(section!, new RegExp(`├─ ${r.stack}-${name}-network  \\(eks-platform:index:Network\\)`));
            assert.match(section!, new RegExp(`${r.stack}-${name}-network-vpc  \\(aws:ec2/vpc:Vpc\\)`));
            assert.match(section!, /^\s+1\s+aws:ec2\/vpc:Vpc$/m);
            assert.match(section!, /valid\s+Deployment hello\/hello/);
        }
        assert.match(prod.text, /10\.41\.226\.0\/24\s+10\.41\.64\.0\/19/);
        assert.match(dev.text, /general\s+SPOT\s+t3\.large, t3a\.large, m5\.large\s+min 2 \/ desired 2 \/ max 4/);
        assert.match(prod.text, /hello \(namespace hello\): 3 replicas, autoscaled 3–10 at 70% CPU, image nginxinc\/nginx-unprivileged:1\.27\.3-alpine/);
    });

    it("counts by type add up to the resources registered under each region", () => {
        for (const r of [dev, prod]) {
            const underRegions = r.model!.resources.filter((e) => e.region !== undefined).length;
            const counted = r.model!.regions.reduce((n, x) => n + Object.values(x.counts).reduce((a, b) => a + b, 0), 0);
            assert.equal(counted, underRegions);
            // Outside the regions: the stack itself and, with eks-platform:dns (prod), the Dns component, its
            // provider, records and health checks, counted from the stack file (support/dns-expected.ts): prod 1 + 1 + 5 + 2.
            const e = expectedDns(stackFileConfig(r.stack));
            const dns = e.components + e.providers + e.records + e.healthChecks;
            assert.equal(dns, r.stack === "prod" ? 9 : 0);
            const outside = r.model!.resources.filter((x) => x.region === undefined);
            assert.equal(outside.filter((x) => x.type === "eks-platform:index:Dns" || x.parent === `eks-platform:index:Dns::${r.stack}-dns`).length, dns);
            assert.equal(outside.length, 1 + dns, "only the stack and the DNS component's resources are outside the regions");
            assert.equal(r.model!.resources.length, underRegions + 1 + dns);
        }
        assert.equal(region(prod, "ap-northeast-1").counts["aws:ec2/natGateway:NatGateway"], 3);
        assert.equal(region(dev, "ap-northeast-2").counts["aws:ec2/subnet:Subnet"], 4);
    });

    it("warns about what to read before pulumi up", () => {
        const devWarnings = dev.model!.warnings.map((w) => `${w.subject}: ${w.message}`);
        assert.ok(devWarnings.some((w) => /^natGateways: one NAT gateway \(in ap-northeast-2a\)/.test(w)), devWarnings.join("\n"));
        assert.ok(devWarnings.some((w) => /^app hello: serves plain HTTP to the internet/.test(w)));
        assert.ok(devWarnings.some((w) => /^publicAccessCidrs: .*203\.0\.113\.0\/24/.test(w)));
        assert.ok(devWarnings.some((w) => /^Kubernetes objects: 2 objects were not schema-checked: IngressClassParams alb /.test(w)));
        const prodWarnings = prod.model!.warnings.map((w) => `${w.subject}: ${w.message}`);
        assert.ok(!prodWarnings.some((w) => /spot|plain HTTP|one NAT gateway/i.test(w)), prodWarnings.join("\n"));
        assert.match(dev.text, /Warnings \(\d+\): read these before `pulumi up`/);
    });

    it("writes resources.json with every resource: type, name, parent, provider, inputs", () => {
        const doc = JSON.parse(fs.readFileSync(path.join(out.prod, "resources.json"), "utf8"));
        assert.equal(doc.resources.length, prod.model!.resources.length);
        const vpc = doc.resources.find((r: any) => r.type === "aws:ec2/vpc:Vpc" && r.name === "prod-ap-northeast-1-network-vpc");
        assert.ok(vpc, "no VPC of ap-northeast-1 in resources.json");
        assert.equal(vpc.parent, "eks-platform:index:Network::prod-ap-northeast-1-network");
        assert.equal(vpc.provider, "pulumi:providers:aws::prod-ap-northeast-1-aws");
        assert.equal(vpc.inputs.cidrBlock, "10.41.0.0/16");
        const release = doc.resources.find((r: any) => r.type === "kubernetes:helm.sh/v3:Release" && r.region === "ap-northeast-2");
        assert.equal(release.provider, "pulumi:providers:kubernetes::prod-ap-northeast-2-k8s");
        assert.equal(release.inputs.values.clusterName, "prod-ap-northeast-2");
        // A resource input is a reference, not the live object.
        const eks = doc.resources.find((r: any) => r.type === "eks:index:Cluster" && r.region === "ap-northeast-1");
        assert.deepEqual(eks.inputs.serviceRole, { resource: "aws:iam/role:Role::prod-ap-northeast-1-cluster-role" });
        const keys = doc.resources.map((r: any) => `${r.type}::${r.name}`);
        assert.deepEqual(keys, [...keys].sort(), "resources are sorted by key");
    });

    it("writes the Kubernetes manifests per region as YAML", () => {
        assert.deepEqual([...readTree(out.prod).keys()].sort(),
            [".eks-platform-plan", "architecture.md", "cost.json", "cost.md", "manifests/ap-northeast-1.yaml", "manifests/ap-northeast-2.yaml", "resources.json", "timeline.md"]);
        const objects = yamlObjects(fs.readFileSync(path.join(out.dev, "manifests", "ap-northeast-2.yaml"), "utf8"));
        const kinds = objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata?.namespace ?? "-"}/${o.metadata?.name}`);
        for (const expected of [
            "v1 Namespace -/hello",
            "apps/v1 Deployment hello/hello",
            "v1 Service hello/hello",
            "gateway.networking.k8s.io/v1 HTTPRoute hello/hello",
            "gateway.k8s.aws/v1 TargetGroupConfiguration hello/hello",
            "gateway.networking.k8s.io/v1 Gateway kube-system/alb",
            "gateway.k8s.aws/v1 LoadBalancerConfiguration kube-system/alb",
            "gateway.networking.k8s.io/v1 GatewayClass -/alb",
            "networking.k8s.io/v1 IngressClass -/alb",
            "elbv2.k8s.aws/v1beta1 IngressClassParams -/alb",
            "policy/v1 PodDisruptionBudget hello/hello",
            "networking.k8s.io/v1 NetworkPolicy hello/default-deny",
            "v1 ServiceAccount hello/hello",
        ]) {
            assert.ok(kinds.includes(expected), `missing ${expected}; got ${kinds.join(", ")}`);
        }
        const deployment = objects.find((o) => o.kind === "Deployment");
        assert.equal(deployment.spec.template.spec.containers[0].image, "nginxinc/nginx-unprivileged:1.27.3-alpine");
        assert.equal(objects[0].kind, "Namespace", "namespaces come first");
        const prodObjects = yamlObjects(fs.readFileSync(path.join(out.prod, "manifests", "ap-northeast-1.yaml"), "utf8"));
        const hpa = prodObjects.find((o) => o.kind === "HorizontalPodAutoscaler");
        assert.equal(hpa?.spec.maxReplicas, 10);
        const ingress = prodObjects.find((o) => o.kind === "Ingress");
        // The region's managed certificate (components/certificates.ts), once validated.
        assert.match(ingress.metadata.annotations["alb.ingress.kubernetes.io/certificate-arn"],
            /^arn:aws:acm:ap-northeast-1:\d{12}:certificate\/[0-9a-f-]{36}$/);
    });

    it("writes architecture.md with a Mermaid diagram of regions, VPC, subnets, cluster, nodes, controller, apps and ALBs", () => {
        const md = fs.readFileSync(path.join(out.prod, "architecture.md"), "utf8");
        const mermaid = /```mermaid\n([\s\S]*?)\n```/.exec(md)?.[1];
        assert.ok(mermaid, "no mermaid block");
        assert.match(mermaid!, /^flowchart /);
        for (const text of [
            "Region ap-northeast-2", "Region ap-northeast-1", "VPC 10.40.0.0/16", "VPC 10.41.0.0/16",
            "ap-northeast-1c", "private subnet<br/>10.41.64.0/19", "EKS prod-ap-northeast-1 · Kubernetes 1.36",
            "node group system", "AWS Load Balancer Controller", "app hello (ns hello)", "ALB prod-public",
        ]) {
            assert.ok(mermaid!.includes(text), `diagram lacks ${text}`);
        }
        assert.match(mermaid!, /internet --> r1_alb0/);
        for (const text of ["Karpenter controller", "Karpenter CRDs", "Karpenter pool spot<br/>spot · weight 50", "Karpenter pool on-demand"]) {
            assert.ok(mermaid!.includes(text), `diagram lacks ${text}`);
        }
        assert.match(mermaid!, /r1_helm\d+ -\.->\|"launches"\| r1_pool1/);
        // Every subgraph is closed.
        assert.equal((mermaid!.match(/^\s*subgraph /gm) ?? []).length, (mermaid!.match(/^\s*end$/gm) ?? []).length);
    });

    it("gives byte-identical files on a second run", async () => {
        for (const [stack, first] of [["dev", out.dev], ["prod", out.prod]] as const) {
            const again = tempDir(`${stack}-again`);
            const r = await plan(stack, { out: again });
            const a = readTree(first);
            const b = readTree(again);
            assert.deepEqual([...b.keys()], [...a.keys()]);
            for (const [f, bytes] of a) assert.ok(bytes.equals(b.get(f)!), `${stack}: ${f} differs between runs`);
            assert.equal(JSON.stringify(r.json), JSON.stringify(stack === "dev" ? dev.json : prod.json).replaceAll(first, again));
        }
    });

    it("says which schema version checked the objects", () => {
        // kubernetes-models 5.1.0 is generated from Kubernetes v1.36.0; an upgrade must update the constant.
        assert.equal(installedSchemaPackageVersion(), SCHEMA_PACKAGE_VERSION);
        assert.equal(SCHEMA_KUBERNETES_VERSION, "1.36.0");
        assert.deepEqual(prod.model!.schema, {
            package: "kubernetes-models@5.1.0", kubernetesVersion: "1.36.0", configuredVersion: "1.36", matches: true,
        });
        assert.match(prod.text, /checked against the Kubernetes 1\.36\.0 API schemas \(kubernetes-models@5\.1\.0\); configured version 1\.36\./);
    });
});

describe("offline plan warnings of a riskier production stack", function () {
    this.timeout(60000);

    it("warns that a private endpoint needs a runner inside the VPC, and about a spot-only group in production", async () => {
        const dir = stackDir("risky", "prod", (t) => t
            .replace(/  eks-platform:endpointAccess: public-and-private\n  eks-platform:publicAccessCidrs:\n    - [^\n]*\n/, "  eks-platform:endpointAccess: private\n")
            .replace("  eks-platform:nodeGroups:\n", "  eks-platform:nodeGroups:\n    - { name: apps, instanceTypes: [m6i.xlarge], capacityType: SPOT, minSize: 1, desiredSize: 1, maxSize: 3 }\n"));
        const r = await plan("risky", { dir, out: tempDir("risky") });
        assert.equal(r.status, "planned", r.text);
        const warnings = r.model!.warnings.map((w) => `[${w.region}] ${w.subject}: ${w.message}`);
        for (const region of ["ap-northeast-2", "ap-northeast-1"]) {
            assert.ok(warnings.some((w) => w.startsWith(`[${region}] endpointAccess: the cluster API endpoint is private: run \`pulumi up\` from a runner inside the VPC`)),
                warnings.join("\n"));
            assert.ok(warnings.some((w) => w.startsWith(`[${region}] nodeGroups apps: spot-only node group in production`)), warnings.join("\n"));
        }
        // The system group is still on-demand, so there is on-demand capacity.
        assert.ok(!warnings.some((w) => /no on-demand capacity/.test(w)));
        assert.ok(!warnings.some((w) => /publicAccessCidrs/.test(w)));
        assert.match(r.text, /endpoint private, no public endpoint/);
    });
});
