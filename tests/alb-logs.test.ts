import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    ALB_LOG_PREFIX, ALB_LOG_PREFIXES, ELB_LOG_DELIVERY_SERVICE, albAttributes, albLogBucketPolicy, elbLogWriter,
} from "../components/alb-logs";
import { ELB_LOG_ACCOUNTS } from "../facts/elb-log-accounts";
import { ingressClassParamsSpec, ingressClasses } from "../components/ingress-settings";
import { albSettings, parsePlatformConfig } from "../stacks/config";
import { ConfigError } from "../stacks/errors";
import { PROJECT_DIR } from "../tools/harness/program";
import type { ResourceRecord } from "../tools/harness/records";
import { json, ofType, one, stackRun, validProdRaw, validRaw } from "./support/fixtures";

const PARAMS = "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams";
const BUCKET = "aws:s3/bucket:Bucket";
const attrs = (r: ResourceRecord) => Object.fromEntries((r.inputs.spec.loadBalancerAttributes as Array<{ key: string; value: string }>).map((a) => [a.key, a.value]));

describe("ALB access logs and deletion protection", () => {
    describe("decisions", () => {
        it("let the region's ELB account write in regions before August 2022, the log-delivery service in later ones", () => {
            assert.deepEqual(elbLogWriter("us-east-1"), { AWS: "arn:aws:iam::127311923021:root" });
            assert.deepEqual(elbLogWriter("ap-northeast-2"), { AWS: "arn:aws:iam::600734575887:root" });
            assert.deepEqual(elbLogWriter("ap-northeast-1"), { AWS: "arn:aws:iam::582318560864:root" });
            // me-central-1 (UAE) opened in August 2022, ap-southeast-5 (Malaysia) later.
            assert.deepEqual(elbLogWriter("me-central-1"), { Service: ELB_LOG_DELIVERY_SERVICE });
            assert.deepEqual(elbLogWriter("ap-southeast-5"), { Service: ELB_LOG_DELIVERY_SERVICE });
            for (const id of Object.values(ELB_LOG_ACCOUNTS)) assert.match(id, /^\d{12}$/);
        });

        it("write only under this account's log path, and refuse every request without TLS", () => {
            const p = albLogBucketPolicy({ bucketArn: "arn:aws:s3:::logs-1", accountId: "111122223333", region: "eu-west-1", prefixes: Object.values(ALB_LOG_PREFIXES) }) as any;
            const [allow, deny] = p.Statement;
            assert.equal(allow.Effect, "Allow");
            assert.deepEqual(allow.Principal, { AWS: "arn:aws:iam::156460612806:root" });
            assert.equal(allow.Action, "s3:PutObject");
            assert.deepEqual(allow.Resource, ["arn:aws:s3:::logs-1/alb-public/AWSLogs/111122223333/*", "arn:aws:s3:::logs-1/alb-internal/AWSLogs/111122223333/*"]);
            assert.equal(deny.Effect, "Deny");
            assert.deepEqual(deny.Resource, ["arn:aws:s3:::logs-1", "arn:aws:s3:::logs-1/*"]);
            assert.deepEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
            for (const prefix of Object.values(ALB_LOG_PREFIXES)) assert.ok(!prefix.includes("AWSLogs"), "ELB refuses a prefix containing AWSLogs");
            assert.equal(ALB_LOG_PREFIX, "alb-public", "the internet-facing ALBs keep logging where they did");
        });

        it("set the log attributes only with a bucket, and deletion protection either way (so turning it off reaches the ALB)", () => {
            assert.deepEqual(albAttributes({ deletionProtection: false }, "internet-facing"), [{ key: "deletion_protection.enabled", value: "false" }]);
            assert.deepEqual(albAttributes({ logBucket: "b", deletionProtection: true }, "internet-facing"), [
                { key: "access_logs.s3.enabled", value: "true" },
                { key: "access_logs.s3.bucket", value: "b" },
                { key: "access_logs.s3.prefix", value: "alb-public" },
                { key: "deletion_protection.enabled", value: "true" },
            ]);
            const [pub, internal] = ingressClasses("prod");
            const settings = { logBucket: "b", deletionProtection: true };
            assert.equal((ingressClassParamsSpec(pub, "p", settings) as any).loadBalancerAttributes.length, 5);
            assert.deepEqual((ingressClassParamsSpec(internal, "p", settings) as any).loadBalancerAttributes, [
                { key: "routing.http.drop_invalid_header_fields.enabled", value: "true" },
                { key: "access_logs.s3.enabled", value: "true" },
                { key: "access_logs.s3.bucket", value: "b" },
                { key: "access_logs.s3.prefix", value: "alb-internal" },
                { key: "deletion_protection.enabled", value: "true" },
            ], "internal ALBs log (under their own prefix) and are protected like internet-facing ones");
        });

        it("default to production, and keep production's bucket on destroy", () => {
            const base = { albAccessLogRetentionDays: 90, albAccessLogs: undefined, albDeletionProtection: undefined };
            assert.deepEqual(albSettings({ ...base, production: false }), { accessLogs: undefined, deletionProtection: false });
            assert.deepEqual(albSettings({ ...base, production: true }), { accessLogs: { retentionDays: 90, retainOnDestroy: true }, deletionProtection: true });
            assert.deepEqual(albSettings({ ...base, production: false, albAccessLogs: true, albAccessLogRetentionDays: 7 }),
                { accessLogs: { retentionDays: 7, retainOnDestroy: false }, deletionProtection: false });
            assert.deepEqual(albSettings({ ...base, production: true, albAccessLogs: false, albDeletionProtection: false }),
                { accessLogs: undefined, deletionProtection: false });
        });

        it("refuse a retention outside 1-3650 days at its key", () => {
            for (const bad of [0, 3651, 1.5]) {
                assert.throws(() => parsePlatformConfig({ ...validRaw(), albAccessLogRetentionDays: bad }, "t", { today: "2026-11-29" }), (e: unknown) => {
                    assert.ok(e instanceof ConfigError);
                    const issue = e.issues.find((i) => i.key === "eks-platform:albAccessLogRetentionDays");
                    assert.ok(issue, e.message);
                    assert.equal(issue!.value, bad);
                    return true;
                });
            }
            assert.throws(() => parsePlatformConfig({ ...validProdRaw(), albDeletionProtection: "yes" }, "t", { today: "2026-11-29" }),
                /eks-platform:albDeletionProtection = "yes"/);
        });
    });

    describe("program", () => {
        it("dev: no log bucket, deletion protection off on the internet-facing ALB", async () => {
            const { records } = await stackRun("dev");
            assert.equal(ofType(records, BUCKET).length, 0);
            // Nothing of dev outlives destroy: the one group retained on delete is the Gateway API CRDs', kept in
            // the cluster when the region's last Gateway app goes (components/ingress.ts); destroy deletes the cluster.
            assert.deepEqual(records.filter((r) => r.retainOnDelete).map((r) => r.key),
                ["kubernetes:yaml/v2:ConfigGroup::dev-ap-northeast-2-ingress-gateway-crds"]);
            const a = attrs(one(records, PARAMS, "dev-ap-northeast-2-ingress-alb-params"));
            assert.equal(one(records, PARAMS, "dev-ap-northeast-2-ingress-alb-params").inputs.metadata.labels, undefined, "not production");
            assert.equal(a["deletion_protection.enabled"], "false");
            assert.equal(a["access_logs.s3.enabled"], undefined);
        });

        it("prod: per region a private SSE-S3 expiring bucket, its region's delivery policy, and the ALB logging to it with deletion protection", async () => {
            const { records } = await stackRun("prod");
            const buckets = ofType(records, BUCKET);
            assert.equal(buckets.length, 2);
            for (const region of ["ap-northeast-2", "ap-northeast-1"]) {
                const n = `prod-${region}-ingress-alb-logs`;
                const bucket = one(records, BUCKET, `${n}-bucket`);
                assert.equal(bucket.provider, `pulumi:providers:aws::prod-${region}-aws`);
                assert.equal(bucket.parent, `eks-platform:index:AlbLogBucket::${n}`);
                assert.equal(bucket.inputs.forceDestroy, false, "production logs are kept, not emptied");
                // Destroy leaves the bucket and its settings (so its objects still expire) and forgets them.
                for (const r of records.filter((x) => x.parent === `eks-platform:index:AlbLogBucket::${n}`)) assert.equal(r.retainOnDelete, true, r.key);
                assert.ok(bucket.state.bucket.length <= 63, bucket.state.bucket);
                assert.deepEqual(one(records, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", `${n}-encryption`)
                    .inputs.rules, [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
                const pab = one(records, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `${n}-public-access`).inputs;
                assert.deepEqual([pab.blockPublicAcls, pab.blockPublicPolicy, pab.ignorePublicAcls, pab.restrictPublicBuckets], [true, true, true, true]);
                assert.equal(one(records, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", `${n}-ownership`).inputs.rule.objectOwnership, "BucketOwnerEnforced");
                const rules = one(records, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", `${n}-lifecycle`).inputs.rules;
                assert.deepEqual(rules.map((rule: any) => [rule.id, rule.status, rule.expiration.days, rule.filter.prefix]),
                    [["expire-access-logs", "Enabled", 90, "alb-public/"], ["expire-access-logs-alb-internal", "Enabled", 90, "alb-internal/"]]);
                const policy = json(one(records, "aws:s3/bucketPolicy:BucketPolicy", `${n}-policy`).inputs.policy);
                assert.deepEqual(policy.Statement[0].Principal, elbLogWriter(region));
                assert.deepEqual(policy.Statement[0].Resource, [`${bucket.state.arn}/alb-public/AWSLogs/123456789012/*`, `${bucket.state.arn}/alb-internal/AWSLogs/123456789012/*`]);
                const a = attrs(one(records, PARAMS, `prod-${region}-ingress-alb-params`));
                assert.equal(a["access_logs.s3.enabled"], "true");
                assert.equal(a["access_logs.s3.bucket"], bucket.state.bucket);
                assert.equal(a["deletion_protection.enabled"], "true");
                const internal = one(records, PARAMS, `prod-${region}-ingress-alb-internal-params`);
                assert.deepEqual([attrs(internal)["access_logs.s3.bucket"], attrs(internal)["access_logs.s3.prefix"], attrs(internal)["deletion_protection.enabled"]],
                    [bucket.state.bucket, "alb-internal", "true"]);
                for (const params of [internal, one(records, PARAMS, `prod-${region}-ingress-alb-params`)]) {
                    assert.deepEqual(params.inputs.metadata.labels, { "eks-platform/production": "true" }, "labelled for the policy pack");
                }
            }
        });

        it("README states the destroy path: turn ALB deletion protection off, pulumi up, then destroy", () => {
            const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
            const destroying = readme.slice(readme.indexOf("With ALB deletion protection on"));
            assert.match(destroying, /^With ALB deletion protection on[^]*albDeletionProtection false[^]*`pulumi up`[^]*then `pulumi destroy`/);
        });
    });
});
