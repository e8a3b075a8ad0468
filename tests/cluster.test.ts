/**
 * Cluster: the EKS control plane's inputs, its KMS key, role and log group, and the managed add-ons
 * (the networking ones under the Cluster, the rest under Addons after the node groups).
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Cluster, ClusterArgs } from "../components/cluster";
import { PROTECTED_EKS_CHILD_TYPES, protectEksClusterOnly } from "../components/cluster-protection";
import { ADDONS, addonsFor } from "../components/addons-plan";
import { addonPin } from "../facts/addon-versions";
import {
    CONTROL_PLANE_LOG_TYPES, adminAccessEntries, clusterName, controlPlaneLogGroupName, endpointFlags,
} from "../components/cluster-settings";
import { CLUSTER_ADMIN_ACCESS_POLICY, MANAGED_POLICY } from "../components/iam-policies";
import type { ResourceRecord } from "../tools/harness/records";
import { T, TEST_PROVIDER_KEY, attachedPolicies, json, ofType, one, runComponent, stackRun } from "./support/fixtures";

const ADMIN = "arn:aws:iam::123456789012:role/platform-admin";
const EKS = `${T.eksCluster}::c-eks`;

type ClusterOutputs = { clusterName: string; kmsKeyArn: string; clusterRoleArn: string; endpoint: string };

function runCluster(args: Partial<Omit<ClusterArgs, "provider">> = {}) {
    return runComponent((provider) => {
        const c = new Cluster("c", {
            provider,
            clusterName: "test-ap-northeast-2",
            version: "1.33",
            vpcId: "vpc-123",
            privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"],
            endpointAccess: "public-and-private",
            publicAccessCidrs: ["203.0.113.0/24"],
            adminPrincipals: [ADMIN],
            logRetentionDays: 30,
            protect: false,
            ...args,
        });
        return { clusterName: c.clusterName, kmsKeyArn: c.kmsKeyArn, clusterRoleArn: c.clusterRoleArn, endpoint: c.endpoint };
    });
}

describe("Cluster", () => {
    describe("settings", () => {
        it("maps each endpoint mode to the EKS flags, with an allow-list only on a public endpoint", () => {
            const cidrs = ["203.0.113.0/24"];
            assert.deepStrictEqual(endpointFlags("public", cidrs), { endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: cidrs });
            assert.deepStrictEqual(endpointFlags("public-and-private", cidrs), { endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs: cidrs });
            assert.deepStrictEqual(endpointFlags("private", cidrs), { endpointPublicAccess: false, endpointPrivateAccess: true });
        });

        it("gives each admin principal a cluster-admin access entry under a key derived from its ARN", () => {
            assert.deepStrictEqual(adminAccessEntries([ADMIN, "arn:aws:iam::123456789012:user/ops.lead"]), {
                "admin-role-platform-admin": {
                    principalArn: ADMIN, type: "STANDARD",
                    accessPolicies: { "cluster-admin": { policyArn: CLUSTER_ADMIN_ACCESS_POLICY, accessScope: { type: "cluster" } } },
                },
                "admin-user-ops-lead": {
                    principalArn: "arn:aws:iam::123456789012:user/ops.lead", type: "STANDARD",
                    accessPolicies: { "cluster-admin": { policyArn: CLUSTER_ADMIN_ACCESS_POLICY, accessScope: { type: "cluster" } } },
                },
            });
            assert.deepStrictEqual(adminAccessEntries([]), {});
        });

        it("keeps one entry per principal when two ARNs map to the same key", () => {
            const a = "arn:aws:iam::111111111111:role/admin";
            const b = "arn:aws:iam::222222222222:role/admin";
            const c = "arn:aws:iam::111111111111:role/ad.min";
            const d = "arn:aws:iam::111111111111:role/ad-min";
            const entries = adminAccessEntries([a, b, a, c, d]);
            assert.deepStrictEqual(Object.keys(entries), ["admin-role-admin", "admin-role-admin-222222222222", "admin-role-ad-min", "admin-role-ad-min-111111111111"]);
            assert.deepStrictEqual(Object.values(entries).map((e) => e.principalArn), [a, b, c, d]);
            // The first principal keeps the plain key, so adding a colliding one renames nothing.
            assert.deepStrictEqual(Object.keys(adminAccessEntries([a])), ["admin-role-admin"]);
        });

        it("names the cluster and its log group after environment and region", () => {
            assert.strictEqual(clusterName("prod", "ap-northeast-1"), "prod-ap-northeast-1");
            assert.strictEqual(controlPlaneLogGroupName("prod-ap-northeast-1"), "/aws/eks/prod-ap-northeast-1/cluster");
            assert.deepStrictEqual([...CONTROL_PLANE_LOG_TYPES], ["api", "audit", "authenticator", "controllerManager", "scheduler"]);
        });
    });

    describe("component", () => {
        let run: { records: ResourceRecord[]; outputs: ClusterOutputs };
        before(async () => {
            run = await runCluster();
        });

        it("creates a KMS key with yearly rotation for Secrets, and its alias", () => {
            const key = one(run.records, T.kmsKey, "c-secrets-key");
            assert.strictEqual(key.inputs.enableKeyRotation, true);
            assert.strictEqual(key.inputs.rotationPeriodInDays, 365);
            assert.strictEqual(key.inputs.deletionWindowInDays, 30);
            const alias = one(run.records, T.kmsAlias, "c-secrets-key-alias");
            assert.strictEqual(alias.inputs.name, "alias/eks/test-ap-northeast-2-secrets");
            assert.strictEqual(alias.inputs.targetKeyId, key.state.keyId);
            assert.strictEqual(run.outputs.kmsKeyArn, key.state.arn);
        });

        it("creates the cluster role: trusted by EKS only, with the cluster and VPC resource controller policies and use of the key", () => {
            const role = one(run.records, T.role, "c-role");
            assert.deepStrictEqual(json(role.inputs.assumeRolePolicy), {
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: "sts:AssumeRole" }],
            });
            assert.deepStrictEqual(attachedPolicies(run.records, "c-role"), [MANAGED_POLICY.eksCluster, MANAGED_POLICY.eksVpcResourceController].sort());
            const kms = json(one(run.records, T.rolePolicy, "c-role-kms").inputs.policy);
            assert.deepStrictEqual(kms.Statement, [{
                Effect: "Allow",
                Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
                Resource: one(run.records, T.kmsKey, "c-secrets-key").state.arn,
            }]);
            assert.strictEqual(run.outputs.clusterRoleArn, role.state.arn);
        });

        it("creates the control-plane log group EKS writes to, with the retention", () => {
            const group = one(run.records, T.logGroup, "c-control-plane-logs");
            assert.strictEqual(group.inputs.name, "/aws/eks/test-ap-northeast-2/cluster");
            assert.strictEqual(group.inputs.retentionInDays, 30);
        });

        // Exactly what this program passes to the remote eks.Cluster; what pulumi-eks v4.3.0 does with it is
        // in nodejs/eks/cluster/cluster.ts (subnets l.500-510, security groups l.548-575 and l.2120-2147).
        it("passes the EKS cluster its name, version, subnets, logs, encryption and authentication", () => {
            const eks = one(run.records, T.eksCluster, "c-eks");
            const i = eks.inputs;
            assert.strictEqual(i.name, "test-ap-northeast-2");
            assert.strictEqual(i.version, "1.33");
            assert.strictEqual(i.vpcId, "vpc-123");
            // The control plane's ENIs go in the private subnets only: `subnetIds` is vpcConfig.subnetIds
            // as given; public + private would be concatenated into it (cluster.ts l.505-510).
            assert.deepStrictEqual(i.subnetIds, ["subnet-priv-a", "subnet-priv-b"]);
            assert.strictEqual(i.publicSubnetIds, undefined);
            assert.strictEqual(i.privateSubnetIds, undefined);
            // No pulumi-eks cluster/node security groups (and no rule between them): managed nodes use
            // the cluster security group EKS creates.
            assert.strictEqual(i.skipDefaultSecurityGroups, true);
            assert.strictEqual(i.clusterSecurityGroup, undefined);
            assert.strictEqual(i.skipDefaultNodeGroup, true);
            assert.strictEqual(i.nodeAssociatePublicIpAddress, false);
            assert.deepStrictEqual(i.enabledClusterLogTypes, ["api", "audit", "authenticator", "controllerManager", "scheduler"]);
            assert.strictEqual(i.encryptionConfigKeyArn, one(run.records, T.kmsKey, "c-secrets-key").state.arn);
            assert.strictEqual(i.authenticationMode, "API");
            assert.deepStrictEqual(i.accessEntries, adminAccessEntries([ADMIN]));
            assert.strictEqual(i.bootstrapSelfManagedAddons, false);
            assert.strictEqual(i.createOidcProvider, true);
            // The add-ons are ours (aws.eks.Addon), so the eks component must not install its own.
            assert.strictEqual(i.useDefaultVpcCni, true);
            assert.strictEqual(i.corednsAddonOptions.enabled, false);
            assert.strictEqual(i.kubeProxyAddonOptions.enabled, false);
            assert.strictEqual(run.outputs.clusterName, "test-ap-northeast-2");
        });

        it("creates the cluster on the region's provider, after its log group, key permission and role policies", () => {
            const eks = one(run.records, T.eksCluster, "c-eks");
            assert.deepStrictEqual(eks.providers, { aws: TEST_PROVIDER_KEY });
            assert.strictEqual(eks.parent, `${T.cluster}::c`);
            assert.deepStrictEqual([...eks.dependsOn].sort(), [
                `${T.logGroup}::c-control-plane-logs`,
                `${T.rolePolicy}::c-role-kms`,
                `${T.attachment}::c-role-policy-0`,
                `${T.attachment}::c-role-policy-1`,
            ].sort());
        });

        it("opens the endpoint as each mode says", async () => {
            assert.deepStrictEqual(pick(one(run.records, T.eksCluster, "c-eks").inputs), {
                endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs: ["203.0.113.0/24"],
            });
            const pub = await runCluster({ endpointAccess: "public", publicAccessCidrs: ["198.51.100.7/32"] });
            assert.deepStrictEqual(pick(one(pub.records, T.eksCluster, "c-eks").inputs), {
                endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: ["198.51.100.7/32"],
            });
            const priv = await runCluster({ endpointAccess: "private", publicAccessCidrs: [] });
            assert.deepStrictEqual(pick(one(priv.records, T.eksCluster, "c-eks").inputs), {
                endpointPublicAccess: false, endpointPrivateAccess: true, publicAccessCidrs: undefined,
            });
        });

        it("protects the cluster and key, with EKS deletion protection, only when asked", async () => {
            const off = one(run.records, T.eksCluster, "c-eks");
            assert.strictEqual(off.protect, false);
            assert.deepStrictEqual(off.transforms, []);
            assert.strictEqual(off.inputs.deletionProtection, false);
            assert.strictEqual(one(run.records, T.kmsKey, "c-secrets-key").protect, false);

            const on = await runCluster({ protect: true });
            const eks = one(on.records, T.eksCluster, "c-eks");
            assert.strictEqual(eks.inputs.deletionProtection, true);
            assert.strictEqual(one(on.records, T.kmsKey, "c-secrets-key").protect, true);
            // Not `protect` on the component: the provider's children would all inherit it.
            assert.strictEqual(eks.protect, false);
            assert.deepStrictEqual(eks.transforms, [protectEksClusterOnly]);
        });

        it("protects, inside the eks component, exactly the EKS cluster", async () => {
            // The children pulumi-eks v4.3.0 registers under its component (nodejs/eks/cluster/cluster.ts:
            // the cluster l.687, its Kubernetes provider l.914, the OIDC provider l.1255, access entries and
            // policy associations, the cluster role's parts), as the engine hands them to the transform.
            const child = (type: string): pulumi.ResourceTransformArgs =>
                ({ custom: true, type, name: `c-eks-${type.split(":").pop()}`, props: { p: 1 }, opts: { ignoreChanges: ["x"] } });
            const eksCluster = await protectEksClusterOnly(child("aws:eks/cluster:Cluster"));
            assert.deepStrictEqual(eksCluster, { props: { p: 1 }, opts: { ignoreChanges: ["x"], protect: true } });
            for (const type of [
                "aws:eks/accessEntry:AccessEntry", "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
                "aws:iam/openIdConnectProvider:OpenIdConnectProvider", "pulumi:providers:kubernetes", "aws:iam/role:Role",
                "eks:index:Cluster",
            ]) {
                assert.strictEqual(await protectEksClusterOnly(child(type)), undefined, type);
            }
            assert.deepStrictEqual(PROTECTED_EKS_CHILD_TYPES, ["aws:eks/cluster:Cluster"]);
        });

        it("lets EKS upgrade at the end of standard support unless extended support is asked for", async () => {
            assert.deepStrictEqual(one(run.records, T.eksCluster, "c-eks").inputs.upgradePolicy, { supportType: "STANDARD" });
            const extended = await runCluster({ extendedSupport: true });
            assert.deepStrictEqual(one(extended.records, T.eksCluster, "c-eks").inputs.upgradePolicy, { supportType: "EXTENDED" });
        });

        it("registers every child under the component, named after it, on the given provider", () => {
            const children = run.records.filter((r) => r.parent === `${T.cluster}::c`);
            assert.ok(children.length >= 10);
            for (const c of children) {
                assert.ok(c.name.startsWith("c-"), c.key);
                if (c.custom) assert.strictEqual(c.provider, TEST_PROVIDER_KEY, c.key);
            }
        });
    });

    describe("networking add-ons (under the Cluster)", () => {
        let run: { records: ResourceRecord[]; outputs: ClusterOutputs };
        before(async () => {
            run = await runCluster();
        });

        it("installs vpc-cni, kube-proxy and eks-pod-identity-agent before the node groups", () => {
            assert.deepStrictEqual(addonsFor("before-nodes").map((a) => a.name), ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]);
            const addons = ofType(run.records, T.addon);
            assert.deepStrictEqual(addons.map((a) => a.inputs.addonName).sort(), ["eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
            for (const a of addons) {
                assert.strictEqual(a.parent, `${T.cluster}::c`);
                assert.strictEqual(a.name, `c-${a.inputs.addonName}`);
                assert.strictEqual(a.inputs.resolveConflictsOnCreate, "OVERWRITE");
                // Explicit: the version pinned for the cluster's Kubernetes minor (facts/data/addon-versions.json).
                assert.strictEqual(a.inputs.addonVersion, addonPin(a.inputs.addonName, "1.33")!.version);
            }
        });

        it("creates them on the created cluster: its name comes from the cluster and they depend on it", () => {
            for (const a of ofType(run.records, T.addon)) {
                assert.strictEqual(a.inputs.clusterName, "test-ap-northeast-2");
                assert.ok(a.dependsOn.includes(EKS), `${a.key} dependsOn ${a.dependsOn.join(", ") || "(nothing)"}`);
            }
        });

        it("gives vpc-cni its own Pod Identity role with the CNI policy, and network policy enforcement", () => {
            const role = one(run.records, T.role, "c-vpc-cni-role");
            assert.deepStrictEqual(json(role.inputs.assumeRolePolicy).Statement, [podIdentityStatement(
                "arn:aws:eks:ap-northeast-2:123456789012:cluster/test-ap-northeast-2", "aws-node",
            )]);
            assert.deepStrictEqual(attachedPolicies(run.records, "c-vpc-cni-role"), [MANAGED_POLICY.cni]);
            const cni = one(run.records, T.addon, "c-vpc-cni");
            assert.deepStrictEqual(cni.inputs.podIdentityAssociations, [{ roleArn: role.state.arn, serviceAccount: "aws-node" }]);
            assert.deepStrictEqual(json(cni.inputs.configurationValues), { enableNetworkPolicy: "true" });
            // Its pods get the role's credentials at once: the add-on waits until the role holds its policy.
            assert.ok(cni.dependsOn.includes("aws:iam/rolePolicyAttachment:RolePolicyAttachment::c-vpc-cni-policy"), cni.dependsOn.join(", "));
        });

        it("gives kube-proxy and the Pod Identity agent no AWS role", () => {
            for (const name of ["kube-proxy", "eks-pod-identity-agent"]) {
                assert.strictEqual(one(run.records, T.addon, `c-${name}`).inputs.podIdentityAssociations, undefined);
                assert.strictEqual(run.records.filter((r) => r.name === `c-${name}-role`).length, 0);
            }
            assert.deepStrictEqual(ofType(run.records, T.role).map((r) => r.name).sort(), ["c-role", "c-vpc-cni-role"]);
        });
    });

    describe("add-ons that need nodes (under Addons, in the dev stack)", () => {
        let records: ResourceRecord[];
        before(async () => {
            records = (await stackRun("dev")).records;
        });
        const ADDONS_KEY = `${T.addons}::dev-ap-northeast-2-addons`;

        it("installs coredns, the EBS CSI driver, metrics-server and the node monitoring agent under Addons, which waits for the node groups", () => {
            assert.deepStrictEqual(addonsFor("after-nodes").map((a) => a.name), ["coredns", "aws-ebs-csi-driver", "metrics-server", "eks-node-monitoring-agent"]);
            assert.deepStrictEqual(ADDONS.map((a) => a.name).sort(), [...addonsFor("before-nodes"), ...addonsFor("after-nodes")].map((a) => a.name).sort());
            const addons = ofType(records, T.addon).filter((a) => a.parent === ADDONS_KEY);
            assert.deepStrictEqual(addons.map((a) => a.inputs.addonName).sort(), ["aws-ebs-csi-driver", "coredns", "eks-node-monitoring-agent", "metrics-server"]);
            for (const a of addons) assert.strictEqual(a.inputs.clusterName, "dev-ap-northeast-2");
            const component = one(records, T.addons, "dev-ap-northeast-2-addons");
            assert.ok(component.dependsOn.includes(`${T.nodeGroups}::dev-ap-northeast-2-nodes`), component.dependsOn.join(", "));
            const underCluster = ofType(records, T.addon).filter((a) => a.parent === `${T.cluster}::dev-ap-northeast-2-cluster`);
            assert.deepStrictEqual(underCluster.map((a) => a.inputs.addonName).sort(), ["eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
        });

        it("gives the EBS CSI controller its own Pod Identity role with the EBS CSI policy", () => {
            const role = one(records, T.role, "dev-ap-northeast-2-addons-aws-ebs-csi-driver-role");
            assert.deepStrictEqual(json(role.inputs.assumeRolePolicy).Statement, [podIdentityStatement(
                "arn:aws:eks:ap-northeast-2:123456789012:cluster/dev-ap-northeast-2", "ebs-csi-controller-sa",
            )]);
            assert.deepStrictEqual(attachedPolicies(records, role.name), [MANAGED_POLICY.ebsCsi]);
            const ebs = one(records, T.addon, "dev-ap-northeast-2-addons-aws-ebs-csi-driver");
            assert.deepStrictEqual(ebs.inputs.podIdentityAssociations, [{ roleArn: role.state.arn, serviceAccount: "ebs-csi-controller-sa" }]);
            for (const name of ["coredns", "metrics-server"]) {
                assert.strictEqual(one(records, T.addon, `dev-ap-northeast-2-addons-${name}`).inputs.podIdentityAssociations, undefined);
            }
        });

        it("keeps the CNI policy off the node role", () => {
            const nodePolicies = attachedPolicies(records, "dev-ap-northeast-2-nodes-node-role");
            assert.strictEqual(nodePolicies.length, 3);
            assert.ok(!nodePolicies.includes(MANAGED_POLICY.cni));
            const cniHolders = ofType(records, T.attachment).filter((a) => a.inputs.policyArn === MANAGED_POLICY.cni).map((a) => a.inputs.role);
            assert.deepStrictEqual(cniHolders, ["dev-ap-northeast-2-cluster-vpc-cni-role"]);
        });
    });
});

/**
 * A Pod Identity trust for one service account of kube-system in one cluster: the session tags EKS
 * documents for trust conditions (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html).
 */
function podIdentityStatement(clusterArn: string, serviceAccount: string) {
    return {
        Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: { StringEquals: {
            "aws:RequestTag/eks-cluster-arn": clusterArn,
            "aws:RequestTag/kubernetes-namespace": "kube-system",
            "aws:RequestTag/kubernetes-service-account": serviceAccount,
        } },
    };
}

function pick(i: Record<string, any>) {
    return { endpointPublicAccess: i.endpointPublicAccess, endpointPrivateAccess: i.endpointPrivateAccess, publicAccessCidrs: i.publicAccessCidrs };
}
