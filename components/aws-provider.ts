/**
 * The arguments of a region's explicit AWS provider: its region, the platform's tags, and the account
 * guard (stacks/account-schema.ts). A pure function, so tests read what every provider is given.
 */
import type * as aws from "@pulumi/aws";
import type { AccountSettings } from "../stacks/account-schema";

/** The assume-role session name, so CloudTrail shows which environment's deployment made a call. */
export function assumeRoleSessionName(environment: string): string {
    // STS: 2 to 64 characters of [\w+=,.@-]; the environment is a DNS label of at most 10.
    return `eks-platform-${environment}`;
}

export function awsProviderArgs(args: {
    readonly region: string;
    readonly environment: string;
    readonly tags: Readonly<Record<string, string>>;
    readonly account: AccountSettings;
}): aws.ProviderArgs {
    return {
        region: args.region as aws.Region,
        defaultTags: { tags: { ...args.tags } },
        // Checked against the account of the final credentials (after assumeRoles) before any call:
        // terraform-provider-aws internal/conns/config.go (VerifyAccountIDAllowed). A change here updates
        // the provider in place: the bridge's DiffConfig replaces a provider only for config keys marked
        // ForcesProviderReplace (pulumi-terraform-bridge pkg/tfbridge/provider.go configDiffer), and
        // pulumi-aws v7 marks none, not even `region` (provider/resources.go ProviderFromMeta, commit
        // d273034), so adding the guard to a running stack replaces nothing.
        allowedAccountIds: [args.account.id],
        ...(args.account.assumeRoleArn
            ? { assumeRoles: [{ roleArn: args.account.assumeRoleArn, sessionName: assumeRoleSessionName(args.environment) }] }
            : {}),
    };
}
