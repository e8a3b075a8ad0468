/**
 * eks-platform:observability and rollout.bakeMinutes: defaults, and bad input refused at its key
 * (stacks/observability-schema.ts, stacks/rollout-schema.ts bakeIssues).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { parsePlatformConfig } from "../../stacks/config";
import { THRESHOLD_DEFAULTS } from "../../stacks/observability-schema";
import { ROLLOUT_JOB_MINUTES, waveBakeMinutes } from "../../stacks/rollout-schema";
import { validProdRaw, validRaw } from "../support/fixtures";
import { issuePairs } from "../support/config-issues";

const web = { name: "web", namespace: "web", image: "nginxinc/nginx-unprivileged:1.27.3-alpine", containerPort: 8080 };

const issues = (raw: Record<string, unknown>) => issuePairs(() => parsePlatformConfig(raw, "x", { today: "2026-12-05" }));

function only(raw: Record<string, unknown>): [string, string] {
    const found = issues(raw);
    assert.equal(found.length, 1, JSON.stringify(found));
    return found[0];
}

describe("observability config", () => {
    it("is on in production and off elsewhere unless set; thresholds default; the public app group gets ALB alarms", () => {
        const prod = parsePlatformConfig(validProdRaw(), "x", { today: "2026-12-05" });
        assert.equal(prod.observability.enabled, true);
        assert.deepEqual(prod.observability.thresholds, THRESHOLD_DEFAULTS);
        const withApp = parsePlatformConfig({ ...validRaw(), observability: { enabled: true, alarms: { appGroups: { public: { alb5xxRatio: 0.01 } } } }, apps: [web] }, "x", { today: "2026-12-05" });
        assert.deepEqual(withApp.observability.appGroups, { public: { alb5xxRatio: 0.01, p99LatencySeconds: 2 } });
        const dev = parsePlatformConfig(validRaw(), "x", { today: "2026-12-05" });
        assert.equal(dev.observability.enabled, false);
        assert.deepEqual(dev.observability.appGroups, {});
        const devOn = parsePlatformConfig({ ...validRaw(), observability: { enabled: true } }, "x", { today: "2026-12-05" });
        assert.equal(devOn.observability.enabled, true);
    });

    it("bakes 15 minutes per wave in production and none elsewhere; a wave's own value wins", () => {
        assert.equal(waveBakeMinutes(undefined, 0, true), 15);
        assert.equal(waveBakeMinutes(undefined, 0, false), 0);
        assert.equal(waveBakeMinutes({ bakeMinutes: 10, waves: [{ regions: ["a"] }, { regions: ["b"], bakeMinutes: 30 }] } as any, 1, true), 30);
        assert.equal(waveBakeMinutes({ bakeMinutes: 10, waves: [{ regions: ["a"] }, { regions: ["b"], bakeMinutes: 30 }] } as any, 0, true), 10);
    });

    it("refuses an unknown SNS protocol and an endpoint that does not fit its protocol", () => {
        const sub = (s: unknown) => ({ ...validProdRaw(), observability: { alarms: { subscriptions: [s] } } });
        const [key, message] = only(sub({ protocol: "pager", endpoint: "x" }));
        assert.equal(key, "eks-platform:observability.alarms.subscriptions[0].protocol");
        assert.match(message, /email.*https.*sms.*sqs.*lambda/);
        assert.deepEqual(only(sub({ protocol: "email", endpoint: "oncall-at-example" })),
            ["eks-platform:observability.alarms.subscriptions[0].endpoint", "is not a valid email endpoint; expected e.g. oncall@example.com"]);
        assert.match(only(sub({ protocol: "https", endpoint: "http://hooks.example.com" }))[1], /not a valid https endpoint/);
        assert.match(only(sub({ protocol: "sms", endpoint: "010-1234" }))[1], /E\.164/);
        assert.deepEqual(issues(sub({ protocol: "email", endpoint: "oncall@example.com" })), []);
    });

    it("refuses thresholds out of range: a ratio above 1 or at 0, a negative latency, a fractional count", () => {
        const t = (thresholds: unknown) => ({ ...validProdRaw(), observability: { alarms: { thresholds } } });
        assert.deepEqual(only(t({ alb5xxRatio: 1.5 })), ["eks-platform:observability.alarms.thresholds.alb5xxRatio", "must be a ratio of at most 1 (0.05 = 5 %)"]);
        assert.match(only(t({ alb5xxRatio: 0 }))[1], /above 0/);
        assert.deepEqual(only(t({ p99LatencySeconds: -1 })), ["eks-platform:observability.alarms.thresholds.p99LatencySeconds", "must be a latency in seconds above 0"]);
        assert.match(only(t({ podRestarts: 2.5 }))[1], /whole number/);
    });

    it("refuses alarms on an app group that does not exist", () => {
        const [key, message] = only({ ...validRaw(), apps: [web], observability: { enabled: true, alarms: { appGroups: { checkout: { alb5xxRatio: 0.01 } } } } });
        assert.equal(key, "eks-platform:observability.alarms.appGroups.checkout");
        assert.match(message, /no app group "checkout".*allowed: public/);
        assert.match(only({ ...validProdRaw(), observability: { alarms: { appGroups: { public: {} } } } })[1], /no app is internet-facing/);
    });

    it("refuses a bake longer than the rollout job can wait, and a bake with no alarms to watch", () => {
        const [key, message] = only({ ...validProdRaw(), rollout: { bakeMinutes: 400 } });
        assert.equal(key, "eks-platform:rollout.bakeMinutes");
        assert.match(message, /400 min.*more than the 360 min the rollout job may run \(timeout-minutes of rollout-prod.*allowed: at most 330 min of bake/);
        const perWave = only({ ...validRaw(), observability: { enabled: true }, regions: [{ region: "ap-northeast-2", vpcCidr: "10.40.0.0/16" }, { region: "ap-northeast-1", vpcCidr: "10.41.0.0/16" }],
            rollout: { waves: [{ regions: ["ap-northeast-2"], bakeMinutes: 60 }, { regions: ["ap-northeast-1"], bakeMinutes: 90 }] } });
        assert.equal(perWave[0], "eks-platform:rollout.waves[1].bakeMinutes");
        assert.match(perWave[1], /180 min/);
        assert.deepEqual(only({ ...validRaw(), rollout: { bakeMinutes: 10 } })[0], "eks-platform:rollout.bakeMinutes");
        assert.match(only({ ...validProdRaw(), observability: { enabled: false } })[1], /a bake watches the regions' alarms.*observability\.enabled false/);
    });

    it("knows the rollout job's limit from the workflow: timeout-minutes and the AWS session of rollout-prod and rollout-dev", () => {
        const wf = parseYaml(fs.readFileSync(path.join(__dirname, "..", "..", ".github", "workflows", "platform.yml"), "utf8"));
        for (const [job, minutes] of [["rollout-prod", ROLLOUT_JOB_MINUTES.production], ["rollout-dev", ROLLOUT_JOB_MINUTES.other]] as const) {
            const j = wf.jobs[job];
            const session = j.steps.find((s: any) => String(s.uses ?? "").startsWith("aws-actions/configure-aws-credentials"))?.with["role-duration-seconds"];
            assert.equal(Math.min(j["timeout-minutes"], session / 60), minutes, job);
        }
    });
});
