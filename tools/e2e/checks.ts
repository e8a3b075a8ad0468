/**
 * The live checks after the rollout: what EKS says about the cluster, its add-ons and node groups;
 * what the Kubernetes API says about nodes, the controllers, the app and its Ingress; whether the app
 * answers at its ALB; and whether a second preview is clean (no drift). Each check is a line in the
 * report; a failed one fails the run (which still destroys).
 */
import type { OutputMap } from "@pulumi/pulumi/automation";
import { CONTROL_PLANE_LOG_TYPES } from "../../components/cluster-settings";
import { HttpProbeSettings, Prober, httpTargetFor } from "../rollout/health";
import type { RolloutStack } from "../rollout/stack-ops";
import type { E2eAws } from "./aws";
import type { KubeReader } from "./kube";
import { E2E_APP, controllerDeployments, expectedAddons } from "./stack-config";

export interface CheckResult {
    readonly name: string;
    readonly ok: boolean;
    readonly message: string;
}

export interface Expectations {
    readonly region: string;
    readonly cluster: string;
    readonly kubernetesVersion: string;
    readonly computeMode: string;
    readonly apiCidrs: readonly string[];
    /** Nodes the node groups start with. */
    readonly minNodes: number;
}

const pass = (name: string, message: string): CheckResult => ({ name, ok: true, message });
const fail = (name: string, message: string): CheckResult => ({ name, ok: false, message });

/** EKS's view: DescribeCluster, DescribeAddon for every add-on, DescribeNodegroup for every node group. */
export async function eksChecks(aws: E2eAws, x: Expectations): Promise<CheckResult[]> {
    const out: CheckResult[] = [];
    const c = await aws.describeCluster(x.region, x.cluster);
    if (!c) return [fail("cluster", `DescribeCluster: no cluster ${x.cluster} in ${x.region}`)];
    out.push(c.status === "ACTIVE" ? pass("cluster ACTIVE", "ACTIVE") : fail("cluster ACTIVE", `status ${c.status}`));
    out.push(c.version === x.kubernetesVersion
        ? pass("cluster version", c.version)
        : fail("cluster version", `runs ${c.version ?? "(none)"}, expected ${x.kubernetesVersion}`));
    const cidrs = [...(c.publicAccessCidrs ?? [])].sort().join(",");
    const access = c.endpointPublicAccess === true && c.endpointPrivateAccess === false && cidrs === [...x.apiCidrs].sort().join(",");
    out.push(access
        ? pass("endpoint access", `public only, from ${cidrs}`)
        : fail("endpoint access", `public ${c.endpointPublicAccess}, private ${c.endpointPrivateAccess}, CIDRs ${cidrs || "(none)"}; expected public only from ${x.apiCidrs.join(",")}`));
    const missingLogs = CONTROL_PLANE_LOG_TYPES.filter((t) => !c.loggingEnabled.includes(t));
    out.push(missingLogs.length === 0
        ? pass("control-plane logging", CONTROL_PLANE_LOG_TYPES.join(", "))
        : fail("control-plane logging", `not enabled: ${missingLogs.join(", ")}`));
    const secrets = c.encryption.find((e) => e.resources.includes("secrets") && e.keyArn);
    out.push(secrets ? pass("secrets encryption", `KMS ${secrets.keyArn}`) : fail("secrets encryption", "no KMS envelope encryption of secrets"));

    const addons = await aws.addons(x.region, x.cluster);
    const expected = expectedAddons(x.computeMode);
    for (const addon of expected) {
        const a = addons.find((y) => y.name === addon);
        const name = `add-on ${addon}`;
        if (!a) out.push(fail(name, "not installed"));
        else out.push(a.status === "ACTIVE" ? pass(name, `ACTIVE ${a.version ?? ""}`.trim()) : fail(name, `${a.status}${a.issues.length ? `: ${a.issues.join("; ")}` : ""}`));
    }
    for (const a of addons.filter((y) => !expected.includes(y.name))) {
        out.push(a.status === "ACTIVE" ? pass(`add-on ${a.name}`, "ACTIVE") : fail(`add-on ${a.name}`, a.status));
    }
    const groups = await aws.nodegroups(x.region, x.cluster);
    // Auto Mode has no node groups: its nodes are checked Ready through the Kubernetes API.
    if (groups.length === 0 && x.computeMode !== "auto") out.push(fail("node groups", "none"));
    for (const g of groups) out.push(g.status === "ACTIVE" ? pass(`node group ${g.name}`, "ACTIVE") : fail(`node group ${g.name}`, g.status));
    return out;
}

function condition(obj: any, type: string): string | undefined {
    return (obj?.status?.conditions ?? []).find((c: any) => c?.type === type)?.status;
}

function deploymentCheck(name: string, d: any): CheckResult {
    if (!d) return fail(name, "not found");
    const want = d.spec?.replicas ?? 1;
    const available = d.status?.availableReplicas ?? 0;
    return available >= want && condition(d, "Available") === "True"
        ? pass(name, `${available}/${want} available`)
        : fail(name, `${available}/${want} available, condition Available=${condition(d, "Available") ?? "absent"}`);
}

/** The Kubernetes API's view: nodes Ready, the controllers' and the app's Deployments available, the app's pods ready, the Ingress addressed. */
export async function kubeChecks(kube: KubeReader, x: Expectations): Promise<CheckResult[]> {
    const out: CheckResult[] = [];
    const nodes: any[] = (await kube.get("/api/v1/nodes"))?.items ?? [];
    const notReady = nodes.filter((n) => condition(n, "Ready") !== "True").map((n) => n.metadata?.name);
    out.push(nodes.length >= x.minNodes && notReady.length === 0
        ? pass("nodes Ready", `${nodes.length} Ready`)
        : fail("nodes Ready", `${nodes.length - notReady.length}/${nodes.length} Ready (expected at least ${x.minNodes})${notReady.length ? `; not Ready: ${notReady.join(", ")}` : ""}`));
    for (const ref of controllerDeployments(x.computeMode)) {
        const [ns, name] = ref.split("/");
        out.push(deploymentCheck(`deployment ${ref}`, await kube.get(`/apis/apps/v1/namespaces/${ns}/deployments/${name}`)));
    }
    const app = await kube.get(`/apis/apps/v1/namespaces/${E2E_APP.namespace}/deployments/${E2E_APP.name}`);
    out.push(deploymentCheck(`deployment ${E2E_APP.namespace}/${E2E_APP.name}`, app));
    const labels: Record<string, string> = app?.spec?.selector?.matchLabels ?? {};
    const selector = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(",");
    if (selector) {
        const pods: any[] = (await kube.get(`/api/v1/namespaces/${E2E_APP.namespace}/pods?labelSelector=${encodeURIComponent(selector)}`))?.items ?? [];
        const ready = pods.filter((p) => condition(p, "Ready") === "True");
        out.push(pods.length >= E2E_APP.replicas && ready.length === pods.length
            ? pass("app pods ready", `${ready.length}/${pods.length} ready`)
            : fail("app pods ready", `${ready.length}/${pods.length} ready (expected ${E2E_APP.replicas})`));
    } else {
        out.push(fail("app pods ready", "the app's Deployment has no selector to find its pods by"));
    }
    const ing = await kube.get(`/apis/networking.k8s.io/v1/namespaces/${E2E_APP.namespace}/ingresses/${E2E_APP.name}`);
    const address = ing?.status?.loadBalancer?.ingress?.[0]?.hostname ?? ing?.status?.loadBalancer?.ingress?.[0]?.ip;
    out.push(address ? pass("ingress address", address) : fail("ingress address", ing ? "no load balancer address in its status" : "not found"));
    return out;
}

/** The app over HTTP(S) at its ALB, as the stack outputs name it (retried while the ALB's DNS name propagates). */
export async function httpCheck(outputs: OutputMap, region: string, probe: Prober, settings: HttpProbeSettings, signal?: AbortSignal): Promise<CheckResult> {
    const app = (outputs.regions?.value as any)?.[region]?.apps?.[E2E_APP.name];
    if (!app?.hostname) return fail("app over HTTP", `no hostname in stack output regions.${region}.apps.${E2E_APP.name}`);
    const target = httpTargetFor(E2E_APP.name, app, E2E_APP.healthPath);
    const r = await probe(target, settings, signal);
    return r.ok ? pass("app over HTTP", `${r.target}: ${r.message}`) : fail("app over HTTP", `${r.target}: ${r.message}`);
}

/** A second preview of the whole stack changes nothing. */
export async function driftCheck(stack: RolloutStack, signal: AbortSignal): Promise<CheckResult> {
    const { changeSummary } = await stack.preview({ signal, onEvent: () => undefined });
    const changes = Object.entries(changeSummary).filter(([op, n]) => op !== "same" && (n ?? 0) > 0);
    return changes.length === 0
        ? pass("no drift (second preview)", `${changeSummary.same ?? 0} unchanged`)
        : fail("no drift (second preview)", `would ${changes.map(([op, n]) => `${op} ${n}`).join(", ")}`);
}
