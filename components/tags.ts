/**
 * The one place tags are merged. The result becomes the region's provider `defaultTags`, so every
 * AWS resource carries it without repeating it; only instances and volumes that EKS launches need it
 * handed over again (see NodeGroups), because provider default tags do not reach them.
 */
export interface TagContext {
    readonly project: string;
    readonly environment: string;
    readonly region: string;
    /** The stack's own tags (`eks-platform:tags`). */
    readonly tags?: Readonly<Record<string, string>>;
}

export const MANAGED_BY = "pulumi";

/** Stack tags first, then the platform's own keys, which a stack cannot override. */
export function platformTags(ctx: TagContext): Record<string, string> {
    return {
        ...ctx.tags,
        project: ctx.project,
        environment: ctx.environment,
        region: ctx.region,
        "managed-by": MANAGED_BY,
    };
}
