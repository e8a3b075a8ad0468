import { strict as assert } from "assert";
import * as http from "http";
import type { AddressInfo } from "net";
import * as path from "path";
import { stackRun } from "../support/fixtures";
import { readStackConfig } from "../../tools/harness/stack-files";
import { rolloutPlanFromConfig } from "../../tools/rollout/config";
import { ProbeTimers, REAL_TIMERS, checkRegionHealth, checkRegionOutputs, httpTargetFor, karpenterReady, probeHttp } from "../../tools/rollout/health";
import { sleep } from "../../tools/rollout/sleep";
import { regionOutputs } from "./support/fake-stack";

/** A real HTTP server on 127.0.0.1 whose behaviour per request the test sets. */
describe("health checks against a real HTTP server on 127.0.0.1", () => {
    let server: http.Server;
    let port: number;
    let handler: (req: http.IncomingMessage, res: http.ServerResponse) => void;
    const requests: Array<{ path?: string; host?: string }> = [];

    before(async () => {
        server = http.createServer((req, res) => {
            requests.push({ path: req.url, host: req.headers.host });
            handler(req, res);
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        port = (server.address() as AddressInfo).port;
    });
    after(async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    beforeEach(() => { requests.length = 0; });

    // Shaped like components/workloads.ts AppEndpoint: url = <protocol>://<hostname><healthPath>.
    const target = (path = "/healthz") => httpTargetFor("web", {
        hostname: "127.0.0.1", healthPath: path, host: "web.test", protocol: "http", scheme: "internet-facing", url: `http://127.0.0.1:${port}${path}`,
    }, "/");

    /**
     * A clock the test drives (health.ts ProbeTimers): it records every wait and deadline the probe asks
     * for, advances its time by each wait, and ends a request at its deadline only when the test says so
     * (`expire`). Nothing depends on how fast the machine is.
     */
    function testClock(onSleep?: (ms: number, n: number) => boolean) {
        let t = 0;
        const sleeps: number[] = [];
        const deadlines: number[] = [];
        const armed = new Map<number, { ms: number; expire: () => void }>();
        const timers: ProbeTimers = {
            now: () => t,
            sleep: async (ms, signal) => {
                sleeps.push(ms);
                t += ms;
                const go = onSleep?.(ms, sleeps.length) ?? true;
                return go && !signal?.aborted;
            },
            deadline: (ms, expire) => {
                const id = deadlines.push(ms);
                armed.set(id, { ms, expire });
                return () => { armed.delete(id); };
            },
        };
        /** Every armed deadline passes now, as if its time had gone by. */
        const expire = () => {
            for (const [id, d] of [...armed]) {
                armed.delete(id);
                t += d.ms;
                d.expire();
            }
        };
        return { timers, sleeps, deadlines, expire, armed: () => armed.size };
    }
    const settings = { timeoutMs: 200, retries: 2, intervalMs: 10 };

    it("passes on a 2xx, requesting the health path with the app's host through the load balancer address", async () => {
        handler = (req, res) => { res.writeHead(req.url === "/healthz" ? 200 : 404); res.end("ok"); };
        const clock = testClock();
        const r = await probeHttp(target(), settings, undefined, clock.timers);
        assert.equal(r.ok, true, r.message);
        assert.equal(r.status, 200);
        assert.equal(r.attempts, 1);
        assert.deepEqual([clock.deadlines, clock.sleeps, clock.armed(), r.seconds], [[200], [], 0, 0], "one request, its deadline disarmed, no wait");
        assert.deepEqual(requests, [{ path: "/healthz", host: "web.test" }]);
        assert.equal(r.target, "GET http://web.test/healthz via 127.0.0.1");
    });

    it("fails on a non-2xx after exactly 1 + retries attempts, waiting the interval between them", async () => {
        handler = (_req, res) => { res.writeHead(503); res.end(); };
        const clock = testClock();
        const r = await probeHttp(target(), settings, undefined, clock.timers);
        assert.equal(r.ok, false);
        assert.equal(r.status, 503);
        assert.equal(r.attempts, 3);
        assert.equal(requests.length, 3);
        assert.deepEqual([clock.deadlines, clock.sleeps, clock.armed(), r.seconds], [[200, 200, 200], [10, 10], 0, 0.02]);
        assert.match(r.message, /HTTP 503 \(expected 2xx\), after 3 attempts/);
    });

    it("a redirect (3xx, e.g. to a login page) is not healthy: it is not followed and fails the check", async () => {
        for (const status of [301, 302, 307, 308]) {
            requests.length = 0;
            handler = (_req, res) => { res.writeHead(status, { location: "/login" }); res.end(); };
            const r = await probeHttp(target(), { timeoutMs: 2000, retries: 0, intervalMs: 0 }, undefined, testClock().timers);
            assert.deepEqual([r.ok, r.status, requests.map((q) => q.path)], [false, status, ["/healthz"]], String(status));
            assert.match(r.message, new RegExp(`HTTP ${status} \\(expected 2xx\\)`));
        }
    });

    it("retries until the app becomes healthy, and stops there", async () => {
        let n = 0;
        handler = (_req, res) => { res.writeHead(++n < 3 ? 502 : 204); res.end(); };
        const clock = testClock();
        const r = await probeHttp(target(), { timeoutMs: 200, retries: 5, intervalMs: 5 }, undefined, clock.timers);
        assert.equal(r.ok, true);
        assert.equal(r.attempts, 3);
        assert.deepEqual([requests.length, clock.sleeps, r.message], [3, [5, 5], "HTTP 204 after 3 attempts"]);
    });

    it("ends a request at its deadline when no response came, and gives up after the retries", async () => {
        // The server never answers; the request's deadline passes while the server holds it.
        handler = () => clock.expire();
        const clock = testClock();
        const r = await probeHttp(target(), { timeoutMs: 150, retries: 1, intervalMs: 10 }, undefined, clock.timers);
        assert.equal(r.ok, false);
        assert.equal(r.attempts, 2);
        assert.equal(requests.length, 2);
        assert.equal(r.status, undefined);
        assert.match(r.message, /^no response within 150 ms, after 2 attempts$/);
        // Two deadlines of timeoutMs each and one interval between: 150 + 10 + 150 ms.
        assert.deepEqual([clock.deadlines, clock.sleeps, r.seconds], [[150, 150], [10], 0.31]);
    });

    it("arms a real timer by default: a server that never answers fails at the deadline", async () => {
        handler = () => undefined; // holds the request; only the deadline can end it
        const r = await probeHttp(target(), { timeoutMs: 50, retries: 0, intervalMs: 0 });
        assert.deepEqual([r.ok, r.attempts, requests.length, r.message], [false, 1, 1, "no response within 50 ms, after 1 attempt"]);
    });

    it("reports a refused connection", async () => {
        const closed = http.createServer();
        await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
        const deadPort = (closed.address() as AddressInfo).port;
        await new Promise<void>((resolve) => closed.close(() => resolve()));
        const clock = testClock();
        const r = await probeHttp(httpTargetFor("web", { hostname: "127.0.0.1", url: `http://127.0.0.1:${deadPort}` }, "/"), { timeoutMs: 200, retries: 0, intervalMs: 0 }, undefined, clock.timers);
        assert.equal(r.ok, false);
        assert.match(r.message, /ECONNREFUSED/);
        assert.deepEqual([r.attempts, clock.armed()], [1, 0]);
    });

    it("stops retrying when the rollout is cancelled during the wait between attempts", async () => {
        handler = (_req, res) => { res.writeHead(500); res.end(); };
        const controller = new AbortController();
        // The interrupt arrives during the second wait.
        const clock = testClock((_ms, n) => { if (n === 2) controller.abort(); return true; });
        const r = await probeHttp(target(), { timeoutMs: 200, retries: 100, intervalMs: 20 }, controller.signal, clock.timers);
        assert.equal(r.ok, false);
        assert.deepEqual([r.attempts, requests.length, clock.sleeps], [2, 2, [20, 20]]);
        assert.match(r.message, /^cancelled after 2 attempt\(s\): HTTP 500 \(expected 2xx\)$/);
    });

    it("ends the request in flight when the rollout is cancelled, and makes no further attempt", async () => {
        const controller = new AbortController();
        // The third request is held by the server; the interrupt arrives while it waits.
        handler = (_req, res) => {
            if (requests.length < 3) { res.writeHead(500); res.end(); } else controller.abort();
        };
        const clock = testClock();
        const r = await probeHttp(target(), { timeoutMs: 200, retries: 100, intervalMs: 20 }, controller.signal, clock.timers);
        assert.equal(r.ok, false);
        assert.deepEqual([r.attempts, requests.length, clock.sleeps, clock.armed()], [3, 3, [20, 20], 0]);
        assert.match(r.message, /^cancelled after 3 attempt\(s\): cancelled$/);
    });

    it("checks a whole region from its stack outputs: outputs first, then each app over HTTP", async () => {
        handler = (req, res) => { res.writeHead(req.url === "/ready" ? 200 : 500); res.end(); };
        const outputs = regionOutputs(["ap-northeast-2"], {
            web: { hostname: "127.0.0.1", healthPath: "/ready", url: `http://127.0.0.1:${port}/ready` },
            api: { hostname: "127.0.0.1", healthPath: "/broken", url: `http://127.0.0.1:${port}/broken` },
        });
        const results = await checkRegionHealth({
            outputs, region: "ap-northeast-2", apps: [{ name: "web", healthPath: "/", scheme: "internet-facing" }],
            scope: "internet-facing", settings: { timeoutMs: 200, retries: 0, intervalMs: 0 },
            // Each app's probe on the test's clock, so that no request can time out on a slow machine.
            probe: (t, settings, signal) => probeHttp(t, settings, signal, testClock().timers),
        });
        assert.deepEqual(results.map((r) => [r.check, r.app ?? "", r.ok]), [
            ["output", "", true], ["output", "web", true], ["output", "api", true], ["http", "web", true], ["http", "api", false],
        ]);
    });
});

describe("health checks: required outputs and request targets", () => {
    const apps = [
        { name: "web", healthPath: "/healthz", scheme: "internet-facing" },
        { name: "admin", healthPath: "/", scheme: "internal" },
    ];

    it("requires the cluster endpoint and every configured app's load balancer hostname", () => {
        const outputs = regionOutputs(["ap-northeast-2"], { web: { hostname: "" } });
        (outputs.regions.value["ap-northeast-2"] as any).clusterEndpoint = "";
        const { results, targets } = checkRegionOutputs(outputs, "ap-northeast-2", apps, "all");
        assert.deepEqual(results.filter((r) => !r.ok).map((r) => r.target), [
            "regions.ap-northeast-2.clusterEndpoint",
            "regions.ap-northeast-2.apps.web.hostname",
            "regions.ap-northeast-2.apps.admin.hostname",
        ]);
        assert.deepEqual(targets, []);
    });

    it("accepts outputs without `apps` when no apps are configured", () => {
        const { results, targets } = checkRegionOutputs(regionOutputs(["ap-northeast-2"]), "ap-northeast-2", [], "internet-facing");
        assert.deepEqual(results.map((r) => [r.target, r.ok]), [["regions.ap-northeast-2.clusterEndpoint", true]]);
        assert.deepEqual(targets, []);
    });

    it("fails when the region has no outputs at all", () => {
        const { results } = checkRegionOutputs(regionOutputs(["ap-northeast-1"]), "ap-northeast-2", [], "internet-facing");
        assert.equal(results.length, 1);
        assert.match(results[0].message, /no outputs for region ap-northeast-2; exported regions: ap-northeast-1/);
    });

    it("requests internet-facing apps by default and internal ones only with http: all", () => {
        const outputs = regionOutputs(["ap-northeast-2"], {
            web: { hostname: "web.elb" }, admin: { hostname: "admin.elb" }, batch: { hostname: "batch.elb", scheme: "internal" },
        });
        const names = (scope: "all" | "internet-facing" | "none") => checkRegionOutputs(outputs, "ap-northeast-2", apps, scope).targets.map((t) => t.app);
        assert.deepEqual(names("internet-facing"), ["web"], "admin is internal by config, batch by its outputs");
        assert.deepEqual(names("all"), ["web", "admin", "batch"]);
        assert.deepEqual(names("none"), []);
    });

    it("uses the configured health path when the outputs lack one", () => {
        const outputs = regionOutputs(["ap-northeast-2"], { web: { hostname: "web.elb" } });
        const [t] = checkRegionOutputs(outputs, "ap-northeast-2", apps, "internet-facing").targets;
        assert.equal(t.path, "/healthz");
        assert.equal(t.url, "http://web.elb/healthz");
    });

    it("connects to the load balancer with the app's host as Host header and TLS server name", () => {
        const lb = "k8s-web-123.ap-northeast-2.elb.amazonaws.com";
        const t = httpTargetFor("web", { hostname: lb, healthPath: "/healthz", host: "web.example.com", protocol: "https", url: `https://${lb}/healthz` }, "/");
        assert.deepEqual(t, {
            app: "web", url: `https://web.example.com/healthz via ${lb}`, protocol: "https:", connectHost: lb, port: 443,
            hostHeader: "web.example.com", servername: "web.example.com", skipNameCheck: false, path: "/healthz",
        });
    });

    it("checks only the certificate chain, not its name, for HTTPS without a virtual host", () => {
        const lb = "k8s-web-123.ap-northeast-2.elb.amazonaws.com";
        const t = httpTargetFor("web", { hostname: lb, healthPath: "/healthz", protocol: "https", url: `https://${lb}/healthz` }, "/");
        assert.deepEqual([t.hostHeader, t.servername, t.skipNameCheck, t.url], [lb, lb, true, `https://${lb}/healthz`]);
        const plain = httpTargetFor("web", { hostname: "lb.example" }, "/");
        assert.deepEqual([plain.protocol, plain.port, plain.hostHeader, plain.servername, plain.skipNameCheck], ["http:", 80, "lb.example", undefined, false]);
    });
});

describe("health checks against the real program's outputs (dev stack under mocks)", function () {
    this.timeout(60_000);

    it("finds every configured app's load balancer and requests its health path through it", async () => {
        const root = path.join(__dirname, "..", "..");
        const plan = rolloutPlanFromConfig(readStackConfig(root, "dev").config, "dev");
        const { outputs } = await stackRun("dev");
        assert.ok(plan.apps.length > 0, "the dev stack configures apps");
        for (const region of plan.regions) {
            const { results, targets } = checkRegionOutputs({ regions: { value: outputs.regions, secret: false } }, region, plan.apps, plan.healthCheck.http);
            assert.deepEqual(results.filter((r) => !r.ok), [], region);
            const expected = plan.apps.filter((a) => a.scheme !== "internal").map((a) => a.name);
            assert.deepEqual(targets.map((t) => t.app), expected);
            for (const t of targets) {
                assert.equal(t.connectHost, outputs.regions[region].apps[t.app].hostname);
                assert.equal(t.path, plan.apps.find((a) => a.name === t.app)!.healthPath);
            }
        }
    });
});

describe("health checks: Karpenter ready", function () {
    this.timeout(60_000);

    it("checks every Karpenter region of the prod stack's real outputs: controller deployed, every pool Ready", async () => {
        const root = path.join(__dirname, "..", "..");
        const plan = rolloutPlanFromConfig(readStackConfig(root, "prod").config, "prod");
        assert.deepEqual(plan.karpenterRegions, ["ap-northeast-2", "ap-northeast-1"]);
        const { outputs } = await stackRun("prod");
        for (const region of plan.karpenterRegions) {
            const { results } = checkRegionOutputs({ regions: { value: outputs.regions, secret: false } }, region, plan.apps, plan.healthCheck.http, true);
            const k = results.find((r) => r.target === `regions.${region}.compute`);
            assert.ok(k?.ok, JSON.stringify(k));
            assert.equal(k!.message, "Karpenter ready: controller deployed, node pools on-demand, spot Ready");
        }
        const dev = rolloutPlanFromConfig(readStackConfig(root, "dev").config, "dev");
        assert.deepEqual(dev.karpenterRegions, [], "dev stays on managed node groups");
    });

    it("fails with the reason when the controller is not deployed, a pool is not Ready, or the output is missing", () => {
        const k = (compute: unknown) => karpenterReady(compute, "r");
        const good = { mode: "karpenter", controller: "deployed", nodePools: { a: "True", b: "True" } };
        assert.equal(k(good).ok, true);
        assert.match(k({ ...good, controller: "failed" }).message, /controller release is "failed", not "deployed"/);
        assert.match(k({ ...good, nodePools: { a: "True", b: "False" } }).message, /node pool b \(Ready=False\) not Ready/);
        assert.match(k({ ...good, nodePools: {} }).message, /no node pools/);
        assert.match(k(undefined).message, /exports no compute status/);
        assert.match(k({ mode: "managed-node-groups" }).message, /compute mode is "managed-node-groups", not karpenter/);
        for (const bad of [{ ...good, controller: "failed" }, undefined]) assert.equal(k(bad).ok, false);
    });

    it("is part of a region's health only when the region runs Karpenter", () => {
        const outputs = regionOutputs(["ap-northeast-2"]);
        const without = checkRegionOutputs(outputs, "ap-northeast-2", [], "none");
        assert.ok(!without.results.some((r) => r.target.endsWith(".compute")));
        const withK = checkRegionOutputs(outputs, "ap-northeast-2", [], "none", true);
        assert.deepEqual(withK.results.filter((r) => r.target.endsWith(".compute")).map((r) => r.ok), [false], "the fake outputs carry no Karpenter status");
    });
});

describe("sleep: the real wait between attempts (tools/rollout/sleep.ts)", () => {
    it("resolves true when the wait is over, false at once when already cancelled, and false when cancelled during the wait", async () => {
        assert.equal(await sleep(0), true);
        const done = new AbortController();
        done.abort();
        assert.equal(await sleep(3_600_000, done.signal), false);
        // An hour's wait ends with the interrupt: otherwise this test would hang until mocha's timeout.
        const controller = new AbortController();
        const waiting = sleep(3_600_000, controller.signal);
        controller.abort();
        assert.equal(await waiting, false);
    });

    it("a probe's real deadline, once disarmed, never fires", async () => {
        let fired = false;
        const disarm = REAL_TIMERS.deadline(1, () => { fired = true; });
        disarm();
        // Node runs timers in order of their due time: the 1 ms deadline would have fired before this 20 ms wait ends.
        await sleep(20);
        assert.equal(fired, false);
        REAL_TIMERS.deadline(1, () => { fired = true; });
        await sleep(20);
        assert.equal(fired, true, "an armed deadline fires");
    });
});
