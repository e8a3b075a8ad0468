/**
 * Names near AWS limits: IAM role names.
 *
 * The platform's IAM roles are auto-named by Pulumi: the logical name (`<environment>-<region>-...`)
 * plus `-` and 7 random hex characters (pulumi-terraform-bridge auto-naming, as pulumi-aws uses for
 * `aws.iam.Role`; it refuses a name that would not fit), and IAM allows 64 characters
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html, "Role name: 64").
 * The longest logical name is the EBS CSI driver's add-on role; tests/name-limits.test.ts checks that
 * against every role the program registers, so a longer one cannot slip in unnoticed.
 */

export const IAM_ROLE_NAME_MAX = 64;
/** `-` and 7 random hex characters. */
export const AUTONAME_SUFFIX_LENGTH = 8;
/** The longest role logical name after `<environment>-<region>`. */
export const LONGEST_ROLE_SUFFIX = "-addons-aws-ebs-csi-driver-role";

/** The longest IAM role name the program generates for an environment and region. */
export function worstRoleNameLength(environment: string, region: string): number {
    return environment.length + 1 + region.length + LONGEST_ROLE_SUFFIX.length + AUTONAME_SUFFIX_LENGTH;
}

/** Why this environment and region make a role name too long, or undefined when they fit. */
export function roleNameProblem(environment: string, region: string): string | undefined {
    const length = worstRoleNameLength(environment, region);
    if (length <= IAM_ROLE_NAME_MAX) return undefined;
    const room = IAM_ROLE_NAME_MAX - AUTONAME_SUFFIX_LENGTH - LONGEST_ROLE_SUFFIX.length - 1 - region.length;
    return `with environment "${environment}" (${environment.length} characters) the IAM role names of this region reach ` +
        `${length} characters (\`${environment}-${region}${LONGEST_ROLE_SUFFIX}\` plus Pulumi's 8-character suffix); IAM allows ` +
        `${IAM_ROLE_NAME_MAX}. Allowed: an environment of at most ${Math.max(room, 0)} characters with this region`;
}
