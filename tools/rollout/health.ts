/**
 * Post-wave health checks of one region:
 * 1. the stack outputs the region must have: `regions.<region>.clusterEndpoint`, and for every app
 *    (configured or exported) `regions.<region>.apps.<app>.hostname`, the load balancer's DNS name;
 *    and, for a region on Karpenter, "Karpenter ready" (`regions.<region>.compute`: controller
 *    deployed, every NodePool Ready);
 * 2. an HTTP GET of each app's health path through its load balancer, with a per-request timeout and
 *    a bounded number of retries (a new load balancer's DNS name takes minutes to resolve).
 *
 * Output shape read (index.ts, components/workloads.ts AppEndpoint): `regions = { [region]:
 * { clusterEndpoint, ..., apps?: { [app]: { hostname, healthPath, scheme, host?, protocol, url } } } }`
 * where `url` is `<protocol>://<hostname><healthPath>`; `apps` may be absent when no apps are
 * configured, and only `hostname` is required of an app.
 */
import * as http from "http";
import * as https from "https";
import { isIP } from "net";
import type { OutputMap } from "@pulumi/pulumi/automation";
import type { HttpCheckScope } from "../../stacks/rollout-schema";
import { AppExpectation, httpCheckApplies } from "./config";
import { sleep } from "./sleep";

export interface HttpProbeSettings {
    /** Time limit of one request. */
    readonly timeoutMs: number;
    /** Further attempts after a failed one. */
    readonly retries: number;
    /** Wait between attempts. */
    readonly intervalMs: number;
}

export interface HealthResult {
    readonly check: "output" | "http";
    /** What was checked: an output path, or `GET <url>`. */
    readonly target: string;
    readonly app?: string;
    readonly ok: boolean;
    /** Why it passed or failed, in words. */
    readonly message: string;
    /** HTTP only. */
    readonly attempts?: number;
    /** HTTP only: the last response's status, if any. */
    readonly status?: number;
    readonly seconds?: number;
}

/** Where and how to request an app's health path. */
export interface HttpTarget {
    readonly app: string;
    /** For messages: the URL as the app serves it (and the load balancer when that differs). */
    readonly url: string;
    readonly protocol: "http:" | "https:";
    /** The load balancer's DNS name (or address): where the request connects. */
    readonly connectHost: string;
    readonly port: number;
    /** Host header: the app's virtual host when it has one, else the load balancer's name. */
    readonly hostHeader: string;
    /** TLS server name (SNI); absent for plain HTTP or an IP address. */
    readonly servername?: string;
    /**
     * HTTPS without a virtual host: the certificate names the app's domain, not the load balancer's
     * DNS name, so only the certificate chain is verified, not the name.
     */
    readonly skipNameCheck: boolean;
    readonly path: string;
}

/** An app's entry in `regions.<region>.apps` (components/workloads.ts AppEndpoint), as read. */
export interface AppOutput {
    /** The load balancer's DNS name. */
    readonly hostname: string;
    readonly healthPath?: string;
    /** `http` or `https`: the listener to request. */
    readonly protocol?: string;
    /** The app's virtual host (Ingress host rule), if any: sent as Host header and TLS server name. */
    readonly host?: string;
    /** `<protocol>://<hostname><healthPath>`; its scheme and explicit port are used when `protocol` is absent. */
    readonly url?: string;
    readonly scheme?: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

function nonEmptyString(v: unknown): v is string {
    return typeof v === "string" && v.trim().length > 0;
}

/**
 * The request for an app: connect to its load balancer (`hostname`) on the listener its
 * `protocol` (or `url`) names, send its virtual host (`host`) as Host header and TLS server name so
 * host-based routing and the certificate match, and GET its health path.
 */
export function httpTargetFor(app: string, output: AppOutput, fallbackPath: string): HttpTarget {
    const u = output.url ? new URL(output.url) : undefined;
    const scheme = (output.protocol ?? u?.protocol.replace(/:$/, "") ?? "http").toLowerCase();
    if (scheme !== "http" && scheme !== "https") throw new Error(`protocol ${JSON.stringify(scheme)} is not http or https`);
    const protocol = scheme === "https" ? "https:" : "http:";
    const path = output.healthPath ?? (u && u.pathname !== "/" ? u.pathname : undefined) ?? fallbackPath;
    if (!path.startsWith("/")) throw new Error(`health path ${JSON.stringify(path)} is not an absolute path`);
    const port = u?.port ? Number(u.port) : protocol === "https:" ? 443 : 80;
    // A url naming another host than the load balancer is a virtual host too.
    const vhost = output.host ?? (u && u.hostname !== output.hostname ? u.host : undefined);
    const hostHeader = vhost ?? (u?.port ? `${output.hostname}:${port}` : output.hostname);
    const sniName = (vhost ?? output.hostname).replace(/:\d+$/, "");
    return {
        app,
        url: `${protocol}//${vhost ?? hostHeader}${path}${vhost ? ` via ${output.hostname}` : ""}`,
        protocol,
        connectHost: output.hostname,
        port,
        hostHeader,
        servername: protocol === "https:" && isIP(sniName) === 0 ? sniName : undefined,
        skipNameCheck: protocol === "https:" && vhost === undefined,
        path,
    };
}

export interface OutputCheck {
    readonly results: HealthResult[];
    /** Apps to request, for those whose outputs are complete and whose scheme the scope covers. */
    readonly targets: HttpTarget[];
}

/**
 * Checks the outputs a region must have after its wave and derives the HTTP requests to make.
 * Apps are those configured plus any the outputs list.
 */
export function checkRegionOutputs(
    outputs: OutputMap, region: string, apps: readonly AppExpectation[], scope: HttpCheckScope,
    /** The region runs Karpenter: check it is ready. @default false */
    karpenter = false,
): OutputCheck {
    const results: HealthResult[] = [];
    const targets: HttpTarget[] = [];
    const fail = (target: string, message: string, app?: string) => results.push({ check: "output", target, app, ok: false, message });
    const pass = (target: string, message: string, app?: string) => results.push({ check: "output", target, app, ok: true, message });

    const regions = outputs.regions?.value;
    if (!isObject(regions)) {
        fail("regions", "stack output `regions` is missing: the program exports it from index.ts");
        return { results, targets };
    }
    const r = regions[region];
    if (!isObject(r)) {
        fail(`regions.${region}`, `no outputs for region ${region}; exported regions: ${Object.keys(regions).join(", ") || "(none)"}`);
        return { results, targets };
    }
    if (nonEmptyString(r.clusterEndpoint)) pass(`regions.${region}.clusterEndpoint`, "present");
    else fail(`regions.${region}.clusterEndpoint`, "missing or empty: the cluster has no API endpoint");

    if (karpenter) results.push(karpenterReady(r.compute, region));

    const appOutputs = isObject(r.apps) ? r.apps : {};
    const names = [...new Set([...apps.map((a) => a.name), ...Object.keys(appOutputs)])];
    for (const name of names) {
        const expected = apps.find((a) => a.name === name);
        const at = `regions.${region}.apps.${name}.hostname`;
        const o = appOutputs[name];
        if (!isObject(o) || !nonEmptyString(o.hostname)) {
            fail(at, "missing or empty: the app's load balancer has no DNS name (is the ingress controller running?)", name);
            continue;
        }
        pass(at, "present", name);
        const text = (k: string) => (nonEmptyString(o[k]) ? (o[k] as string) : undefined);
        if (!httpCheckApplies(scope, expected?.scheme ?? text("scheme"))) continue;
        try {
            targets.push(httpTargetFor(name, {
                hostname: o.hostname as string,
                healthPath: text("healthPath"),
                protocol: text("protocol"),
                host: text("host"),
                url: text("url"),
            }, expected?.healthPath ?? "/"));
        } catch (e) {
            fail(`regions.${region}.apps.${name}`, (e as Error).message, name);
        }
    }
    return { results, targets };
}

/**
 * "Karpenter ready": the region's `compute` output (platform.ts) shows the controller release deployed
 * (Helm reports that once the controller's Deployment was ready) and every NodePool Ready, as the wave's
 * update observed them (the update waits for each pool's Ready condition).
 */
export function karpenterReady(compute: unknown, region: string): HealthResult {
    const target = `regions.${region}.compute`;
    const fail = (message: string): HealthResult => ({ check: "output", target, ok: false, message: `Karpenter not ready: ${message}` });
    if (!isObject(compute)) return fail("the region exports no compute status (regions.<region>.compute)");
    if (compute.mode !== "karpenter") return fail(`the region's compute mode is ${JSON.stringify(compute.mode)}, not karpenter`);
    if (compute.controller !== "deployed") return fail(`controller release is ${JSON.stringify(compute.controller)}, not "deployed"`);
    const pools = isObject(compute.nodePools) ? Object.entries(compute.nodePools) : [];
    if (pools.length === 0) return fail("no node pools");
    const notReady = pools.filter(([, status]) => status !== "True");
    if (notReady.length > 0) return fail(`node pool ${notReady.map(([n, s]) => `${n} (Ready=${String(s)})`).join(", ")} not Ready`);
    return { check: "output", target, ok: true, message: `Karpenter ready: controller deployed, node pools ${pools.map(([n]) => n).join(", ")} Ready` };
}

/**
 * The clock a probe runs on: the real one by default. A test passes its own to see exactly which
 * waits and deadlines a probe asks for, and to end a request at its deadline, without wall time.
 */
export interface ProbeTimers {
    /** The wait between attempts: resolves false when `signal` aborts first. @default sleep (sleep.ts) */
    readonly sleep: (ms: number, signal?: AbortSignal) => Promise<boolean>;
    /** Arms one request's deadline: `expire` runs after `ms` unless the returned function disarms it first. @default setTimeout */
    readonly deadline: (ms: number, expire: () => void) => () => void;
    /** Milliseconds since the epoch (for `seconds`). @default Date.now */
    readonly now: () => number;
}

export const REAL_TIMERS: ProbeTimers = {
    sleep,
    deadline: (ms, expire) => {
        const timer = setTimeout(expire, ms);
        return () => clearTimeout(timer);
    },
    now: () => Date.now(),
};

interface Attempt {
    readonly status?: number;
    readonly error?: string;
}

function requestOnce(t: HttpTarget, timeoutMs: number, timers: ProbeTimers, signal?: AbortSignal): Promise<Attempt> {
    return new Promise((resolve) => {
        let settled = false;
        const finish = (a: Attempt) => {
            if (settled) return;
            settled = true;
            disarm();
            signal?.removeEventListener("abort", onAbort);
            resolve(a);
        };
        const options: https.RequestOptions = {
            host: t.connectHost,
            port: t.port,
            path: t.path,
            method: "GET",
            headers: { host: t.hostHeader, "user-agent": "eks-platform-rollout", accept: "*/*", connection: "close" },
            agent: false,
            servername: t.servername,
            ...(t.skipNameCheck ? { checkServerIdentity: () => undefined } : {}),
        };
        const req = (t.protocol === "https:" ? https : http).request(options, (res) => {
            finish({ status: res.statusCode });
            res.destroy();
        });
        // One deadline for connect + response headers, however slowly the bytes trickle in.
        const disarm = timers.deadline(timeoutMs, () => {
            finish({ error: `no response within ${timeoutMs} ms` });
            req.destroy();
        });
        const onAbort = () => {
            finish({ error: "cancelled" });
            req.destroy();
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        req.on("error", (e) => finish({ error: e.message }));
        req.end();
    });
}

/** GETs the target until it answers 2xx, at most `1 + retries` times. */
export async function probeHttp(t: HttpTarget, settings: HttpProbeSettings, signal?: AbortSignal, timers: ProbeTimers = REAL_TIMERS): Promise<HealthResult> {
    const started = timers.now();
    const max = 1 + settings.retries;
    let last: Attempt = {};
    let attempts = 0;
    for (let i = 0; i < max; i++) {
        if (signal?.aborted) break;
        if (i > 0 && !(await timers.sleep(settings.intervalMs, signal))) break;
        attempts++;
        last = await requestOnce(t, settings.timeoutMs, timers, signal);
        if (last.status !== undefined && last.status >= 200 && last.status < 300) {
            return {
                check: "http", target: `GET ${t.url}`, app: t.app, ok: true, attempts, status: last.status,
                message: `HTTP ${last.status} after ${attempts} attempt${attempts === 1 ? "" : "s"}`,
                seconds: (timers.now() - started) / 1000,
            };
        }
    }
    const why = last.status !== undefined ? `HTTP ${last.status} (expected 2xx)` : last.error ?? "cancelled before the first request";
    return {
        check: "http", target: `GET ${t.url}`, app: t.app, ok: false, attempts, status: last.status,
        message: signal?.aborted ? `cancelled after ${attempts} attempt(s): ${why}` : `${why}, after ${attempts} attempt${attempts === 1 ? "" : "s"}`,
        seconds: (timers.now() - started) / 1000,
    };
}

export type Prober = (t: HttpTarget, settings: HttpProbeSettings, signal?: AbortSignal) => Promise<HealthResult>;

/** All checks of one region: outputs first, then every app's health path in parallel. */
export async function checkRegionHealth(args: {
    readonly outputs: OutputMap;
    readonly region: string;
    readonly apps: readonly AppExpectation[];
    readonly scope: HttpCheckScope;
    /** The region runs Karpenter. @default false */
    readonly karpenter?: boolean;
    readonly settings: HttpProbeSettings;
    readonly signal?: AbortSignal;
    readonly probe?: Prober;
}): Promise<HealthResult[]> {
    const { results, targets } = checkRegionOutputs(args.outputs, args.region, args.apps, args.scope, args.karpenter ?? false);
    const probe = args.probe ?? probeHttp;
    const http = await Promise.all(targets.map((t) => probe(t, args.settings, args.signal)));
    return [...results, ...http];
}
