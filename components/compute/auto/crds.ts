/**
 * Schemas of EKS Auto Mode's own custom resources (eks.amazonaws.com/v1 NodeClass and IngressClassParams)
 * for the plan's schema check. AWS publishes no CRD files for them (the cluster serves them), so these are
 * written by this project from the AWS docs (each file names its sources) and never applied.
 */
import * as path from "path";

export const AUTO_MODE_CRD_FILES: readonly string[] = [
    "eks.amazonaws.com_nodeclasses.yaml",
    "eks.amazonaws.com_ingressclassparams.yaml",
].map((f) => path.join(__dirname, "crds", f));
