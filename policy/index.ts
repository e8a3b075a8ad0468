/**
 * Policy pack "eks-platform": run with `pulumi preview --policy-pack policy` or
 * `npm run rollout -- --stack <stack> --preview --policy-pack policy` (docs/policy.md).
 * Every policy is mandatory: a violation fails the preview or update before anything reaches AWS.
 */
import { PolicyPack } from "@pulumi/policy";
import { policies, stackPolicies } from "./policies";

new PolicyPack("eks-platform", { policies: [...policies, ...stackPolicies] });
