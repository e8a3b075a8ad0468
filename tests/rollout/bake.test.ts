/**
 * The bake (tools/rollout/bake.ts, gates/bake.ts, gates/standing-alarms.ts) against a fake
 * CloudWatch and a fake clock: every wait is instant.
 */
import { strict as assert } from "assert";
import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { awsAlarmApi } from "../../tools/rollout/alarms-api";
import { USAGE, parseCliArgs } from "../../tools/rollout/args";
import { BAKE_POLL_MS, bakeWave, standingAlarms } from "../../tools/rollout/bake";
import { EXIT } from "../../tools/rollout/exit-codes";
import { bakeGate } from "../../tools/rollout/gates/bake";
import { standingAlarmsGate } from "../../tools/rollout/gates/standing-alarms";
import { Rollout } from "../../tools/rollout/orchestrator";
import { renderMarkdown } from "../../tools/rollout/report";
import { FakeAlarms } from "./support/fake-alarms";
import { FakeStack, reachAll, regionOutputs, stackConfig } from "./support/fake-stack";
import { waveContext } from "./support/wave-context";

const R1 = "ap-northeast-2";
const R2 = "ap-northeast-1";
const W1 = { region: R1, composite: `prod-${R1}-region-healthy` };

/** A clock that only the fake sleep moves. */
function clock() {
    let t = 0;
    const slept: number[] = [];
    return {
        now: () => t,
        slept,
        sleep: async (ms: number) => { slept.push(ms); t += ms; return true; },
    };
}

describe("bake: watching a wave's alarms (fake CloudWatch, fake clock)", () => {
    it("passes when every alarm stays OK for the whole bake, polling once a minute", async () => {
        const c = clock();
        const api = new FakeAlarms().healthy(R1);
        const v = await bakeWave({ watches: [W1], api, durationMs: 15 * 60_000, ...c });
        assert.deepEqual(v, { kind: "ok", polls: 16 });
        assert.equal(c.now(), 15 * 60_000);
        assert.ok(c.slept.every((ms) => ms === BAKE_POLL_MS));
    });

    it("halts at the first poll that sees an ALARM, naming the child alarm, its reason and console link", async () => {
        const c = clock();
        const api = new FakeAlarms().healthy(R1);
        api.onPoll = (n) => { if (n === 4) api.set(R1, `prod-${R1}-public-alb-5xx`, "ALARM", "Threshold Crossed: 1 datapoint [0.12] was greater than the threshold (0.05)."); };
        const v = await bakeWave({ watches: [W1], api, durationMs: 15 * 60_000, ...c });
        assert.equal(v.kind, "alarm");
        assert.equal(v.polls, 5);
        assert.equal(c.now(), 4 * 60_000, "no further waiting after the alarm");
        const [f] = v.kind === "alarm" ? v.firing : [];
        assert.deepEqual([f.region, f.name], [R1, `prod-${R1}-public-alb-5xx`]);
        assert.match(f.reason, /greater than the threshold/);
        assert.equal(f.link, `https://${R1}.console.aws.amazon.com/cloudwatch/home?region=${R1}#alarmsV2:alarm/prod-${R1}-public-alb-5xx`);
    });

    it("waits on INSUFFICIENT_DATA (a new alarm's first periods) and passes once it reports; fails closed if it never does", async () => {
        const api = new FakeAlarms().healthy(R1);
        api.set(R1, `prod-${R1}-nodes-not-ready`, "INSUFFICIENT_DATA");
        api.onPoll = (n) => { if (n === 3) api.set(R1, `prod-${R1}-nodes-not-ready`, "OK"); };
        assert.equal((await bakeWave({ watches: [W1], api, durationMs: 10 * 60_000, ...clock() })).kind, "ok");

        const silent = new FakeAlarms().healthy(R1);
        silent.set(R1, `prod-${R1}-nodes-not-ready`, "INSUFFICIENT_DATA", "Unchecked: Initial alarm creation");
        const v = await bakeWave({ watches: [W1], api: silent, durationMs: 10 * 60_000, ...clock() });
        assert.equal(v.kind, "no-data");
        assert.deepEqual(v.kind === "no-data" && v.silent.map((s) => s.name), [`prod-${R1}-nodes-not-ready`]);
    });

    it("fails closed on a CloudWatch error and on a composite alarm that does not exist", async () => {
        const api = new FakeAlarms().healthy(R1);
        api.error = Object.assign(new Error("User is not authorized to perform: cloudwatch:DescribeAlarms"), { name: "AccessDenied" });
        const v = await bakeWave({ watches: [W1], api, durationMs: 60_000, ...clock() });
        assert.equal(v.kind, "error");
        assert.match(v.kind === "error" ? v.message : "", /AccessDenied: User is not authorized.*fails closed.*--skip-bake/);
        const none = await bakeWave({ watches: [W1], api: new FakeAlarms(), durationMs: 60_000, ...clock() });
        assert.match(none.kind === "error" ? none.message : "", /no composite alarm prod-ap-northeast-2-region-healthy in ap-northeast-2/);
    });

    it("standing alarms: names the children in ALARM; a composite that does not exist yet passes; errors fail closed", async () => {
        const api = new FakeAlarms().healthy(R1);
        api.set(R1, `prod-${R1}-nodes-not-ready`, "ALARM", "2 nodes not ready");
        const r = await standingAlarms([W1, { region: R2, composite: `prod-${R2}-region-healthy` }], api);
        assert.deepEqual("firing" in r && r.firing.map((f) => [f.region, f.name, f.reason]), [[R1, `prod-${R1}-nodes-not-ready`, "2 nodes not ready"]]);
        api.error = new Error("Throttling");
        assert.ok("error" in await standingAlarms([W1], api));
    });

    it("asks CloudWatch for composite and metric alarms, every page, in chunks of 100 names", async () => {
        const sent: any[] = [];
        const api = awsAlarmApi(() => ({
            send: async (cmd: any) => {
                assert.ok(cmd instanceof DescribeAlarmsCommand);
                sent.push(cmd.input);
                return cmd.input.NextToken
                    ? { MetricAlarms: [{ AlarmName: "m2", StateValue: "ALARM", StateReason: "r" }] }
                    : { CompositeAlarms: [{ AlarmName: "c", StateValue: "OK" }], MetricAlarms: [{ AlarmName: "m1", StateValue: "INSUFFICIENT_DATA" }], NextToken: "p2" };
            },
        }) as any);
        const children = await api.children(R1, "c");
        assert.deepEqual(children.map((a) => [a.name, a.kind, a.state]), [["c", "composite", "OK"], ["m1", "metric", "INSUFFICIENT_DATA"], ["m2", "metric", "ALARM"]]);
        assert.deepEqual(sent.map((i) => [i.ChildrenOfAlarmName, i.AlarmTypes, i.NextToken]), [["c", ["CompositeAlarm", "MetricAlarm"], undefined], ["c", ["CompositeAlarm", "MetricAlarm"], "p2"]]);
        sent.length = 0;
        await api.alarms(R1, Array.from({ length: 150 }, (_, i) => `a${i}`));
        assert.deepEqual(sent.filter((i) => !i.NextToken).map((i) => i.AlarmNames.length), [100, 50]);
    });
});

describe("bake gates", () => {
    const observed = { observability: { enabled: true }, rollout: { bakeMinutes: 15 } };

    it("bake: skipped at 0 minutes; --skip-bake skips with a warning; an ALARM halts with exit code 5", async () => {
        const zero = waveContext({ regions: [R1], rollout: { bakeMinutes: 0 }, observability: { enabled: true } });
        assert.equal(await bakeGate.run(zero.ctx), "skipped");
        const skipped = waveContext({ regions: [R1], ...observed, options: { skipBake: true } });
        assert.equal(await bakeGate.run(skipped.ctx), "skipped");
        assert.match(skipped.rec.report.warnings[0], /the 15 min bake was skipped \(--skip-bake\)/);

        const api = new FakeAlarms().healthy(R1);
        api.set(R1, `prod-${R1}-public-alb-5xx`, "ALARM", "Threshold Crossed");
        const firing = waveContext({ regions: [R1], ...observed, deps: { alarms: api } });
        assert.equal(await bakeGate.run(firing.ctx), "halted");
        assert.equal(firing.rec.report.exitCode, EXIT.ALARM);
        assert.deepEqual([firing.rec.report.failure?.step, firing.rec.report.failure?.region], ["bake", R1]);
        assert.match(firing.rec.report.failure!.message, /prod-ap-northeast-2-public-alb-5xx: Threshold Crossed \(https:\/\/ap-northeast-2\.console\.aws\.amazon\.com/);
    });

    it("bake: an interrupt mid-bake cancels the wave and the run, with no halt line", async () => {
        const stopped = waveContext({ regions: [R1], ...observed, deps: { alarms: new FakeAlarms().healthy(R1) }, sleep: async () => false });
        assert.equal(await bakeGate.run(stopped.ctx), "halted");
        assert.deepStrictEqual(stopped.rec.report.failure, { step: "bake", message: "cancelled during the bake", wave: stopped.ctx.wave.name });
        assert.deepEqual([stopped.rec.report.status, stopped.ctx.wave.status, stopped.rec.region(R1).status], ["cancelled", "cancelled", "cancelled"]);
        assert.equal(stopped.rec.region(R1).failure, undefined);
        assert.deepEqual(stopped.lines.filter((l) => /^(Halted|Failed|Cancelled):/.test(l)), []);
    });

    it("bake: INSUFFICIENT_DATA at the end and API errors fail the run closed with exit code 1", async () => {
        const api = new FakeAlarms().healthy(R1);
        api.set(R1, `prod-${R1}-nodes-not-ready`, "INSUFFICIENT_DATA");
        const silent = waveContext({ regions: [R1], ...observed, deps: { alarms: api } });
        assert.equal(await bakeGate.run(silent.ctx), "halted");
        assert.equal(silent.rec.report.exitCode, EXIT.FAILED);
        assert.match(silent.rec.report.failure!.message, /still without data \(INSUFFICIENT_DATA\)/);
        const noClient = waveContext({ regions: [R1], ...observed });
        assert.equal(await bakeGate.run(noClient.ctx), "halted");
        assert.match(noClient.rec.report.failure!.message, /no CloudWatch client.*fails closed/);
    });

    it("standing alarms: skipped without observability; blocks on ALARM (exit 5) unless --ignore-preexisting-alarms", async () => {
        assert.equal(await standingAlarmsGate.run(waveContext({ regions: [R1] }).ctx), "skipped");
        const api = new FakeAlarms().healthy(R1);
        api.set(R1, `prod-${R1}-nodes-not-ready`, "ALARM", "1 node not ready");
        const blocked = waveContext({ regions: [R1], ...observed, deps: { alarms: api } });
        assert.equal(await standingAlarmsGate.run(blocked.ctx), "halted");
        assert.equal(blocked.rec.report.exitCode, EXIT.ALARM);
        assert.match(blocked.rec.report.failure!.message, /already in ALARM before wave canary.*\n.*nodes-not-ready: 1 node not ready/);
        const ignored = waveContext({ regions: [R1], ...observed, deps: { alarms: api }, options: { ignorePreexistingAlarms: true } });
        assert.equal(await standingAlarmsGate.run(ignored.ctx), "passed");
        assert.match(ignored.rec.report.warnings[0], /--ignore-preexisting-alarms was given: going ahead/);
    });
});

describe("bake on the command line", () => {
    it("takes --skip-bake and --ignore-preexisting-alarms, both off by default", () => {
        const on = parseCliArgs(["--stack", "prod", "--skip-bake", "--ignore-preexisting-alarms"]);
        assert.deepEqual(on.kind === "run" && [on.options.skipBake, on.options.ignorePreexistingAlarms], [true, true]);
        const off = parseCliArgs(["--stack", "prod"]);
        assert.deepEqual(off.kind === "run" && [off.options.skipBake, off.options.ignorePreexistingAlarms], [false, false]);
        assert.match(USAGE, /5 alarm/);
    });
});

describe("bake in a rollout", () => {
    it("halts the second wave on an alarm raised during the first wave's bake: exit 5, the second wave untouched", async () => {
        const stack = new FakeStack("prod", stackConfig({ regions: [R1, R2], observability: { enabled: true }, rollout: { bakeMinutes: 15 } }));
        stack.outputsValue = regionOutputs([R1, R2]);
        const api = new FakeAlarms().healthy(R1).healthy(R2);
        let t = Date.parse("2026-12-05T00:00:00Z");
        let bakePolls = 0;
        api.onPoll = () => {
            // Poll 1 is the standing check of wave 1; the bake's polls follow. The 4th bake poll sees a 5xx spike.
            if (++bakePolls === 5) api.set(R1, `prod-${R1}-public-alb-5xx`, "ALARM", "Threshold Crossed: 5xx ratio 0.31 > 0.05");
        };
        const lines: string[] = [];
        const report = await new Rollout({
            stack, signal: new AbortController().signal, log: (l) => lines.push(l), connect: reachAll, alarms: api,
            now: () => t, sleep: async (ms) => { t += ms; return true; },
        }, { mode: "up" }).run();
        assert.equal(report.status, "alarm");
        assert.equal(report.exitCode, EXIT.ALARM);
        assert.deepEqual(stack.opsCalled(), ["outputs", "preview", "up", "outputs"], "no preview or update of the second wave");
        assert.deepEqual(report.waves.map((w) => w.status), ["failed", "skipped"]);
        assert.deepEqual(report.waves[0].steps.map((s) => [s.step, s.status]), [
            ["alarms", "succeeded"], ["preflight", "succeeded"], ["preview", "succeeded"], ["up", "succeeded"], ["outputs", "succeeded"], ["health", "succeeded"], ["bake", "failed"],
        ]);
        assert.equal(report.regions[R2].status, "skipped");
        assert.deepEqual([report.failure?.step, report.failure?.wave, report.failure?.region], ["bake", "canary", R1]);
        assert.match(report.failure!.message, /prod-ap-northeast-2-public-alb-5xx: Threshold Crossed: 5xx ratio 0\.31 > 0\.05 \(https:\/\/ap-northeast-2\.console\.aws\.amazon\.com\/cloudwatch/);
        assert.match(renderMarkdown(report), /Stopped at bake \(wave canary, region ap-northeast-2\)/);
        assert.ok(api.calls.every((c) => !c.includes(R2)), "the second wave's alarms were never read: it never started");
    });

    it("bakes every wave and succeeds when the alarms stay OK", async () => {
        const stack = new FakeStack("prod", stackConfig({ regions: [R1, R2], observability: { enabled: true }, rollout: { bakeMinutes: 5 } }));
        stack.outputsValue = regionOutputs([R1, R2]);
        let t = 0;
        const report = await new Rollout({
            stack, signal: new AbortController().signal, log: () => undefined, connect: reachAll, alarms: new FakeAlarms().healthy(R1).healthy(R2),
            now: () => t, sleep: async (ms) => { t += ms; return true; },
        }, { mode: "up" }).run();
        assert.equal(report.status, "succeeded", JSON.stringify(report.failure));
        assert.deepEqual(report.waves.map((w) => w.steps.find((s) => s.step === "bake")?.status), ["succeeded", "succeeded"]);
        assert.equal(t, 10 * 60_000);
    });
});
