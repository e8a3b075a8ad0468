/**
 * Pulumi URNs, parsed in one place: `urn:pulumi:<stack>::<project>::<parent types$>type::<name>`
 * (the root Stack's type is left out of the chain; a name may itself contain `::`). The mock engine
 * (tools/harness/records.ts) and the rollout (tools/rollout/waves.ts, events.ts) both read URNs through it.
 */
export interface ParsedUrn {
    readonly stack: string;
    readonly project: string;
    /** Parent types and the resource's own, joined by `$`. */
    readonly qualifiedType: string;
    /** The resource's own type token. */
    readonly type: string;
    readonly name: string;
}

/** Splits `urn:pulumi:<stack>::<project>::<qualified type>::<name>`; undefined for anything else. */
export function parseUrn(urn: string): ParsedUrn | undefined {
    if (!urn.startsWith("urn:pulumi:")) return undefined;
    const parts = urn.slice("urn:pulumi:".length).split("::");
    if (parts.length < 4) return undefined;
    const [stack, project, qualifiedType, ...name] = parts;
    const types = qualifiedType.split("$");
    return { stack, project, qualifiedType, type: types[types.length - 1], name: name.join("::") };
}
