import { strict as assert } from "assert";
import { awsProviderArgs } from "../components/aws-provider";
import { Cluster } from "../components/cluster";
import { parsePlatformConfig } from "../stacks/config";
import { readStackConfig } from "../tools/harness/stack-files";
import { PROJECT_DIR } from "../tools/harness/program";
import { T, ofType, one, runComponent, stackRun, validRaw } from "./support/fixtures";
import { issuePairs } from "./support/config-issues";

const ROLE = "arn:aws:iam::123456789012:role/platform-deploy";

const issuesOf = (raw: Record<string, unknown>) => issuePairs(() => parsePlatformConfig(raw, "test", { today: "2026-12-04" }));

describe("account guard: eks-platform:accountId and assumeRoleArn", () => {
    it("gives every AWS provider of both stacks allowedAccountIds = the stack's accountId, and no role to assume", async () => {
        for (const stack of ["dev", "prod"] as const) {
            const account = readStackConfig(PROJECT_DIR, stack).config["eks-platform:accountId"];
            assert.match(account, /^\d{12}$/);
            const providers = ofType((await stackRun(stack)).records, T.provider);
            assert.ok(providers.length >= (stack === "prod" ? 2 : 1));
            for (const p of providers) {
                // A provider's list inputs reach the engine JSON-encoded (provider config is flat strings).
                assert.deepEqual(JSON.parse(p.inputs.allowedAccountIds), [account], `${stack} ${p.name}`);
                assert.equal(p.inputs.assumeRoles, undefined);
            }
        }
    });

    it("assumes eks-platform:assumeRoleArn in every provider, with a session name CloudTrail ties to the environment", () => {
        const args = awsProviderArgs({ region: "ap-northeast-2", environment: "prod", tags: { team: "x" }, account: { id: "123456789012", assumeRoleArn: ROLE } });
        assert.deepEqual(args.allowedAccountIds, ["123456789012"]);
        assert.deepEqual(args.assumeRoles, [{ roleArn: ROLE, sessionName: "eks-platform-prod" }]);
        assert.deepEqual(args.defaultTags, { tags: { team: "x" } });
        assert.equal(args.region, "ap-northeast-2");
    });

    it("has the kubeconfig assume the role too, so the Kubernetes provider acts as the cluster's creator", async () => {
        const run = await runComponent((provider) => {
            new Cluster("c", {
                provider, clusterName: "test-ap-northeast-2", version: "1.36", vpcId: "vpc-1", privateSubnetIds: ["subnet-a", "subnet-b"],
                publicAccessCidrs: ["203.0.113.0/24"], endpointAccess: "public-and-private", assumeRoleArn: ROLE,
            });
            return {};
        });
        assert.deepEqual(one(run.records, T.eksCluster, "c-eks").inputs.providerCredentialOpts, { roleArn: ROLE });
        const dev = one((await stackRun("dev")).records, T.eksCluster, "dev-ap-northeast-2-cluster-eks");
        assert.equal(dev.inputs.providerCredentialOpts, undefined, "without a role the kubeconfig uses the ambient credentials");
    });

    it("refuses a bad accountId or assumeRoleArn at its key, saying what is allowed", () => {
        const at = (patch: Record<string, unknown>) => issuesOf({ ...validRaw(), ...patch });
        const missing = validRaw();
        delete missing.accountId;
        assert.deepEqual(issuesOf(missing).map(([k]) => k), ["eks-platform:accountId"]);
        for (const bad of ["12345678901", "1234567890123", "12345678901a", " 123456789012"]) {
            const issues = at({ accountId: bad });
            assert.equal(issues.length, 1, bad);
            assert.equal(issues[0][0], "eks-platform:accountId");
            assert.match(issues[0][1], /must be the 12-digit AWS account .*quoted in YAML/);
        }
        for (const bad of ["arn:aws-cn:iam::123456789012:role/x", "arn:aws-us-gov:iam::123456789012:role/x", "arn:aws:iam::123456789012:user/x", "platform-deploy"]) {
            const issues = at({ assumeRoleArn: bad });
            assert.deepEqual(issues.map(([k]) => k), ["eks-platform:assumeRoleArn"], bad);
            assert.match(issues[0][1], /IAM role ARN of the aws partition/);
        }
        const other = at({ assumeRoleArn: "arn:aws:iam::111122223333:role/platform-deploy" });
        assert.deepEqual(other.map(([k]) => k), ["eks-platform:assumeRoleArn"]);
        assert.match(other[0][1], /a role in account 111122223333, but eks-platform:accountId is 123456789012.*allowed: a role in account 123456789012/);
        assert.deepEqual(at({ assumeRoleArn: ROLE }), []);
    });
});
