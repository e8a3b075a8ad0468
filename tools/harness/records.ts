/** What the mock engine remembers about one registered resource. */
export interface ResourceRecord {
    /** Type token, e.g. `aws:ec2/vpc:Vpc` or `eks-platform:index:Network`. */
    readonly type: string;
    readonly name: string;
    /** `type::name`, the key other records use to point at this one. */
    readonly key: string;
    /** Inputs as the engine received them (outputs resolved, secrets unwrapped). */
    readonly inputs: Record<string, any>;
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
    readonly protect: boolean;
    /** Keys of resources this one is `deletedWith`. */
    readonly deletedWith?: string;
}

export function keyOf(type: string, name: string): string {
    return `${type}::${name}`;
}
