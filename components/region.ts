/**
 * RegionalPlatform: everything one region of an environment runs, under one parent, on that region's
 * explicit providers: Network -> Cluster -> Compute (the mode the config selects, components/compute/)
 * -> Addons, then on the cluster's Kubernetes provider the load balancer controller (Ingress) and the
 * applications (Workloads).
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig, RegionConfig } from "../stacks/config";
import { Addons } from "./addons";
import { awsProviderArgs } from "./aws-provider";
import { Cluster } from "./cluster";
import { Ingress } from "./ingress";
import { Gateways } from "./gateway-api/gateways";
import { routesThroughGateway } from "../stacks/apps-schema";
import { clusterName } from "./cluster-settings";
import { Compute, buildCompute, computeCapabilities, computeSubnetTags } from "./compute";
import { Network } from "./network";
import { RegionObservability } from "./observability";
import { dashboardBody } from "./dashboard-plan";
import { dashboardName } from "./observability-names";
import { registerPreviewRbac } from "./preview-rbac";
import { platformTags } from "./tags";
import { AppEndpoint, Workloads } from "./workloads";
import { managedCertificate } from "./certificates";
import type { Dns } from "./dns";
import { certificateGroups } from "../stacks/dns-names";
import type { Scheme } from "../stacks/apps-schema";
import { ingressClasses } from "./ingress-settings";

export interface RegionalPlatformArgs {
    /** The whole stack's config (environment, tags, protection). */
    readonly platform: PlatformConfig;
    /** This region's settings, overrides already merged. */
    readonly region: RegionConfig;
    /** The stack's managed DNS (eks-platform:dns): certificates validate through it, names point here. @default none */
    readonly dns?: Dns;
}

export class RegionalPlatform extends pulumi.ComponentResource {
    public readonly region: string;
    public readonly provider: aws.Provider;
    public readonly network: Network;
    public readonly cluster: Cluster;
    public readonly compute: Compute;
    public readonly addons: Addons;
    public readonly kubernetesProvider: k8s.Provider;
    public readonly ingress: Ingress;
    /** The Gateway API Gateways, when some app routes through one. */
    public readonly gateways?: Gateways;
    public readonly workloads: Workloads;
    /** Metrics, logs and alarms (eks-platform:observability), when on. */
    public readonly observability?: RegionObservability;

    public readonly vpcId: pulumi.Output<string>;
    public readonly clusterName: pulumi.Output<string>;
    public readonly clusterEndpoint: pulumi.Output<string>;
    public readonly kubeconfig: pulumi.Output<string>;
    public readonly apps: Record<string, AppEndpoint>;
    /** Names this region serves through eks-platform:dns (its alias records), in app order. */
    public readonly names: string[];

    constructor(name: string, args: RegionalPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:index:RegionalPlatform", name, {}, opts);
        const { platform, region: r } = args;
        const tags = platformTags({ project: platform.project, environment: platform.environment, region: r.region, tags: platform.tags });

        this.region = r.region;
        this.provider = new aws.Provider(`${name}-aws`, awsProviderArgs({
            region: r.region, environment: platform.environment, tags, account: platform.account,
        }), { parent: this });
        const provider = this.provider;
        const eksName = clusterName(platform.environment, r.region);
        // What the compute mode changes outside its own component (cluster settings, the add-ons,
        // controllers and classes it runs itself): applied by each component, no mode branches here.
        const mode = computeCapabilities(r.compute);

        this.network = new Network(`${name}-network`, {
            provider,
            region: r.region,
            vpcCidr: r.vpcCidr,
            azCount: r.azCount,
            availabilityZones: r.availabilityZones,
            natGateways: r.network.natGateways,
            flowLogs: r.network.flowLogs,
            logRetentionDays: r.cluster.logRetentionDays,
            privateSubnetTags: computeSubnetTags(r.compute, eksName),
        }, { parent: this });

        this.cluster = new Cluster(`${name}-cluster`, {
            provider,
            clusterName: eksName,
            version: r.cluster.version,
            extendedSupport: r.cluster.extendedSupport,
            vpcId: this.network.vpcId,
            privateSubnetIds: this.network.privateSubnetIds,
            endpointAccess: r.cluster.endpointAccess,
            publicAccessCidrs: r.cluster.publicAccessCidrs,
            adminPrincipals: r.cluster.adminPrincipals,
            previewPrincipals: r.cluster.previewPrincipals,
            logRetentionDays: r.cluster.logRetentionDays,
            protect: platform.protect,
            production: platform.production,
            assumeRoleArn: platform.account.assumeRoleArn,
            addonVersions: r.cluster.addonVersions,
            mode: mode.cluster,
            ownedAddons: mode.ownedAddons,
        }, { parent: this });

        // Built from this region's cluster only. Reaching the API needs the runner to reach the
        // endpoint: from the allow-listed CIDRs, or from inside the VPC when it is private.
        this.kubernetesProvider = new k8s.Provider(`${name}-k8s`, {
            kubeconfig: this.cluster.kubeconfig,
            enableServerSideApply: true,
        }, { parent: this });
        // What the preview principals may do in the cluster (their access entries are the Cluster's).
        if (r.cluster.previewPrincipals.length > 0) registerPreviewRbac(name, { parent: this, provider: this.kubernetesProvider });

        // Nodes need the CNI (cluster) and a route out through NAT (network) to join.
        this.compute = buildCompute(name, {
            provider,
            kubernetesProvider: this.kubernetesProvider,
            region: r.region,
            clusterName: this.cluster.clusterName,
            kubernetesVersion: r.cluster.version,
            clusterArn: this.cluster.clusterArn,
            clusterEndpoint: this.cluster.endpoint,
            clusterSecurityGroupId: this.cluster.clusterSecurityGroupId,
            clusterRoleArn: this.cluster.clusterRoleArn,
            modeNodeRole: this.cluster.modeNodeRole,
            privateSubnetIds: this.network.privateSubnetIds,
            nodeGroups: r.nodeGroups,
            fargateProfiles: r.fargateProfiles,
            instanceTags: tags,
            joinAfter: [this.cluster, this.network],
        }, r.compute, { parent: this });

        // Add-ons and apps go in once the mode can run pods: the system nodes, and Karpenter's pools.
        const nodesReady = [...new Set([this.compute.systemNodes, ...this.compute.workloadCapacity])];
        this.addons = new Addons(`${name}-addons`, {
            provider,
            clusterName: this.cluster.clusterName,
            clusterArn: this.cluster.clusterArn,
            kubernetesVersion: r.cluster.version,
            addonVersions: r.cluster.addonVersions,
            kubernetesProvider: this.kubernetesProvider,
            owned: mode.ownedAddons,
            storageProvisioner: mode.storageProvisioner,
        }, { parent: this, dependsOn: nodesReady });

        if (platform.observability.enabled) {
            this.observability = new RegionObservability(`${name}-observability`, {
                provider,
                environment: platform.environment,
                region: r.region,
                clusterName: eksName,
                clusterArn: this.cluster.clusterArn,
                kubernetesVersion: r.cluster.version,
                addonVersions: r.cluster.addonVersions,
                logRetentionDays: r.cluster.logRetentionDays,
                settings: platform.observability,
                addonAfter: nodesReady,
            }, { parent: this });
            // The environment's one dashboard (dashboards are global) lives with the first region, so the
            // first wave puts it up; its body names every region's alarms by ARN (dashboard-plan.ts).
            if (platform.regions[0].region === r.region) {
                const account = aws.getCallerIdentityOutput({}, { parent: this, provider }).accountId;
                const partition = aws.getPartitionOutput({}, { parent: this, provider }).partition;
                new aws.cloudwatch.Dashboard(`${name}-dashboard`, {
                    dashboardName: dashboardName(platform.environment),
                    dashboardBody: pulumi.all([partition, account]).apply(([p, a]) => JSON.stringify(dashboardBody({
                        environment: platform.environment, partition: p, accountId: a,
                        regions: platform.regions.map((x) => ({
                            region: x.region, cluster: clusterName(platform.environment, x.region), albGroups: Object.keys(platform.observability.appGroups),
                        })),
                    }))),
                }, { parent: this, provider });
            }
        }

        const gatewayApi = platform.apps.some(routesThroughGateway);
        // The Gateway API CRDs may already be in the cluster, made by someone else: the load balancer
        // controller's chart creates the gateway.k8s.aws ones on its first install (Helm crds/), another tool
        // may have installed the Gateway API, or a region kept them when its last gateway app went
        // (components/ingress.ts). pulumi-kubernetes 4.29+ refuses to create an object that exists unless its
        // provider upserts (provider/pkg/await/await.go `Creation`: with server-side apply and
        // UpsertExistingObjects the create is an apply patch, forced only with pulumi.com/patchForce), so they
        // get a provider of their own that does; the region's provider keeps refusing, which catches renames
        // without aliases (provider.d.ts `upsertExistingObjects`). Same kubeconfig, so its objects never move
        // clusters: DiffConfig plans a replacement only when the active cluster changes (provider.go DiffConfig).
        const sharedObjectsProvider = gatewayApi ? new k8s.Provider(`${name}-k8s-shared`, {
            kubeconfig: this.cluster.kubeconfig,
            enableServerSideApply: true,
            upsertExistingObjects: true,
        }, { parent: this }) : undefined;
        // The controller runs on the nodes and its credentials come from the Pod Identity agent.
        this.ingress = new Ingress(`${name}-ingress`, {
            provider,
            kubernetesProvider: this.kubernetesProvider,
            region: r.region,
            environment: platform.environment,
            clusterName: this.cluster.clusterName,
            clusterArn: this.cluster.clusterArn,
            vpcId: this.network.vpcId,
            sslPolicy: platform.ingressSslPolicy,
            tags,
            runsOn: this.compute.systemNodes,
            accessLogs: platform.alb.accessLogs,
            deletionProtection: platform.alb.deletionProtection,
            production: platform.production,
            loadBalancing: mode.loadBalancing,
            gatewayApi,
            sharedObjectsProvider,
            featureGates: platform.albControllerFeatureGates,
        }, { parent: this });

        // One managed certificate per ALB group with managed hosts, named after the group (`-public`, `-internal`).
        const managedCertificateArns: Partial<Record<Scheme, pulumi.Output<string>>> = {};
        if (args.dns) {
            for (const group of certificateGroups(platform.apps)) {
                const label = ingressClasses(platform.environment).find((c) => c.scheme === group.scheme)!.groupName.slice(platform.environment.length + 1);
                managedCertificateArns[group.scheme] = managedCertificate(`${name}-${label}`, { provider, hosts: group.hosts, dns: args.dns }, this).certificateArn;
            }
        }
        // Gateway API machinery only where an app uses it: every Gateway is an ALB.
        this.gateways = gatewayApi ? new Gateways(`${name}-gateways`, {
            kubernetesProvider: this.kubernetesProvider,
            region: r.region,
            apps: platform.apps,
            sslPolicy: platform.ingressSslPolicy,
            accessLogBucket: this.ingress.accessLogBucket,
            deletionProtection: platform.alb.deletionProtection,
            production: platform.production,
            managedCertificateArns,
            controller: this.ingress,
        }, { parent: this }) : undefined;

        this.workloads = new Workloads(`${name}-workloads`, {
            kubernetesProvider: this.kubernetesProvider,
            region: r.region,
            publicSubnetCidrs: this.network.publicSubnetCidrs,
            privateSubnetCidrs: this.network.privateSubnetCidrs,
            apps: platform.apps,
            sslPolicy: platform.ingressSslPolicy,
            controller: this.ingress,
            // Pods wait for cluster DNS and the capacity they run on, not for every add-on (the plan's
            // timeline showed the EBS CSI driver and its StorageClass on the critical path for nothing),
            // and the apps' other objects (namespace, Service, Ingress and so the ALB) not even for that.
            // (Auto Mode runs cluster DNS itself: no add-on to wait for.)
            podsAfter: [...(this.addons.dns ? [this.addons.dns] : []), ...this.compute.workloadCapacity],
            loadBalancing: mode.loadBalancing,
            managedCertificateArns,
            dnsZones: platform.dns?.zones,
            gateways: this.gateways && { resource: this.gateways, hostnames: this.gateways.hostnames },
        }, { parent: this });
        // The region's names point at its ALBs (records under the stack's Dns component, on its provider).
        this.names = args.dns
            ? args.dns.serve(r.region, provider, platform.apps.map((app) => ({ app, loadBalancerHostname: this.workloads.apps[app.name].hostname })))
            : [];

        this.vpcId = this.network.vpcId;
        this.clusterName = this.cluster.clusterName;
        this.clusterEndpoint = this.cluster.endpoint;
        this.kubeconfig = this.cluster.kubeconfig;
        this.apps = this.workloads.apps;
        this.registerOutputs({
            apps: this.apps,
            names: this.names,
            ingressClassName: this.ingress.ingressClassName,
            controllerRoleArn: this.ingress.controllerRoleArn,
            vpcId: this.vpcId,
            clusterName: this.clusterName,
            clusterEndpoint: this.clusterEndpoint,
            kubeconfig: this.kubeconfig,
        });
    }
}
