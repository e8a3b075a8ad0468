/**
 * What a wave updates: the URN targets of its regions, and which region a URN belongs to.
 *
 * Every region is one `RegionalPlatform` component (components/region.ts) named
 * `regionalName(config, region)` = `<environment>-<region>`; everything it creates is its child (or a
 * child's child) and is named `<environment>-<region>-...`.
 */
import { parseUrn } from "../urn";
import { DNS_TYPE } from "../../components/dns-settings";
export { DNS_TYPE };
import { regionalName } from "../../platform";
import { dnsComponentName, regionTrafficPrefix } from "../../components/dns-settings";
import { SERVICE_LINKED_ROLES_TYPE } from "../../components/service-linked-roles";

/** The component type token of a region (components/region.ts). */
export const REGIONAL_PLATFORM_TYPE = "eks-platform:index:RegionalPlatform";

export interface UrnScope {
    /** The stack name as selected; only its last `/` segment appears in URNs. */
    readonly stack: string;
    /** Pulumi project name (Pulumi.yaml). */
    readonly project: string;
    /** `eks-platform:environment`. */
    readonly environment: string;
}

/**
 * The stack part of a URN. Pulumi Cloud stacks may be selected as `org/prod` or `org/project/prod`,
 * but URNs carry the bare stack name (`urn:pulumi:prod::...`).
 */
export function shortStackName(stack: string): string {
    const parts = stack.split("/");
    return parts[parts.length - 1];
}

export function componentUrn(scope: UrnScope, region: string): string {
    return `urn:pulumi:${shortStackName(scope.stack)}::${scope.project}::${REGIONAL_PLATFORM_TYPE}::${regionalName(scope, region)}`;
}

/**
 * `--target` values that select one region's component and everything under it.
 *
 * Why this list (https://www.pulumi.com/docs/iac/cli/commands/pulumi_up/, pulumi/pulumi
 * pkg/resource/deploy/step_generator.go and deployment.go):
 * - A component URN as a target selects the component only, not its children: the engine checks each
 *   resource's own URN against the targets. So the children need a target of their own.
 * - A child's URN carries its parents' types joined by `$` (the root Stack's is left out) and its own
 *   name, never the parents' names:
 *   `urn:pulumi:prod::eks-platform::eks-platform:index:RegionalPlatform$aws:eks/cluster:Cluster::prod-ap-northeast-2-cluster`.
 *   Which region a child belongs to is therefore only visible in its name, hence the name prefix.
 * - Targets may be globs: `*` matches within one `:`-separated part, `**` matches anything. The type
 *   chain and the name both use `**` because names may contain `:` (e.g. Helm or YAML children).
 *   The literal component URN is kept as well: a literal target must exist (or be created), so a
 *   region missing from the program fails the update instead of silently updating nothing.
 * - `targetDependents` stays off. The subtree is already selected; `--target-dependents` would also
 *   pull in resources outside it that depend on it, e.g. another region's, which a canary wave must
 *   not touch. Without it the engine refuses such a change with an error naming the dependency.
 * - The root Stack resource is always targeted by the engine (pulumi/pulumi#12834, CLI 3.67), so a
 *   targeted update still writes the stack outputs the health checks read. Resources of regions in
 *   later waves that do not exist yet are skipped, not created.
 */
export function regionTargets(scope: UrnScope, region: string): string[] {
    const name = regionalName(scope, region);
    return [
        componentUrn(scope, region),
        `urn:pulumi:${shortStackName(scope.stack)}::${scope.project}::${REGIONAL_PLATFORM_TYPE}$**::${name}-**`,
    ];
}

/** The type token of the stack-level owner of the Route 53 records (components/dns.ts). */

/**
 * `--target` globs of the DNS resources every region's certificates need (components/dns.ts): the Dns
 * component, its Route 53 provider and the ACM validation records, shared by all regions. A region's
 * CertificateValidation depends on them, and a targeted update refuses to create a resource whose
 * dependency is neither targeted nor created yet. Globs, so that they select whatever exists of them
 * without naming each validation record.
 */
export function dnsSharedTargets(scope: UrnScope): string[] {
    const base = `urn:pulumi:${shortStackName(scope.stack)}::${scope.project}::${DNS_TYPE}`;
    return [`${base}::*`, `${base}$pulumi:providers:aws::*`, `${base}$aws:route53/record:Record::${dnsComponentName(scope.environment)}-validation-*`];
}

/**
 * `--target` globs of what sends traffic to the regions: their alias records and health checks
 * (named `<env>-dns-<region>-...`, components/dns-settings.ts). No wave's first update selects them;
 * the traffic gate (gates/traffic.ts) updates them once the wave's health gate passed.
 */
export function trafficTargets(scope: UrnScope, regions: readonly string[]): string[] {
    return regions.map((r) => `urn:pulumi:${shortStackName(scope.stack)}::${scope.project}::${DNS_TYPE}$**::${regionTrafficPrefix(scope.environment, r)}**`);
}

/**
 * `--target` globs of the stack-level ServiceLinkedRoles component, its IAM provider and the Spot role
 * (components/service-linked-roles.ts), in every wave whichever regions it holds: the first wave creates
 * the role before its Karpenter Spot pools need it, or moves one that sat under the first region to its
 * stack-level URN (untargeted, the old state would be copied as it is: pulumi/pulumi
 * pkg/resource/deploy/step_generator.go, the `!isTargeted` same step); later waves find it unchanged.
 */
export function spotRoleTargets(scope: UrnScope): string[] {
    const base = `urn:pulumi:${shortStackName(scope.stack)}::${scope.project}::${SERVICE_LINKED_ROLES_TYPE}`;
    return [`${base}::*`, `${base}$**`];
}

/**
 * A wave's first update: its regions' components and everything under them and, for a stack with
 * eks-platform:dns (`dns`), the shared DNS resources; with eks-platform:createSpotServiceLinkedRole
 * (`spotRole`), the account's Spot role.
 */
export function waveTargets(scope: UrnScope, regions: readonly string[], dns = false, spotRole = false): string[] {
    return [...regions.flatMap((r) => regionTargets(scope, r)), ...(dns ? dnsSharedTargets(scope) : []), ...(spotRole ? spotRoleTargets(scope) : [])];
}

function escapeRegExp(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Whether `--target <pattern>` selects `urn`: the engine's rule (UrnTargets.Contains/getMatcher in
 * pkg/resource/deploy/deployment.go): a pattern without `*` is a literal; otherwise `**` matches any
 * text and `*` any text without `:`, anchored at both ends.
 */
export function targetMatches(pattern: string, urn: string): boolean {
    if (!pattern.includes("*")) return pattern === urn;
    const source = pattern.split("**")
        .map((segment) => segment.split("*").map(escapeRegExp).join("[^:]*"))
        .join(".*");
    return new RegExp(`^${source}$`, "s").test(urn);
}


/**
 * The region a resource belongs to: its type chain starts at a RegionalPlatform and its name is the
 * region's component name or starts with it and `-`, or it is one of the region's traffic resources
 * under the Dns component (`<env>-dns-<region>-...`). Undefined for other stack-level resources.
 */
export function regionOfUrn(urn: string, scope: Pick<UrnScope, "environment">, regions: readonly string[]): string | undefined {
    const parsed = parseUrn(urn);
    // A region's traffic (alias records, health checks) lives under the stack-level Dns component.
    if (parsed && parsed.qualifiedType.startsWith(`${DNS_TYPE}$`)) {
        return regions.filter((r) => parsed.name.startsWith(regionTrafficPrefix(scope.environment, r))).sort((a, b) => b.length - a.length)[0];
    }
    if (!parsed || parsed.qualifiedType.split("$")[0] !== REGIONAL_PLATFORM_TYPE) return undefined;
    let best: string | undefined;
    for (const region of regions) {
        const base = regionalName(scope, region);
        if ((parsed.name === base || parsed.name.startsWith(`${base}-`)) && (!best || region.length > best.length)) best = region;
    }
    return best;
}
