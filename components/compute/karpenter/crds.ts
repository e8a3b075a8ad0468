/**
 * The CRDs of the pinned Karpenter release this project carries as data (crds/, verbatim from
 * aws/karpenter-provider-aws pkg/apis/crds/ at tag v1.14.1): the plan checks every NodePool and
 * EC2NodeClass against their schemas. Bump them together with KARPENTER.version (facts/data/karpenter.json).
 */
import * as path from "path";

export const KARPENTER_CRD_FILES: readonly string[] = [
    "karpenter.sh_nodepools.yaml",
    "karpenter.k8s.aws_ec2nodeclasses.yaml",
].map((f) => path.join(__dirname, "crds", f));
