/**
 * The one mock engine of this project: the tests and the offline plan (`npm run plan`) both run the
 * program through it. It records every registered resource with its inputs, parent, provider and
 * options, returns realistic outputs by type token, and refuses invokes it has no answer for.
 */
import * as pulumi from "@pulumi/pulumi";
import { specialOutputValueSig, specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { PROJECT } from "../../stacks/errors";
import { answerInvoke } from "./invokes";
import { mockOutputs } from "./outputs";
import { keyOf, keyOfUrn, ResourceRecord, toPointer } from "./records";

export interface RunOptions {
    readonly project?: string;
    readonly stack: string;
    /** Project config as the CLI hands it to a program: `project:key` -> raw string value. */
    readonly config?: Record<string, string>;
    /** Config keys held as secrets (e.g. `eks-platform:apiToken`). */
    readonly secretKeys?: string[];
    /** Run as `pulumi preview` (true) or `pulumi up` (false). */
    readonly preview?: boolean;
}

export interface RunResult<T> {
    readonly records: ResourceRecord[];
    /** The program's return value (stack outputs), fully resolved (secrets unwrapped). */
    readonly outputs: T;
    /** JSON pointers (RFC 6901) into `outputs` of the values the program exported as secrets. */
    readonly secretOutputs: string[];
}

interface Captured {
    parent?: string;
    provider?: string;
    providers: Record<string, string>;
    dependsOn: string[];
    protect: boolean;
    retainOnDelete: boolean;
    deletedWith?: string;
    ignoreChanges: string[];
    replaceOnChanges: string[];
    transforms: pulumi.ResourceTransform[];
    aliases: string[];
}

function resourceKey(r: any): string | undefined {
    if (!r || typeof r !== "object") return undefined;
    const t = r.__pulumiType;
    const n = r.__name;
    return t && n ? keyOf(t, n) : undefined;
}

function providerKeyFromRef(ref: string | undefined): string | undefined {
    // A provider reference is "<urn>::<id>"; the urn's type ends with "pulumi:providers:<pkg>",
    // after "::" for a top-level provider or after "$" for one with a parent
    // (urn:pulumi:dev::eks-platform::eks-platform:index:RegionalPlatform$pulumi:providers:aws::<name>).
    if (!ref) return undefined;
    const urn = ref.slice(0, ref.lastIndexOf("::"));
    const m = /(?:::|\$)(pulumi:providers:[^:$]+)::(.+)$/.exec(urn);
    return m ? keyOf(m[1], m[2]) : undefined;
}

/**
 * Where a serialized property struct (as the SDK sends it to the engine, before the mock monitor
 * deserializes it and hoists secretness to the top-level key) holds secrets: JSON pointers.
 */
export function secretPointers(value: unknown, path: Array<string | number> = [], out: string[] = []): string[] {
    if (Array.isArray(value)) {
        value.forEach((v, i) => secretPointers(v, [...path, i], out));
    } else if (value !== null && typeof value === "object") {
        const v = value as Record<string, unknown>;
        const sig = v[specialSigKey];
        if (sig === specialSecretSig || (sig === specialOutputValueSig && v.secret === true)) {
            out.push(toPointer(path));
        } else if (sig === specialOutputValueSig) {
            secretPointers(v.value, path, out);
        } else if (sig === undefined) {
            for (const [k, child] of Object.entries(v)) secretPointers(child, [...path, k], out);
        }
    }
    return out;
}

/** Removes the secret wrappers the mock monitor leaves on (top-level) inputs. */
function unwrapSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(unwrapSecrets);
    if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
        const v = value as Record<string, unknown>;
        if (v[specialSigKey] === specialSecretSig) return unwrapSecrets(v.value);
        const out: Record<string, unknown> = {};
        for (const [k, child] of Object.entries(v)) out[k] = unwrapSecrets(child);
        return out;
    }
    return value;
}

interface MonitorRequest {
    getType(): string;
    getName(): string;
    getUrn(): string;
    getObject(): { toJavaScript(): unknown } | undefined;
    getOutputs(): { toJavaScript(): unknown } | undefined;
    getDependenciesList?(): string[];
}

/**
 * Taps the mock monitor's RPCs to see the properties as the SDK serialized them, where secrets are
 * still marked at their exact paths (the mock hands `newResource` a deserialized copy in which a
 * nested secret has made its whole top-level key secret).
 */
function tapMonitor(
    onRegister: (key: string, secretPaths: string[], dependencies: string[]) => void,
    onOutputs: (urn: string, secretPaths: string[]) => void,
): void {
    const monitor = pulumi.runtime.getMonitor() as any;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: MonitorRequest, callback: unknown) => {
        const dependencies = [...new Set((req.getDependenciesList?.() ?? []).map(keyOfUrn))].sort();
        onRegister(keyOf(req.getType(), req.getName()), secretPointers(req.getObject()?.toJavaScript() ?? {}), dependencies);
        return register(req, callback);
    };
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req: MonitorRequest, callback: unknown) => {
        onOutputs(req.getUrn(), secretPointers(req.getOutputs()?.toJavaScript() ?? {}));
        return registerOutputs(req, callback);
    };
}

function capture(opts: pulumi.CustomResourceOptions & pulumi.ComponentResourceOptions): Captured {
    const providers: Record<string, string> = {};
    const ps = opts.providers;
    if (Array.isArray(ps)) {
        for (const p of ps) providers[(p as any).getPackage?.() ?? "?"] = resourceKey(p) ?? "?";
    } else if (ps) {
        for (const [pkg, p] of Object.entries(ps)) providers[pkg] = resourceKey(p) ?? "?";
    }
    const deps = opts.dependsOn;
    const dependsOn = (Array.isArray(deps) ? deps : deps ? [deps] : [])
        .map((d) => resourceKey(d))
        .filter((k): k is string => k !== undefined);
    return {
        parent: resourceKey(opts.parent ?? pulumi.runtime.getStackResource()),
        provider: resourceKey(opts.provider),
        providers,
        dependsOn,
        protect: opts.protect === true,
        retainOnDelete: opts.retainOnDelete === true,
        deletedWith: resourceKey(opts.deletedWith),
        ignoreChanges: [...(opts.ignoreChanges ?? [])],
        replaceOnChanges: [...(opts.replaceOnChanges ?? [])],
        transforms: [...(opts.transforms ?? [])],
        // URN strings only: the program gives no other kind (an Alias object would need the engine to resolve).
        aliases: (opts.aliases ?? []).filter((a): a is string => typeof a === "string"),
    };
}

/**
 * Runs `program` as the body of a Pulumi stack under mocks and returns what it registered.
 * Each call starts from a clean slate (config, mocks, records).
 */
export async function runWithMocks<T>(program: () => T | Promise<T>, options: RunOptions): Promise<RunResult<T>> {
    const project = options.project ?? PROJECT;
    const records: ResourceRecord[] = [];
    const captured = new Map<string, Captured>();
    const providerRegions = new Map<string, string>();
    const secretInputs = new Map<string, string[]>();
    const dependencies = new Map<string, string[]>();
    let secretOutputs: string[] = [];

    pulumi.runtime.setAllConfig(options.config ?? {}, options.secretKeys ?? []);
    await pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs) {
                const key = keyOf(args.type, args.name);
                const c: Captured = captured.get(key) ?? { providers: {}, dependsOn: [], protect: false, retainOnDelete: false, ignoreChanges: [], replaceOnChanges: [], transforms: [], aliases: [] };
                const providerKey = providerKeyFromRef(args.provider);
                // Remote components get their provider through `providers`, custom resources through `provider`.
                const regionFrom = providerKey ?? c.providers.aws;
                const region = args.type === "pulumi:providers:aws"
                    ? args.inputs.region
                    : regionFrom ? providerRegions.get(regionFrom) : undefined;
                const { id, state } = mockOutputs({ type: args.type, name: args.name, inputs: args.inputs, region });
                if (args.type.startsWith("pulumi:providers:") && args.inputs.region) {
                    providerRegions.set(key, args.inputs.region);
                }
                records.push({
                    type: args.type,
                    name: args.name,
                    key,
                    inputs: unwrapSecrets(args.inputs) as Record<string, any>,
                    secretPaths: secretInputs.get(key) ?? [],
                    state,
                    custom: args.custom !== false,
                    parent: c.parent,
                    // The engine's view (explicit or inherited); for components the captured option.
                    provider: providerKey ?? c.provider,
                    providers: c.providers,
                    dependsOn: c.dependsOn,
                    dependencies: dependencies.get(key) ?? [],
                    protect: c.protect,
                    retainOnDelete: c.retainOnDelete,
                    deletedWith: c.deletedWith,
                    ignoreChanges: c.ignoreChanges,
                    replaceOnChanges: c.replaceOnChanges,
                    transforms: c.transforms,
                    aliases: c.aliases,
                });
                return { id, state };
            },
            call(args: pulumi.runtime.MockCallArgs) {
                const pk = providerKeyFromRef(args.provider);
                try {
                    return answerInvoke(args.token, args.inputs, pk ? providerRegions.get(pk) : undefined);
                } catch (e) {
                    // The SDK rethrows a failed invoke as `new Error(err.details)` (a gRPC error's text;
                    // @pulumi/pulumi runtime/invoke.js): a plain Error has no `details`, so without this
                    // the program would fail with an empty message.
                    throw Object.assign(e instanceof Error ? e : new Error(String(e)), { details: e instanceof Error ? e.message : String(e) });
                }
            },
        },
        project,
        options.stack,
        options.preview ?? false,
    );
    tapMonitor(
        (key, paths, deps) => {
            secretInputs.set(key, paths);
            dependencies.set(key, deps);
        },
        (urn, paths) => {
            if (urn.split("::")[2] === "pulumi:pulumi:Stack") secretOutputs = paths;
        },
    );

    const outputs = (await pulumi.runtime.runInPulumiStack(async () => {
        pulumi.runtime.registerStackTransformation((t) => {
            captured.set(keyOf(t.type, t.name), capture(t.opts));
            // The mock monitor has no callback server for `transforms` (the SDK refuses them under
            // mocks): record them, for tests to run against the children a remote component's
            // provider would register, and register the resource without them.
            if (t.opts.transforms?.length) return { props: t.props, opts: { ...t.opts, transforms: undefined } };
            return undefined;
        });
        return (await program()) as any;
    })) as T;
    // Resources registered inside apply() callbacks finish after the stack's outputs resolve; wait
    // for the runtime's RPC queue to drain (an @internal API, the one Pulumi's own tests use).
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    return { records, outputs, secretOutputs };
}
