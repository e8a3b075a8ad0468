/** A region's compute mode: its own override (`regions[].overrides.computeMode`), else the stack's. */
export function regionComputeMode<M extends string>(stackMode: M, region: { readonly overrides?: { readonly computeMode?: M } } | undefined): M {
    return region?.overrides?.computeMode ?? stackMode;
}
