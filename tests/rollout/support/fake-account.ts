/**
 * A scripted stand-in for STS (tools/rollout/account.ts): the ambient identity, the roles it may
 * assume, recording every call.
 */
import type { AccountApi, CallerIdentity, TemporaryCredentials } from "../../../tools/rollout/account";

export class FakeAccount implements AccountApi {
    readonly calls: string[] = [];
    /** roleArn -> the identity its credentials are (absent: AccessDenied). */
    readonly roles: Record<string, CallerIdentity> = {};
    /** IAM roles that exist in the account the stack changes. */
    readonly existingRoles = new Set<string>(["AWSServiceRoleForEC2Spot"]);
    /** Thrown by roleExists (e.g. AccessDenied on iam:GetRole). */
    roleError?: Error;

    constructor(readonly caller: CallerIdentity | Error = { account: "123456789012", arn: "arn:aws:iam::123456789012:user/ci" }) {}

    async callerIdentity(): Promise<CallerIdentity> {
        this.calls.push("GetCallerIdentity");
        if (this.caller instanceof Error) throw this.caller;
        return this.caller;
    }

    async assumedIdentity(roleArn: string, sessionName: string): Promise<CallerIdentity> {
        this.calls.push(`AssumeRole ${roleArn} ${sessionName}`);
        const identity = this.roles[roleArn];
        if (!identity) throw Object.assign(new Error(`User is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`), { name: "AccessDenied" });
        return identity;
    }

    roleCredentials(roleArn: string, sessionName: string): () => Promise<TemporaryCredentials> {
        return async () => {
            this.calls.push(`AssumeRole ${roleArn} ${sessionName} (credentials)`);
            return { accessKeyId: `AKIA-${this.roles[roleArn]?.account ?? "none"}`, secretAccessKey: "s", sessionToken: "t" };
        };
    }

    async roleExists(roleName: string, via?: { roleArn: string }): Promise<boolean> {
        this.calls.push(`GetRole ${roleName}${via ? ` as ${via.roleArn}` : ""}`);
        if (this.roleError) throw this.roleError;
        return this.existingRoles.has(roleName);
    }
}
