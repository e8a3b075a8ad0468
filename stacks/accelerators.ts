/**
 * Accelerated (GPU, Neuron) EC2 instance families and the EKS AMI types that carry their drivers: the
 * tables are in the ledger (facts/data/accelerator-families.json, facts/data/accelerated-ami-types.json, with
 * their sources); this file answers questions about them.
 *
 * The instance architecture (x86_64 or arm64, e.g. g5g is arm64) is a separate rule:
 * stacks/instance-architecture.ts, whose family parsing this file shares.
 */
import { ACCELERATED_AMI_TYPES } from "../facts/accelerated-ami-types";
import { ACCELERATOR_FAMILIES as FAMILIES, Accelerator } from "../facts/accelerator-families";
import { instanceFamily } from "./instance-architecture";

export { ACCELERATED_AMI_TYPES };
export type { Accelerator };

/** The accelerator of an instance type (`g5.xlarge` -> nvidia), or undefined for a plain one. */
export function acceleratorOf(instanceType: string): Accelerator | undefined {
    return FAMILIES[instanceFamily(instanceType)];
}

/** The accelerator an AMI type has drivers for, or undefined for a standard AMI. */
export function amiAccelerator(amiType: string): Accelerator | undefined {
    return (Object.keys(ACCELERATED_AMI_TYPES) as Accelerator[]).find((a) => ACCELERATED_AMI_TYPES[a].includes(amiType));
}
