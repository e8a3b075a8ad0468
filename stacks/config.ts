/**
 * Stack config -> one typed, validated `PlatformConfig`. Nothing here registers a resource, so a bad
 * stack file fails before anything reaches AWS.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { AccountSettings } from "./account-schema";
import type { AppSpec } from "./apps-schema";
import { KarpenterSpec, karpenterSchema } from "./karpenter-schema";
import { AutoModeSpec, defaultAutoMode } from "./auto-mode-schema";
import type { RolloutSpec } from "./rollout-schema";
import { ObservabilitySettings, resolveObservability } from "./observability-schema";
import { CostAssumptions, resolveCostAssumptions } from "./cost-schema";
import { ConfigError, ConfigIssue, ConfigPath, PROJECT, configKey, valueAt } from "./errors";
import {
    EndpointAccess, FargateProfileSpec, NatStrategy, NodeGroupSpec, ParsedPlatform, platformSchema,
} from "./schema";
import { SECRET_PLACEHOLDER, secretPlacementIssues } from "./secrets";
import { resolveToday } from "./today";
import { crossFieldIssues } from "./validate";
import { resolveAddonVersions } from "./addon-versions";
import { regionComputeMode } from "./compute-mode";
import { ResolvedDns, resolveDns } from "./dns-schema";
import { withManagedCertificates } from "./dns-validate";
import { versionIssues } from "./version-validate";

export interface NetworkSettings {
    readonly natGateways: NatStrategy;
    readonly flowLogs: boolean;
}

export interface ClusterSettings {
    readonly version: string;
    readonly extendedSupport: boolean;
    readonly endpointAccess: EndpointAccess;
    readonly publicAccessCidrs: readonly string[];
    readonly adminPrincipals: readonly string[];
    /** Principals that preview the stack (components/preview-rbac.ts). */
    readonly previewPrincipals: readonly string[];
    readonly logRetentionDays: number;
    /** Each managed add-on's version: the pinned table's row for `version`, or the stack's override. */
    readonly addonVersions: Readonly<Record<string, string>>;
}

/**
 * How a region gets its nodes (components/compute/): `managed-node-groups` is the node groups of
 * `nodeGroups` only; `karpenter` adds Karpenter with its node classes and pools to them (the node
 * groups then being the system nodes).
 */
export type ComputeConfig =
    | { readonly mode: "managed-node-groups" }
    | { readonly mode: "karpenter"; readonly karpenter: KarpenterSpec }
    | { readonly mode: "auto"; readonly autoMode: AutoModeSpec };

/** One region with the stack-wide settings and its overrides already merged. */
export interface RegionConfig {
    readonly region: string;
    readonly vpcCidr: string;
    readonly azCount: number;
    /** Pinned zone names, or undefined to take the first `azCount` the region offers. */
    readonly availabilityZones?: readonly string[];
    readonly network: NetworkSettings;
    readonly cluster: ClusterSettings;
    readonly nodeGroups: readonly NodeGroupSpec[];
    readonly fargateProfiles: readonly FargateProfileSpec[];
    readonly compute: ComputeConfig;
}

export interface AlbSettings {
    /** Access logs to a bucket the platform creates, or undefined for none. */
    readonly accessLogs?: {
        readonly retentionDays: number;
        /** Production's logs are audit data: the bucket outlives `pulumi destroy`. */
        readonly retainOnDestroy: boolean;
    };
    readonly deletionProtection: boolean;
}

/** Every ALB's settings (internet-facing and internal): access logs and deletion protection default to `production`. */
export function albSettings(c: Pick<ParsedPlatform, "production" | "albAccessLogs" | "albAccessLogRetentionDays" | "albDeletionProtection">): AlbSettings {
    const logs = c.albAccessLogs ?? c.production;
    return {
        accessLogs: logs ? { retentionDays: c.albAccessLogRetentionDays, retainOnDestroy: c.production } : undefined,
        deletionProtection: c.albDeletionProtection ?? c.production,
    };
}

export interface PlatformConfig {
    readonly project: string;
    readonly stack: string;
    readonly environment: string;
    /** The AWS account every provider is held to, and the role they assume to get there (stacks/account-schema.ts). */
    readonly account: AccountSettings;
    /**
     * eks-platform:createSpotServiceLinkedRole: the stack creates the account's Spot service-linked role,
     * in a stack-level component that no region owns (components/service-linked-roles.ts).
     */
    readonly createSpotServiceLinkedRole: boolean;
    readonly production: boolean;
    readonly protect: boolean;
    readonly tags: Readonly<Record<string, string>>;
    readonly regions: readonly RegionConfig[];
    /** TLS policy for HTTPS listeners. */
    readonly ingressSslPolicy: string;
    /** The internet-facing ALB of each region (defaults follow `production`). */
    readonly alb: AlbSettings;
    /** Applications, deployed to every region. */
    readonly apps: readonly AppSpec[];
    /** Where apps' hosts get their names and certificates (components/dns.ts), or undefined for none. */
    readonly dns?: ResolvedDns;
    /** eks-platform:acknowledgeComputeModeChange: the rollout may change a deployed region's compute mode. */
    readonly acknowledgeComputeModeChange: boolean;
    /** Load balancer controller feature gates the stack sets (the platform adds the Gateway API ones). */
    readonly albControllerFeatureGates: Readonly<Record<string, boolean>>;
    /** How `npm run rollout` rolls the stack out (waves, pause, health checks). */
    readonly rollout: RolloutSpec;
    /** Metrics, logs, alarms and dashboard (stacks/observability-schema.ts), defaults applied. */
    readonly observability: ObservabilitySettings;
    /** The day (YYYY-MM-DD) the Kubernetes version was checked against the EKS support calendar. */
    readonly today: string;
    /** What the plan's cost estimate assumes (defaults applied) and the optional monthly budget in USD. */
    readonly cost: { readonly assumptions: CostAssumptions; readonly setAssumptions: readonly string[]; readonly monthlyBudget?: number };
}

/** Walks the schema along a config path, through defaults, optionals and arrays. */
function schemaAt(path: ConfigPath): z.ZodType | undefined {
    let s: any = platformSchema;
    for (const segment of path) {
        while (s && (s.def.type === "default" || s.def.type === "optional")) s = s.def.innerType;
        if (!s) return undefined;
        if (typeof segment === "number") s = s.def.type === "array" ? s.def.element : undefined;
        else s = s.def.type === "object" ? s.shape[segment] : undefined;
    }
    while (s && (s.def.type === "default" || s.def.type === "optional")) s = s.def.innerType;
    return s;
}

function allowedKeys(path: ConfigPath): string[] {
    const s: any = schemaAt(path);
    return s?.def.type === "object" ? Object.keys(s.shape) : [];
}

function describeExpected(expected: string): string {
    const article = /^[aeiou]/.test(expected) ? "an" : "a";
    return expected === "array" ? "a list" : `${article} ${expected}`;
}

function zodIssues(raw: unknown, error: z.ZodError): ConfigIssue[] {
    return error.issues.flatMap((i): ConfigIssue[] => {
        const path = i.path as Array<string | number>;
        if (i.code === "unrecognized_keys") {
            return i.keys.map((k) => ({
                key: configKey([...path, k]),
                value: valueAt(raw, [...path, k]),
                message: `unknown key; allowed here: ${allowedKeys(path).join(", ")}`,
            }));
        }
        const value = valueAt(raw, path);
        if (value === undefined && i.code === "invalid_type") return [{ key: configKey(path), value, message: `is required (${describeExpected(i.expected)})` }];
        if (value === undefined && i.code === "invalid_value") {
            return [{ key: configKey(path), value, message: `is required (one of ${i.values.map((v) => JSON.stringify(v)).join(", ")})` }];
        }
        if (i.code === "invalid_key") {
            // A map's key (an env variable's name, a label key) is what is wrong: show it, with the key rule.
            const name = path[path.length - 1];
            return [{ key: configKey(path), value: name, message: `the name ${JSON.stringify(name)} is invalid: ${i.issues.map((k) => k.message).join("; ")}` }];
        }
        return [{ key: configKey(path), value, message: i.message }];
    });
}

function computeConfig(mode: ParsedPlatform["computeMode"], c: ParsedPlatform): ComputeConfig {
    switch (mode) {
        case "karpenter": return { mode, karpenter: c.karpenter ?? karpenterSchema.parse({}) };
        case "auto": return { mode, autoMode: c.autoMode ?? defaultAutoMode() };
        default: return { mode };
    }
}

/** Merges stack-wide settings with a region's overrides and applies environment-dependent defaults. */
function resolveRegions(c: ParsedPlatform): RegionConfig[] {
    const addonVersions = resolveAddonVersions(c);
    return c.regions.map((r) => {
        const o = r.overrides ?? {};
        const endpointAccess = o.endpointAccess ?? c.endpointAccess;
        return {
            region: r.region,
            vpcCidr: r.vpcCidr,
            azCount: r.availabilityZones?.length ?? r.azCount,
            availabilityZones: r.availabilityZones,
            network: {
                natGateways: o.natGateways ?? c.natGateways,
                flowLogs: o.flowLogs ?? c.flowLogs,
            },
            cluster: {
                version: c.kubernetesVersion,
                extendedSupport: c.extendedSupport,
                endpointAccess,
                publicAccessCidrs: endpointAccess === "private" ? [] : o.publicAccessCidrs ?? c.publicAccessCidrs,
                adminPrincipals: c.adminPrincipals,
                previewPrincipals: c.previewPrincipals,
                logRetentionDays: c.logRetentionDays,
                addonVersions,
            },
            nodeGroups: o.nodeGroups ?? c.nodeGroups ?? [],
            fargateProfiles: c.fargateProfiles,
            compute: computeConfig(regionComputeMode(c.computeMode, r), c),
        };
    });
}

/**
 * `nodeGroups` is required unless every region runs EKS Auto Mode (or brings its own override), and the
 * schema cannot say so (it depends on computeMode): checked on the raw config, so a missing key is
 * reported with the schema's other problems.
 */
function missingNodeGroups(raw: Record<string, unknown>): ConfigIssue[] {
    if (raw.nodeGroups !== undefined) return [];
    const regions = Array.isArray(raw.regions) ? raw.regions as Array<Record<string, any>> : [];
    // Raw and unchecked here (the schema reports a computeMode that is not a mode); compared, never used.
    const stackMode = (raw.computeMode ?? "managed-node-groups") as string;
    const needsThem = regions.length === 0 ? stackMode !== "auto"
        : regions.some((r) => regionComputeMode(stackMode, r) !== "auto" && r?.overrides?.nodeGroups === undefined);
    return needsThem ? [{ key: configKey(["nodeGroups"]), value: undefined, message: "is required (a list) unless every region's computeMode is \"auto\"" }] : [];
}

/**
 * A key named `__proto__` anywhere in the config: JavaScript treats it as an object's prototype, so a
 * tag `__proto__` would be dropped silently on the way to AWS and a top-level key crash a lookup. It is
 * refused at its key (JSON.parse and the stack file's YAML keep it as an own key, which is how it is found).
 */
function protoKeyIssues(raw: unknown, path: ConfigPath = []): ConfigIssue[] {
    if (raw === null || typeof raw !== "object") return [];
    if (Array.isArray(raw)) return raw.flatMap((v, i) => protoKeyIssues(v, [...path, i]));
    return Object.keys(raw).flatMap((k) => k === "__proto__"
        ? [{ key: configKey([...path, k]), value: undefined, message: "a key may not be named __proto__ (JavaScript would take it as the object's prototype and drop it); rename it" }]
        : protoKeyIssues((raw as Record<string, unknown>)[k], [...path, k]));
}

/**
 * Parses and validates raw config values (key without the `eks-platform:` prefix -> value).
 * Throws `ConfigError` listing every problem.
 */
export function parsePlatformConfig(
    raw: Record<string, unknown>,
    stack: string,
    /** `today`: YYYY-MM-DD for the support-calendar check. @default resolveToday() (EKS_PLATFORM_TODAY or the date) */
    options: { readonly today?: string } = {},
): PlatformConfig {
    const today = options.today ?? resolveToday();
    const proto = protoKeyIssues(raw);
    if (proto.length > 0) throw new ConfigError(stack, proto);
    // A misplaced secret is reported at its key; the schema's complaints about the placeholder are noise.
    const misplaced = secretPlacementIssues(raw);
    const missing = missingNodeGroups(raw);
    const parsed = platformSchema.safeParse(raw);
    if (!parsed.success || misplaced.length > 0 || missing.length > 0) {
        const sealed = new Set(misplaced.map((i) => i.key));
        const schemaIssues = parsed.success ? [] : zodIssues(raw, parsed.error)
            .filter((i) => ![...sealed].some((k) => i.key === k || i.key.startsWith(`${k}.`) || i.key.startsWith(`${k}[`)));
        throw new ConfigError(stack, [...misplaced, ...schemaIssues, ...missing]);
    }
    // Apps with hosts in a configured zone get managed certificates: the rules below read it.
    const c = withManagedCertificates(parsed.data);
    const issues = [...crossFieldIssues(c), ...versionIssues(c, today)];
    if (issues.length > 0) throw new ConfigError(stack, issues);
    return {
        project: PROJECT,
        stack,
        environment: c.environment,
        account: { id: c.accountId, assumeRoleArn: c.assumeRoleArn },
        createSpotServiceLinkedRole: c.createSpotServiceLinkedRole,
        production: c.production,
        protect: c.protect,
        tags: c.tags,
        regions: resolveRegions(c),
        ingressSslPolicy: c.ingressSslPolicy,
        alb: albSettings(c),
        apps: c.apps,
        dns: c.dns && resolveDns(c.dns, c.regions.map((r) => r.region)),
        acknowledgeComputeModeChange: c.acknowledgeComputeModeChange,
        albControllerFeatureGates: c.albControllerFeatureGates,
        rollout: c.rollout,
        observability: resolveObservability(c.observability, c.production, c.apps),
        today,
        cost: {
            assumptions: resolveCostAssumptions(c.costAssumptions),
            setAssumptions: Object.keys(c.costAssumptions).sort(),
            monthlyBudget: c.monthlyBudget,
        },
    };
}

/**
 * Reads this project's keys from the stack's config as the CLI hands them to the program: strings for
 * string keys, JSON for structured ones. Keys of other namespaces (e.g. `aws:`) are left alone.
 */
export function rawProjectConfig(all: Record<string, string>): Record<string, unknown> {
    const raw: Record<string, unknown> = {};
    for (const [fullKey, value] of Object.entries(all)) {
        if (!fullKey.startsWith(`${PROJECT}:`)) continue;
        const key = fullKey.slice(PROJECT.length + 1);
        const own = Object.prototype.hasOwnProperty.call(platformSchema.shape, key);
        const isString = own && (schemaAt([key]) as any)?.def.type === "string";
        let parsed: unknown = value;
        if (!isString) {
            try {
                parsed = JSON.parse(value);
            } catch {
                // the schema reports the type mismatch with the key's name
            }
        }
        // An own property even for `__proto__`, so validation finds and names it (protoKeyIssues).
        Object.defineProperty(raw, key, { value: parsed, enumerable: true, writable: true, configurable: true });
    }
    return raw;
}

/**
 * Config as a program receives it: decrypted, with only the top-level keys that hold a secret named
 * (PULUMI_CONFIG_SECRET_KEYS). A secret top-level key other than `apps` cannot be meant (no key but an
 * app's secretEnv may be secret), so its value is sealed here and refused by validation, never shown.
 * Under `apps` the program cannot see which leaf was encrypted; `npm run plan` and `npm run rollout`
 * read the encrypted structure and refuse a secret outside secretEnv at its exact key.
 */
export function sealSecretKeys(all: Record<string, string>, isSecret: (key: string) => boolean): Record<string, string> {
    return Object.fromEntries(Object.entries(all).map(([k, v]) =>
        [k, k.startsWith(`${PROJECT}:`) && k !== `${PROJECT}:apps` && isSecret(k) ? SECRET_PLACEHOLDER : v]));
}

/** The running stack's validated config. */
export function loadPlatformConfig(): PlatformConfig {
    // `isConfigSecret` reads PULUMI_CONFIG_SECRET_KEYS (@pulumi/pulumi runtime/config.js); it is marked
    // @internal, so its typing is absent: a missing function means no key is known to be secret.
    const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };
    const all = sealSecretKeys(pulumi.runtime.allConfig(), (k) => runtime.isConfigSecret?.(k) ?? false);
    return parsePlatformConfig(rawProjectConfig(all), pulumi.getStack());
}
