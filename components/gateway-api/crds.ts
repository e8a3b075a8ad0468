/**
 * The CRDs the Gateway API routes need, carried as data in crds/ (converted to JSON from upstream by
 * tools/import-crds.ts; sources and checksums in crds/README.md):
 * - the Gateway API v1.6.0 standard channel, every file of its `standard-install.yaml` (kubernetes-sigs/gateway-api
 *   config/crd/standard/ at v1.6.0; CRDs do not depend on each other, so their order is free) (the load balancer controller v3.5.0 is built
 *   for v1.6.0: its go.mod `sigs.k8s.io/gateway-api v1.6.0`, docs/guide/gateway/gateway.md);
 * - the controller's own `gateway.k8s.aws` CRDs (LoadBalancerConfiguration, TargetGroupConfiguration,
 *   ListenerRuleConfiguration) of v3.5.0, helm/aws-load-balancer-controller/crds/gateway-crds.yaml. The chart
 *   creates those on its first install only (Helm never upgrades crds/), so they are installed here too.
 * The plan checks Gateway API and gateway.k8s.aws objects against these schemas (tools/plan/crd-schemas.ts).
 */
import * as fs from "fs";
import * as path from "path";

/** The Gateway API release and channel the CRDs come from. */
export const GATEWAY_API = { version: "v1.6.0", channel: "standard" } as const;

const DIR = path.join(__dirname, "crds");

/** The CRDs of standard-install.yaml of v1.6.0, then the controller's. */
export const GATEWAY_CRD_FILES: readonly string[] = [
    "gateway.networking.k8s.io_gatewayclasses.json",
    "gateway.networking.k8s.io_gateways.json",
    "gateway.networking.k8s.io_httproutes.json",
    "gateway.networking.k8s.io_referencegrants.json",
    "gateway.networking.k8s.io_grpcroutes.json",
    "gateway.networking.k8s.io_backendtlspolicies.json",
    "gateway.networking.k8s.io_listenersets.json",
    "gateway.networking.k8s.io_tlsroutes.json",
    "gateway.networking.k8s.io_tcproutes.json",
    "gateway.networking.k8s.io_udproutes.json",
    "gateway.k8s.aws_loadbalancerconfigurations.json",
    "gateway.k8s.aws_targetgroupconfigurations.json",
    "gateway.k8s.aws_listenerruleconfigurations.json",
].map((f) => path.join(DIR, f));

/**
 * Not CRDs, part of standard-install.yaml: the ValidatingAdmissionPolicy and its binding that refuse
 * experimental CRDs over standard ones and bundle versions below v1.5 (the upgrade guard upstream ships).
 */
export const GATEWAY_UPGRADE_POLICY_FILES: readonly string[] = [
    "validatingadmissionpolicy_safe-upgrades.gateway.networking.k8s.io.json",
    "validatingadmissionpolicybinding_safe-upgrades.gateway.networking.k8s.io.json",
].map((f) => path.join(DIR, f));

/**
 * What the controller's ALB Gateway controller needs to find at start-up, or it switches itself off
 * (pkg/gateway/crddetect/gateway_feature_flags.go at v3.5.0, `albKinds`): these kinds served at
 * gateway.networking.k8s.io/v1 and gateway.k8s.aws/v1. A test checks the carried files serve them.
 */
export const ALB_GATEWAY_KINDS: Readonly<Record<string, readonly string[]>> = {
    "gateway.networking.k8s.io/v1": ["Gateway", "GatewayClass", "HTTPRoute", "GRPCRoute"],
    "gateway.k8s.aws/v1": ["TargetGroupConfiguration", "LoadBalancerConfiguration", "ListenerRuleConfiguration"],
};

let objects: { readonly crds: readonly Record<string, unknown>[]; readonly policy: readonly Record<string, unknown>[] } | undefined;

/**
 * The carried files parsed, once per process: the ConfigGroup's input (gatewayCrdManifest) and the plan's
 * schema check (tools/plan/crd-schemas.ts) read the same objects. Nobody may change them.
 */
export function gatewayCrdObjects(): { readonly crds: readonly Record<string, unknown>[]; readonly policy: readonly Record<string, unknown>[] } {
    const read = (files: readonly string[]) => files.map((f) => JSON.parse(fs.readFileSync(f, "utf8")) as Record<string, unknown>);
    objects ??= { crds: read(GATEWAY_CRD_FILES), policy: read(GATEWAY_UPGRADE_POLICY_FILES) };
    return objects;
}

let manifest: string | undefined;

/**
 * What the Gateway API ConfigGroup applies, as its `yaml` input: the CRDs, then the upgrade policy and its
 * binding, in that order, one compact JSON document a line. The provider decodes that string as it decoded
 * each carried file when they were its `files` (a JSON stream: pulumi-kubernetes
 * provider/pkg/provider/yaml/v2/yaml.go `yamlDecode`, k8s.io/apimachinery v0.36.2 pkg/util/yaml/decoder.go
 * `YAMLOrJSONDecoder`, a json.Decoder when the text starts with `{`), but reads no path from disk
 * (components/ingress.ts says why). Lossless: tools/import-crds.ts wrote the files with JSON.stringify.
 * Built once per process (about 0.8 MB).
 */
export function gatewayCrdManifest(): string {
    const { crds, policy } = gatewayCrdObjects();
    manifest ??= [...crds, ...policy].map((o) => JSON.stringify(o)).join("\n");
    return manifest;
}
