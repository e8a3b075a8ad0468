/**
 * Which AWS account an environment deploys into, and how the deploying identity gets there.
 *
 * `eks-platform:accountId` (required) goes into every AWS provider's `allowedAccountIds`: the provider
 * compares it with the account of the credentials it ends up with (after any assume-role) before it
 * makes a single call, so prod's config applied with dev's credentials fails at once
 * (terraform-provider-aws internal/conns/config.go: GetAwsAccountIDAndPartition, then
 * VerifyAccountIDAllowed). `eks-platform:assumeRoleArn` (optional) lets one CI identity deploy each
 * environment into its own account, the layout AWS recommends ("Organizing Your AWS Environment Using
 * Multiple Accounts", https://docs.aws.amazon.com/whitepapers/latest/organizing-your-aws-environment/):
 * every AWS provider assumes it, and so does the clusters' kubeconfig (`aws eks get-token --role`).
 */
import { z } from "zod";
import type { ConfigIssue } from "./errors";
import { issueAt } from "./errors";

/** An AWS account id: exactly 12 digits (leading zeros included). */
export const accountIdSchema = z.string().regex(/^\d{12}$/, {
    message: "must be the 12-digit AWS account this environment deploys into, e.g. \"123456789012\" " +
        "(quoted in YAML: an unquoted id that starts with 0 loses its leading zeros)",
});

/** An IAM role ARN of the aws partition (the platform's IAM documents are written for it: stacks/partitions.ts). */
export const assumeRoleArnSchema = z.string().regex(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, {
    message: "must be an IAM role ARN of the aws partition, e.g. arn:aws:iam::123456789012:role/platform-deploy",
});

/** The 12-digit account of an IAM ARN (`arn:aws:iam::<account>:...`), or undefined. */
export function accountOfArn(arn: string): string | undefined {
    return /^arn:[a-z-]+:iam::(\d{12}):/.exec(arn)?.[1];
}

/** The role must live in the environment's account: the provider would refuse the account it lands in. */
export function accountIssues(c: { readonly accountId: string; readonly assumeRoleArn?: string }): ConfigIssue[] {
    if (c.assumeRoleArn === undefined) return [];
    const account = accountOfArn(c.assumeRoleArn);
    return account === undefined || account === c.accountId ? [] : [issueAt(c, ["assumeRoleArn"],
        `is a role in account ${account}, but eks-platform:accountId is ${c.accountId}: every AWS provider allows only that ` +
        "account, so the assumed role's credentials would be refused; allowed: a role in account " + c.accountId)];
}

/** What the AWS providers and the rollout's preflight need: the account, and the role to assume if any. */
export interface AccountSettings {
    readonly id: string;
    readonly assumeRoleArn?: string;
}
