import { strict as assert } from "assert";
import { createHash } from "crypto";
import { CONTROLLER_CHART, CONTROLLER_POLICY, controllerValues, ingressClassFor, ingressClassParamsSpec, ingressClasses } from "../../components/ingress-settings";
import type { ResourceRecord } from "../../tools/harness/records";
import { json, ofType, one, stackRun } from "../support/fixtures";

/** The distinct actions the controller's maintainers publish for v3.5.0 (docs/install/iam_policy.json). */
const PUBLISHED_ACTIONS = ["acm:DescribeCertificate", "acm:ListCertificates", "cognito-idp:DescribeUserPoolClient", "ec2:AuthorizeSecurityGroupIngress", "ec2:CreateSecurityGroup", "ec2:CreateTags", "ec2:DeleteSecurityGroup", "ec2:DeleteTags", "ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones", "ec2:DescribeCoipPools", "ec2:DescribeInstances", "ec2:DescribeInternetGateways", "ec2:DescribeIpamPools", "ec2:DescribeNetworkInterfaces", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeTags", "ec2:DescribeVpcPeeringConnections", "ec2:DescribeVpcs", "ec2:GetCoipPoolUsage", "ec2:GetSecurityGroupsForVpc", "ec2:RevokeSecurityGroupIngress", "elasticloadbalancing:AddListenerCertificates", "elasticloadbalancing:AddTags", "elasticloadbalancing:CreateListener", "elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateRule", "elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:DeleteRule", "elasticloadbalancing:DeleteTargetGroup", "elasticloadbalancing:DeregisterTargets", "elasticloadbalancing:DescribeCapacityReservation", "elasticloadbalancing:DescribeListenerAttributes", "elasticloadbalancing:DescribeListenerCertificates", "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeLoadBalancerAttributes", "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeSSLPolicies", "elasticloadbalancing:DescribeTags", "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DescribeTrustStores", "elasticloadbalancing:ModifyCapacityReservation", "elasticloadbalancing:ModifyIpPools", "elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyListenerAttributes", "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:ModifyRule", "elasticloadbalancing:ModifyTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:RegisterTargets", "elasticloadbalancing:RemoveListenerCertificates", "elasticloadbalancing:RemoveTags", "elasticloadbalancing:SetIpAddressType", "elasticloadbalancing:SetRulePriorities", "elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets", "elasticloadbalancing:SetWebAcl", "iam:CreateServiceLinkedRole", "iam:GetServerCertificate", "iam:ListServerCertificates", "shield:CreateProtection", "shield:DeleteProtection", "shield:DescribeProtection", "shield:GetSubscriptionState", "waf-regional:AssociateWebACL", "waf-regional:DisassociateWebACL", "waf-regional:GetWebACL", "waf-regional:GetWebACLForResource", "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL", "wafv2:GetWebACL", "wafv2:GetWebACLForResource"];
/** sha256 of every statement's effect, sorted actions, resources and conditions, in order. */
const PUBLISHED_STATEMENTS_SHA256 = "edf5019cc919dbc30254b910c76a0921705d5ec3632daf3eea8f595f9a1225b8";

function statementsDigest(policy: { Statement: Array<Record<string, any>> }): string {
    const canonical = policy.Statement.map((s) => ({ a: [].concat(s.Action).sort(), c: s.Condition ?? null, r: s.Resource, e: s.Effect }));
    return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}

function actionsOf(policy: { Statement: Array<Record<string, any>> }): string[] {
    return [...new Set(policy.Statement.flatMap((s) => [].concat(s.Action)))].sort();
}

describe("Ingress: AWS Load Balancer Controller", () => {
    let records: ResourceRecord[];
    let outputs: Record<string, any>;
    before(async () => {
        ({ records, outputs } = await stackRun("dev"));
    });

    describe("IAM policy copy", () => {
        it("has exactly the published actions and the same statements and conditions", () => {
            assert.deepEqual(actionsOf(CONTROLLER_POLICY), PUBLISHED_ACTIONS);
            assert.equal(CONTROLLER_POLICY.Statement.length, 16);
            assert.equal(statementsDigest(CONTROLLER_POLICY), PUBLISHED_STATEMENTS_SHA256);
        });

        it("is attached to the controller's own role, which only Pod Identity can assume, for its service account in this cluster", () => {
            const role = one(records, "aws:iam/role:Role", "dev-ap-northeast-2-ingress-controller-role");
            assert.deepEqual(json(role.inputs.assumeRolePolicy).Statement, [{
                Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"],
                Condition: { StringEquals: {
                    "aws:RequestTag/eks-cluster-arn": "arn:aws:eks:ap-northeast-2:123456789012:cluster/dev-ap-northeast-2",
                    "aws:RequestTag/kubernetes-namespace": "kube-system",
                    "aws:RequestTag/kubernetes-service-account": "aws-load-balancer-controller",
                } },
            }]);
            const inline = one(records, "aws:iam/rolePolicy:RolePolicy", "dev-ap-northeast-2-ingress-controller-policy");
            assert.equal(statementsDigest(json(inline.inputs.policy)), PUBLISHED_STATEMENTS_SHA256);
            const assoc = one(records, "aws:eks/podIdentityAssociation:PodIdentityAssociation", "dev-ap-northeast-2-ingress-controller-identity");
            assert.equal(assoc.inputs.namespace, "kube-system");
            assert.equal(assoc.inputs.serviceAccount, "aws-load-balancer-controller");
            assert.equal(assoc.inputs.clusterName, "dev-ap-northeast-2");
            assert.equal(assoc.inputs.roleArn, role.state.arn);
            assert.equal(assoc.provider, "pulumi:providers:aws::dev-ap-northeast-2-aws");
            assert.equal(outputs.regions["ap-northeast-2"].controllerRoleArn, role.state.arn, "exported per region");
            assert.equal(outputs.regions["ap-northeast-2"].ingressClassName, "alb");
        });
    });

    describe("Helm release", () => {
        it("installs chart aws-load-balancer-controller 3.5.0 from eks-charts into kube-system", () => {
            const release = one(records, "kubernetes:helm.sh/v3:Release", "dev-ap-northeast-2-ingress-controller");
            assert.equal(release.inputs.chart, "aws-load-balancer-controller");
            assert.equal(release.inputs.name, "aws-load-balancer-controller", "a fixed release name, within Helm's 53 characters");
            assert.equal(release.inputs.version, "3.5.0");
            assert.deepEqual(release.inputs.repositoryOpts, { repo: "https://aws.github.io/eks-charts" });
            assert.equal(release.inputs.namespace, "kube-system");
            assert.equal(release.provider, "pulumi:providers:kubernetes::dev-ap-northeast-2-k8s");
            assert.ok(release.dependsOn.includes("aws:eks/podIdentityAssociation:PodIdentityAssociation::dev-ap-northeast-2-ingress-controller-identity"),
                "the release must wait for its Pod Identity association (credentials are injected at pod start)");
            // A component in dependsOn stands for all its children: the node groups outlive the controller on destroy.
            assert.ok(release.dependsOn.includes("eks-platform:index:NodeGroups::dev-ap-northeast-2-nodes"), "the release runs on the node groups");
        });

        it("passes clusterName, region and vpcId explicitly and runs 2 replicas spread over zones", () => {
            const release = one(records, "kubernetes:helm.sh/v3:Release", "dev-ap-northeast-2-ingress-controller");
            const v = release.inputs.values;
            assert.equal(v.clusterName, "dev-ap-northeast-2");
            assert.equal(v.region, "ap-northeast-2");
            assert.match(v.vpcId, /^vpc-[0-9a-f]{17}$/);
            assert.equal(v.vpcId, outputs.regions["ap-northeast-2"].vpcId, "the region's own VPC");
            assert.equal(v.replicaCount, 2);
            assert.equal(v.topologySpreadConstraints[0].topologyKey, "topology.kubernetes.io/zone");
            assert.deepEqual(v.serviceAccount, { create: true, name: "aws-load-balancer-controller" });
            assert.equal(v.createIngressClassResource, false, "the IngressClasses are ours");
            assert.equal(v.defaultTags.environment, "dev");
        });

        it("builds the same values from the pure function", () => {
            const v = controllerValues({ clusterName: "c", region: "eu-west-1", vpcId: "vpc-1", tags: { a: "b" } });
            assert.deepEqual([v.clusterName, v.region, v.vpcId, v.replicaCount], ["c", "eu-west-1", "vpc-1", 2]);
            assert.deepEqual(v.podDisruptionBudget, { maxUnavailable: 1 });
            assert.deepEqual(v.tolerations, [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }], "may run on the system nodes");
            assert.equal(CONTROLLER_CHART.version, "3.5.0");
        });

        it("gives the controller, which serves fail-closed webhooks, requests, a memory limit and a critical priority", () => {
            const v = controllerValues({ clusterName: "c", region: "eu-west-1", vpcId: "vpc-1", tags: {} });
            // Chart 3.5.0's values.yaml defaults to `resources: {}` (BestEffort).
            assert.deepEqual(v.resources, { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } });
            assert.equal((v.resources as any).limits.cpu, undefined, "no CPU throttling of webhook calls");
            assert.equal(v.priorityClassName, "system-cluster-critical");
        });
    });

    describe("IngressClasses", () => {
        it("are alb (internet-facing) and alb-internal, each with IngressClassParams fixing scheme, group, IP type and TLS policy", () => {
            const classes = ingressClasses("dev");
            assert.deepEqual(classes.map((c) => [c.name, c.scheme, c.groupName]), [
                ["alb", "internet-facing", "dev-public"],
                ["alb-internal", "internal", "dev-internal"],
            ]);
            const params = one(records, "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams", "dev-ap-northeast-2-ingress-alb-params");
            assert.equal(params.inputs.apiVersion, "elbv2.k8s.aws/v1beta1");
            assert.equal(params.inputs.kind, "IngressClassParams");
            // dev: no access logs, deletion protection explicitly off.
            assert.deepEqual(params.inputs.spec, ingressClassParamsSpec(classes[0], "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", { deletionProtection: false }));
            assert.equal(params.inputs.spec.scheme, "internet-facing");
            assert.deepEqual(params.inputs.spec.group, { name: "dev-public" });
            assert.equal(params.inputs.spec.ipAddressType, "ipv4");
            assert.match(String(params.inputs.spec.sslPolicy), /^ELBSecurityPolicy-TLS13-/);
            const internal = one(records, "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams", "dev-ap-northeast-2-ingress-alb-internal-params");
            assert.equal(internal.inputs.spec.scheme, "internal");
        });

        it("point at the controller and their params, created after the controller is ready", () => {
            const cls = one(records, "kubernetes:networking.k8s.io/v1:IngressClass", "dev-ap-northeast-2-ingress-alb-class");
            assert.equal(cls.inputs.metadata.name, "alb");
            assert.equal(cls.inputs.spec.controller, "ingress.k8s.aws/alb");
            assert.deepEqual(cls.inputs.spec.parameters, { apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: "alb" });
            assert.deepEqual(cls.dependsOn, ["kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams::dev-ap-northeast-2-ingress-alb-params"]);
            const params = one(records, "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams", "dev-ap-northeast-2-ingress-alb-params");
            assert.deepEqual(params.dependsOn, ["kubernetes:helm.sh/v3:Release::dev-ap-northeast-2-ingress-controller"]);
            assert.equal(ingressClassFor("internal"), "alb-internal");
        });

        it("uses the stack's TLS policy", async () => {
            const { records: prod } = await stackRun("prod");
            for (const p of ofType(prod, "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams")) {
                assert.equal(p.inputs.spec.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09");
            }
            assert.equal(ofType(prod, "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams").length, 4);
        });
    });
});
