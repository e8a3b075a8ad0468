/**
 * The harness records the dependencies the SDK sends the engine: `dependsOn` (components expanded to
 * their custom descendants) and resources whose outputs flow into inputs. The timeline is built on them.
 */
import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { runWithMocks } from "../../tools/harness/engine";
import { keyOfUrn } from "../../tools/harness/records";

describe("harness: dependencies as the engine sees them", () => {
    it("keyOfUrn turns a (nested) URN into the record key", () => {
        assert.strictEqual(keyOfUrn("urn:pulumi:dev::p::eks-platform:index:Network$aws:ec2/vpc:Vpc::dev-vpc"), "aws:ec2/vpc:Vpc::dev-vpc");
        assert.strictEqual(keyOfUrn("urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev"), "pulumi:pulumi:Stack::p-dev");
    });

    it("records inputs from outputs and dependsOn on a component as the component's custom children", async () => {
        class Box extends pulumi.ComponentResource {
            constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
                super("test:index:Box", name, {}, opts);
                new aws.s3.Bucket(`${name}-inner`, {}, { parent: this });
                this.registerOutputs({});
            }
        }
        const { records } = await runWithMocks(() => {
            const provider = new aws.Provider("p", { region: "ap-northeast-2" });
            const vpc = new aws.ec2.Vpc("vpc", { cidrBlock: "10.0.0.0/16" }, { provider });
            const box = new Box("box");
            new aws.ec2.Subnet("subnet", { vpcId: vpc.id, cidrBlock: "10.0.0.0/24" }, { provider, dependsOn: [box] });
            new aws.ec2.Vpc("alone", { cidrBlock: "10.1.0.0/16" }, { provider });
        }, { stack: "test" });
        const deps = (name: string) => records.find((r) => r.name === name)!.dependencies;
        assert.deepStrictEqual(deps("subnet"), ["aws:ec2/vpc:Vpc::vpc", "aws:s3/bucket:Bucket::box-inner"]);
        assert.deepStrictEqual(deps("alone"), []);
    });
});
