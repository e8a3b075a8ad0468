/**
 * System nodes: in compute modes that launch nodes on demand (Karpenter), a small on-demand managed
 * node group that the autoscaler never manages, tainted so that only critical add-ons run there (the
 * Karpenter controller, CoreDNS, the load balancer controller). Karpenter's chart tolerates this taint
 * and keeps off nodes it launched (values.yaml `tolerations` and `affinity` at v1.14.1); the load
 * balancer controller is given the toleration. Add-ons come after Karpenter's pools (region.ts), so
 * one whose manifest does not tolerate the taint still finds nodes.
 */
import { SYSTEM_TAINT } from "../../stacks/system-taint";

export { SYSTEM_TAINT };

/** The Kubernetes toleration for SYSTEM_TAINT (any value), for add-ons that must run on the system nodes. */
export const SYSTEM_TOLERATION = { key: SYSTEM_TAINT.key, operator: "Exists", effect: SYSTEM_TAINT.effect } as const;
