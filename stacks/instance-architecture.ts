/**
 * Which CPU architecture an EC2 instance type has, and which one an EKS AMI type runs on: facts the
 * node-group validation uses to refuse an ARM AMI on x86 instances and the reverse (EKS would create
 * the node group and its instances would never join). Shared by the checks of the AMI (GPU AMI types
 * included) so there is one rule. The naming rule and its exceptions, with their sources, are in the
 * ledger: facts/data/instance-architectures.json.
 */
import { Architecture, FAMILY_EXCEPTIONS } from "../facts/instance-architectures";

export type { Architecture };
export { FAMILY_EXCEPTIONS };

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
