/**
 * NodeGroups: managed node groups in private subnets with a hardened launch template, the node role,
 * and Fargate profiles with their pod execution role.
 */
import * as assert from "assert";
import { NodeGroups } from "../components/compute/managed-node-groups";
import {
    METADATA_OPTIONS, blockDeviceMappings, dataDeviceName, eksTaints, nodeGroupName,
} from "../components/compute/managed-node-group-settings";
import { MANAGED_POLICY } from "../components/iam-policies";
import { checkResource } from "../policy/rules";
import { MOCK_ACCOUNT_ID } from "../tools/harness/outputs";
import type { ResourceRecord } from "../tools/harness/records";
import { T, TEST_PROVIDER_KEY, attachedPolicies, json, nodeGroupSpec, ofType, one, runComponent } from "./support/fixtures";

const PRIVATE = ["subnet-priv-a", "subnet-priv-b", "subnet-priv-c"];

describe("NodeGroups", () => {
    describe("settings", () => {
        it("maps Kubernetes taint effects to the EKS API's spelling", () => {
            assert.deepStrictEqual(eksTaints([
                { key: "dedicated", value: "gpu", effect: "NoSchedule" },
                { key: "spot", effect: "NoExecute" },
                { key: "batch", value: "true", effect: "PreferNoSchedule" },
            ]), [
                { key: "dedicated", value: "gpu", effect: "NO_SCHEDULE" },
                { key: "spot", value: undefined, effect: "NO_EXECUTE" },
                { key: "batch", value: "true", effect: "PREFER_NO_SCHEDULE" },
            ]);
        });

        it("puts images and pods on /dev/xvda for AL2023 and /dev/xvdb for Bottlerocket", () => {
            assert.strictEqual(dataDeviceName("AL2023_x86_64_STANDARD"), "/dev/xvda");
            assert.strictEqual(dataDeviceName("AL2023_ARM_64_STANDARD"), "/dev/xvda");
            assert.strictEqual(dataDeviceName("BOTTLEROCKET_x86_64"), "/dev/xvdb");
            assert.strictEqual(dataDeviceName("BOTTLEROCKET_ARM_64"), "/dev/xvdb");
        });

        it("makes that volume gp3, encrypted, of the configured size", () => {
            assert.deepStrictEqual(blockDeviceMappings({ amiType: "AL2023_ARM_64_STANDARD", diskSizeGiB: 120 }), [{
                deviceName: "/dev/xvda",
                ebs: { volumeSize: 120, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
            }]);
        });

        it("declares Bottlerocket's root volume too, encrypted, sized by the AMI", () => {
            for (const amiType of ["BOTTLEROCKET_x86_64", "BOTTLEROCKET_ARM_64"] as const) {
                assert.deepStrictEqual(blockDeviceMappings({ amiType, diskSizeGiB: 120 }), [
                    { deviceName: "/dev/xvda", ebs: { volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
                    { deviceName: "/dev/xvdb", ebs: { volumeSize: 120, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
                ], amiType);
                assert.deepStrictEqual(checkResource(T.launchTemplate, { metadataOptions: { ...METADATA_OPTIONS }, blockDeviceMappings: blockDeviceMappings({ amiType, diskSizeGiB: 120 }) }), []);
            }
        });

        it("requires IMDSv2 with a hop limit of 1", () => {
            assert.strictEqual(METADATA_OPTIONS.httpTokens, "required");
            assert.strictEqual(METADATA_OPTIONS.httpPutResponseHopLimit, 1);
            assert.strictEqual(METADATA_OPTIONS.httpEndpoint, "enabled");
        });

        it("names the EKS node group after the cluster", () => {
            assert.strictEqual(nodeGroupName("prod-ap-northeast-1", "system"), "prod-ap-northeast-1-system");
        });
    });

    describe("component", () => {
        let run: { records: ResourceRecord[]; outputs: { nodeRoleArn: string; podExecutionRoleArn?: string; nodeGroupNames: string[]; fargateProfileNames: string[] } };
        let bare: { records: ResourceRecord[]; outputs: { hasPodExecutionRole: boolean; fargateProfileNames: string[] } };

        before(async () => {
            run = await runComponent((provider) => {
                const n = new NodeGroups("ng", {
                    provider,
                    region: "ap-northeast-2",
                    clusterName: "test-ap-northeast-2",
                    kubernetesVersion: "1.35",
                    privateSubnetIds: PRIVATE,
                    nodeGroups: [
                        nodeGroupSpec({
                            name: "general", instanceTypes: ["t3.large", "t3a.large"], capacityType: "SPOT",
                            minSize: 2, desiredSize: 3, maxSize: 5, diskSizeGiB: 60, maxUnavailable: 2, autoscaler: true,
                            labels: { workload: "general" },
                            taints: [{ key: "dedicated", value: "general", effect: "NoSchedule" }, { key: "spot", effect: "PreferNoSchedule" }],
                        }),
                        nodeGroupSpec({ name: "bottle", amiType: "BOTTLEROCKET_ARM_64", instanceTypes: ["m7g.large"], diskSizeGiB: 30 }),
                    ],
                    fargateProfiles: [
                        { name: "batch", selectors: [{ namespace: "batch", labels: { tier: "jobs" } }, { namespace: "cron" }] },
                        { name: "tools", selectors: [{ namespace: "tools" }] },
                    ],
                    instanceTags: { team: "platform", environment: "test" },
                });
                return { nodeRoleArn: n.nodeRoleArn, podExecutionRoleArn: n.podExecutionRoleArn, nodeGroupNames: n.nodeGroupNames, fargateProfileNames: n.fargateProfileNames };
            });
            bare = await runComponent((provider) => {
                const n = new NodeGroups("ng", {
                    provider, region: "ap-northeast-2", clusterName: "test-ap-northeast-2", kubernetesVersion: "1.35", privateSubnetIds: PRIVATE,
                    nodeGroups: [nodeGroupSpec()],
                });
                return { hasPodExecutionRole: n.podExecutionRoleArn.apply((a) => a !== undefined), fargateProfileNames: n.fargateProfileNames };
            });
        });

        it("creates a node role trusted by EC2 with the worker node, ECR pull-only and SSM core policies, and no CNI policy", () => {
            const role = one(run.records, T.role, "ng-node-role");
            assert.deepStrictEqual(json(role.inputs.assumeRolePolicy).Statement, [
                { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
            ]);
            assert.deepStrictEqual(attachedPolicies(run.records, "ng-node-role"),
                [MANAGED_POLICY.workerNode, MANAGED_POLICY.ecrPullOnly, MANAGED_POLICY.ssmCore].sort());
            assert.strictEqual(run.outputs.nodeRoleArn, role.state.arn);
        });

        it("places nodes in the private subnets only, without remote access", () => {
            assert.ok(ofType(run.records, T.nodeGroup).length >= 2, "node groups were registered");
            for (const g of ofType(run.records, T.nodeGroup)) {
                assert.deepStrictEqual(g.inputs.subnetIds, PRIVATE, g.name);
                assert.strictEqual(g.inputs.remoteAccess, undefined, g.name);
                assert.strictEqual(g.inputs.diskSize, undefined, `${g.name}: the disk comes from the launch template`);
            }
        });

        it("leaves desiredSize to an autoscaler only where the group says one owns it", () => {
            assert.deepStrictEqual(one(run.records, T.nodeGroup, "ng-general").ignoreChanges, ["scalingConfig.desiredSize"]);
            assert.deepStrictEqual(one(run.records, T.nodeGroup, "ng-bottle").ignoreChanges, [], "Pulumi owns the size without an autoscaler");
        });

        it("passes each group's name, instance types, capacity, AMI, scaling, update config, labels and taints", () => {
            const g = one(run.records, T.nodeGroup, "ng-general").inputs;
            assert.strictEqual(g.clusterName, "test-ap-northeast-2");
            assert.strictEqual(g.nodeGroupName, "test-ap-northeast-2-general");
            assert.strictEqual(g.nodeRoleArn, run.outputs.nodeRoleArn);
            assert.deepStrictEqual(g.instanceTypes, ["t3.large", "t3a.large"]);
            assert.strictEqual(g.capacityType, "SPOT");
            assert.strictEqual(g.amiType, "AL2023_x86_64_STANDARD");
            assert.deepStrictEqual(g.scalingConfig, { minSize: 2, desiredSize: 3, maxSize: 5 });
            assert.deepStrictEqual(g.updateConfig, { maxUnavailable: 2 });
            assert.deepStrictEqual(g.labels, { workload: "general" });
            assert.deepStrictEqual(g.taints, [
                { key: "dedicated", value: "general", effect: "NO_SCHEDULE" },
                { key: "spot", effect: "PREFER_NO_SCHEDULE" },
            ]);
            const b = one(run.records, T.nodeGroup, "ng-bottle").inputs;
            assert.strictEqual(b.capacityType, "ON_DEMAND");
            assert.strictEqual(b.amiType, "BOTTLEROCKET_ARM_64");
            assert.deepStrictEqual(b.taints, []);
            assert.deepStrictEqual(run.outputs.nodeGroupNames, ["test-ap-northeast-2-general", "test-ap-northeast-2-bottle"]);
        });

        it("launches from a hardened template: IMDSv2 only, hop limit 1, encrypted gp3 volume of the configured size", () => {
            const lt = one(run.records, T.launchTemplate, "ng-general-lt").inputs;
            assert.deepStrictEqual(lt.metadataOptions, { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" });
            assert.deepStrictEqual(lt.blockDeviceMappings, [{
                deviceName: "/dev/xvda", ebs: { volumeSize: 60, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
            }]);
            assert.strictEqual(lt.keyName, undefined, "no SSH key");
            assert.strictEqual(lt.userData, undefined);
            const bottle = one(run.records, T.launchTemplate, "ng-bottle-lt").inputs;
            assert.deepStrictEqual(bottle.blockDeviceMappings.map((m: any) => [m.deviceName, m.ebs.volumeSize, m.ebs.encrypted]), [["/dev/xvda", undefined, "true"], ["/dev/xvdb", 30, "true"]]);
        });

        it("tags the instances and volumes it launches, and uses the template's latest version", () => {
            const lt = one(run.records, T.launchTemplate, "ng-general-lt");
            const tags = { team: "platform", environment: "test", Name: "ng-general" };
            assert.deepStrictEqual(lt.inputs.tagSpecifications, [{ resourceType: "instance", tags }, { resourceType: "volume", tags }]);
            const g = one(run.records, T.nodeGroup, "ng-general");
            assert.match(g.inputs.launchTemplate.id, /^lt-/);
            assert.strictEqual(g.inputs.launchTemplate.version, String(lt.state.latestVersion));
            assert.notStrictEqual(g.inputs.launchTemplate.id, one(run.records, T.nodeGroup, "ng-bottle").inputs.launchTemplate.id);
        });

        it("creates node groups after the node role's policies are attached", () => {
            const attachments = ofType(run.records, T.attachment).filter((a) => a.inputs.role === "ng-node-role").map((a) => a.key).sort();
            assert.equal(attachments.length, 3);
            assert.ok(ofType(run.records, T.nodeGroup).length >= 2, "node groups were registered");
            for (const g of ofType(run.records, T.nodeGroup)) {
                assert.deepStrictEqual([...g.dependsOn].sort(), attachments);
            }
        });

        it("creates each Fargate profile with its selectors in the private subnets", () => {
            const batch = one(run.records, T.fargateProfile, "ng-batch").inputs;
            assert.strictEqual(batch.clusterName, "test-ap-northeast-2");
            assert.strictEqual(batch.fargateProfileName, "batch");
            assert.deepStrictEqual(batch.subnetIds, PRIVATE);
            assert.deepStrictEqual(batch.selectors, [{ namespace: "batch", labels: { tier: "jobs" } }, { namespace: "cron" }]);
            assert.deepStrictEqual(one(run.records, T.fargateProfile, "ng-tools").inputs.selectors, [{ namespace: "tools" }]);
            assert.deepStrictEqual(run.outputs.fargateProfileNames, ["batch", "tools"]);
        });

        it("runs Fargate pods with an execution role only this cluster's profiles can assume", () => {
            const role = one(run.records, T.role, "ng-fargate-role");
            assert.deepStrictEqual(json(role.inputs.assumeRolePolicy).Statement, [{
                Effect: "Allow",
                Principal: { Service: "eks-fargate-pods.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { ArnLike: { "aws:SourceArn": `arn:aws:eks:ap-northeast-2:${MOCK_ACCOUNT_ID}:fargateprofile/test-ap-northeast-2/*` } },
            }]);
            assert.deepStrictEqual(attachedPolicies(run.records, "ng-fargate-role"), [MANAGED_POLICY.fargatePodExecution]);
            for (const p of ofType(run.records, T.fargateProfile)) {
                assert.strictEqual(p.inputs.podExecutionRoleArn, role.state.arn);
                assert.deepStrictEqual(p.dependsOn, [`${T.attachment}::ng-fargate-role-policy`]);
            }
            assert.strictEqual(run.outputs.podExecutionRoleArn, role.state.arn);
        });

        it("creates no Fargate role without Fargate profiles", () => {
            assert.deepStrictEqual(ofType(bare.records, T.fargateProfile), []);
            assert.deepStrictEqual(ofType(bare.records, T.role).map((r) => r.name), ["ng-node-role"]);
            assert.strictEqual(bare.outputs.hasPodExecutionRole, false);
            assert.deepStrictEqual(bare.outputs.fargateProfileNames, []);
        });

        it("registers every child under the component, named after it, on the given provider", () => {
            const children = run.records.filter((r) => r.parent === `${T.nodeGroups}::ng`);
            assert.strictEqual(children.length, 1 + 3 + 2 * 2 + 2 + 2);
            for (const c of children) {
                assert.ok(c.name.startsWith("ng-"), c.key);
                assert.strictEqual(c.provider, TEST_PROVIDER_KEY, c.key);
            }
        });
    });
});
