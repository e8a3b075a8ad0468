import { strict as assert } from "assert";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { AwsCredentialsRef, checkAccount, stsAccountApi } from "../../tools/rollout/account";
import { awsAlarmApi } from "../../tools/rollout/alarms-api";
import { awsEksClusterApi } from "../../tools/rollout/eks-api";
import { EXIT } from "../../tools/rollout/exit-codes";
import { Rollout } from "../../tools/rollout/orchestrator";
import { FakeAccount } from "./support/fake-account";
import { FakeStack, reachAll, regionOutputs, stackConfig } from "./support/fake-stack";

const PROD = "444455556666";
const DEV = "111122223333";
const ROLE = `arn:aws:iam::${PROD}:role/platform-deploy`;
const target = { stack: "prod", environment: "prod", accountId: PROD };

describe("rollout account guard", () => {
    it("names the identity and the account it will change when they match", async () => {
        const check = await checkAccount(target, new FakeAccount({ account: PROD, arn: `arn:aws:iam::${PROD}:user/ci` }));
        assert.equal(check.ok, true);
        assert.deepEqual(check.lines, [
            `Running as arn:aws:iam::${PROD}:user/ci (account ${PROD}).`,
            `This rollout changes AWS account ${PROD} (eks-platform:accountId of stack prod).`,
        ]);
    });

    it("refuses another account's credentials, naming both accounts and the key", async () => {
        const check = await checkAccount(target, new FakeAccount({ account: DEV, arn: `arn:aws:iam::${DEV}:user/ci` }));
        assert.equal(check.ok, false);
        assert.match((check as { message: string }).message,
            new RegExp(`change account ${DEV}, but stack prod deploys into account ${PROD} \\(eks-platform:accountId\\); nothing was changed`));
    });

    it("assumes eks-platform:assumeRoleArn and checks the account of the role's credentials, not the caller's", async () => {
        const sts = new FakeAccount({ account: DEV, arn: `arn:aws:iam::${DEV}:role/ci` });
        sts.roles[ROLE] = { account: PROD, arn: `arn:aws:sts::${PROD}:assumed-role/platform-deploy/eks-platform-prod` };
        const check = await checkAccount({ ...target, assumeRoleArn: ROLE }, sts);
        assert.equal(check.ok, true, JSON.stringify(check));
        assert.deepEqual(sts.calls, ["GetCallerIdentity", `AssumeRole ${ROLE} eks-platform-prod`]);
        assert.match(check.lines[1], /^Assuming arn:aws:iam::444455556666:role\/platform-deploy \(eks-platform:assumeRoleArn\)/);
    });

    it("refuses when the role cannot be assumed, or there are no credentials, saying why", async () => {
        const denied = await checkAccount({ ...target, assumeRoleArn: ROLE }, new FakeAccount({ account: DEV, arn: `arn:aws:iam::${DEV}:role/ci` }));
        assert.equal(denied.ok, false);
        assert.match((denied as { message: string }).message, /cannot assume .*platform-deploy \(eks-platform:assumeRoleArn; STS AssumeRole: AccessDenied: User is not authorized/);
        const none = await checkAccount(target, new FakeAccount(Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" })));
        assert.equal(none.ok, false);
        assert.match((none as { message: string }).message, /cannot tell which AWS account .*CredentialsProviderError: Could not load credentials.*account 444455556666/);
    });

    it("stops the rollout with exit 2 before any stack operation, after printing the identity", async () => {
        const config = { ...stackConfig({ regions: ["ap-northeast-2"] }), "eks-platform:accountId": PROD };
        for (const [caller, status, exit] of [[DEV, "invalid", EXIT.USAGE], [PROD, "succeeded", EXIT.OK]] as const) {
            const stack = new FakeStack("prod", config);
            stack.outputsValue = regionOutputs(["ap-northeast-2"]);
            const lines: string[] = [];
            const report = await new Rollout({
                stack, signal: new AbortController().signal, log: (l) => lines.push(l), connect: reachAll,
                sleep: async () => true, probe: async () => ({ ok: true, status: 200 } as any),
                account: new FakeAccount({ account: caller, arn: `arn:aws:iam::${caller}:user/ci` }),
            }, { mode: "preview" }).run();
            assert.equal(report.status, status, lines.join("\n"));
            assert.equal(report.exitCode, exit);
            assert.equal(lines[0], `Running as arn:aws:iam::${caller}:user/ci (account ${caller}).`);
            if (caller === DEV) {
                assert.deepEqual(stack.calls.map((c) => c.op), ["config"], "no preview, refresh or update ran");
                assert.equal(report.failure?.step, "account");
            } else {
                assert.ok(stack.calls.some((c) => c.op === "preview"));
            }
        }
    });

    it("asks STS through the SDK: GetCallerIdentity, and AssumeRole then GetCallerIdentity with the role's credentials", async () => {
        const sent: Array<{ command: string; credentials?: unknown }> = [];
        const api = stsAccountApi({
            clientFor: (credentials) => ({
                send: async (command: any) => {
                    sent.push({ command: command.constructor.name, credentials });
                    if (command instanceof AssumeRoleCommand) {
                        assert.equal(command.input.RoleArn, ROLE);
                        return { Credentials: { AccessKeyId: "AKIA", SecretAccessKey: "s", SessionToken: "t", Expiration: new Date(0) } };
                    }
                    assert.ok(command instanceof GetCallerIdentityCommand);
                    return credentials ? { Account: PROD, Arn: "arn:aws:sts::444455556666:assumed-role/platform-deploy/x" } : { Account: DEV, Arn: "arn:aws:iam::111122223333:user/ci" };
                },
            }) as any,
        });
        assert.deepEqual(await api.callerIdentity(), { account: DEV, arn: "arn:aws:iam::111122223333:user/ci" });
        assert.equal((await api.assumedIdentity(ROLE, "eks-platform-prod")).account, PROD);
        assert.deepEqual(sent.map((s) => [s.command, s.credentials === undefined]),
            [["GetCallerIdentityCommand", true], ["AssumeRoleCommand", true], ["GetCallerIdentityCommand", false]]);
    });

    it("has EKS and CloudWatch ask the account the stack changes: the assumed role's credentials once the guard assumed it", async () => {
        const ref = new AwsCredentialsRef();
        const made: Array<[string, string, boolean]> = [];
        const providers: Array<() => Promise<{ accessKeyId: string }>> = [];
        const eks = awsEksClusterApi({
            credentials: ref,
            clientFor: (region, credentials) => {
                made.push(["eks", region, credentials !== undefined]);
                if (credentials) providers.push(credentials);
                return { send: async () => ({ cluster: { version: "1.36" } }) } as any;
            },
        });
        const alarms = awsAlarmApi((region, credentials) => {
            made.push(["cloudwatch", region, credentials !== undefined]);
            if (credentials) providers.push(credentials);
            return { send: async () => ({ CompositeAlarms: [], MetricAlarms: [] }) } as any;
        }, ref);
        const config = { ...stackConfig({ regions: ["ap-northeast-2"] }), "eks-platform:accountId": PROD, "eks-platform:assumeRoleArn": ROLE };
        const stack = new FakeStack("prod", config);
        stack.outputsValue = regionOutputs(["ap-northeast-2"]);
        const account = new FakeAccount({ account: DEV, arn: `arn:aws:iam::${DEV}:role/ci` });
        account.roles[ROLE] = { account: PROD, arn: `arn:aws:sts::${PROD}:assumed-role/platform-deploy/eks-platform-prod` };
        await eks.clusterVersion("ap-northeast-2", "c"); // before the guard: ambient credentials
        const lines: string[] = [];
        const report = await new Rollout({
            stack, signal: new AbortController().signal, log: (l) => lines.push(l), connect: reachAll,
            sleep: async () => true, probe: async () => ({ ok: true, status: 200 } as any),
            account, awsCredentials: ref, eks, alarms,
        }, { mode: "preview" }).run();
        assert.equal(report.status, "succeeded", lines.join("\n"));
        assert.ok(ref.provider, "the guard handed over the role's credentials");
        assert.equal((await ref.provider!()).accessKeyId, `AKIA-${PROD}`);
        assert.ok(account.calls.some((c) => c.startsWith(`AssumeRole ${ROLE} `) && c.endsWith("(credentials)")));
        await eks.clusterVersion("ap-northeast-2", "c");
        await alarms.alarms("ap-northeast-2", ["x"]);
        assert.deepEqual(made, [["eks", "ap-northeast-2", false], ["eks", "ap-northeast-2", true], ["cloudwatch", "ap-northeast-2", true]],
            "a client made with the ambient credentials is not reused once the role is assumed");
        for (const provider of providers) assert.equal((await provider()).accessKeyId, `AKIA-${PROD}`, "the assumed role's credentials, not any");
        // Without assumeRoleArn nothing changes hands.
        const plain = new AwsCredentialsRef();
        const stack2 = new FakeStack("prod", { ...config, "eks-platform:assumeRoleArn": undefined } as any);
        stack2.outputsValue = regionOutputs(["ap-northeast-2"]);
        await new Rollout({
            stack: stack2, signal: new AbortController().signal, log: () => undefined, connect: reachAll,
            sleep: async () => true, probe: async () => ({ ok: true, status: 200 } as any),
            account: new FakeAccount({ account: PROD, arn: `arn:aws:iam::${PROD}:user/ci` }), awsCredentials: plain,
        }, { mode: "preview" }).run();
        assert.equal(plain.provider, undefined);
    });

    it("gives the SDK a provider that assumes the role afresh on each call, so long rollouts renew their credentials", async () => {
        let assumes = 0;
        const api = stsAccountApi({
            clientFor: () => ({
                send: async (command: any) => {
                    assert.ok(command instanceof AssumeRoleCommand);
                    assumes++;
                    return { Credentials: { AccessKeyId: `AKIA${assumes}`, SecretAccessKey: "s", SessionToken: "t", Expiration: new Date(Date.now() + 900_000) } };
                },
            }) as any,
        });
        const provider = api.roleCredentials!(ROLE, "eks-platform-prod");
        assert.equal((await provider()).accessKeyId, "AKIA1");
        assert.equal((await provider()).accessKeyId, "AKIA2");
        const third = await provider();
        assert.ok(third.expiration instanceof Date && third.expiration.getTime() > Date.now(), "an expiration the SDK renews on");
    });
});
