/**
 * Everything npm run e2e asks AWS, behind one small interface the tests fake (tests/e2e/support/fake-aws.ts).
 * The real adapter (`sdkE2eAws`) loads the AWS SDK v3 clients only when it is built: a test that
 * passes a fake never pays their load time (about a second).
 *
 * Calls and the IAM actions they need (docs/e2e.md lists the role's policy):
 * - STS GetCallerIdentity (sts:GetCallerIdentity needs no permission);
 * - SSM PutParameter/GetParameter/DeleteParameter on the lock parameter (lock.ts);
 * - EKS DescribeCluster, ListAddons, DescribeAddon, ListNodegroups, DescribeNodegroup;
 * - Resource Groups Tagging API GetResources (tag:GetResources);
 * - ELBv2 DescribeLoadBalancers, DescribeTargetGroups, DescribeTags, DeleteLoadBalancer, DeleteTargetGroup;
 * - EC2 DescribeSecurityGroups, DescribeNetworkInterfaces, DeleteSecurityGroup, DeleteNetworkInterface;
 * - CloudWatch Logs DescribeLogGroups, DeleteLogGroup.
 */

// Type-only: tools/rollout/account.ts loads the STS and IAM clients, which this file defers.
import type { CallerIdentity } from "../rollout/account";

export interface ClusterInfo {
    readonly name: string;
    readonly status: string;
    readonly version?: string;
    readonly endpoint?: string;
    /** Base64 PEM of the cluster CA. */
    readonly certificateAuthority?: string;
    readonly endpointPublicAccess?: boolean;
    readonly endpointPrivateAccess?: boolean;
    readonly publicAccessCidrs?: readonly string[];
    /** Control-plane log types enabled. */
    readonly loggingEnabled: readonly string[];
    /** Resources envelope-encrypted with a KMS key (`secrets`), and the key. */
    readonly encryption: ReadonlyArray<{ readonly resources: readonly string[]; readonly keyArn?: string }>;
}

export interface AddonInfo {
    readonly name: string;
    readonly status: string;
    readonly version?: string;
    readonly issues: readonly string[];
}

export interface NodegroupInfo {
    readonly name: string;
    readonly status: string;
    readonly desiredSize?: number;
}

/** A resource with its tags (Tagging API, ELBv2, EC2, Logs), as the sweep classifies it. */
export interface TaggedResource {
    /** ARN, or the EC2 id for security groups and network interfaces. */
    readonly id: string;
    readonly name?: string;
    readonly tags: Readonly<Record<string, string>>;
    /** EC2 network interfaces: `available` (detached) or `in-use`; ENI description. */
    readonly state?: string;
    readonly description?: string;
}

export type LeftoverKind = "load-balancer" | "target-group" | "security-group" | "network-interface" | "log-group" | "tagged";

/** The lock as stored: who holds it and until when (lock.ts). */
export interface LockRecord {
    readonly runId: string;
    readonly stack: string;
    readonly region: string;
    readonly startedAt: string;
    readonly expiresAt: string;
    readonly caller: string;
    readonly purpose: "run" | "sweep";
}

export interface E2eAws {
    callerIdentity(): Promise<CallerIdentity>;
    /** Creates the lock only if absent (SSM PutParameter, Overwrite false): true when created. */
    putLock(record: LockRecord): Promise<boolean>;
    getLock(): Promise<LockRecord | undefined>;
    deleteLock(): Promise<void>;
    describeCluster(region: string, name: string): Promise<ClusterInfo | undefined>;
    addons(region: string, cluster: string): Promise<AddonInfo[]>;
    nodegroups(region: string, cluster: string): Promise<NodegroupInfo[]>;
    /** Tagging API GetResources: every resource with tag `key` (any value, or one of `values`). */
    taggedResources(region: string, key: string, values?: readonly string[]): Promise<TaggedResource[]>;
    /** Every load balancer / target group of the region with its tags (ELBv2). */
    loadBalancers(region: string): Promise<TaggedResource[]>;
    targetGroups(region: string): Promise<TaggedResource[]>;
    /** Security groups with the e2e tag, or named for an e2e cluster (EKS's `eks-cluster-sg-<cluster>-*`). */
    securityGroups(region: string): Promise<TaggedResource[]>;
    /** Network interfaces with the e2e tag, or tagged/described for an e2e cluster (VPC CNI, EKS). */
    networkInterfaces(region: string): Promise<TaggedResource[]>;
    /** Log groups whose name starts with `prefix`. */
    logGroups(region: string, prefix: string): Promise<TaggedResource[]>;
    deleteLeftover(region: string, kind: LeftoverKind, id: string): Promise<void>;
}

/** Where the lock lives: one SSM parameter per account, in `lockRegion` (lock.ts says why). */
export const LOCK_PARAMETER = "/eks-platform/e2e/lock";

export interface SdkOptions {
    /** The region of the lock parameter. */
    readonly lockRegion: string;
}

function tagsOf(list: ReadonlyArray<{ Key?: string; Value?: string }> | undefined): Record<string, string> {
    const out: Record<string, string> = {};
    for (const t of list ?? []) if (t.Key) out[t.Key] = t.Value ?? "";
    return out;
}

/** The real adapter: AWS SDK v3, default credentials chain (the same AWS_* environment pulumi uses). */
export function sdkE2eAws(options: SdkOptions): E2eAws {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const sts = require("@aws-sdk/client-sts") as typeof import("@aws-sdk/client-sts");
    const ssm = require("@aws-sdk/client-ssm") as typeof import("@aws-sdk/client-ssm");
    const eks = require("@aws-sdk/client-eks") as typeof import("@aws-sdk/client-eks");
    const tagging = require("@aws-sdk/client-resource-groups-tagging-api") as typeof import("@aws-sdk/client-resource-groups-tagging-api");
    const elb = require("@aws-sdk/client-elastic-load-balancing-v2") as typeof import("@aws-sdk/client-elastic-load-balancing-v2");
    const ec2 = require("@aws-sdk/client-ec2") as typeof import("@aws-sdk/client-ec2");
    const logs = require("@aws-sdk/client-cloudwatch-logs") as typeof import("@aws-sdk/client-cloudwatch-logs");
    const cache = new Map<string, unknown>();
    const client = <T>(key: string, region: string, make: (region: string) => T): T => {
        const k = `${key}:${region}`;
        if (!cache.has(k)) cache.set(k, make(region));
        return cache.get(k) as T;
    };
    const ssmClient = () => client("ssm", options.lockRegion, (region) => new ssm.SSMClient({ region }));
    const eksClient = (region: string) => client("eks", region, (r) => new eks.EKSClient({ region: r }));
    const elbClient = (region: string) => client("elb", region, (r) => new elb.ElasticLoadBalancingV2Client({ region: r }));
    const ec2Client = (region: string) => client("ec2", region, (r) => new ec2.EC2Client({ region: r }));
    const logsClient = (region: string) => client("logs", region, (r) => new logs.CloudWatchLogsClient({ region: r }));

    async function elbTags(region: string, arns: string[]): Promise<Map<string, Record<string, string>>> {
        const out = new Map<string, Record<string, string>>();
        for (let i = 0; i < arns.length; i += 20) { // DescribeTags takes at most 20 ARNs
            const r = await elbClient(region).send(new elb.DescribeTagsCommand({ ResourceArns: arns.slice(i, i + 20) }));
            for (const d of r.TagDescriptions ?? []) if (d.ResourceArn) out.set(d.ResourceArn, tagsOf(d.Tags));
        }
        return out;
    }

    return {
        async callerIdentity() {
            const r = await new sts.STSClient({ region: options.lockRegion }).send(new sts.GetCallerIdentityCommand({}));
            return { account: r.Account ?? "", arn: r.Arn ?? "" };
        },
        async putLock(record) {
            try {
                await ssmClient().send(new ssm.PutParameterCommand({
                    Name: LOCK_PARAMETER, Type: "String", Overwrite: false, Value: JSON.stringify(record),
                    Description: "npm run e2e: the run holding this account (eks-platform)",
                }));
                return true;
            } catch (e) {
                if (e instanceof ssm.ParameterAlreadyExists) return false;
                throw e;
            }
        },
        async getLock() {
            try {
                const r = await ssmClient().send(new ssm.GetParameterCommand({ Name: LOCK_PARAMETER }));
                return r.Parameter?.Value ? JSON.parse(r.Parameter.Value) as LockRecord : undefined;
            } catch (e) {
                if (e instanceof ssm.ParameterNotFound) return undefined;
                throw e;
            }
        },
        async deleteLock() {
            try {
                await ssmClient().send(new ssm.DeleteParameterCommand({ Name: LOCK_PARAMETER }));
            } catch (e) {
                if (!(e instanceof ssm.ParameterNotFound)) throw e;
            }
        },
        async describeCluster(region, name) {
            try {
                const c = (await eksClient(region).send(new eks.DescribeClusterCommand({ name }))).cluster;
                if (!c) return undefined;
                return {
                    name: c.name ?? name,
                    status: c.status ?? "UNKNOWN",
                    version: c.version,
                    endpoint: c.endpoint,
                    certificateAuthority: c.certificateAuthority?.data,
                    endpointPublicAccess: c.resourcesVpcConfig?.endpointPublicAccess,
                    endpointPrivateAccess: c.resourcesVpcConfig?.endpointPrivateAccess,
                    publicAccessCidrs: c.resourcesVpcConfig?.publicAccessCidrs,
                    loggingEnabled: (c.logging?.clusterLogging ?? []).filter((l) => l.enabled).flatMap((l) => l.types ?? []),
                    encryption: (c.encryptionConfig ?? []).map((e) => ({ resources: e.resources ?? [], keyArn: e.provider?.keyArn })),
                };
            } catch (e) {
                if (e instanceof eks.ResourceNotFoundException) return undefined;
                throw e;
            }
        },
        async addons(region, cluster) {
            const names: string[] = [];
            let nextToken: string | undefined;
            do {
                const r = await eksClient(region).send(new eks.ListAddonsCommand({ clusterName: cluster, nextToken }));
                names.push(...(r.addons ?? []));
                nextToken = r.nextToken;
            } while (nextToken);
            const out: AddonInfo[] = [];
            for (const addonName of names) {
                const a = (await eksClient(region).send(new eks.DescribeAddonCommand({ clusterName: cluster, addonName }))).addon;
                out.push({
                    name: addonName, status: a?.status ?? "UNKNOWN", version: a?.addonVersion,
                    issues: (a?.health?.issues ?? []).map((i) => `${i.code ?? "issue"}: ${i.message ?? ""}`),
                });
            }
            return out;
        },
        async nodegroups(region, cluster) {
            const names: string[] = [];
            let nextToken: string | undefined;
            do {
                const r = await eksClient(region).send(new eks.ListNodegroupsCommand({ clusterName: cluster, nextToken }));
                names.push(...(r.nodegroups ?? []));
                nextToken = r.nextToken;
            } while (nextToken);
            const out: NodegroupInfo[] = [];
            for (const nodegroupName of names) {
                const g = (await eksClient(region).send(new eks.DescribeNodegroupCommand({ clusterName: cluster, nodegroupName }))).nodegroup;
                out.push({ name: nodegroupName, status: g?.status ?? "UNKNOWN", desiredSize: g?.scalingConfig?.desiredSize });
            }
            return out;
        },
        async taggedResources(region, key, values) {
            const c = client("tagging", region, (r) => new tagging.ResourceGroupsTaggingAPIClient({ region: r }));
            const out: TaggedResource[] = [];
            let token: string | undefined;
            do {
                const r = await c.send(new tagging.GetResourcesCommand({
                    TagFilters: [{ Key: key, ...(values ? { Values: [...values] } : {}) }], PaginationToken: token || undefined,
                }));
                for (const m of r.ResourceTagMappingList ?? []) if (m.ResourceARN) out.push({ id: m.ResourceARN, tags: tagsOf(m.Tags) });
                token = r.PaginationToken;
            } while (token);
            return out;
        },
        async loadBalancers(region) {
            const found: Array<{ arn: string; name?: string }> = [];
            let marker: string | undefined;
            do {
                const r = await elbClient(region).send(new elb.DescribeLoadBalancersCommand({ Marker: marker }));
                for (const lb of r.LoadBalancers ?? []) if (lb.LoadBalancerArn) found.push({ arn: lb.LoadBalancerArn, name: lb.LoadBalancerName });
                marker = r.NextMarker;
            } while (marker);
            const tags = await elbTags(region, found.map((f) => f.arn));
            return found.map((f) => ({ id: f.arn, name: f.name, tags: tags.get(f.arn) ?? {} }));
        },
        async targetGroups(region) {
            const found: Array<{ arn: string; name?: string }> = [];
            let marker: string | undefined;
            do {
                const r = await elbClient(region).send(new elb.DescribeTargetGroupsCommand({ Marker: marker }));
                for (const tg of r.TargetGroups ?? []) if (tg.TargetGroupArn) found.push({ arn: tg.TargetGroupArn, name: tg.TargetGroupName });
                marker = r.NextMarker;
            } while (marker);
            const tags = await elbTags(region, found.map((f) => f.arn));
            return found.map((f) => ({ id: f.arn, name: f.name, tags: tags.get(f.arn) ?? {} }));
        },
        async securityGroups(region) {
            const byId = new Map<string, TaggedResource>();
            for (const Filters of [
                [{ Name: "tag-key", Values: ["eks-platform-e2e"] }],
                [{ Name: "group-name", Values: ["eks-cluster-sg-e2e-*"] }],
            ]) {
                let NextToken: string | undefined;
                do {
                    const r = await ec2Client(region).send(new ec2.DescribeSecurityGroupsCommand({ Filters, NextToken }));
                    for (const g of r.SecurityGroups ?? []) if (g.GroupId) byId.set(g.GroupId, { id: g.GroupId, name: g.GroupName, tags: tagsOf(g.Tags) });
                    NextToken = r.NextToken;
                } while (NextToken);
            }
            return [...byId.values()];
        },
        async networkInterfaces(region) {
            const byId = new Map<string, TaggedResource>();
            for (const Filters of [
                [{ Name: "tag-key", Values: ["eks-platform-e2e"] }],
                // VPC CNI tags the ENIs it creates with the cluster name; EKS describes its own.
                [{ Name: "tag:cluster.k8s.amazonaws.com/name", Values: ["e2e-*"] }],
                [{ Name: "description", Values: ["Amazon EKS e2e-*"] }],
            ]) {
                let NextToken: string | undefined;
                do {
                    const r = await ec2Client(region).send(new ec2.DescribeNetworkInterfacesCommand({ Filters, NextToken }));
                    for (const n of r.NetworkInterfaces ?? []) {
                        if (n.NetworkInterfaceId) {
                            byId.set(n.NetworkInterfaceId, { id: n.NetworkInterfaceId, tags: tagsOf(n.TagSet), state: n.Status, description: n.Description });
                        }
                    }
                    NextToken = r.NextToken;
                } while (NextToken);
            }
            return [...byId.values()];
        },
        async logGroups(region, prefix) {
            const out: TaggedResource[] = [];
            let nextToken: string | undefined;
            do {
                const r = await logsClient(region).send(new logs.DescribeLogGroupsCommand({ logGroupNamePrefix: prefix, nextToken }));
                for (const g of r.logGroups ?? []) if (g.logGroupName) out.push({ id: g.logGroupArn ?? g.logGroupName, name: g.logGroupName, tags: {} });
                nextToken = r.nextToken;
            } while (nextToken);
            return out;
        },
        async deleteLeftover(region, kind, id) {
            switch (kind) {
                case "load-balancer": await elbClient(region).send(new elb.DeleteLoadBalancerCommand({ LoadBalancerArn: id })); return;
                case "target-group": await elbClient(region).send(new elb.DeleteTargetGroupCommand({ TargetGroupArn: id })); return;
                case "security-group": await ec2Client(region).send(new ec2.DeleteSecurityGroupCommand({ GroupId: id })); return;
                case "network-interface": await ec2Client(region).send(new ec2.DeleteNetworkInterfaceCommand({ NetworkInterfaceId: id })); return;
                case "log-group": {
                    const name = id.startsWith("arn:") ? id.split(":log-group:")[1]?.replace(/:\*$/, "") ?? id : id;
                    await logsClient(region).send(new logs.DeleteLogGroupCommand({ logGroupName: name }));
                    return;
                }
                case "tagged": throw new Error(`the sweep does not delete ${id} itself (no generic delete); remove it in the console or with the AWS CLI`);
            }
        },
    };
}
