/**
 * The rules of rules.ts as Pulumi policies: one mandatory ResourceValidationPolicy per rule, which
 * reports each of the rule's messages for resources of the rule's type. Kept apart from index.ts
 * because constructing the PolicyPack there starts the policy pack's gRPC server.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { RULES } from "./rules";
import { STACK_RULES } from "./stack-rules";

export const policies: ResourceValidationPolicy[] = RULES.map((rule) => ({
    name: rule.name,
    description: rule.description,
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== rule.resourceType) return;
        for (const message of rule.check(args.props)) reportViolation(message);
    },
}));

/** The stack rules of stack-rules.ts, one mandatory StackValidationPolicy each. */
export const stackPolicies: StackValidationPolicy[] = STACK_RULES.map((rule) => ({
    name: rule.name,
    description: rule.description,
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const message of rule.check(args.resources.map((r) => ({ type: r.type, urn: r.urn, props: r.props })))) reportViolation(message);
    },
}));
