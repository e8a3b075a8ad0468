/**
 * Config the schema accepts but AWS, EKS, Kubernetes or the load balancer controller would reject or
 * break on (issue 9 item 6), the ingress group's shared listeners (item 3), and the wording of
 * required keys and map-key errors (item 7). Each rule names the key, shows the value and says why.
 */
import * as assert from "assert";
import { parsePlatformConfig, rawProjectConfig } from "../stacks/config";
import { ConfigError } from "../stacks/errors";
import { MAX_STACK_TAGS } from "../stacks/limits";
import { planSubnets } from "../components/network-plan";
import { quantityValue } from "../stacks/quantity";
import { validRaw } from "./support/fixtures";

const APP = { name: "web", namespace: "shop", image: "nginx:1.27.3", containerPort: 8080 };
const CERT = "arn:aws:acm:ap-northeast-2:123456789012:certificate/11111111-1111-4111-8111-111111111111";

function problems(mutate: (raw: Record<string, any>) => void): string[] {
    const raw = validRaw();
    mutate(raw);
    try {
        parsePlatformConfig(raw, "x");
    } catch (e) {
        if (e instanceof ConfigError) return e.message.split("\n").slice(1).map((l) => l.replace(/^ {2}- /, ""));
        throw e;
    }
    return [];
}

function expectOne(mutate: (raw: Record<string, any>) => void, line: RegExp): void {
    const found = problems(mutate);
    assert.equal(found.length, 1, found.join("\n"));
    assert.match(found[0], line);
}

describe("validation: what AWS, EKS, Kubernetes and the controller would reject", () => {
    it("accepts the base config (so each case below fails for its own reason)", () => {
        assert.deepEqual(problems(() => undefined), []);
    });

    describe("apps", () => {
        it("memory quantities follow Kubernetes' grammar; 512K is not one, 512k is", () => {
            expectOne((r) => { r.apps = [{ ...APP, resources: { memoryRequest: "512K" } }]; },
                /^eks-platform:apps\[0\]\.resources\.memoryRequest = "512K": not a Kubernetes quantity .*kilo is a lower-case k/);
            assert.deepEqual(problems((r) => { r.apps = [{ ...APP, resources: { memoryRequest: "128Mi", memoryLimit: "512M" } }]; }), []);
            assert.equal(quantityValue("1Gi"), 2 ** 30);
            assert.equal(quantityValue("1e3"), 1000);
            assert.equal(quantityValue("512K"), undefined);
        });

        it("memoryLimit below memoryRequest", () => {
            expectOne((r) => { r.apps = [{ ...APP, resources: { memoryRequest: "1Gi", memoryLimit: "512Mi" } }]; },
                /^eks-platform:apps\[0\]\.resources\.memoryLimit = "512Mi": is below memoryRequest \(1Gi\)/);
        });

        it("paths the API server or the controller reject, duplicate writable paths, routes equal after normalisation", () => {
            expectOne((r) => { r.apps = [{ ...APP, path: "//x" }]; }, /apps\[0\]\.path = "\/\/x": has an empty segment/);
            expectOne((r) => { r.apps = [{ ...APP, path: "/a/../b" }]; }, /apps\[0\]\.path = "\/a\/\.\.\/b": has a \. or \.\. segment/);
            expectOne((r) => { r.apps = [{ ...APP, path: "/api/*" }]; }, /apps\[0\]\.path = "\/api\/\*": a wildcard is not allowed in a Prefix path/);
            expectOne((r) => { r.apps = [{ ...APP, writablePaths: ["/tmp", "/tmp/"] }]; }, /apps\[0\]\.writablePaths\[1\] = "\/tmp\/": is listed twice/);
            expectOne((r) => { r.apps = [{ ...APP, path: "/api" }, { ...APP, name: "web2", path: "/api/" }]; },
                /apps\[1\]\.path = "\/api\/": routes the same as apps\[0\]\.path "\/api"/);
        });

        it("an HTTP-only app on the load balancer of an app that redirects HTTP to HTTPS (ssl-redirect is group-wide)", () => {
            expectOne((r) => { r.apps = [{ ...APP, certificateArns: { "ap-northeast-2": CERT } }, { ...APP, name: "plain", path: "/plain" }]; },
                /^eks-platform:apps\[1\]\.listeners = \(missing\): serves plain HTTP in ap-northeast-2, but apps\[0\] \(web\) on the same internet-facing load balancer redirects HTTP to HTTPS.*Give it a certificate/);
            // Different schemes are different load balancers; HTTPS-only next to HTTP-only is fine.
            assert.deepEqual(problems((r) => { r.apps = [{ ...APP, certificateArns: { "ap-northeast-2": CERT } }, { ...APP, name: "plain", path: "/plain", scheme: "internal" }]; }), []);
            assert.deepEqual(problems((r) => { r.apps = [{ ...APP, listeners: ["HTTPS"], certificateArns: { "ap-northeast-2": CERT } }, { ...APP, name: "plain", path: "/plain" }]; }), []);
        });

        it("targetType instance for pods a Fargate profile runs", () => {
            expectOne((r) => { r.apps = [{ ...APP, targetType: "instance" }]; r.fargateProfiles = [{ name: "shop", selectors: [{ namespace: "shop" }] }]; },
                /apps\[0\]\.targetType = "instance": is "instance", but Fargate profile shop selects namespace shop/);
        });
    });

    describe("tags", () => {
        it("refuses aws: keys, the platform's own keys, and more tags than fit", () => {
            expectOne((r) => { r.tags = { "aws:owner": "x" }; }, /^eks-platform:tags\.aws:owner = "x": a tag key may not start with "aws:"/);
            expectOne((r) => { r.tags = { environment: "other" }; }, /^eks-platform:tags\.environment = "other": is one of the platform's own tags/);
            const many = Object.fromEntries(Array.from({ length: MAX_STACK_TAGS + 1 }, (_, i) => [`k${i}`, "v"]));
            expectOne((r) => { r.tags = many; }, new RegExp(`^eks-platform:tags = .*has ${MAX_STACK_TAGS + 1} tags; at most ${MAX_STACK_TAGS} fit \\(AWS allows 50`));
        });

        it("accepts what EC2, IAM and EKS all accept: Unicode letters and digits, spaces, _ . : / = + - @; key up to 127, value up to 256 characters", () => {
            assert.deepEqual(problems((r) => { r.tags = { "cost-center/team_a:x=y+z@b.c": "Ünïcode 値 42 _.:/=+-@", ["k".repeat(127)]: "v".repeat(256), empty: "" }; }), []);
            // Lengths count characters, not UTF-16 units: 127 CJK supplementary characters are 254 units.
            assert.deepEqual(problems((r) => { r.tags = { ["𠀀".repeat(127)]: "𠀀".repeat(256) }; }), []);
        });

        it("refuses characters and lengths a tag cannot hold, at the key, naming the characters", () => {
            expectOne((r) => { r.tags = { team: "a|b" }; }, /^eks-platform:tags\.team = "a\|b": a tag value may hold only Unicode letters, digits, spaces and _ \. : \/ = \+ - @ \(EC2, IAM and EKS\); found "\|"$/);
            expectOne((r) => { r.tags = { team: "<x>🚀" }; }, /tags\.team = .*found "<", ">", "🚀"$/);
            expectOne((r) => { r.tags = { "team!": "x" }; }, /tags\.team! = "x": a tag key may hold only .*found "!"$/);
            expectOne((r) => { r.tags = { ["k".repeat(128)]: "x" }; }, /a tag key has at most 127 characters \(EC2's limit; IAM and EKS allow 128\), this one has 128/);
            expectOne((r) => { r.tags = { team: "v".repeat(257) }; }, /a tag value has at most 256 characters, this one has 257/);
            expectOne((r) => { r.tags = { "": "x" }; }, /a tag key may not be empty/);
        });

        it("refuses a key named __proto__, in tags or at the top level, instead of dropping or crashing on it", () => {
            const protoTags = JSON.parse('{"__proto__": "x", "team": "y"}');
            expectOne((r) => { r.tags = protoTags; }, /^eks-platform:tags\.__proto__ = \(missing\): a key may not be named __proto__/);
            const values: Record<string, string> = { "eks-platform:__proto__": '{"a": 1}' };
            for (const [k, v] of Object.entries(validRaw())) values[`eks-platform:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
            assert.throws(() => parsePlatformConfig(rawProjectConfig(values), "x"), (e: unknown) => e instanceof ConfigError &&
                e.issues.length === 1 && e.issues[0].key === "eks-platform:__proto__" && /may not be named __proto__/.test(e.issues[0].message));
        });
    });

    describe("the VPC prefix", () => {
        it("accepts the largest prefix the subnet plan supports (/20) and the smallest (/16), and refuses one past each", () => {
            for (const ok of ["10.20.0.0/16", "10.20.0.0/20"]) assert.deepEqual(problems((r) => { r.regions[0].vpcCidr = ok; r.regions[0].azCount = 6; }), [], ok);
            expectOne((r) => { r.regions[0].vpcCidr = "10.20.0.0/21"; }, /vpcCidr = "10\.20\.0\.0\/21": prefix \/21 does not fit the subnet plan; allowed: \/16 to \/20/);
            expectOne((r) => { r.regions[0].vpcCidr = "10.20.0.0/15"; }, /prefix \/15 does not fit the subnet plan/);
            // At /20 with six zones every subnet still lies inside the VPC: /23 private, /28 public (in 10.20.14.0/23).
            assert.deepEqual(planSubnets("10.20.0.0/20", 6).filter((p) => p.zone === 5).map((p) => p.cidr), ["10.20.14.80/28", "10.20.10.0/23"]);
        });
    });

    describe("the public endpoint's allow-list", () => {
        it("refuses a CIDR inside the VPC, a duplicate, and more than EKS accepts", () => {
            expectOne((r) => { r.publicAccessCidrs = ["10.20.1.0/24"]; }, /publicAccessCidrs\[0\] = "10\.20\.1\.0\/24": is inside ap-northeast-2's VPC 10\.20\.0\.0\/16/);
            expectOne((r) => { r.publicAccessCidrs = ["203.0.113.0/24", "203.0.113.0/24"]; }, /publicAccessCidrs\[1\] = "203\.0\.113\.0\/24": is listed twice/);
            expectOne((r) => { r.publicAccessCidrs = Array.from({ length: 41 }, (_, i) => `198.51.${i}.0/24`); }, /publicAccessCidrs = .*has 41 CIDRs; EKS accepts at most 40/);
        });
    });

    describe("compute", () => {
        const group = (name: string, more: Record<string, unknown> = {}) => ({ name, instanceTypes: ["t3.large"], minSize: 1, desiredSize: 2, maxSize: 3, ...more });

        it("every group tainted NoSchedule/NoExecute, or no node at all, leaves system pods nowhere to run", () => {
            expectOne((r) => { r.nodeGroups = [group("a", { taints: [{ key: "team", value: "x", effect: "NoSchedule" }] })]; },
                /^eks-platform:nodeGroups = .*every node group in ap-northeast-2 has a NoSchedule or NoExecute taint/);
            expectOne((r) => { r.nodeGroups = [group("a", { minSize: 0, desiredSize: 0 })]; }, /every node group in ap-northeast-2 starts with desiredSize 0/);
            // The system taint is tolerated; a Fargate profile for kube-system gives them a place too.
            assert.deepEqual(problems((r) => { r.nodeGroups = [group("a", { taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NoSchedule" }] })]; }), []);
            assert.deepEqual(problems((r) => { r.nodeGroups = [group("a", { minSize: 0, desiredSize: 0 })]; r.fargateProfiles = [{ name: "sys", selectors: [{ namespace: "kube-system" }] }]; }), []);
        });

        it("more node groups or Fargate profiles than EKS allows per cluster", () => {
            expectOne((r) => { r.nodeGroups = Array.from({ length: 31 }, (_, i) => group(`g${i}`)); }, /nodeGroups = .*has 31 node groups; EKS allows at most 30/);
            expectOne((r) => { r.fargateProfiles = Array.from({ length: 11 }, (_, i) => ({ name: `p${i}`, selectors: [{ namespace: `ns${i}` }] })); },
                /fargateProfiles = .*has 11 profiles; EKS allows at most 10/);
        });

        it("GPU and Neuron instances need an accelerated AMI type; an accelerated AMI needs such instances", () => {
            expectOne((r) => { r.nodeGroups = [group("general"), group("gpu", { instanceTypes: ["g6.xlarge"] })]; },
                /nodeGroups\[1\]\.amiType = "AL2023_x86_64_STANDARD": is AL2023_x86_64_STANDARD, but instanceTypes include NVIDIA GPU instances \(g6\.xlarge\).*AL2023_x86_64_NVIDIA/);
            expectOne((r) => { r.nodeGroups = [group("general"), group("ml", { instanceTypes: ["inf2.xlarge"], amiType: "AL2023_x86_64_NVIDIA" })]; },
                /nodeGroups\[1\]\.amiType = "AL2023_x86_64_NVIDIA": is AL2023_x86_64_NVIDIA, but instanceTypes include AWS Neuron/);
            expectOne((r) => { r.nodeGroups = [group("general", { amiType: "AL2023_x86_64_NVIDIA" })]; }, /nodeGroups\[0\]\.amiType = .*no instance type of the group has that accelerator/);
            assert.deepEqual(problems((r) => {
                r.nodeGroups = [group("general"), group("gpu", { instanceTypes: ["g6.xlarge", "g5.xlarge"], amiType: "BOTTLEROCKET_x86_64_NVIDIA", minSize: 0, desiredSize: 0,
                    taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }] })];
            }), []);
        });
    });

    describe("messages", () => {
        it("a missing required key says it is required, also for a choice; a bad env name says which names are allowed", () => {
            const found = problems((r) => { delete r.natGateways; r.apps = [{ ...APP, env: { "1BAD": "x" } }]; });
            assert.ok(found.includes("eks-platform:natGateways = (missing): is required (one of \"single\", \"per-az\")"), found.join("\n"));
            assert.ok(found.some((l) => /^eks-platform:apps\[0\]\.env\.1BAD = "1BAD": the name "1BAD" is invalid: not an environment variable name: letters, digits and '_', not starting with a digit/.test(l)), found.join("\n"));
        });
    });
});
