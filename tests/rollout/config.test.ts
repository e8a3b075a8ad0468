import { strict as assert } from "assert";
import { rolloutPlanFromConfig } from "../../tools/rollout/config";
import { stackConfig } from "./support/fake-stack";
import { rejectedIssues } from "../support/config-issues";

const issuesOf = (values: Record<string, string>) => rejectedIssues(() => rolloutPlanFromConfig(values, "prod"));

describe("rollout plan from the stack's config values", () => {
    it("resolves the default waves and health settings from the configured regions", () => {
        const plan = rolloutPlanFromConfig(stackConfig({ regions: ["ap-northeast-2", "ap-northeast-1"] }), "prod");
        assert.equal(plan.environment, "prod");
        assert.deepEqual(plan.regions, ["ap-northeast-2", "ap-northeast-1"]);
        assert.deepEqual(plan.waves, [{ name: "canary", regions: ["ap-northeast-2"] }, { name: "rest", regions: ["ap-northeast-1"] }]);
        assert.deepEqual(plan.healthCheck, { http: "internet-facing", timeoutSeconds: 5, retries: 12, intervalSeconds: 10 });
        assert.equal(plan.pauseSeconds, 0);
        assert.deepEqual(plan.apps, []);
    });

    it("takes waves, pause and health settings from eks-platform:rollout, and apps with their defaults", () => {
        const plan = rolloutPlanFromConfig(stackConfig({
            regions: ["ap-northeast-2", "ap-northeast-1"],
            rollout: { waves: [{ name: "all", regions: ["ap-northeast-1", "ap-northeast-2"] }], pauseSeconds: 30, healthCheck: { http: "all", retries: 2 } },
            apps: [{ name: "web", image: "nginx:1.27.3", containerPort: 8080, healthPath: "/healthz" }, { name: "admin", scheme: "internal" }],
        }), "prod");
        assert.deepEqual(plan.waves, [{ name: "all", regions: ["ap-northeast-1", "ap-northeast-2"] }]);
        assert.equal(plan.pauseSeconds, 30);
        assert.deepEqual(plan.healthCheck, { http: "all", timeoutSeconds: 5, retries: 2, intervalSeconds: 10 });
        assert.deepEqual(plan.apps, [
            { name: "web", healthPath: "/healthz", scheme: "internet-facing" },
            { name: "admin", healthPath: "/", scheme: "internal" },
        ]);
    });

    it("names unknown rollout keys with what is allowed there", () => {
        const issues = issuesOf(stackConfig({ regions: ["ap-northeast-2"], rollout: { waves: [{ regions: ["ap-northeast-2"], region: "x" }], healthcheck: {} } }));
        assert.deepEqual(issues.map((i) => i.key).sort(), ["eks-platform:rollout.healthcheck", "eks-platform:rollout.waves[0].region"]);
        assert.match(issues.find((i) => i.key.endsWith("healthcheck"))!.message, /allowed here: waves, pauseSeconds, healthCheck/);
        assert.match(issues.find((i) => i.key.endsWith("region"))!.message, /allowed here: name, regions/);
    });

    it("names a bad value with its full key", () => {
        const issues = issuesOf(stackConfig({ regions: ["ap-northeast-2"], rollout: { healthCheck: { retries: -1 } } }));
        assert.deepEqual(issues.map((i) => i.key), ["eks-platform:rollout.healthCheck.retries"]);
        assert.match(issues[0].message, /0 or more/);
    });

    it("requires the environment and regions it builds targets from", () => {
        const values = stackConfig({ regions: [] });
        delete values["eks-platform:environment"];
        const issues = issuesOf(values);
        assert.deepEqual(issues.map((i) => [i.key, i.message]), [
            ["eks-platform:environment", "is required (a string)"],
            ["eks-platform:regions", "needs at least one region"],
        ]);
    });

    it("reports rollout config that is not JSON as a type error on the key", () => {
        const values = { ...stackConfig({ regions: ["ap-northeast-2"] }), "eks-platform:rollout": "canary-first" };
        const issues = issuesOf(values);
        assert.deepEqual(issues.map((i) => i.key), ["eks-platform:rollout"]);
    });
});
