/**
 * What AWS accepts in a tag, for the stack-wide tags every resource gets (the provider's default tags:
 * EC2, IAM, EKS, and the rest). The strictest of the services the platform tags wins:
 *
 * - IAM (https://docs.aws.amazon.com/IAM/latest/APIReference/API_Tag.html): key 1-128 characters,
 *   pattern [\p{L}\p{Z}\p{N}_.:/=+\-@]+; value 0-256 characters, pattern [\p{L}\p{Z}\p{N}_.:/=+\-@]*.
 * - EC2 (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Tag.html): key at most 127 Unicode
 *   characters, may not begin with aws:; value at most 256 Unicode characters.
 * - EKS (AWS::EKS::* Tag, https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-eks-fargateprofile-tag.html):
 *   key 1-128, value 0-256 Unicode characters; generally allowed: letters, numbers and spaces
 *   representable in UTF-8, and + - = . _ : / @; aws: reserved.
 *
 * So: a key of 1-127 characters, a value of 0-256, both of Unicode letters (\p{L}), numbers (\p{N}),
 * separators/spaces (\p{Z}) and _ . : / = + - @ only. Lengths count Unicode characters (code points),
 * not UTF-16 units. (The `aws:` prefix is checked in stacks/limits.ts.)
 */
export const TAG_KEY_MAX = 127;
export const TAG_VALUE_MAX = 256;
const ALLOWED = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const ALLOWED_TEXT = "Unicode letters, digits, spaces and _ . : / = + - @";

/** The characters of `text` that no tag may hold, each once, in order of appearance. */
function badCharacters(text: string): string[] {
    return [...new Set([...text].filter((ch) => !ALLOWED.test(ch)))];
}

/** Why `key` cannot be a tag key, or undefined. Never shows the value. */
export function tagKeyProblem(key: string): string | undefined {
    const length = [...key].length;
    if (length === 0) return "a tag key may not be empty";
    if (length > TAG_KEY_MAX) return `a tag key has at most ${TAG_KEY_MAX} characters (EC2's limit; IAM and EKS allow 128), this one has ${length}`;
    const bad = badCharacters(key);
    if (bad.length > 0) return `a tag key may hold only ${ALLOWED_TEXT} (EC2, IAM and EKS); found ${bad.map((c) => JSON.stringify(c)).join(", ")}`;
    return undefined;
}

/** Why `value` cannot be a tag value, or undefined. */
export function tagValueProblem(value: string): string | undefined {
    const length = [...value].length;
    if (length > TAG_VALUE_MAX) return `a tag value has at most ${TAG_VALUE_MAX} characters, this one has ${length}`;
    const bad = badCharacters(value);
    if (bad.length > 0) return `a tag value may hold only ${ALLOWED_TEXT} (EC2, IAM and EKS); found ${bad.map((c) => JSON.stringify(c)).join(", ")}`;
    return undefined;
}
