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
import { GetRoleCommand, IAMClient, NoSuchEntityException } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { assumeRoleSessionName } from "../../components/aws-provider";
import { CREATE_SPOT_ROLE_COMMAND, SPOT_SERVICE_LINKED_ROLE } from "../../components/service-linked-roles";
import type { ResourceStep } from "./events";

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
    /**
     * Whether the IAM role `roleName` exists (iam:GetRole), asked as `assumeRoleArn` when given (the
     * account the stack changes). Rejects when IAM cannot be asked (e.g. AccessDenied).
     */
    roleExists(roleName: string, via?: { readonly roleArn: string; readonly sessionName: string }): Promise<boolean>;
    /**
     * A credentials provider for `roleArn` assumed by the ambient identity, for the rollout's other AWS
     * clients (EKS, CloudWatch). Each call assumes the role afresh: the SDK calls it again when the
     * credentials it holds near their expiration, so a long rollout (bakes) never runs on stale ones.
     */
    roleCredentials?(roleArn: string, sessionName: string): () => Promise<TemporaryCredentials>;
}

/**
 * Which credentials the rollout's EKS and CloudWatch clients use: the ambient ones until the account
 * guard has assumed `eks-platform:assumeRoleArn`, then that role's (the account the stack changes).
 */
export class AwsCredentialsRef {
    private current?: () => Promise<TemporaryCredentials>;
    /** The provider to pass to an SDK client, or undefined for the SDK's default chain. */
    get provider(): (() => Promise<TemporaryCredentials>) | undefined {
        return this.current;
    }
    use(provider: () => Promise<TemporaryCredentials>): void {
        this.current = provider;
    }
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
export type IamSend = Pick<IAMClient, "send">;

/** The real thing: STS and IAM (global; any region of the partition answers). */
export function stsAccountApi(options: {
    readonly region?: string;
    readonly clientFor?: (credentials?: TemporaryCredentials) => StsSend;
    readonly iamClientFor?: (credentials?: TemporaryCredentials) => IamSend;
} = {}): AccountApi {
    const region = options.region ?? "us-east-1";
    const clientFor = options.clientFor ?? ((credentials) => new STSClient({ region, credentials }));
    const iamClientFor = options.iamClientFor ?? ((credentials) => new IAMClient({ region, credentials }));
    const who = async (client: StsSend): Promise<CallerIdentity> => {
        const out = await client.send(new GetCallerIdentityCommand({}));
        if (!out.Account || !out.Arn) throw new Error("STS GetCallerIdentity answered without an account");
        return { account: out.Account, arn: out.Arn };
    };
    const assume = async (roleArn: string, sessionName: string): Promise<TemporaryCredentials> => {
        const out = await clientFor().send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName, DurationSeconds: 900 }));
        const k = out.Credentials;
        if (!k?.AccessKeyId || !k.SecretAccessKey) throw new Error(`STS AssumeRole ${roleArn} answered without credentials`);
        return { accessKeyId: k.AccessKeyId, secretAccessKey: k.SecretAccessKey, sessionToken: k.SessionToken, expiration: k.Expiration };
    };
    const assumed = new Map<string, Promise<TemporaryCredentials>>();
    const credentialsOf = (roleArn: string, sessionName: string) => {
        let c = assumed.get(roleArn);
        if (!c) {
            c = assume(roleArn, sessionName);
            assumed.set(roleArn, c);
        }
        return c;
    };
    return {
        roleCredentials: (roleArn, sessionName) => () => assume(roleArn, sessionName),
        callerIdentity: () => who(clientFor()),
        assumedIdentity: async (roleArn, sessionName) => who(clientFor(await credentialsOf(roleArn, sessionName))),
        async roleExists(roleName, via) {
            const iam = iamClientFor(via ? await credentialsOf(via.roleArn, via.sessionName) : undefined);
            try {
                await iam.send(new GetRoleCommand({ RoleName: roleName }));
                return true;
            } catch (e) {
                if (e instanceof NoSuchEntityException || (e as Error)?.name === "NoSuchEntity" || (e as Error)?.name === "NoSuchEntityException") return false;
                throw e;
            }
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
    /** Regions on Karpenter with a pool that may launch Spot: AWSServiceRoleForEC2Spot must exist. @default [] */
    readonly spotRoleRegions?: readonly string[];
    /** eks-platform:createSpotServiceLinkedRole: the update creates the role. @default false */
    readonly createsSpotRole?: boolean;
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

export type SpotRoleCheck =
    | { readonly ok: true; readonly line?: string }
    | { readonly ok: false; readonly message: string; readonly warningOnly?: boolean };

/**
 * Does the account have AWSServiceRoleForEC2Spot, where a Karpenter pool may launch Spot? Without it
 * every Spot launch fails (AuthFailure.ServiceLinkedRoleCreationNotPermitted) and the pool's pods stay
 * pending. Not knowing (no iam:GetRole) is a warning, not a refusal.
 */
export async function checkSpotRole(target: AccountTarget, api: AccountApi): Promise<SpotRoleCheck> {
    const regions = target.spotRoleRegions ?? [];
    if (regions.length === 0) return { ok: true };
    const via = target.assumeRoleArn ? { roleArn: target.assumeRoleArn, sessionName: assumeRoleSessionName(target.environment) } : undefined;
    let exists: boolean;
    try {
        exists = await api.roleExists(SPOT_SERVICE_LINKED_ROLE.name, via);
    } catch (e) {
        return { ok: false, warningOnly: true, message: `could not tell whether ${SPOT_SERVICE_LINKED_ROLE.name} exists in account ${target.accountId} ` +
            `(iam:GetRole: ${reason(e)}); Karpenter's Spot launches in ${regions.join(", ")} fail without it` };
    }
    if (exists) return { ok: true, line: `${SPOT_SERVICE_LINKED_ROLE.name} exists (Spot for Karpenter in ${regions.join(", ")}).` };
    if (target.createsSpotRole) return { ok: true, line: `${SPOT_SERVICE_LINKED_ROLE.name} is missing; this update creates it (eks-platform:createSpotServiceLinkedRole).` };
    return { ok: false, message: `account ${target.accountId} has no ${SPOT_SERVICE_LINKED_ROLE.name}, which Karpenter's Spot pools in ${regions.join(", ")} need: ` +
        "EC2 creates it for console requests only, and Karpenter's launches fail with AuthFailure.ServiceLinkedRoleCreationNotPermitted. " +
        `Create it once for the account (\`${CREATE_SPOT_ROLE_COMMAND}\`), or set eks-platform:createSpotServiceLinkedRole to true ` +
        "so the stack creates it (it is kept on destroy); nothing was changed" };
}

const SERVICE_LINKED_ROLE_TYPE = "aws:iam/serviceLinkedRole:ServiceLinkedRole";

/**
 * Planned replacements of the Spot role (eks-platform:createSpotServiceLinkedRole), one line each: IAM
 * holds one AWSServiceRoleForEC2Spot per account and refuses to create another, so such an update fails
 * at its create. The expected cause is a Pulumi CLI older than 3.151.0, which replaces a resource whose
 * explicit provider changes (pulumi/pulumi#18509), meeting a role an earlier release of the platform
 * held on its first region's provider (components/service-linked-roles.ts).
 */
export function spotRoleReplacements(steps: readonly ResourceStep[]): string[] {
    const urns = steps.filter((s) => s.type === SERVICE_LINKED_ROLE_TYPE && (s.op === "replace" || s.op === "create-replacement"))
        .map((s) => s.urn);
    return [...new Set(urns)].map((urn) => `refused: the plan replaces ${urn}; IAM refuses a second ${SPOT_SERVICE_LINKED_ROLE.name} in the ` +
        "account, so the update would fail. A Pulumi CLI older than 3.151.0 replaces a resource whose explicit provider changes: " +
        "upgrade it (`pulumi version`) and run the rollout again; nothing was changed");
}

/**
 * A planned create of the Spot role in an account that already has it (iam:GetRole, asked as the
 * deployer role like checkSpotRole): the refusal, else undefined. IAM refuses the create ("InvalidInput:
 * Service role name AWSServiceRoleForEC2Spot has been taken in this account", and spot.amazonaws.com
 * takes no custom suffix: chanzuckerberg/cztack#897, #899), so the update would fail part-way. It happens
 * when eks-platform:createSpotServiceLinkedRole is set in an account whose role came from elsewhere (the
 * console, another stack, the CLI). Not knowing (no api, no iam:GetRole) refuses nothing: the account
 * step already warned.
 */
export async function spotRoleCreateRefusal(
    steps: readonly ResourceStep[],
    target: Pick<AccountTarget, "accountId" | "environment" | "assumeRoleArn">,
    api: AccountApi | undefined,
): Promise<string | undefined> {
    const create = steps.find((s) => s.type === SERVICE_LINKED_ROLE_TYPE && s.op === "create");
    if (!create || !api) return undefined;
    const via = target.assumeRoleArn ? { roleArn: target.assumeRoleArn, sessionName: assumeRoleSessionName(target.environment) } : undefined;
    try {
        if (!(await api.roleExists(SPOT_SERVICE_LINKED_ROLE.name, via))) return undefined;
    } catch {
        return undefined;
    }
    return `refused: the plan creates ${create.urn}, but account ${target.accountId} already has ${SPOT_SERVICE_LINKED_ROLE.name} and IAM ` +
        "refuses a second, so the update would fail; nothing was changed. The account's role serves Karpenter as it is: " +
        "set eks-platform:createSpotServiceLinkedRole to false (a stack creates the role only in an account without one)";
}
