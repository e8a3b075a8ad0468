/**
 * What Pulumi `protect` covers inside the remote `eks.Cluster` component: exactly the EKS cluster.
 *
 * `protect` given to a remote component is not confined to it. The engine hands it to the provider's
 * `Construct` (pulumi v3.248.0 pkg/resource/deploy/source_eval.go, `ConstructOptions{Protect}`), the
 * provider's Node SDK builds the component with it (@pulumi/pulumi provider/server.js, `protect:
 * req.getProtect()`), and every child registered with `{ parent }` inherits it (resource.js:
 * `opts.protect = parent.__protect`; the engine's `inheritFromParent` does the same). pulumi-eks v4.3.0
 * registers all its children that way (nodejs/eks/cluster/cluster.ts: access entries and policy
 * associations, security groups, the OIDC provider at l.1255, its Kubernetes provider at l.914), so a
 * protected component would make removing an admin principal fail with "cannot be deleted because it
 * is protected".
 *
 * So the component itself gets no `protect`; a resource transform protects the one child that holds
 * the cluster (`aws:eks/cluster:Cluster`, created at cluster.ts l.687 of v4.3.0). Transforms given to
 * a remote component reach its children: the engine keeps them as pending for the component's own
 * registration inside `Construct` and runs a parent's transforms on every child
 * (source_eval.go `pendingTransforms`, `resourceTransforms[parent]`), and they run after the parent's
 * options are inherited, so the transform has the last word.
 */
import type * as pulumi from "@pulumi/pulumi";

/** The children of `eks.Cluster` that `protect` covers. */
export const PROTECTED_EKS_CHILD_TYPES: readonly string[] = ["aws:eks/cluster:Cluster"];

/**
 * The transform that protects those children; every other resource is left exactly as registered
 * (returning `undefined` hands the engine the original options, nothing is re-serialized).
 */
export const protectEksClusterOnly: pulumi.ResourceTransform = (args) =>
    PROTECTED_EKS_CHILD_TYPES.includes(args.type) ? { props: args.props, opts: { ...args.opts, protect: true } } : undefined;

/** Options for the remote component: the transform when `protect` is on, nothing otherwise. */
export function eksProtectionOptions(protect: boolean): Pick<pulumi.ComponentResourceOptions, "transforms"> {
    return protect ? { transforms: [protectEksClusterOnly] } : {};
}
