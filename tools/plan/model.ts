/**
 * What an offline plan holds: the shapes the other files of tools/plan build, render and write.
 * Everything here is plain data, already redacted (secrets are "[secret]").
 */

import type { VersionSupport } from "../../facts/eks-versions";
import { SECRET_PLACEHOLDER } from "../harness/stack-files";

/** What a redacted secret prints as: the same placeholder encrypted stack config arrives as. */
export const SECRET = SECRET_PLACEHOLDER;
import type { NamesDecision } from "./dns-plan";

/** One registered resource as resources.json lists it. */
export interface ResourceEntry {
    readonly type: string;
    readonly name: string;
    /** Key (`type::name`) of the parent; absent for the stack. */
    readonly parent?: string;
    /** Key of the provider a custom resource uses, or of the providers handed to a component. */
    readonly provider?: string;
    readonly providers?: Record<string, string>;
    /** The region whose RegionalPlatform the resource sits under, if any. */
    readonly region?: string;
    readonly custom: boolean;
    readonly protect: boolean;
    readonly dependsOn: readonly string[];
    readonly inputs: Record<string, unknown>;
}

export interface TreeNode {
    readonly type: string;
    readonly name: string;
    readonly children: TreeNode[];
}

export interface SubnetDecision {
    readonly tier: "public" | "private";
    readonly zone: number;
    /** Availability zone the registered subnet uses (from the mock invoke, as AWS would answer). */
    readonly availabilityZone: string;
    readonly cidr: string;
}

export interface NodeGroupDecision {
    readonly name: string;
    /** The EKS node group's name. */
    readonly eksName: string;
    readonly capacityType: string;
    readonly instanceTypes: readonly string[];
    readonly minSize: number;
    readonly desiredSize: number;
    readonly maxSize: number;
    readonly diskSizeGiB: number;
    readonly amiType: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly taints: readonly string[];
}

/** EKS Auto Mode: its built-in pools (from the cluster's computeConfig), custom NodeClasses, and what AWS runs. */
export interface AutoModeDecision {
    readonly builtInNodePools: readonly string[];
    /** The node role the built-in pools launch with is the platform's (not pulumi-eks's). */
    readonly nodeRole: string;
    readonly nodeClasses: ReadonlyArray<{ readonly name: string; readonly ephemeralStorage?: string; readonly networkPolicy?: string; readonly encrypted: boolean }>;
    /** EKS add-ons and controllers Auto Mode runs itself, so the stack registers none of them. */
    readonly awsRuns: readonly string[];
}

/** One Karpenter NodePool, as the program would apply it. */
export interface NodePoolDecision {
    readonly name: string;
    readonly nodeClass: string;
    readonly weight?: number;
    readonly capacityTypes: readonly string[];
    readonly instanceCategories: readonly string[];
    readonly instanceFamilies: readonly string[];
    readonly architectures: readonly string[];
    /** Zones it may launch in; empty: every zone of the region's private subnets. */
    readonly zones: readonly string[];
    /** Oldest instance generation allowed, when limited. */
    readonly minInstanceGeneration?: number;
    readonly limits: { readonly cpu?: string; readonly memory?: string };
    readonly expireAfter?: string;
    readonly consolidationPolicy?: string;
    readonly consolidateAfter?: string;
    /** `nodes[ for reasons][ at schedule for duration]`, one per budget. */
    readonly budgets: readonly string[];
    readonly taints: readonly string[];
}

export interface AddonDecision {
    readonly name: string;
    /** Version pinned by the program, or undefined for the EKS default of the cluster's version. */
    readonly version?: string;
    /** Where the version comes from: the pinned table (facts/data/addon-versions.json) or eks-platform:addonVersions. */
    readonly pinnedBy?: "table" | "override";
    /** The table's pin is a sample not read from AWS (the plan warns). */
    readonly unverified?: boolean;
    /** AWS's default for the minor as the last refresh recorded it, when it differs from `version`. */
    readonly awsDefault?: { readonly version: string; readonly read?: string };
    /** Service account given its own IAM role through Pod Identity. */
    readonly podIdentityServiceAccount?: string;
}

export interface HelmReleaseDecision {
    readonly resource: string;
    readonly chart: string;
    readonly version?: string;
    readonly repo?: string;
    readonly namespace?: string;
}

export interface AppRoute {
    /** Ingress (or Gateway API HTTPRoute) that routes to the app: its resource. */
    readonly ingress: string;
    /** For an HTTPRoute: the Gateway (`namespace/name`) it attaches to; that Gateway is one ALB. */
    readonly gateway?: string;
    readonly ingressClass?: string;
    /** `internet-facing`, `internal`, or undefined when neither the Ingress nor its class says. */
    readonly scheme?: string;
    /** ALB ingress group: Ingresses of one group share one load balancer. */
    readonly group?: string;
    /** `host/path` per rule that reaches the app, `*` for any host. */
    readonly routes: readonly string[];
    /** e.g. ["HTTP:80", "HTTPS:443"]. */
    readonly listeners: readonly string[];
    readonly tls: boolean;
}

export interface AppDecision {
    readonly name: string;
    readonly namespace: string;
    readonly replicas: number;
    readonly autoscaling?: { readonly minReplicas?: number; readonly maxReplicas?: number; readonly targetCpuUtilization?: number };
    readonly images: readonly string[];
    readonly exposure: readonly AppRoute[];
}

/** One ALB, as the load balancer controller would create it from the Ingresses. */
export interface LoadBalancerDecision {
    readonly id: string;
    /** The Gateway (`namespace/name`) the ALB serves, for a Gateway API ALB. */
    readonly gateway?: string;
    readonly scheme: string;
    readonly group?: string;
    readonly apps: readonly string[];
    readonly listeners: readonly string[];
}

export interface RegionDecisions {
    readonly region: string;
    readonly vpcCidr: string;
    readonly availabilityZones: readonly string[];
    readonly subnets: readonly SubnetDecision[];
    readonly natGateways: { readonly strategy: string; readonly count: number };
    readonly flowLogs: boolean;
    readonly cluster: {
        readonly name: string;
        readonly kubernetesVersion: string;
        /** The version's place in the EKS support calendar on the plan's `today`. */
        readonly support: VersionSupport;
        readonly endpointAccess: string;
        readonly publicAccessCidrs: readonly string[];
        readonly adminPrincipals: readonly string[];
        readonly logTypes: readonly string[];
        readonly logRetentionDays: number;
        readonly deletionProtection: boolean;
    };
    readonly addons: readonly AddonDecision[];
    readonly nodeGroups: readonly NodeGroupDecision[];
    /** The compute mode (components/compute/) and, with Karpenter or Auto Mode, its node pools. */
    readonly compute: { readonly mode: string; readonly nodePools: readonly NodePoolDecision[]; readonly autoMode?: AutoModeDecision };
    readonly fargateProfiles: ReadonlyArray<{ readonly name: string; readonly selectors: readonly string[] }>;
    readonly helmReleases: readonly HelmReleaseDecision[];
    readonly apps: readonly AppDecision[];
    readonly loadBalancers: readonly LoadBalancerDecision[];
    /** With eks-platform:dns: the region's certificates and records (tools/plan/dns-plan.ts). */
    readonly names?: NamesDecision;
}

/** A Kubernetes object the program would apply. `object` is redacted. */
export interface Manifest {
    readonly resource: string;
    readonly region?: string;
    readonly apiVersion: string;
    readonly kind: string;
    readonly name?: string;
    readonly namespace?: string;
    readonly object: Record<string, unknown>;
}

export interface ManifestError {
    /** Field path in the object, e.g. `spec.template.spec.containers[0].ports[0].containerPort`. */
    readonly field: string;
    readonly message: string;
}

/** The result of checking one manifest against the schemas: the manifest's identity, no body. */
export interface ManifestCheck extends Omit<Manifest, "object"> {
    readonly status: "valid" | "invalid" | "not-checked";
    /** Why an object was not schema-checked. */
    readonly reason?: string;
    readonly errors: readonly ManifestError[];
}

export interface SchemaInfo {
    /** npm package and version the schemas come from. */
    readonly package: string;
    /** Kubernetes release the package's schemas were generated from. */
    readonly kubernetesVersion: string;
    /** The stack's configured Kubernetes minor version. */
    readonly configuredVersion: string;
    /** True when the schemas are of the configured minor version. */
    readonly matches: boolean;
}

export interface Warning {
    readonly region?: string;
    /** What the warning is about: a config key, a node group, an app, a Kubernetes object. */
    readonly subject: string;
    readonly message: string;
}

export interface RegionPlan {
    readonly region: string;
    /** Key of the region's RegionalPlatform component. */
    readonly component: string;
    readonly decisions: RegionDecisions;
    readonly tree: TreeNode;
    readonly counts: Record<string, number>;
    readonly manifests: readonly Manifest[];
    readonly checks: readonly ManifestCheck[];
}

export interface PlanModel {
    readonly stack: string;
    readonly project: string;
    readonly environment: string;
    readonly production: boolean;
    readonly protect: boolean;
    readonly kubernetesVersion: string;
    /** The day (YYYY-MM-DD) the support calendar was read for. */
    readonly today: string;
    readonly schema: SchemaInfo;
    readonly regions: readonly RegionPlan[];
    /** Resources outside any region (besides the stack itself). */
    readonly stackTree: TreeNode;
    readonly resources: readonly ResourceEntry[];
    readonly counts: Record<string, number>;
    readonly warnings: readonly Warning[];
    /** How old the ledger's facts the plan used are on its day (tools/plan/fact-age.ts). */
    readonly facts: { readonly asOf: string; readonly stale: readonly string[] };
    /** Stack outputs, redacted. */
    readonly outputs: Record<string, unknown>;
}
