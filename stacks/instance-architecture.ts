/**
 * Which CPU architecture an EC2 instance type has, and which one an EKS AMI type runs on: facts the
 * node-group validation uses to refuse an ARM AMI on x86 instances and the reverse (EKS would create
 * the node group and its instances would never join). Shared by the checks of the AMI (GPU AMI types
 * included) so there is one table.
 *
 * Source, read 2026-11-29: EC2 instance type naming, "Amazon EC2 instance type naming conventions"
 * (https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html): a type is
 * `<series><generation><options>.<size>`, and the option letter `g` means AWS Graviton processors
 * (arm64), `a` AMD and `i` Intel (x86_64); and "Amazon EC2 instance types" (the Graviton-based families
 * list), where the first-generation Graviton family `a1` carries no `g` option. EKS AMI types:
 * https://docs.aws.amazon.com/eks/latest/APIReference/API_Nodegroup.html (`amiType`), whose names
 * carry the architecture (`x86_64` or `ARM_64`).
 */

export type Architecture = "x86_64" | "arm64";

/** Families whose name does not follow the `g` option rule, with their architecture. */
export const FAMILY_EXCEPTIONS: Readonly<Record<string, Architecture>> = {
    a1: "arm64",
};

/** `m7g.large` -> `m7g`, the family (series, generation and options). */
export function instanceFamily(instanceType: string): string {
    return instanceType.split(".")[0];
}

/**
 * The architecture of an instance type, or undefined when the name does not follow the naming
 * convention (then nothing is refused for it).
 */
export function instanceArchitecture(instanceType: string): Architecture | undefined {
    const family = instanceFamily(instanceType);
    if (family in FAMILY_EXCEPTIONS) return FAMILY_EXCEPTIONS[family];
    const m = /^([a-z]+)(\d+)([a-z-]*)$/.exec(family);
    if (!m) return undefined;
    // The options follow the generation digit(s); Graviton is the option `g` (m7g, c6gn, r8gd, t4g, g5g,
    // im4gn, is4gen, x2gd), never the series letter (g5, g6e and p5 are GPU families on x86).
    return m[3].startsWith("g") ? "arm64" : "x86_64";
}

/** The architecture an EKS AMI type boots on (`..._ARM_64...` or `..._x86_64...`). */
export function amiArchitecture(amiType: string): Architecture | undefined {
    if (amiType.includes("ARM_64")) return "arm64";
    if (amiType.includes("x86_64")) return "x86_64";
    return undefined;
}
