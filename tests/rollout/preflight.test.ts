/**
 * The endpoint preflight before a wave: TCP 443 (or the URL's port) of each existing cluster's API
 * endpoint, a few seconds' limit, against real sockets on 127.0.0.1 only.
 */
import { strict as assert } from "assert";
import * as net from "net";
import { EXIT } from "../../tools/rollout/exit-codes";
import { Rollout } from "../../tools/rollout/orchestrator";
import { PREFLIGHT_TIMEOUT_MS, checkEndpoints, connectTcp, endpointAddress } from "../../tools/rollout/preflight";
import type { PreviewRequest } from "../../tools/rollout/stack-ops";
import { FakeStack, regionOutputs, stackConfig } from "./support/fake-stack";

const R1 = "ap-northeast-2";
const R2 = "ap-northeast-1";

/** A port on 127.0.0.1 that was just free and is closed now (connections are refused). */
async function closedPort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

describe("rollout preflight: the runner reaches each existing cluster's endpoint", () => {
    let listener: net.Server;
    let openPort: number;
    before(async () => {
        listener = net.createServer((socket) => socket.destroy());
        await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
        openPort = (listener.address() as net.AddressInfo).port;
    });
    after(() => new Promise<void>((resolve) => listener.close(() => resolve())));

    it("connects on 443 unless the endpoint names a port, within a few seconds", async () => {
        assert.deepEqual(endpointAddress("https://ABC.gr7.ap-northeast-2.eks.amazonaws.com"), { host: "abc.gr7.ap-northeast-2.eks.amazonaws.com", port: 443 });
        assert.deepEqual(endpointAddress("https://127.0.0.1:8443"), { host: "127.0.0.1", port: 8443 });
        assert.ok(PREFLIGHT_TIMEOUT_MS >= 2000 && PREFLIGHT_TIMEOUT_MS <= 10_000);
    });

    it("tells an open port from a closed one on 127.0.0.1", async () => {
        const closed = await closedPort();
        // A limit far beyond mocha's timeout (20 s): only the answer can end a check in time, and the closed
        // port's message says it was refused, not timed out ("no connection within 60 s").
        const checks = await checkEndpoints([
            { region: R1, endpoint: `https://127.0.0.1:${openPort}` },
            { region: R2, endpoint: `https://127.0.0.1:${closed}` },
        ], connectTcp, 60_000);
        assert.deepEqual(checks.map((c) => [c.region, c.ok, c.target]), [[R1, true, `127.0.0.1:${openPort}`], [R2, false, `127.0.0.1:${closed}`]]);
        assert.equal(checks[1].message, "ECONNREFUSED", "a refused connection does not wait for the limit");
    });

    it("halts the wave before its preview when an existing cluster's endpoint is closed, naming the endpoint, the need and the allow-list key", async () => {
        const closed = await closedPort();
        const stack = new FakeStack("prod", stackConfig({ regions: [R1, R2] }));
        const outputs = regionOutputs([R1, R2]) as any;
        outputs.regions.value[R1].clusterEndpoint = `https://127.0.0.1:${openPort}`;
        outputs.regions.value[R2].clusterEndpoint = `https://127.0.0.1:${closed}`;
        stack.outputsValue = outputs;
        const lines: string[] = [];
        const report = await new Rollout({ stack, signal: new AbortController().signal, log: (l) => lines.push(l), sleep: async () => true }, { mode: "up" }).run();
        assert.equal(report.exitCode, EXIT.FAILED);
        // Wave 1 (R1, reachable) ran; wave 2 stopped at its preflight, before any preview of it.
        assert.deepEqual(stack.calls.filter((c) => c.op === "preview").map((c) => (c.request as PreviewRequest).target?.length), [2]);
        assert.deepEqual([report.failure?.step, report.failure?.wave, report.failure?.region], ["preflight", "rest", R2]);
        assert.match(report.failure!.message, new RegExp(`cannot reach the API endpoint of ${R2} \\(127\\.0\\.0\\.1:${closed}: ECONNREFUSED`));
        assert.match(report.failure!.message, /PLATFORM_RUNNER_LABELS/);
        assert.match(report.failure!.message, /eks-platform:publicAccessCidrs \(or eks-platform:regions\[1\]\.overrides\.publicAccessCidrs\)/);
        assert.deepEqual(report.waves[1].steps.map((s) => [s.step, s.status]), [["preflight", "failed"]]);
        assert.ok(lines.some((l) => l.startsWith(`[${R1}] preflight ok`)), lines.join("\n"));
    });

    it("checks nothing for regions not deployed yet (no endpoint in the outputs)", async () => {
        const stack = new FakeStack("prod", stackConfig({ regions: [R1] }));
        const connected: string[] = [];
        const report = await new Rollout({
            stack, signal: new AbortController().signal, log: () => undefined,
            connect: async (host) => { connected.push(host); },
        }, { mode: "up" }).run();
        assert.deepEqual(connected, []);
        assert.deepEqual(report.waves[0].steps.map((s) => s.step)[0], "preview");
    });
});
