import { strict as assert } from "assert";
import * as http from "http";
import type { AddressInfo } from "net";
import * as path from "path";
import { stackRun } from "../support/fixtures";
import { readStackConfig } from "../../tools/harness/stack-files";
import { rolloutPlanFromConfig } from "../../tools/rollout/config";
import { checkRegionHealth, checkRegionOutputs, httpTargetFor, karpenterReady, probeHttp } from "../../tools/rollout/health";
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
    const fast = { timeoutMs: 200, retries: 2, intervalMs: 10 };

    it("passes on a 2xx, requesting the health path with the app's host through the load balancer address", async () => {
        handler = (req, res) => { res.writeHead(req.url === "/healthz" ? 200 : 404); res.end("ok"); };
        const r = await probeHttp(target(), fast);
        assert.equal(r.ok, true, r.message);
        assert.equal(r.status, 200);
        assert.equal(r.attempts, 1);
        assert.deepEqual(requests, [{ path: "/healthz", host: "web.test" }]);
        assert.equal(r.target, "GET http://web.test/healthz via 127.0.0.1");
    });

    it("fails on a non-2xx after exactly 1 + retries attempts", async () => {
        handler = (_req, res) => { res.writeHead(503); res.end(); };
        const r = await probeHttp(target(), fast);
        assert.equal(r.ok, false);
        assert.equal(r.status, 503);
        assert.equal(r.attempts, 3);
        assert.equal(requests.length, 3);
        assert.match(r.message, /HTTP 503 \(expected 2xx\), after 3 attempts/);
    });

    it("a redirect (3xx, e.g. to a login page) is not healthy: it is not followed and fails the check", async () => {
        for (const status of [301, 302, 307, 308]) {
            requests.length = 0;
            handler = (_req, res) => { res.writeHead(status, { location: "/login" }); res.end(); };
            const r = await probeHttp(target(), { timeoutMs: 2000, retries: 0, intervalMs: 0 });
            assert.deepEqual([r.ok, r.status, requests.map((q) => q.path)], [false, status, ["/healthz"]], String(status));
            assert.match(r.message, new RegExp(`HTTP ${status} \\(expected 2xx\\)`));
        }
    });

    it("retries until the app becomes healthy", async () => {
        let n = 0;
        handler = (_req, res) => { res.writeHead(++n < 3 ? 502 : 204); res.end(); };
        const r = await probeHttp(target(), { timeoutMs: 200, retries: 5, intervalMs: 5 });
        assert.equal(r.ok, true);
        assert.equal(r.attempts, 3);
    });

    it("times out a slow response and gives up after the retries", async () => {
        handler = (_req, res) => { setTimeout(() => { res.writeHead(200); res.end(); }, 1000).unref(); };
        const started = Date.now();
        const r = await probeHttp(target(), { timeoutMs: 150, retries: 1, intervalMs: 10 });
        const elapsed = Date.now() - started;
        assert.equal(r.ok, false);
        assert.equal(r.attempts, 2);
        assert.match(r.message, /no response within 150 ms/);
        assert.ok(elapsed >= 300 && elapsed < 900, `took ${elapsed} ms`);
    });

    it("reports a refused connection", async () => {
        const closed = http.createServer();
        await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
        const deadPort = (closed.address() as AddressInfo).port;
        await new Promise<void>((resolve) => closed.close(() => resolve()));
        const r = await probeHttp(httpTargetFor("web", { hostname: "127.0.0.1", url: `http://127.0.0.1:${deadPort}` }, "/"), { timeoutMs: 200, retries: 0, intervalMs: 0 });
        assert.equal(r.ok, false);
        assert.match(r.message, /ECONNREFUSED/);
    });

    it("stops retrying when the rollout is cancelled", async () => {
        handler = (_req, res) => { res.writeHead(500); res.end(); };
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 50);
        const started = Date.now();
        const r = await probeHttp(target(), { timeoutMs: 200, retries: 100, intervalMs: 20 }, controller.signal);
        assert.equal(r.ok, false);
        assert.match(r.message, /^cancelled/);
        assert.ok(Date.now() - started < 500);
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
