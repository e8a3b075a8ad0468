/**
 * Preflight before a wave: can this runner reach the API endpoint of each existing cluster in it?
 *
 * Every update applies Kubernetes objects through the cluster's endpoint, so a runner that cannot
 * reach it (a hosted runner whose egress is in no allow-list, a private endpoint seen from outside
 * the VPC) fails every region, and only after pulumi-eks has polled `/healthz` for up to 60 x 5 s
 * (pulumi-eks v4.3.0 nodejs/eks/cluster/cluster.ts l.800-840, for a public endpoint) and the
 * Kubernetes provider has timed out. A TCP connect to port 443 with a few seconds' limit tells the
 * same in seconds, before anything changes. Regions not deployed yet have no endpoint to check.
 */
import * as net from "net";

/** Time limit of one connect. */
export const PREFLIGHT_TIMEOUT_MS = 5000;

/** Resolves when a TCP connection to host:port opens within `timeoutMs`; rejects with the reason. */
export type Connector = (host: string, port: number, timeoutMs: number) => Promise<void>;

export const connectTcp: Connector = (host, port, timeoutMs) => new Promise<void>((resolve, reject) => {
    const socket = net.connect({ host, port });
    const done = (error?: Error) => {
        socket.destroy();
        if (error) reject(error); else resolve();
    };
    socket.setTimeout(timeoutMs, () => done(new Error(`no connection within ${timeoutMs / 1000} s`)));
    socket.once("connect", () => done());
    socket.once("error", (e: NodeJS.ErrnoException) => done(new Error(e.code ?? e.message)));
});

export interface EndpointCheck {
    readonly region: string;
    /** `host:port` that was tried. */
    readonly target: string;
    readonly ok: boolean;
    readonly message: string;
}

/** host and port of an endpoint URL (`https://<id>.<zone>.<region>.eks.amazonaws.com`, port 443). */
export function endpointAddress(endpoint: string): { host: string; port: number } {
    const url = new URL(endpoint);
    return { host: url.hostname, port: url.port ? Number(url.port) : 443 };
}

/** What the runner needs, naming the config keys of the allow-list, for a failed check. */
export function unreachableMessage(check: Pick<EndpointCheck, "region" | "target" | "message">, regionIndex: number, timeoutMs: number): string {
    return `the runner cannot reach the API endpoint of ${check.region} (${check.target}: ${check.message}; TCP, ${timeoutMs / 1000} s limit). ` +
        "The machine running the rollout must reach every cluster's endpoint on 443: from inside the VPC (a self-hosted " +
        "runner: repository variable PLATFORM_RUNNER_LABELS) when the endpoint is private, or from an egress address in the " +
        `allow-list eks-platform:publicAccessCidrs (or eks-platform:regions[${regionIndex}].overrides.publicAccessCidrs) when it is public.`;
}

/** Checks the endpoints, all at once; one result per region given. */
export async function checkEndpoints(
    endpoints: ReadonlyArray<{ region: string; endpoint: string }>,
    connect: Connector = connectTcp,
    timeoutMs = PREFLIGHT_TIMEOUT_MS,
): Promise<EndpointCheck[]> {
    return Promise.all(endpoints.map(async ({ region, endpoint }) => {
        let target = endpoint;
        try {
            const { host, port } = endpointAddress(endpoint);
            target = `${host}:${port}`;
            await connect(host, port, timeoutMs);
            return { region, target, ok: true, message: "reachable" };
        } catch (e) {
            return { region, target, ok: false, message: e instanceof Error ? e.message : String(e) };
        }
    }));
}
