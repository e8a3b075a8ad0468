/**
 * The rollout's account guard: before its first step it asks STS who it runs as (GetCallerIdentity),
 * assumes `eks-platform:assumeRoleArn` when the stack names one (AssumeRole, then GetCallerIdentity with
 * the role's credentials), prints the account it will change, and refuses (exit 2, nothing changed)
 * when that is not `eks-platform:accountId`. The AWS providers refuse the same credentials
 * (`allowedAccountIds`, components/aws-provider.ts), but only once `pulumi` runs, region by region; this
 * says it once, first, with the fix.
 *
 * Behind a small interface the tests fake. Credentials are the SDK's defaults (the same AWS_* environment
 * `pulumi up` uses); the identity needs sts:GetCallerIdentity (always allowed) and, with a role,
 * sts:AssumeRole on it. https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
 */
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { assumeRoleSessionName } from "../../components/aws-provider";

export interface CallerIdentity {
    readonly account: string;
    /** The caller's ARN (a user, an assumed-role session, ...). */
    readonly arn: string;
}

export interface AccountApi {
    /** Who the ambient credentials are. Rejects when there are none or STS cannot be reached. */
    callerIdentity(): Promise<CallerIdentity>;
    /** Who the credentials of `roleArn`, assumed by the ambient identity, are. Rejects when it may not assume it. */
    assumedIdentity(roleArn: string, sessionName: string): Promise<CallerIdentity>;
}

/** An assumed role's credentials, as the SDK's clients take them. */
export interface TemporaryCredentials {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
    readonly expiration?: Date;
}

/** What the adapter uses of an SDK client (tests pass a recording stand-in). */
export type StsSend = Pick<STSClient, "send">;

/** The real thing: STS in `region` (any region answers for the whole partition). */
export function stsAccountApi(options: { readonly region?: string; readonly clientFor?: (credentials?: TemporaryCredentials) => StsSend } = {}): AccountApi {
    const region = options.region ?? "us-east-1";
    const clientFor = options.clientFor ?? ((credentials) => new STSClient({ region, credentials }));
    const who = async (client: StsSend): Promise<CallerIdentity> => {
        const out = await client.send(new GetCallerIdentityCommand({}));
        if (!out.Account || !out.Arn) throw new Error("STS GetCallerIdentity answered without an account");
        return { account: out.Account, arn: out.Arn };
    };
    return {
        callerIdentity: () => who(clientFor()),
        async assumedIdentity(roleArn, sessionName) {
            const out = await clientFor().send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName, DurationSeconds: 900 }));
            const c = out.Credentials;
            if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`STS AssumeRole ${roleArn} answered without credentials`);
            return who(clientFor({ accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration }));
        },
    };
}

export interface AccountTarget {
    readonly stack: string;
    readonly environment: string;
    /** eks-platform:accountId */
    readonly accountId: string;
    /** eks-platform:assumeRoleArn */
    readonly assumeRoleArn?: string;
}

export type AccountCheck =
    | { readonly ok: true; readonly lines: readonly string[] }
    | { readonly ok: false; readonly lines: readonly string[]; readonly message: string };

const reason = (e: unknown) => (e instanceof Error ? `${e.name !== "Error" ? `${e.name}: ` : ""}${e.message}` : String(e));

/** Who the rollout runs as, which account it will change, and whether that is the stack's. */
export async function checkAccount(target: AccountTarget, api: AccountApi): Promise<AccountCheck> {
    let caller: CallerIdentity;
    try {
        caller = await api.callerIdentity();
    } catch (e) {
        return { ok: false, lines: [], message: `cannot tell which AWS account these credentials belong to (STS GetCallerIdentity: ${reason(e)}); ` +
            `stack ${target.stack} deploys into account ${target.accountId} (eks-platform:accountId): set AWS credentials of that account` +
            `${target.assumeRoleArn ? `, or of an identity that may assume ${target.assumeRoleArn}` : ""}, then run again` };
    }
    const lines = [`Running as ${caller.arn} (account ${caller.account}).`];
    let changed = caller;
    if (target.assumeRoleArn) {
        try {
            changed = await api.assumedIdentity(target.assumeRoleArn, assumeRoleSessionName(target.environment));
        } catch (e) {
            return { ok: false, lines, message: `${caller.arn} cannot assume ${target.assumeRoleArn} (eks-platform:assumeRoleArn; STS AssumeRole: ${reason(e)}); ` +
                "the role's trust policy must allow this identity, and the identity needs sts:AssumeRole on it" };
        }
        lines.push(`Assuming ${target.assumeRoleArn} (eks-platform:assumeRoleArn): ${changed.arn}.`);
    }
    if (changed.account !== target.accountId) {
        return { ok: false, lines, message: `these credentials change account ${changed.account}, but stack ${target.stack} deploys into account ` +
            `${target.accountId} (eks-platform:accountId); nothing was changed. Use credentials of account ${target.accountId}` +
            `${target.assumeRoleArn ? "" : " (or set eks-platform:assumeRoleArn to a role there that these credentials may assume)"}; ` +
            "every AWS provider of the stack would refuse these credentials too (allowedAccountIds)" };
    }
    lines.push(`This rollout changes AWS account ${target.accountId} (eks-platform:accountId of stack ${target.stack}).`);
    return { ok: true, lines };
}
