/**
 * Building blocks the config schemas share (stacks/schema.ts, stacks/karpenter-schema.ts): names,
 * Kubernetes labels and taints. One definition each, so a rule and its message never differ between keys.
 */
import { z } from "zod";

/** A lower-case DNS label of at most `max` characters that starts with a letter. */
export const dnsLabel = (max: number) =>
    z.string().regex(new RegExp(`^[a-z]([a-z0-9-]{0,${max - 2}}[a-z0-9])?$`), {
        message: `must be lower-case letters, digits and '-', start with a letter, at most ${max} characters`,
    });

/** Kubernetes label keys/values: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set */
export const labelKey = z.string().regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, {
    message: "not a valid Kubernetes label key",
});
export const labelValue = z.string().regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, {
    message: "not a valid Kubernetes label value (at most 63 characters of letters, digits, '-', '_', '.')",
});
export const labels = z.record(labelKey, labelValue);

export const TAINT_EFFECTS = ["NoSchedule", "NoExecute", "PreferNoSchedule"] as const;

export const taintSchema = z.strictObject({
    key: labelKey,
    value: labelValue.optional(),
    effect: z.enum(TAINT_EFFECTS),
});
