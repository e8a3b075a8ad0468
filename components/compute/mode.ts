/**
 * Compute modes: how a region's cluster gets the nodes its pods run on. Each mode sits beside the others
 * in components/compute/ behind this one small interface, so the regional composition picks a mode
 * (`computeModeFor`) instead of growing branches, and a new mode (EKS Auto Mode next) slots in without
 * touching the network, cluster or workload code.
 */
import type * as aws from "@pulumi/aws";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { FargateProfileSpec, NodeGroupSpec } from "../../stacks/schema";

/** What every mode gets from the region: its providers, the cluster and the network it runs in. */
export interface ComputeInputs {
    /** The region's AWS provider; every AWS child uses it. */
    readonly provider: aws.Provider;
    /** The cluster's Kubernetes provider (for modes that install controllers or objects). */
    readonly kubernetesProvider: k8s.Provider;
    readonly region: string;
    readonly clusterName: pulumi.Input<string>;
    /**
     * The cluster's Kubernetes minor version. Nodes a mode launches run it, so that changing
     * `kubernetesVersion` upgrades them too (after the control plane and its networking add-ons).
     */
    readonly kubernetesVersion: string;
    readonly clusterArn: pulumi.Input<string>;
    /** The API server's URL. */
    readonly clusterEndpoint: pulumi.Input<string>;
    /** The security group EKS created for the cluster (control plane and nodes). */
    readonly clusterSecurityGroupId: pulumi.Input<string>;
    /** Private subnets, one per zone: the only subnets nodes are placed in. */
    readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The region's managed node groups (all the nodes of `managed-node-groups`; the system group of other modes). */
    readonly nodeGroups: readonly NodeGroupSpec[];
    /** @default [] */
    readonly fargateProfiles?: readonly FargateProfileSpec[];
    /** The cluster's IAM role (Auto Mode: the custom NodeClasses' storage key grants it use). @default none */
    readonly clusterRoleArn?: pulumi.Input<string>;
    /**
     * The node role the Cluster created for the mode (`ClusterModeSettings.autoMode`), or undefined.
     * Auto Mode's custom NodeClasses launch with it.
     */
    readonly modeNodeRole?: { readonly name: pulumi.Input<string>; readonly arn: pulumi.Input<string> };
    /** Tags for the instances and volumes the mode launches (provider default tags do not reach them). @default {} */
    readonly instanceTags?: Readonly<Record<string, string>>;
    /**
     * What nodes must wait for before they join: the cluster's networking add-ons (CNI) and the
     * network's routes out (NAT). Only the node groups and Fargate profiles wait for them, not their
     * roles and launch templates, which the plan's timeline showed queued behind the control plane.
     * @default []
     */
    readonly joinAfter?: readonly pulumi.Resource[];
}

/**
 * How a region's compute is doing, exported per region (`regions.<region>.compute`) for the rollout's
 * post-wave health check. Plain strings, as `pulumi up` last observed them.
 */
export interface ComputeStatus {
    readonly mode: string;
    /** Karpenter: the controller release's Helm status (`deployed` once its Deployment was ready). */
    readonly controller?: string;
    /** Karpenter: each NodePool's `Ready` condition (`True` once Karpenter accepted it). */
    readonly nodePools?: Readonly<Record<string, string>>;
}

/** What a mode hands back to the region. */
export interface Compute {
    /**
     * What the cluster's own add-ons and controllers (CoreDNS, the load balancer controller) run on.
     * They record it in `dependsOn`, so they are created after it and deleted before it.
     */
    readonly systemNodes: pulumi.Resource;
    /**
     * Everything workloads need before their pods can be scheduled (for Karpenter: its NodePools).
     * Workloads depend on these, so `pulumi destroy` removes them (and their load balancers) first.
     */
    readonly workloadCapacity: readonly pulumi.Resource[];
    readonly status: pulumi.Input<ComputeStatus>;
}

/**
 * What a mode contributes to the cluster's own settings. The Cluster applies them; a mode without any
 * contributes `{}`.
 */
export interface ClusterModeSettings {
    /**
     * EKS Auto Mode: compute, block storage and load balancing on together (one request), with these
     * built-in node pools (`[]`: none). The Cluster then attaches Auto Mode's policies to its role, trusts
     * `sts:TagSession`, and creates the mode's node role. Undefined: Auto Mode off.
     */
    readonly autoMode?: { readonly builtInNodePools: readonly string[] };
}

/** Who serves Ingress objects: the platform's own load balancer controller, or EKS Auto Mode. */
export type LoadBalancing = "aws-load-balancer-controller" | "eks-auto-mode";

/**
 * What a mode changes outside its own component: the cluster settings it needs, and what it runs itself
 * (so the platform registers none of it). Pure data, so the plan and tests read it without a run.
 */
export interface ModeCapabilities {
    readonly cluster: ClusterModeSettings;
    /** EKS add-ons (by name, components/addons-plan.ts) the mode runs itself: never registered. */
    readonly ownedAddons: readonly string[];
    /** In-cluster controllers the mode runs itself (by name, for the plan and tests). */
    readonly ownedControllers: readonly string[];
    /** Who turns Ingresses into ALBs (the IngressClasses name its controller). */
    readonly loadBalancing: LoadBalancing;
    /** The EBS CSI provisioner the default StorageClass names. */
    readonly storageProvisioner: string;
}

/** The platform's own machinery (EKS add-ons, the load balancer controller, the EBS CSI driver's class): modes that run no cluster capability themselves. */
export const SELF_MANAGED_CAPABILITIES: ModeCapabilities = {
    cluster: {},
    ownedAddons: [],
    ownedControllers: [],
    loadBalancing: "aws-load-balancer-controller",
    // The EBS CSI driver add-on's provisioner (components/addons-plan.ts).
    storageProvisioner: "ebs.csi.aws.com",
};

export interface ComputeMode<Settings = unknown> {
    /** The name a stack config selects the mode by. */
    readonly name: string;
    /** What the mode contributes to the cluster and runs itself. Pure. */
    capabilities(settings: Settings): ModeCapabilities;
    /** Extra tags the mode needs on the private subnets (e.g. discovery tags). Pure; empty when none. */
    privateSubnetTags(clusterName: string, settings: Settings): Record<string, string>;
    /** Registers the mode's resources as children of `opts.parent`, names starting with `name`. */
    build(name: string, inputs: ComputeInputs, settings: Settings, opts: pulumi.ComponentResourceOptions): Compute;
}
