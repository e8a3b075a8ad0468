/**
 * RegionalPlatform: everything one region of an environment runs, under one parent, on that region's
 * explicit provider: Network -> Cluster -> NodeGroups -> Addons.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig, RegionConfig } from "../stacks/config";
import { Addons } from "./addons";
import { Cluster } from "./cluster";
import { clusterName } from "./cluster-settings";
import { Network } from "./network";
import { NodeGroups } from "./node-groups";
import { platformTags } from "./tags";

export interface RegionalPlatformArgs {
    /** The whole stack's config (environment, tags, protection). */
    readonly platform: PlatformConfig;
    /** This region's settings, overrides already merged. */
    readonly region: RegionConfig;
}

export class RegionalPlatform extends pulumi.ComponentResource {
    public readonly region: string;
    public readonly provider: aws.Provider;
    public readonly network: Network;
    public readonly cluster: Cluster;
    public readonly nodeGroups: NodeGroups;
    public readonly addons: Addons;

    public readonly vpcId: pulumi.Output<string>;
    public readonly clusterName: pulumi.Output<string>;
    public readonly clusterEndpoint: pulumi.Output<string>;
    public readonly kubeconfig: pulumi.Output<string>;

    constructor(name: string, args: RegionalPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:index:RegionalPlatform", name, {}, opts);
        const { platform, region: r } = args;
        const tags = platformTags({ project: platform.project, environment: platform.environment, region: r.region, tags: platform.tags });

        this.region = r.region;
        this.provider = new aws.Provider(`${name}-aws`, {
            region: r.region as aws.Region,
            defaultTags: { tags },
        }, { parent: this });
        const provider = this.provider;

        this.network = new Network(`${name}-network`, {
            provider,
            region: r.region,
            vpcCidr: r.vpcCidr,
            azCount: r.azCount,
            availabilityZones: r.availabilityZones,
            natGateways: r.network.natGateways,
            flowLogs: r.network.flowLogs,
            logRetentionDays: r.cluster.logRetentionDays,
        }, { parent: this });

        this.cluster = new Cluster(`${name}-cluster`, {
            provider,
            clusterName: clusterName(platform.environment, r.region),
            version: r.cluster.version,
            vpcId: this.network.vpcId,
            publicSubnetIds: this.network.publicSubnetIds,
            privateSubnetIds: this.network.privateSubnetIds,
            endpointAccess: r.cluster.endpointAccess,
            publicAccessCidrs: r.cluster.publicAccessCidrs,
            adminPrincipals: r.cluster.adminPrincipals,
            logRetentionDays: r.cluster.logRetentionDays,
            protect: platform.protect,
        }, { parent: this });

        // Nodes need the CNI (cluster) and a route out through NAT (network) to join.
        this.nodeGroups = new NodeGroups(`${name}-nodes`, {
            provider,
            region: r.region,
            clusterName: this.cluster.clusterName,
            privateSubnetIds: this.network.privateSubnetIds,
            nodeGroups: r.nodeGroups,
            fargateProfiles: r.fargateProfiles,
            instanceTags: tags,
        }, { parent: this, dependsOn: [this.cluster, this.network] });

        this.addons = new Addons(`${name}-addons`, {
            provider,
            clusterName: this.cluster.clusterName,
        }, { parent: this, dependsOn: [this.nodeGroups] });

        this.vpcId = this.network.vpcId;
        this.clusterName = this.cluster.clusterName;
        this.clusterEndpoint = this.cluster.endpoint;
        this.kubeconfig = this.cluster.kubeconfig;
        this.registerOutputs({
            vpcId: this.vpcId,
            clusterName: this.clusterName,
            clusterEndpoint: this.clusterEndpoint,
            kubeconfig: this.kubeconfig,
        });
    }
}
