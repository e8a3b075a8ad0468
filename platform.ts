/**
 * The whole stack: one RegionalPlatform per configured region, in config order.
 */
import * as pulumi from "@pulumi/pulumi";
import { RegionalPlatform } from "./components/region";
import { Dns } from "./components/dns";
import { dnsComponentName } from "./components/dns-settings";
import { registerServiceLinkedRoles } from "./components/service-linked-roles";
import { platformTags } from "./components/tags";
import type { ComputeStatus } from "./components/compute";
import type { AppEndpoint } from "./components/workloads";
import type { PlatformConfig } from "./stacks/config";

/** The name of a region's component; its children are named after it. Rollout targets it by URN. */
export function regionalName(config: Pick<PlatformConfig, "environment">, region: string): string {
    return `${config.environment}-${region}`;
}

export interface RegionOutputs {
    readonly vpcId: pulumi.Output<string>;
    readonly clusterName: pulumi.Output<string>;
    readonly clusterEndpoint: pulumi.Output<string>;
    /** The Kubernetes version the cluster runs; `npm run rollout` refuses a jump or a downgrade from it. */
    readonly kubernetesVersion: pulumi.Output<string>;
    readonly kubeconfig: pulumi.Output<string>;
    /** IngressClass of internet-facing apps, and the load balancer controller's IAM role (none under Auto Mode). */
    readonly ingressClassName: pulumi.Output<string>;
    readonly controllerRoleArn: pulumi.Output<string | undefined>;
    /** Per app: load balancer hostname, health path and URL (the rollout's health checks read these). */
    readonly apps: Record<string, AppEndpoint>;
    /** The compute mode and, with Karpenter, its readiness (the rollout's "Karpenter ready" check reads it). */
    readonly compute: pulumi.Input<ComputeStatus>;
    /** Names served from this region through eks-platform:dns (empty without it); the rollout report lists them. */
    readonly names: readonly string[];
}

export function buildPlatform(config: PlatformConfig): { platforms: RegionalPlatform[]; outputs: Record<string, RegionOutputs>; dns?: Dns } {
    // Route 53 is global: one stack-level owner of the zone's records, on its own provider (components/dns.ts).
    const dns = config.dns && new Dns(dnsComponentName(config.environment), {
        environment: config.environment,
        dns: config.dns,
        account: config.account,
        tags: platformTags({ project: config.project, environment: config.environment, region: "global", tags: config.tags }),
    });
    // Account-wide IAM roles: stack-level, on their own IAM provider, so no region order, set or rollout
    // wave's selection moves them (components/service-linked-roles.ts).
    registerServiceLinkedRoles(config);
    const platforms = config.regions.map((region) =>
        new RegionalPlatform(regionalName(config, region.region), { platform: config, region, dns }));
    const outputs: Record<string, RegionOutputs> = {};
    for (const p of platforms) {
        outputs[p.region] = {
            vpcId: p.vpcId,
            clusterName: p.clusterName,
            clusterEndpoint: p.clusterEndpoint,
            kubernetesVersion: p.cluster.kubernetesVersion,
            kubeconfig: p.kubeconfig,
            ingressClassName: p.ingress.ingressClassName,
            controllerRoleArn: p.ingress.controllerRoleArn,
            apps: p.apps,
            compute: p.compute.status,
            names: p.names,
        };
    }
    return { platforms, outputs, dns };
}
