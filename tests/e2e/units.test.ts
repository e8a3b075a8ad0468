import { strict as assert } from "assert";
import { createHash, createHmac } from "crypto";
import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import { kubeReader } from "../../tools/e2e/kube";
import { acquireLock, releaseLock } from "../../tools/e2e/lock";
import { E2E_TAG, clusterNameOf, newRunId, runIdOfStackFile } from "../../tools/e2e/names";
import { parsePlatformConfig, rawProjectConfig } from "../../stacks/config";
import { controllerDeployments, e2eStackConfig, e2eStackFile, expectedAddons } from "../../tools/e2e/stack-config";
import { stackFileRegions } from "../../tools/e2e/leftover-stack";
import { classify, sweep } from "../../tools/e2e/sweep";
import { CLUSTER_ID_HEADER, eksToken } from "../../tools/e2e/token";
import { ACCOUNT, FakeAws, REGION, projectDir } from "./support/fakes";

describe("npm run e2e: the EKS token", () => {
    const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "FwoG/abc+def=" };
    const at = new Date("2026-12-05T00:00:00Z");

    it("is k8s-aws-v1. + unpadded base64url of a presigned STS GetCallerIdentity URL signing x-k8s-aws-id, as aws-iam-authenticator builds it", async () => {
        const token = await eksToken("e2e-0a1b2c-ap-northeast-1", REGION, credentials, at);
        assert.ok(token.startsWith("k8s-aws-v1."));
        const encoded = token.slice("k8s-aws-v1.".length);
        assert.match(encoded, /^[A-Za-z0-9_-]+$/, "base64url without padding");
        const url = new URL(Buffer.from(encoded, "base64url").toString("utf8"));
        assert.equal(url.origin, "https://sts.ap-northeast-1.amazonaws.com");
        const q = url.searchParams;
        assert.equal(q.get("Action"), "GetCallerIdentity");
        assert.equal(q.get("Version"), "2011-06-15");
        assert.equal(q.get("X-Amz-Expires"), "60");
        assert.equal(q.get("X-Amz-SignedHeaders"), `host;${CLUSTER_ID_HEADER}`);
        assert.equal(q.get("X-Amz-Security-Token"), credentials.sessionToken);
        assert.equal(q.get("X-Amz-Date"), "20261205T000000Z");
        assert.equal(q.get("X-Amz-Credential"), "AKIDEXAMPLE/20261205/ap-northeast-1/sts/aws4_request");

        // The signature, recomputed here from the SigV4 definition
        // (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html), with the cluster
        // name as a signed header: a token for another cluster, or unsigned, fails this.
        const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
        const canonicalQuery = [...q.entries()].filter(([k]) => k !== "X-Amz-Signature")
            .map(([k, v]) => [rfc3986(k), rfc3986(v)]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join("&");
        const canonical = ["GET", "/", canonicalQuery, `host:${url.host}`, `${CLUSTER_ID_HEADER}:e2e-0a1b2c-ap-northeast-1`, "",
            `host;${CLUSTER_ID_HEADER}`, createHash("sha256").update("").digest("hex")].join("\n");
        const scope = `20261205/${REGION}/sts/aws4_request`;
        const toSign = ["AWS4-HMAC-SHA256", "20261205T000000Z", scope, createHash("sha256").update(canonical).digest("hex")].join("\n");
        let key: Buffer | string = `AWS4${credentials.secretAccessKey}`;
        for (const part of ["20261205", REGION, "sts", "aws4_request"]) key = createHmac("sha256", key).update(part).digest();
        assert.equal(q.get("X-Amz-Signature"), createHmac("sha256", key).update(toSign).digest("hex"));
    });
});

describe("npm run e2e: the Kubernetes API reader", () => {
    it("sends the bearer token, reads JSON, answers 404 with undefined, and fails other statuses with the API's message, not the token", async () => {
        const seen: string[] = [];
        const server = http.createServer((req, res) => {
            seen.push(`${req.url} ${req.headers.authorization}`);
            if (req.url === "/api/v1/nodes") {
                res.end(JSON.stringify({ items: [] }));
            } else if (req.url === "/forbidden") {
                res.writeHead(403);
                res.end(JSON.stringify({ message: "nodes is forbidden: User cannot list" }));
            } else {
                res.writeHead(404);
                res.end("{}");
            }
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        try {
            const k = kubeReader({ server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: async () => "k8s-aws-v1.secret" });
            assert.deepEqual(await k.get("/api/v1/nodes"), { items: [] });
            assert.equal(await k.get("/apis/apps/v1/namespaces/x/deployments/y"), undefined);
            await assert.rejects(k.get("/forbidden"), (e: Error) => /HTTP 403: nodes is forbidden/.test(e.message) && !e.message.includes("secret"));
            assert.equal(seen[0], "/api/v1/nodes Bearer k8s-aws-v1.secret");
        } finally {
            server.close();
        }
        assert.throws(() => kubeReader({ server: "http://example.com", token: async () => "" }), /must be https/);
    });
});

describe("npm run e2e: names, the stack config, the lock and the sweep", () => {
    it("reads the regions of a stack file an earlier run left through the shared stack-file reader", () => {
        const dir = projectDir();
        const id = "e2e-0a1b2c";
        fs.writeFileSync(`${dir}/Pulumi.${id}.yaml`, e2eStackFile({ runId: id, account: ACCOUNT, region: REGION, computeMode: "karpenter", apiCidrs: ["203.0.113.7/32"] }));
        assert.deepEqual(stackFileRegions(dir, id), [REGION]);
        fs.writeFileSync(`${dir}/Pulumi.e2e-000002.yaml`, "config:\n  eks-platform:regions:\n    - region: us-west-2\n    - {region: eu-west-1, vpcCidr: 10.0.0.0/16}\n    - region: nowhere-1\n");
        assert.deepEqual(stackFileRegions(dir, "e2e-000002"), ["us-west-2", "eu-west-1"], "every region the schema allows, in order");
        fs.writeFileSync(`${dir}/Pulumi.e2e-000003.yaml`, "config: [not, a, mapping]\n");
        assert.deepEqual(stackFileRegions(dir, "e2e-000003"), [], "not a stack file: region unknown");
        assert.deepEqual(stackFileRegions(dir, "e2e-000004"), [], "no file");
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("run ids name the stack, its file, the environment and the cluster; the config passes the project's own validation", () => {
        const id = newRunId(() => Buffer.from([0x0a, 0x1b, 0x2c]));
        assert.equal(id, "e2e-0a1b2c");
        assert.equal(runIdOfStackFile(`Pulumi.${id}.yaml`), id);
        assert.equal(runIdOfStackFile("Pulumi.dev.yaml"), undefined);
        assert.equal(clusterNameOf(id, REGION), "e2e-0a1b2c-ap-northeast-1");
        for (const computeMode of ["managed-node-groups", "karpenter", "auto"]) {
            const config = e2eStackConfig({ runId: id, account: ACCOUNT, region: REGION, computeMode, apiCidrs: ["203.0.113.7/32"] });
            const values = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
            const c = parsePlatformConfig(rawProjectConfig(values), id, { today: "2026-12-05" });
            assert.equal(c.environment, id);
            assert.equal(c.tags[E2E_TAG], id, "every resource carries the run's tag");
            assert.equal(c.protect, false);
            assert.equal(c.regions[0].compute.mode, computeMode);
            assert.equal(c.alb.deletionProtection, false, "destroy can delete the ALB");
        }
        assert.deepEqual(expectedAddons("auto"), ["metrics-server"], "Auto Mode runs the rest itself");
        assert.deepEqual(controllerDeployments("auto"), []);
        assert.deepEqual(controllerDeployments("karpenter"), ["kube-system/aws-load-balancer-controller", "kube-system/coredns", "kube-system/karpenter"]);
        assert.equal(expectedAddons("managed-node-groups").length, 7);
    });

    it("the lock: created only if absent; a run never takes a stale one, a sweep does, --break-lock takes a live one; released only by its holder", async () => {
        const aws = new FakeAws();
        const now = Date.parse("2026-12-05T01:00:00Z");
        const run = { runId: "e2e-000001", stack: "e2e-000001", region: REGION, caller: "arn", purpose: "run" as const, startedAt: "2026-12-05T00:00:00Z", expiresAt: "2026-12-05T00:30:00Z" };
        assert.equal((await acquireLock(aws, run, { now, lockRegion: "us-east-1" })).kind, "acquired");
        const second = await acquireLock(aws, { ...run, runId: "e2e-000002" }, { now, lockRegion: "us-east-1" });
        assert.equal(second.kind, "held", "even stale, a run does not take it");
        assert.equal(await releaseLock(aws, "e2e-000002"), false, "not the holder");
        const sweepLock = { ...run, runId: "sweep-1", purpose: "sweep" as const, expiresAt: "2026-12-05T02:00:00Z" };
        const took = await acquireLock(aws, sweepLock, { now, lockRegion: "us-east-1" });
        assert.equal(took.kind === "acquired" && took.tookOver?.runId, "e2e-000001", "a sweep takes over a stale lock");
        const live = await acquireLock(aws, { ...sweepLock, runId: "sweep-2" }, { now, lockRegion: "us-east-1" });
        assert.equal(live.kind, "held");
        assert.match((live as { message: string }).message, /a sweep .* holds the e2e lock .*--sweep --break-lock/);
        assert.equal((await acquireLock(aws, { ...sweepLock, runId: "sweep-3" }, { now, lockRegion: "us-east-1", breakLock: true })).kind, "acquired");
        assert.equal(await releaseLock(aws, "sweep-3"), true);
        assert.equal(aws.lock, undefined);
    });

    it("classifies by the run tag or the cluster name, counts KMS keys as pending deletion, and limits to the runs asked", () => {
        const tags = { [E2E_TAG]: "e2e-000001" };
        const scan = classify(REGION, {
            tagged: [
                { id: `arn:aws:kms:${REGION}:${ACCOUNT}:key/k1`, tags },
                { id: `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/sg-1`, tags },
                { id: `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/vpc-1`, tags },
                { id: `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/vpc-9`, tags: { [E2E_TAG]: "e2e-000009" } },
            ],
            loadBalancers: [{ id: "arn:lb", name: "k8s-x", tags: { "elbv2.k8s.aws/cluster": "e2e-000001-ap-northeast-1" } }, { id: "arn:other", tags: {} }],
            targetGroups: [],
            securityGroups: [{ id: "sg-1", name: "eks-cluster-sg-e2e-000001-ap-northeast-1-123", tags: {} }],
            networkInterfaces: [{ id: "eni-1", description: "Amazon EKS e2e-000001-ap-northeast-1", state: "available", tags: {} }],
            logGroups: [{ id: "/aws/eks/e2e-000001-ap-northeast-1/cluster", name: "/aws/eks/e2e-000001-ap-northeast-1/cluster", tags: {} }],
        }, ["e2e-000001"]);
        assert.deepEqual(scan.leftovers.map((l) => [l.kind, l.id, l.removable]), [
            ["load-balancer", "arn:lb", true],
            ["network-interface", "eni-1", true],
            ["security-group", "sg-1", true],
            ["log-group", "/aws/eks/e2e-000001-ap-northeast-1/cluster", true],
            ["tagged", `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/vpc-1`, false],
        ], "the tagged security group is the one DescribeSecurityGroups listed, not twice; other runs and other resources are not ours");
        assert.deepEqual(scan.pendingKeys.map((k) => k.id), [`arn:aws:kms:${REGION}:${ACCOUNT}:key/k1`]);
    });

    it("removing: load balancers before target groups, attached interfaces left, failures reported; what cannot be removed stays listed", async () => {
        const aws = new FakeAws();
        const tags = { [E2E_TAG]: "e2e-000001" };
        aws.resources = [
            { kind: "security-group", id: "sg-1", tags },
            { kind: "target-group", id: "arn:tg", tags },
            { kind: "network-interface", id: "eni-1", tags, state: "in-use" },
            { kind: "load-balancer", id: "arn:lb", tags },
            { kind: "tagged", id: `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/vpc-1`, tags },
        ];
        aws.undeletable.add("sg-1");
        const lines: string[] = [];
        const r = await sweep(aws, [REGION], true, { rounds: 1, sleep: async () => undefined, log: (l) => lines.push(l) });
        assert.deepEqual(aws.calls.filter((c) => c.startsWith("delete")), ["delete load-balancer arn:lb", "delete target-group arn:tg", "delete security-group sg-1"]);
        assert.deepEqual(r.removed.map((l) => l.id), ["arn:lb", "arn:tg"]);
        assert.deepEqual(r.leftovers.map((l) => l.id).sort(), ["arn:aws:ec2:ap-northeast-1:111122223333:vpc/vpc-1", "eni-1", "sg-1"]);
        assert.deepEqual(r.errors.map((e) => e.id), ["eni-1", "sg-1"]);
        assert.match(r.errors[0].message, /still attached/);
    });
});

describe("npm run e2e: the prices a run reads", () => {
    it("refreshes a copy of the ledger's price table with npm run facts' refresher, never the checkout's; falls back to it when AWS cannot answer", async () => {
        const { runPrices } = await import("../../tools/e2e/prices");
        const { PRICES_FILE } = await import("../../facts/prices");
        const { priceOf } = await import("../../tools/plan/cost/prices");
        const before = fs.readFileSync(PRICES_FILE, "utf8");
        const refresher = {
            table: "prices",
            async read() {
                return [{ key: `ec2.t3.large@${REGION}`, value: { item: "ec2.t3.large", region: REGION, usd: 0.5, unit: "hour" }, source: "https://pricing.us-east-1.amazonaws.com (fake)" }];
            },
        };
        const fresh = await runPrices({ refresher: refresher as any, aws: {} as any, today: "2026-12-05" });
        assert.equal(priceOf(fresh.table, "ec2.t3.large", REGION)?.usd, 0.5);
        assert.match(fresh.note, /refreshed from the AWS Price List on 2026-12-05/);
        assert.equal(fs.readFileSync(PRICES_FILE, "utf8"), before, "the checkout's table is unchanged");
        const failing = { table: "prices", async read(): Promise<never> { throw new Error("AccessDeniedException: pricing:GetProducts"); } };
        const fallback = await runPrices({ refresher: failing as any, aws: {} as any, today: "2026-12-05" });
        assert.notEqual(priceOf(fallback.table, "ec2.t3.large", REGION)?.usd, 0.5);
        assert.match(fallback.note, /checked-in price table \(refresh failed: .*AccessDeniedException/);
    });
});
