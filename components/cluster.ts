/**
 * Cluster: the EKS control plane (via @pulumi/eks v4), its IAM role, a rotating KMS key for envelope
 * encryption of Secrets, control-plane logs with retention, access entries, and the add-ons nodes need
 * before they can become Ready.
 */
import { PRODUCTION_TAG } from "./observability-names";
import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import type { EndpointAccess } from "../stacks/schema";
import { addonVersionOf, registerAddon } from "./addon";
import { addonsFor, clusterAddonRegistration } from "./addons-plan";
import {
    CONTROL_PLANE_LOG_TYPES, adminAccessEntries, controlPlaneLogGroupName, endpointFlags,
} from "./cluster-settings";
import { eksProtectionOptions } from "./cluster-protection";
import { previewAccessEntries } from "./preview-rbac";
import { MANAGED_POLICY, serviceTrust } from "./iam-policies";
import type { ClusterModeSettings } from "./compute/mode";
import { AUTO_MODE_CLUSTER_POLICIES, AUTO_MODE_NODE_POLICIES, autoModeClusterTrust } from "./compute/auto/settings";

export interface ClusterArgs {
    /** The region's provider; every child (and the eks component) uses it. */
    readonly provider: aws.Provider;
    /** EKS cluster name (fixed, so the log group can be created before the cluster). */
    readonly clusterName: string;
    /** Kubernetes minor version, e.g. "1.33". */
    readonly version: string;
    readonly vpcId: pulumi.Input<string>;
    /**
     * The cluster's subnets: EKS places the control-plane ENIs in them. The private ones only; load
     * balancers find the public subnets by their tags.
     */
    readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** @default "private" */
    readonly endpointAccess?: EndpointAccess;
    /** CIDRs allowed to reach a public endpoint. @default [] */
    readonly publicAccessCidrs?: readonly string[];
    /** IAM principals given cluster-admin through access entries. @default [] */
    readonly adminPrincipals?: readonly string[];
    /**
     * IAM principals that preview the stack: an access entry in PREVIEW_GROUP each, no access policy
     * (their permissions come from the preview ClusterRole, components/preview-rbac.ts). @default []
     */
    readonly previewPrincipals?: readonly string[];
    /** Control-plane log retention in days. @default 90 */
    readonly logRetentionDays?: number;
    /**
     * Stay on extended (paid) support past a version's standard support, instead of EKS upgrading
     * the cluster then. @default false
     */
    readonly extendedSupport?: boolean;
    /**
     * EKS deletion protection plus Pulumi `protect` on exactly the EKS cluster and its KMS key (not the
     * eks component's other children: see cluster-protection.ts). @default false
     */
    readonly protect?: boolean;
    /**
     * Marks the EKS cluster itself as production (tag `eks-platform:production=true`, clusterTags): the
     * policy pack's stack policy reads it (policy/stack-rules.ts). @default false
     */
    readonly production?: boolean;
    /**
     * The role the region's AWS provider assumes (eks-platform:assumeRoleArn): the kubeconfig's
     * `aws eks get-token` assumes it too (pulumi-eks v4.3.0 generateKubeconfig: `--role`), so the
     * Kubernetes provider authenticates as the identity that created the cluster. @default none
     */
    readonly assumeRoleArn?: string;
    /** The networking add-ons' versions (PlatformConfig's cluster.addonVersions). @default the pinned table's row for `version` */
    readonly addonVersions?: Readonly<Record<string, string>>;
    /**
     * What the compute mode contributes (components/compute/mode.ts `ModeCapabilities.cluster`): with
     * `autoMode`, EKS Auto Mode on. @default {} (Auto Mode off)
     */
    readonly mode?: ClusterModeSettings;
    /** EKS add-ons the compute mode runs itself: the Cluster registers none of them. @default [] */
    readonly ownedAddons?: readonly string[];
}

export class Cluster extends pulumi.ComponentResource {
    public readonly clusterName: pulumi.Output<string>;
    public readonly clusterArn: pulumi.Output<string>;
    /**
     * The Kubernetes version the control plane runs, as EKS reports it (after a refresh, also a
     * version EKS moved to by itself). Exported per region; the rollout compares it with the config.
     */
    public readonly kubernetesVersion: pulumi.Output<string>;
    public readonly endpoint: pulumi.Output<string>;
    /** kubeconfig (JSON) that authenticates with `aws eks get-token`; a secret. */
    public readonly kubeconfig: pulumi.Output<string>;
    public readonly oidcProviderArn: pulumi.Output<string>;
    public readonly oidcIssuerUrl: pulumi.Output<string>;
    /** Security group EKS creates for the control plane and managed nodes. */
    public readonly clusterSecurityGroupId: pulumi.Output<string>;
    public readonly kmsKeyArn: pulumi.Output<string>;
    public readonly clusterRoleArn: pulumi.Output<string>;
    /** The node role created for the compute mode (Auto Mode), or undefined. */
    public readonly modeNodeRole?: { readonly name: pulumi.Output<string>; readonly arn: pulumi.Output<string> };

    constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:index:Cluster", name, {}, opts);
        const o = { parent: this, provider: args.provider };
        const protect = args.protect ?? false;

        const key = new aws.kms.Key(`${name}-secrets-key`, {
            description: `Envelope encryption of Kubernetes Secrets for EKS cluster ${args.clusterName}`,
            enableKeyRotation: true,
            rotationPeriodInDays: 365,
            deletionWindowInDays: 30,
        }, { ...o, protect });
        new aws.kms.Alias(`${name}-secrets-key-alias`, {
            name: `alias/eks/${args.clusterName}-secrets`,
            targetKeyId: key.keyId,
        }, o);

        const auto = args.mode?.autoMode;
        const role = new aws.iam.Role(`${name}-role`, {
            // Auto Mode: EKS also tags the role's sessions (auto-cluster-iam-role.html).
            assumeRolePolicy: JSON.stringify(auto ? autoModeClusterTrust() : serviceTrust("eks.amazonaws.com")),
            description: `EKS control plane of ${args.clusterName}`,
        }, o);
        // We pass our own `serviceRole`, so pulumi-eks attaches none of Auto Mode's policies itself
        // (v4.3.0 nodejs/eks/cluster/cluster.ts: only when `serviceRole` is not given).
        const attachments = [MANAGED_POLICY.eksCluster, MANAGED_POLICY.eksVpcResourceController, ...(auto ? AUTO_MODE_CLUSTER_POLICIES : [])].map((policyArn, i) =>
            new aws.iam.RolePolicyAttachment(`${name}-role-policy-${i}`, { role: role.name, policyArn }, o));
        // Auto Mode's node role, the platform's own (pulumi-eks would create one with `createNodeRole`,
        // auto-named from the component's name): built-in pools and custom NodeClasses launch with it.
        let nodeRole: aws.iam.Role | undefined;
        const nodeAttachments: aws.iam.RolePolicyAttachment[] = [];
        if (auto) {
            nodeRole = new aws.iam.Role(`${name}-node-role`, {
                assumeRolePolicy: JSON.stringify(serviceTrust("ec2.amazonaws.com")),
                description: `EKS Auto Mode nodes of ${args.clusterName}`,
            }, o);
            AUTO_MODE_NODE_POLICIES.forEach((policyArn, i) => nodeAttachments.push(
                new aws.iam.RolePolicyAttachment(`${name}-node-role-policy-${i}`, { role: nodeRole!.name, policyArn }, o)));
        }
        // The control plane encrypts and decrypts Secrets' data keys with the key.
        // https://docs.aws.amazon.com/eks/latest/userguide/enable-kms.html
        const kmsUse = new aws.iam.RolePolicy(`${name}-role-kms`, {
            role: role.id,
            policy: key.arn.apply((arn) => JSON.stringify({
                Version: "2012-10-17",
                Statement: [{
                    Effect: "Allow",
                    Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
                    Resource: arn,
                }],
            })),
        }, o);

        const logGroup = new aws.cloudwatch.LogGroup(`${name}-control-plane-logs`, {
            name: controlPlaneLogGroupName(args.clusterName),
            retentionInDays: args.logRetentionDays ?? 90,
        }, o);

        const cluster = new eks.Cluster(`${name}-eks`, {
            name: args.clusterName,
            version: args.version,
            serviceRole: role,
            vpcId: args.vpcId,
            // `subnetIds` becomes vpcConfig.subnetIds as given; `publicSubnetIds` + `privateSubnetIds`
            // would be concatenated into it (pulumi-eks v4.3.0 nodejs/eks/cluster/cluster.ts l.503-510),
            // letting EKS put control-plane ENIs in the public subnets.
            subnetIds: args.privateSubnetIds,
            // No pulumi-eks cluster security group, node security group or rule between them
            // (cluster.ts l.548-555, l.2120): managed nodes use the security group EKS creates.
            skipDefaultSecurityGroups: true,
            // Nodes come from the NodeGroups component (managed node groups in private subnets).
            skipDefaultNodeGroup: true,
            nodeAssociatePublicIpAddress: false,
            ...endpointFlags(args.endpointAccess ?? "private", args.publicAccessCidrs ?? []),
            enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
            encryptionConfigKeyArn: key.arn,
            authenticationMode: eks.AuthenticationMode.Api,
            accessEntries: { ...adminAccessEntries(args.adminPrincipals ?? []), ...previewAccessEntries(args.previewPrincipals ?? []) },
            // Pod Identity serves the platform's own roles; the OIDC provider lets workloads that
            // still need IRSA use it.
            createOidcProvider: true,
            // Every add-on is a managed one we own (see addons-plan.ts), none self-managed.
            bootstrapSelfManagedAddons: false,
            useDefaultVpcCni: true,
            corednsAddonOptions: { enabled: false },
            kubeProxyAddonOptions: { enabled: false },
            // The EBS CSI driver's gp3 class (from the Addons component) replaces the in-tree gp2 one.
            storageClasses: {},
            deletionProtection: protect,
            ...(args.production ?? false ? { clusterTags: { [PRODUCTION_TAG]: "true" } } : {}),
            // pulumi-eks leaves EKS's default (EXTENDED, which is billed extra) unless told otherwise.
            upgradePolicy: { supportType: (args.extendedSupport ?? false) ? "EXTENDED" : "STANDARD" },
            ...(args.assumeRoleArn ? { providerCredentialOpts: { roleArn: args.assumeRoleArn } } : {}),
            // Auto Mode: pulumi-eks turns compute, block storage (storageConfig) and load balancing
            // (kubernetesNetworkConfig.elasticLoadBalancing) on together and resolves them as one value,
            // as the EKS API requires (v4.3.0 cluster.ts); bootstrapSelfManagedAddons is forced false
            // there too. Without built-in pools the cluster gets no node role (the built-in `default`
            // NodeClass then does not exist; set-builtin-node-pools.html).
            ...(auto && nodeRole ? {
                autoMode: {
                    enabled: true,
                    createNodeRole: false,
                    computeConfig: {
                        nodePools: [...auto.builtInNodePools],
                        ...(auto.builtInNodePools.length > 0 ? { nodeRoleArn: nodeRole.arn } : {}),
                    },
                },
            } : {}),
        }, {
            parent: this,
            // Remote component: the provider goes through `providers`, and its children inherit it.
            providers: { aws: args.provider },
            dependsOn: [logGroup, kmsUse, ...attachments, ...nodeAttachments],
            // Not `protect`: it would reach every child of the component (see cluster-protection.ts).
            ...eksProtectionOptions(protect),
        });

        const eksCluster = cluster.eksCluster;
        // The cluster's name as an output of the created cluster, not the configured string: an
        // add-on given the plain string would carry no dependency on the cluster and be created
        // while the cluster does not exist yet.
        this.clusterName = eksCluster.apply((c) => c.name);
        this.clusterArn = eksCluster.apply((c) => c.arn);
        this.kubernetesVersion = eksCluster.apply((c) => c.version);
        const owned = new Set(args.ownedAddons ?? []);
        for (const spec of addonsFor("before-nodes").filter((a) => !owned.has(a.name))) {
            registerAddon(clusterAddonRegistration(name, spec, addonVersionOf(spec.name, args.version, args.addonVersions)),
                this.clusterName, this.clusterArn, o, [cluster]);
        }

        this.endpoint = eksCluster.apply((c) => c.endpoint);
        this.kubeconfig = pulumi.secret(cluster.kubeconfigJson);
        this.oidcProviderArn = cluster.oidcProviderArn;
        this.oidcIssuerUrl = cluster.oidcProviderUrl;
        this.clusterSecurityGroupId = eksCluster.apply((c) => c.vpcConfig.clusterSecurityGroupId);
        this.kmsKeyArn = key.arn;
        this.clusterRoleArn = role.arn;
        this.modeNodeRole = nodeRole && { name: nodeRole.name, arn: nodeRole.arn };
        this.registerOutputs({
            clusterName: this.clusterName,
            clusterArn: this.clusterArn,
            kubernetesVersion: this.kubernetesVersion,
            endpoint: this.endpoint,
            kubeconfig: this.kubeconfig,
            oidcProviderArn: this.oidcProviderArn,
            oidcIssuerUrl: this.oidcIssuerUrl,
            clusterSecurityGroupId: this.clusterSecurityGroupId,
            kmsKeyArn: this.kmsKeyArn,
            clusterRoleArn: this.clusterRoleArn,
        });
    }
}
