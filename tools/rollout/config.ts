/**
 * The rollout's view of a stack's config, read through the workspace (`pulumi config --json`), so
 * it works with any backend and with ESC environments, never from the YAML files. The values go
 * through the program's own validation (stacks/config.ts), so a bad stack config stops the rollout
 * before its first preview, with the same messages `pulumi up` would give.
 */
import { clusterName } from "../../components/cluster-settings";
import { regionsNeedingSpotRole } from "../../components/service-linked-roles";
import { parsePlatformConfig, rawProjectConfig } from "../../stacks/config";
import { HealthCheckSpec, HttpCheckScope, ResolvedWave, resolveWaves, waveBakeMinutes } from "../../stacks/rollout-schema";
import { regionHealthyAlarmName } from "../../components/observability-names";

/** An app the health checks expect in every region (from `eks-platform:apps`). */
export interface AppExpectation {
    readonly name: string;
    readonly healthPath: string;
    readonly scheme: string;
}

export interface RolloutPlan {
    readonly stack: string;
    readonly environment: string;
    /** eks-platform:accountId: the only account the rollout may change. */
    readonly accountId: string;
    /** eks-platform:assumeRoleArn, if any. */
    readonly assumeRoleArn?: string;
    /** Regions on Karpenter with a pool that may launch Spot (components/service-linked-roles.ts). */
    readonly spotRoleRegions: readonly string[];
    /** eks-platform:createSpotServiceLinkedRole */
    readonly createsSpotRole: boolean;
    /** Configured region codes, in config order. */
    readonly regions: readonly string[];
    readonly waves: readonly ResolvedWave[];
    readonly pauseSeconds: number;
    readonly healthCheck: HealthCheckSpec;
    readonly apps: readonly AppExpectation[];
    /** eks-platform:kubernetesVersion (stack-wide). */
    readonly kubernetesVersion: string;
    /** Each region's EKS cluster name, as the program names it. */
    readonly clusterNames: Readonly<Record<string, string>>;
    /** Each region's configured compute mode (compute-mode-gate.ts compares it with the deployed one). */
    readonly computeModes: Readonly<Record<string, string>>;
    /** eks-platform:acknowledgeComputeModeChange */
    readonly acknowledgeComputeModeChange: boolean;
    /** Regions whose compute mode is Karpenter: their health check includes "Karpenter ready". */
    readonly karpenterRegions: readonly string[];
    /** Each wave's bake in minutes (same order as `waves`; rollout-schema.ts waveBakeMinutes). */
    readonly bakeMinutes: readonly number[];
    /** Each region's composite "region healthy" alarm, or undefined when eks-platform:observability is off. */
    readonly healthAlarms?: Readonly<Record<string, string>>;
    /** Whether the stack gives apps names (eks-platform:dns): each wave then ends with the traffic gate. @default false */
    readonly dns?: boolean;
}

/**
 * Builds the rollout plan from the stack's config values (`namespace:key` -> string). Throws
 * `ConfigError` listing every problem, each with its key, value and what is allowed.
 */
export function rolloutPlanFromConfig(values: Record<string, string>, stack: string): RolloutPlan {
    const config = parsePlatformConfig(rawProjectConfig(values), stack);
    const regions = config.regions.map((r) => r.region);
    return {
        stack,
        environment: config.environment,
        accountId: config.account.id,
        assumeRoleArn: config.account.assumeRoleArn,
        spotRoleRegions: regionsNeedingSpotRole(config.regions),
        createsSpotRole: config.createSpotServiceLinkedRole,
        regions,
        waves: resolveWaves(config.rollout, regions),
        pauseSeconds: config.rollout.pauseSeconds,
        healthCheck: config.rollout.healthCheck,
        apps: config.apps.map((a) => ({ name: a.name, healthPath: a.healthPath, scheme: a.scheme })),
        kubernetesVersion: config.regions[0].cluster.version,
        clusterNames: Object.fromEntries(regions.map((r) => [r, clusterName(config.environment, r)])),
        computeModes: Object.fromEntries(config.regions.map((r) => [r.region, r.compute.mode])),
        acknowledgeComputeModeChange: config.acknowledgeComputeModeChange,
        karpenterRegions: config.regions.filter((r) => r.compute.mode === "karpenter").map((r) => r.region),
        bakeMinutes: resolveWaves(config.rollout, regions).map((_, i) => waveBakeMinutes(config.rollout, i, config.production)),
        healthAlarms: config.observability.enabled
            ? Object.fromEntries(regions.map((r) => [r, regionHealthyAlarmName(config.environment, r)]))
            : undefined,
        dns: config.dns !== undefined,
    };
}

/** Whether the post-wave HTTP check requests an app (by its config scheme; unknown apps are requested). */
export function httpCheckApplies(scope: HttpCheckScope, scheme: string | undefined): boolean {
    if (scope === "none") return false;
    if (scope === "all") return true;
    return scheme !== "internal";
}
