/**
 * EC2 instance families whose architecture does not follow the naming rule (facts/data/instance-architectures.json).
 * The rule itself (a type is `<series><generation><options>.<size>`; the option letter `g` means AWS
 * Graviton, arm64; everything else x86_64) is applied by stacks/instance-architecture.ts.
 */
import type { FactTable } from "./ledger";
import data from "./data/instance-architectures.json";

export type Architecture = "x86_64" | "arm64";

export const INSTANCE_ARCHITECTURE_TABLE = data as FactTable<Architecture>;

/** Families whose name does not follow the `g` option rule, with their architecture. */
export const FAMILY_EXCEPTIONS: Readonly<Record<string, Architecture>> = Object.fromEntries(INSTANCE_ARCHITECTURE_TABLE.entries.map((e) => [e.key, e.value]));
