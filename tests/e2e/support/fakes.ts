/**
 * Fakes for npm run e2e: AWS (in-memory account: caller, lock parameter, cluster, add-ons, node
 * groups, tagged resources), the disposable stack (the rollout's FakeStack plus destroy/remove) and a
 * Kubernetes API (a local HTTP server on 127.0.0.1 answering the reads the checks make).
 */
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import type { AddressInfo } from "net";
import type { OutputMap } from "@pulumi/pulumi/automation";
import type { AddonInfo, ClusterInfo, E2eAws, LeftoverKind, LockRecord, NodegroupInfo, TaggedResource } from "../../../tools/e2e/aws";
import { ADDONS } from "../../../components/addons-plan";
import { CONTROL_PLANE_LOG_TYPES } from "../../../components/cluster-settings";
import { DEFAULT_KUBERNETES_VERSION } from "../../../facts/eks-versions";
import { E2E_TAG, clusterNameOf } from "../../../tools/e2e/names";
import { kubeReader } from "../../../tools/e2e/kube";
import type { E2eDeps, PlanInfo } from "../../../tools/e2e/run";
import type { E2eStack } from "../../../tools/e2e/stack";
import { e2eStackConfig } from "../../../tools/e2e/stack-config";
import type { ChangeOutcome, OperationOptions } from "../../../tools/rollout/stack-ops";
import { FakeStack, changes, emit, stepEvents, untilAborted } from "../../rollout/support/fake-stack";

export const ACCOUNT = "111122223333";
export const REGION = "ap-northeast-1";

export interface FakeResource extends TaggedResource {
    readonly kind: LeftoverKind;
}

export class FakeAws implements E2eAws {
    readonly calls: string[] = [];
    account = ACCOUNT;
    credentialsError?: Error;
    lock?: LockRecord;
    /** Every resource in the account (the region is REGION). */
    resources: FakeResource[] = [];
    clusters = new Map<string, ClusterInfo>();
    addonList: AddonInfo[] = ADDONS.map((a) => ({ name: a.name, status: "ACTIVE", version: "v1", issues: [] }));
    groupList: NodegroupInfo[] = [{ name: "system", status: "ACTIVE", desiredSize: 2 }];
    /** Ids whose deletion fails. */
    undeletable = new Set<string>();

    async callerIdentity() {
        this.calls.push("GetCallerIdentity");
        if (this.credentialsError) throw this.credentialsError;
        return { account: this.account, arn: `arn:aws:sts::${this.account}:assumed-role/e2e/ci` };
    }
    async putLock(record: LockRecord) {
        this.calls.push(`PutParameter ${record.runId}`);
        if (this.lock) return false;
        this.lock = record;
        return true;
    }
    async getLock() { return this.lock; }
    async deleteLock() {
        this.calls.push("DeleteParameter");
        this.lock = undefined;
    }
    async describeCluster(_region: string, name: string) { return this.clusters.get(name); }
    async addons() { return this.addonList; }
    async nodegroups() { return this.groupList; }
    async taggedResources(_region: string, key: string, values?: readonly string[]) {
        this.calls.push(`GetResources ${key}`);
        return this.resources.filter((r) => r.tags[key] !== undefined && (!values || values.includes(r.tags[key])));
    }
    private ofKind(kind: LeftoverKind) { return this.resources.filter((r) => r.kind === kind); }
    async loadBalancers() { return this.ofKind("load-balancer"); }
    async targetGroups() { return this.ofKind("target-group"); }
    async securityGroups() { return this.ofKind("security-group"); }
    async networkInterfaces() { return this.ofKind("network-interface"); }
    async logGroups(_region: string, prefix: string) { return this.ofKind("log-group").filter((g) => (g.name ?? "").startsWith(prefix)); }
    async deleteLeftover(_region: string, kind: LeftoverKind, id: string) {
        this.calls.push(`delete ${kind} ${id}`);
        if (this.undeletable.has(id)) throw new Error("DependencyViolation");
        this.resources = this.resources.filter((r) => r.id !== id);
    }

    /** What a real first deploy leaves in the account: the cluster and the run's tagged resources. */
    deploy(runId: string): void {
        const name = clusterNameOf(runId, REGION);
        this.clusters.set(name, {
            name, status: "ACTIVE", version: DEFAULT_KUBERNETES_VERSION, endpoint: "https://example.eks.amazonaws.com",
            certificateAuthority: Buffer.from("PEM").toString("base64"), endpointPublicAccess: true, endpointPrivateAccess: false,
            publicAccessCidrs: ["0.0.0.0/0"], loggingEnabled: [...CONTROL_PLANE_LOG_TYPES],
            encryption: [{ resources: ["secrets"], keyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/k1` }],
        });
        const tags = { [E2E_TAG]: runId, project: "eks-platform" };
        this.resources.push(
            { kind: "tagged", id: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${name}`, tags },
            { kind: "tagged", id: `arn:aws:kms:${REGION}:${ACCOUNT}:key/k1`, tags },
            { kind: "load-balancer", id: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/k8s-${runId}/1`, name: `k8s-${runId}`, tags },
            { kind: "log-group", id: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/eks/${name}/cluster`, name: `/aws/eks/${name}/cluster`, tags },
        );
    }

    /** What a destroy removes: everything of the run but its KMS key (pending deletion) and `keep`. */
    destroy(runId: string, keep: readonly string[] = []): void {
        this.clusters.delete(clusterNameOf(runId, REGION));
        this.resources = this.resources.filter((r) => r.tags[E2E_TAG] !== runId || r.id.includes(":key/") || keep.includes(r.id));
    }
}

/** The e2e stack's config as `pulumi config --json` gives it to the rollout. */
export function e2eConfigValues(runId: string, computeMode = "managed-node-groups"): Record<string, string> {
    const config = e2eStackConfig({ runId, account: ACCOUNT, region: REGION, computeMode, apiCidrs: ["0.0.0.0/0"] });
    return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

export const ALB = "k8s-e2e-public-1234.ap-northeast-1.elb.amazonaws.com";

export function e2eOutputs(runId: string): OutputMap {
    return {
        regions: {
            secret: false,
            value: {
                [REGION]: {
                    clusterName: clusterNameOf(runId, REGION), clusterEndpoint: "https://example.eks.amazonaws.com",
                    kubernetesVersion: DEFAULT_KUBERNETES_VERSION, apps: { hello: { hostname: ALB, healthPath: "/", protocol: "http", scheme: "internet-facing" } },
                },
            },
        },
    };
}

/** The disposable stack: the rollout's FakeStack, and destroy/remove acting on the fake account. */
export class FakeE2eStack implements E2eStack {
    readonly rollout: FakeStack;
    destroyed = 0;
    removed = 0;
    /** Resource ids a destroy leaves (the controller's ALB, say). */
    destroyLeaves: string[] = [];
    /** Makes destroy wait for the (second-interrupt) abort and reject. */
    destroyBlocks = false;

    constructor(readonly runId: string, private readonly aws: FakeAws) {
        this.rollout = new FakeStack(runId, e2eConfigValues(runId));
        const urn = `urn:pulumi:${runId}::eks-platform::eks-platform:index:RegionalPlatform$eks:index:Cluster::${runId}-${REGION}-cluster-eks`;
        this.rollout.scripts = {
            preview: (_r, n) => changes(n === 0 ? { create: 80 } : { same: 80 }),
            up: (r) => {
                emit(r, stepEvents(urn, "eks:index:Cluster", "create"));
                aws.deploy(runId);
                return changes({ create: 80 });
            },
        };
        this.rollout.outputsValue = e2eOutputs(runId);
    }

    async destroy(o: OperationOptions): Promise<ChangeOutcome> {
        this.destroyed++;
        if (this.destroyBlocks) await untilAborted(o);
        this.aws.destroy(this.runId, this.destroyLeaves);
        return changes({ delete: 80 });
    }

    async remove(): Promise<void> {
        this.removed++;
    }
}

/** Kubernetes objects the fake API serves; tests change them to make a check fail. */
export interface KubeState {
    nodesReady: boolean[];
    appReadyPods: number;
    ingressAddress?: string;
}

export function kubeState(): KubeState {
    return { nodesReady: [true, true], appReadyPods: 2, ingressAddress: ALB };
}

const deployment = (replicas: number, available: number, matchLabels?: Record<string, string>) => ({
    spec: { replicas, ...(matchLabels ? { selector: { matchLabels } } : {}) },
    status: { availableReplicas: available, conditions: [{ type: "Available", status: available >= replicas ? "True" : "False" }] },
});

/** The fake Kubernetes API on 127.0.0.1: records each request's path and bearer token. */
export async function fakeKubeApi(state: KubeState): Promise<{ url: string; requests: Array<{ path: string; auth?: string }>; close(): Promise<void> }> {
    const requests: Array<{ path: string; auth?: string }> = [];
    const server = http.createServer((req, res) => {
        requests.push({ path: req.url ?? "", auth: req.headers.authorization });
        const send = (code: number, body: unknown) => {
            res.writeHead(code, { "content-type": "application/json" });
            res.end(JSON.stringify(body));
        };
        if (req.headers.authorization !== "Bearer k8s-aws-v1.fake") return send(401, { kind: "Status", message: "Unauthorized" });
        const url = new URL(req.url ?? "/", "http://x");
        const p = url.pathname;
        if (p === "/api/v1/nodes") {
            return send(200, { items: state.nodesReady.map((ready, i) => ({ metadata: { name: `node-${i}` }, status: { conditions: [{ type: "Ready", status: ready ? "True" : "False" }] } })) });
        }
        if (p === "/apis/apps/v1/namespaces/kube-system/deployments/aws-load-balancer-controller" || p === "/apis/apps/v1/namespaces/kube-system/deployments/coredns") {
            return send(200, deployment(2, 2));
        }
        if (p === "/apis/apps/v1/namespaces/e2e-hello/deployments/hello") return send(200, deployment(2, state.appReadyPods, { "app.kubernetes.io/name": "hello" }));
        if (p === "/api/v1/namespaces/e2e-hello/pods" && url.searchParams.get("labelSelector") === "app.kubernetes.io/name=hello") {
            return send(200, { items: [0, 1].map((i) => ({ status: { conditions: [{ type: "Ready", status: i < state.appReadyPods ? "True" : "False" }] } })) });
        }
        if (p === "/apis/networking.k8s.io/v1/namespaces/e2e-hello/ingresses/hello") {
            return send(200, { status: { loadBalancer: { ingress: state.ingressAddress ? [{ hostname: state.ingressAddress }] : [] } } });
        }
        return send(404, { kind: "Status", message: "not found" });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A project folder of its own (Pulumi.yaml only): the run writes and removes its stack file there. */
export function projectDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-project-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: eks-platform\nruntime: nodejs\n");
    return dir;
}

/** The plan's answer for the e2e stack: modelled durations and an estimate, every item priced. */
export function planInfo(monthlyUsd = 300, missing: Array<{ region: string; item: string; what: string; boundUsd?: number }> = []): PlanInfo {
    return {
        ok: true,
        timeline: {
            firstUpSeconds: 1195,
            regions: [{
                region: REGION, seconds: 1195, bars: [], floor: { seconds: 0, parts: [] },
                criticalPath: [{ key: "k", label: `Cluster e2e-000001-${REGION}-cluster-eks`, start: 0, end: 600, critical: true }],
            }],
            upgrade: [],
            rollout: { best: 1256, worst: 1500, steps: [{ what: "wave-1: preview gate", start: 0, end: 60 }] },
            sources: [],
        },
        cost: {
            stack: "e2e", currency: "USD", hoursPerMonth: 730, monthlyUsd, regions: [{
                region: REGION, monthlyUsd, drivers: [],
                lines: [{ region: REGION, driver: "compute", what: "2 x t3.large", quantity: 1460, unit: "hour", item: "ec2.t3.large", unitUsd: 0.1088, monthlyUsd: 158.85 }],
            }] as any, drivers: [], missing, assumptions: [],
            priceTable: { builtFrom: "hand", read: "2026-11-29", note: "" },
        },
    };
}

export interface Harness {
    readonly aws: FakeAws;
    readonly dir: string;
    readonly stacks: FakeE2eStack[];
    readonly lines: string[];
    readonly interrupt: AbortController;
    readonly force: AbortController;
    readonly deps: E2eDeps;
}

/** Deps wired to the fakes; `kubeUrl` is the fake Kubernetes API's. Every run id is e2e-00000N. */
export function harness(kubeUrl: string, over: Partial<E2eDeps> = {}, aws = new FakeAws(), dir = projectDir()): Harness {
    const stacks: FakeE2eStack[] = [];
    const lines: string[] = [];
    const interrupt = new AbortController();
    const force = new AbortController();
    let n = 0;
    let clock = Date.parse("2026-12-05T00:00:00Z");
    const deps: E2eDeps = {
        aws,
        stacks: {
            create: async (runId) => {
                const s = new FakeE2eStack(runId, aws);
                stacks.push(s);
                return s;
            },
            open: async (runId) => {
                const s = stacks.find((x) => x.runId === runId) ?? new FakeE2eStack(runId, aws);
                s.destroyBlocks = false;
                return s;
            },
        },
        plan: async () => planInfo(),
        kube: () => kubeReader({ server: kubeUrl, token: async () => "k8s-aws-v1.fake" }),
        probe: async (t) => ({ check: "http", target: `GET ${t.url}`, app: t.app, ok: true, message: "HTTP 200 after 1 attempt", attempts: 1, status: 200 }),
        connect: async () => undefined,
        interruptGraceMs: 1,
        projectDir: dir,
        project: "eks-platform",
        newRunId: () => `e2e-00000${++n}`,
        // An instant clock: each reading is 5 s after the last.
        now: () => (clock += 5000),
        sleep: async (_ms, signal) => !signal?.aborted,
        log: (l) => lines.push(l),
        confirm: async () => true,
        interrupted: interrupt.signal,
        forced: force.signal,
        sweepRounds: 2,
        sweepWaitMs: 1,
        ...over,
    };
    return { aws, dir, stacks, lines, interrupt, force, deps };
}
