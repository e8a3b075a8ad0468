/**
 * The EKS managed add-ons this platform installs, when, and with which identity.
 *
 * The cluster is created with `bootstrapSelfManagedAddons: false`, so EKS installs nothing on its own
 * and every add-on here is a managed one we own. Networking add-ons go in before the node groups
 * (nodes stay NotReady without a CNI); the rest need nodes to schedule on and go in after them,
 * otherwise their creation waits for pods that cannot run and times out.
 * https://docs.aws.amazon.com/eks/latest/userguide/eks-add-ons.html
 */
import { MANAGED_POLICY } from "./iam-policies";

/** Where the managed add-ons run their pods and service accounts. */
export const ADDON_NAMESPACE = "kube-system";

export type AddonPhase = "before-nodes" | "after-nodes";

export interface AddonSpec {
    /** EKS add-on name as `aws eks describe-addon-versions` lists it. */
    readonly name: string;
    readonly phase: AddonPhase;
    /** Service account (in ADDON_NAMESPACE) that gets its own IAM role through EKS Pod Identity. */
    readonly serviceAccount?: string;
    /** AWS managed policy for that role. */
    readonly policyArn?: string;
    /** Add-on configuration (the schema `aws eks describe-addon-configuration` returns). */
    readonly configuration?: Record<string, unknown>;
}

export const ADDONS: readonly AddonSpec[] = [
    {
        name: "vpc-cni",
        phase: "before-nodes",
        // Its own role instead of the node role, so pods on the node cannot use ENI permissions.
        serviceAccount: "aws-node",
        policyArn: MANAGED_POLICY.cni,
        // Turns on the network policy agent, so NetworkPolicy objects are enforced.
        // https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html
        configuration: { enableNetworkPolicy: "true" },
    },
    { name: "kube-proxy", phase: "before-nodes" },
    // Serves credentials to pods through Pod Identity; needed before any pod uses a role.
    { name: "eks-pod-identity-agent", phase: "before-nodes" },
    { name: "coredns", phase: "after-nodes" },
    {
        name: "aws-ebs-csi-driver",
        phase: "after-nodes",
        serviceAccount: "ebs-csi-controller-sa",
        policyArn: MANAGED_POLICY.ebsCsi,
    },
    // Resource metrics for the HorizontalPodAutoscaler (EKS community add-on).
    { name: "metrics-server", phase: "after-nodes" },
    // A DaemonSet that reads node logs and reports kernel, networking, storage and runtime problems as
    // node conditions; the managed node groups' auto repair acts on them. Without it auto repair only
    // sees the basic Ready/NotReady conditions. Needs no IAM role.
    // https://docs.aws.amazon.com/eks/latest/userguide/node-health.html
    { name: "eks-node-monitoring-agent", phase: "after-nodes" },
];

export function addonsFor(phase: AddonPhase): AddonSpec[] {
    return ADDONS.filter((a) => a.phase === phase);
}

/** The Pod Identity role of one add-on: what it trusts and which AWS managed policies it holds. */
export interface AddonPodIdentity {
    /** Name of the aws.iam.Role resource. */
    readonly roleResourceName: string;
    /** Namespace of the service account the role trusts. */
    readonly namespace: string;
    readonly serviceAccount: string;
    /**
     * The managed policies attached to the role, each with its aws.iam.RolePolicyAttachment's name. The add-on
     * waits for them, not only for the role whose ARN it takes: its pods start with the role's credentials
     * at once (Pod Identity), and without the policy their first AWS calls are refused.
     */
    readonly policies: readonly { readonly resourceName: string; readonly policyArn: string }[];
}

/** One managed add-on as components/addon.ts registerAddon creates it: names and inputs, decided here. */
export interface AddonRegistration {
    /** Name of the aws.eks.Addon resource. */
    readonly resourceName: string;
    /** EKS add-on name as `aws eks describe-addon-versions` lists it. */
    readonly addonName: string;
    /** The version to install (components/addon.ts addonVersionOf). */
    readonly version: string;
    /** Add-on configuration, sent whole as configurationValues. @default none (EKS's defaults) */
    readonly configuration?: Record<string, unknown>;
    /** Its own Pod Identity role, when the add-on calls AWS. @default none */
    readonly podIdentity?: AddonPodIdentity;
}

/**
 * The registration of one of ADDONS under the component named `prefix`: the add-on `<prefix>-<name>`,
 * and when it has a service account and policy, the role `<prefix>-<name>-role` trusting that account
 * in ADDON_NAMESPACE with the policy attached as `<prefix>-<name>-policy`.
 */
export function clusterAddonRegistration(prefix: string, spec: AddonSpec, version: string): AddonRegistration {
    return {
        resourceName: `${prefix}-${spec.name}`,
        addonName: spec.name,
        version,
        configuration: spec.configuration,
        podIdentity: spec.serviceAccount && spec.policyArn ? {
            roleResourceName: `${prefix}-${spec.name}-role`,
            namespace: ADDON_NAMESPACE,
            serviceAccount: spec.serviceAccount,
            policies: [{ resourceName: `${prefix}-${spec.name}-policy`, policyArn: spec.policyArn }],
        } : undefined,
    };
}
