/**
 * Accelerated (GPU, Neuron) EC2 instance families and the EKS AMI types that carry their drivers: the
 * one table of these facts. As of 2026-11-29. Sources: Amazon EC2 accelerated computing instance
 * types (https://aws.amazon.com/ec2/instance-types/#Accelerated_Computing) and the EKS AMI types
 * (EKS API `Nodegroup.amiType`, the AMITypes enum of @aws-sdk/client-eks: AL2023_x86_64_NVIDIA,
 * AL2023_ARM_64_NVIDIA, AL2023_x86_64_NEURON, BOTTLEROCKET_x86_64_NVIDIA, BOTTLEROCKET_ARM_64_NVIDIA;
 * https://docs.aws.amazon.com/eks/latest/userguide/ml-eks-optimized-ami.html).
 *
 * The instance architecture (x86_64 or arm64, e.g. g5g is arm64) is a separate rule, with its own
 * table: stacks/instance-architecture.ts, whose family parsing this file shares.
 */
import { instanceFamily } from "./instance-architecture";

export type Accelerator = "nvidia" | "neuron";

/** Instance family -> the accelerator its instances carry. */
const FAMILIES: Readonly<Record<string, Accelerator>> = {
    p3: "nvidia", p3dn: "nvidia", p4d: "nvidia", p4de: "nvidia", p5: "nvidia", p5e: "nvidia", p5en: "nvidia",
    p6: "nvidia", "p6-b200": "nvidia", "p6e-gb200": "nvidia",
    g4dn: "nvidia", g5: "nvidia", g5g: "nvidia", g6: "nvidia", g6e: "nvidia", g6f: "nvidia", gr6: "nvidia", gr6f: "nvidia",
    inf1: "neuron", inf2: "neuron", trn1: "neuron", trn1n: "neuron", trn2: "neuron",
};

/** AMI types with the drivers of each accelerator. */
export const ACCELERATED_AMI_TYPES: Readonly<Record<Accelerator, readonly string[]>> = {
    nvidia: ["AL2023_x86_64_NVIDIA", "AL2023_ARM_64_NVIDIA", "BOTTLEROCKET_x86_64_NVIDIA", "BOTTLEROCKET_ARM_64_NVIDIA"],
    neuron: ["AL2023_x86_64_NEURON"],
};

/** The accelerator of an instance type (`g5.xlarge` -> nvidia), or undefined for a plain one. */
export function acceleratorOf(instanceType: string): Accelerator | undefined {
    return FAMILIES[instanceFamily(instanceType)];
}

/** The accelerator an AMI type has drivers for, or undefined for a standard AMI. */
export function amiAccelerator(amiType: string): Accelerator | undefined {
    return (Object.keys(ACCELERATED_AMI_TYPES) as Accelerator[]).find((a) => ACCELERATED_AMI_TYPES[a].includes(amiType));
}
