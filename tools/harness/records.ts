import { parseUrn } from "../urn";

/** What the mock engine remembers about one registered resource. */
export interface ResourceRecord {
    /** Type token, e.g. `aws:ec2/vpc:Vpc` or `eks-platform:index:Network`. */
    readonly type: string;
    readonly name: string;
    /** `type::name`, the key other records use to point at this one. */
    readonly key: string;
    /** Inputs as the engine received them (outputs resolved, secrets unwrapped: see `secretPaths`). */
    readonly inputs: Record<string, any>;
    /**
     * Where `inputs` held values the program marked secret, as JSON pointers (RFC 6901) into
     * `inputs`, e.g. `/kubeconfig` or `/tags/token`. Empty (or absent in hand-made records) when
     * none; anything that prints inputs redacts these.
     */
    readonly secretPaths?: readonly string[];
    /** Outputs the mock returned for it. */
    readonly state: Record<string, any>;
    /** True for custom (cloud) resources, false for components. */
    readonly custom: boolean;
    /** Key of the parent resource, absent only for the stack itself. */
    readonly parent?: string;
    /** Key of the provider a custom resource is registered with (explicit or inherited). */
    readonly provider?: string;
    /** Providers handed to a component through `providers`, by package. */
    readonly providers: Record<string, string>;
    /** Keys of the resources named in `dependsOn`. */
    readonly dependsOn: string[];
    /**
     * Keys of every resource the engine was told this one depends on, as the SDK sent them in the
     * RegisterResource request (`dependencies`): `dependsOn` and the resources whose outputs flow
     * into the inputs, with components expanded to their custom (or remote) descendants. Sorted.
     * Absent in hand-made records.
     */
    readonly dependencies?: readonly string[];
    readonly protect: boolean;
    /** `retainOnDelete`: `pulumi destroy` leaves it in the cloud. Absent in hand-made records. */
    readonly retainOnDelete?: boolean;
    /** Keys of resources this one is `deletedWith`. */
    readonly deletedWith?: string;
    /** Property paths given in `ignoreChanges`. */
    readonly ignoreChanges?: readonly string[];
    /** Property paths given in `replaceOnChanges`. */
    readonly replaceOnChanges?: readonly string[];
    /**
     * `transforms` given in the resource's options (recorded, not run: under mocks no provider
     * registers a remote component's children). Absent in hand-made records.
     */
    readonly transforms?: readonly import("@pulumi/pulumi").ResourceTransform[];
    /**
     * `aliases` given as URN strings: old URNs whose state the engine adopts for this resource instead
     * of creating it and deleting the old one. Absent in hand-made records.
     */
    readonly aliases?: readonly string[];
}

/**
 * The record key of a URN: `urn:pulumi:<stack>::<project>::<parent types$>type::<name>` -> `type::name`.
 */
export function keyOfUrn(urn: string): string {
    const parsed = parseUrn(urn);
    if (!parsed) throw new Error(`not a Pulumi URN: ${urn}`);
    return keyOf(parsed.type, parsed.name);
}

export function keyOf(type: string, name: string): string {
    return `${type}::${name}`;
}

/** A JSON pointer (RFC 6901) from path segments: `["a", 0, "b/c"]` -> `/a/0/b~1c`. */
export function toPointer(segments: ReadonlyArray<string | number>): string {
    return segments.map((s) => `/${String(s).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

/** Path segments of a JSON pointer (RFC 6901): `/a/0/b~1c` -> `["a", "0", "b/c"]`. */
export function fromPointer(pointer: string): string[] {
    if (pointer === "") return [];
    if (!pointer.startsWith("/")) throw new Error(`not a JSON pointer: ${pointer}`);
    return pointer.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/**
 * The URN the engine gives a recorded resource: `urn:pulumi:<stack>::<project>::<types>::<name>`, where
 * `<types>` is the parent chain's types joined by `$` (the stack itself left out), as the SDK builds it
 * (@pulumi/pulumi resource.js `createUrn`; the mock monitor keeps only the parent's type). Two runs that give a
 * resource the same URN make `pulumi up` update it in place; a changed URN is a delete and a create.
 */
export function urnOf(records: readonly ResourceRecord[], record: ResourceRecord, stack: string, project: string): string {
    const index = new Map(records.map((r) => [r.key, r]));
    const types: string[] = [record.type];
    for (let p = record.parent ? index.get(record.parent) : undefined; p && p.type !== "pulumi:pulumi:Stack"; p = p.parent ? index.get(p.parent) : undefined) {
        types.unshift(p.type);
    }
    return `urn:pulumi:${stack}::${project}::${types.join("$")}::${record.name}`;
}
