/**
 * Small helpers the tests share, on top of the one mock harness (tools/harness). Nothing here
 * registers resources on its own or answers mocks: it builds inputs and reads records.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { runWithMocks, RunResult } from "../../tools/harness/engine";
import { loadIndex, PROJECT_DIR, runProgram } from "../../tools/harness/program";
import type { ResourceRecord } from "../../tools/harness/records";
import { readStackConfig } from "../../tools/harness/stack-files";
import type { ProgramRunner } from "../../tools/plan/plan";
import { ConfigError, PROJECT } from "../../stacks/errors";
import { nodeGroupSchema, NodeGroupSpec } from "../../stacks/schema";

export const REGION = "ap-northeast-2";

export const T = {
    stack: "pulumi:pulumi:Stack",
    provider: "pulumi:providers:aws",
    regional: "eks-platform:index:RegionalPlatform",
    network: "eks-platform:index:Network",
    cluster: "eks-platform:index:Cluster",
    nodeGroups: "eks-platform:index:NodeGroups",
    addons: "eks-platform:index:Addons",
    eksCluster: "eks:index:Cluster",
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    igw: "aws:ec2/internetGateway:InternetGateway",
    eip: "aws:ec2/eip:Eip",
    nat: "aws:ec2/natGateway:NatGateway",
    routeTable: "aws:ec2/routeTable:RouteTable",
    route: "aws:ec2/route:Route",
    rta: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    vpcEndpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    flowLog: "aws:ec2/flowLog:FlowLog",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    kmsKey: "aws:kms/key:Key",
    kmsAlias: "aws:kms/alias:Alias",
    addon: "aws:eks/addon:Addon",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    nodeGroup: "aws:eks/nodeGroup:NodeGroup",
    fargateProfile: "aws:eks/fargateProfile:FargateProfile",
} as const;

/** A small valid stack config (keys without the `eks-platform:` prefix), fresh on every call. */
export function validRaw(): Record<string, any> {
    return {
        environment: "test",
        accountId: "123456789012",
        production: false,
        protect: false,
        natGateways: "single",
        flowLogs: false,
        regions: [{ region: REGION, vpcCidr: "10.20.0.0/16", azCount: 2 }],
        endpointAccess: "public-and-private",
        publicAccessCidrs: ["203.0.113.0/24"],
        adminPrincipals: ["arn:aws:iam::123456789012:role/platform-admin"],
        logRetentionDays: 7,
        nodeGroups: [{ name: "general", instanceTypes: ["t3.large"], minSize: 1, desiredSize: 2, maxSize: 3 }],
    };
}

/** The same config for production: per-az NAT, flow logs, protection. */
export function validProdRaw(): Record<string, any> {
    return { ...validRaw(), environment: "prod", production: true, protect: true, natGateways: "per-az", flowLogs: true };
}

/** The production config on Karpenter: a tainted on-demand system node group, the default node class and pool. */
export function validKarpenterRaw(): Record<string, any> {
    return {
        ...validProdRaw(),
        computeMode: "karpenter",
        nodeGroups: [{
            name: "system", instanceTypes: ["m7i.large"], minSize: 2, desiredSize: 2, maxSize: 3,
            taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NoSchedule" }],
        }],
    };
}

/** The smallest Auto Mode config: no node groups, the built-in pools. */
export function validAutoRaw(): Record<string, any> {
    const { nodeGroups: _none, ...rest } = validRaw();
    return { ...rest, computeMode: "auto" };
}

/** One raw app (an eks-platform:apps entry): a pinned unprivileged nginx `web` in namespace `web`, changed by `over`. */
export function rawApp(over: Record<string, unknown> = {}): Record<string, unknown> {
    return { name: "web", namespace: "web", image: "nginxinc/nginx-unprivileged:1.27.3-alpine", containerPort: 8080, ...over };
}

/** `base` (a valid config by default) with these apps. */
export function withApps(apps: unknown[], base: Record<string, unknown> = validRaw()): Record<string, unknown> {
    return { ...base, apps };
}

/** Raw config -> what the CLI hands the program: `eks-platform:key` -> string (JSON for non-strings). */
export function cliConfig(raw: Record<string, unknown>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) {
        if (v !== undefined) out[`${PROJECT}:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return out;
}

/**
 * Runs index.ts like `runProgram(stack, {config})`, but keeps what was registered when the program
 * throws (runProgram only rejects): the error is caught inside the stack, so the records survive.
 */
export async function runProgramKeepingRecords(stack: string, config: Record<string, string>):
    Promise<{ records: ResourceRecord[]; error: unknown }> {
    let error: unknown;
    const { records } = await runWithMocks(() => {
        try {
            loadIndex();
        } catch (e) {
            error = e;
        }
        return {};
    }, { stack, config });
    return { records, error };
}

const programRuns = new Map<string, Promise<RunResult<Record<string, any>>>>();

/**
 * `runProgram(stack)` on the real `Pulumi.<stack>.yaml`, run once per test process and shared by every
 * test that only reads it (the plan tests too, through `sharedRunner`). The result is deeply frozen,
 * so a test that tried to change what others read fails at once instead of passing by order.
 */
export function stackRun(stack: "dev" | "prod" | "sandbox"): Promise<RunResult<Record<string, any>>> {
    // Besides its config the program reads EKS_PLATFORM_* variables (today, the regions to register):
    // one run per set of them.
    const env = Object.entries(process.env).filter(([k]) => k.startsWith("EKS_PLATFORM_")).sort(([a], [b]) => (a < b ? -1 : 1));
    const key = JSON.stringify([stack, env]);
    let run = programRuns.get(key);
    if (!run) {
        run = runProgram(stack).then(deepFreeze);
        programRuns.set(key, run);
    }
    return run;
}

/**
 * For `plan(stack, { runProgram: sharedRunner })`: hands out the suite's one run (`stackRun`) when the
 * plan asks for exactly the config of the project's `Pulumi.<stack>.yaml`, and runs the program
 * otherwise (another folder's stack file, an edited copy).
 */
export const sharedRunner: ProgramRunner = (stack, options) => {
    if (stack === "dev" || stack === "prod" || stack === "sandbox") {
        const file = readStackConfig(PROJECT_DIR, stack);
        if (sameConfig(file, options)) return stackRun(stack);
    }
    return runProgram(stack, options);
};

function sameConfig(a: { config: Record<string, string>; secretKeys: readonly string[] }, b: { config: Record<string, string>; secretKeys: readonly string[] }): boolean {
    const canonical = (c: typeof a) => JSON.stringify([Object.entries(c.config).sort(([x], [y]) => (x < y ? -1 : 1)), [...c.secretKeys].sort()]);
    return canonical(a) === canonical(b);
}

function deepFreeze<T>(value: T): T {
    if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const child of Object.values(value)) deepFreeze(child);
    }
    return value;
}

/** Runs `build` under the mocks with one explicit provider for REGION, as RegionalPlatform does. */
export function runComponent<T>(build: (provider: aws.Provider) => T, region: string = REGION): Promise<RunResult<pulumi.Unwrap<T>>> {
    // The harness resolves the returned outputs (as stack outputs), hence the unwrapped type.
    return runWithMocks(() => {
        const provider = new aws.Provider("test-aws", { region: region as aws.Region });
        return build(provider);
    }, { stack: "test" }) as Promise<RunResult<any>>;
}

export const TEST_PROVIDER_KEY = "pulumi:providers:aws::test-aws";

/** A node group spec with the schema's defaults applied. */
export function nodeGroupSpec(spec: Partial<Record<keyof NodeGroupSpec, unknown>> = {}): NodeGroupSpec {
    return nodeGroupSchema.parse({ name: "general", instanceTypes: ["m6i.large"], minSize: 1, desiredSize: 2, maxSize: 3, ...spec });
}

// ---- reading records -------------------------------------------------------------------------

export function ofType(records: readonly ResourceRecord[], type: string): ResourceRecord[] {
    return records.filter((r) => r.type === type);
}

/** The one record of `type` named `name`; throws (naming what exists) otherwise. */
export function one(records: readonly ResourceRecord[], type: string, name: string): ResourceRecord {
    const found = records.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1) {
        const names = ofType(records, type).map((r) => r.name).join(", ");
        throw new Error(`expected one ${type} named ${name}, found ${found.length}; registered: ${names || "(none)"}`);
    }
    return found[0];
}

export function byKey(records: readonly ResourceRecord[]): Map<string, ResourceRecord> {
    return new Map(records.map((r) => [r.key, r]));
}

/** Parent chain of a record, nearest first (the record itself excluded). */
export function ancestors(records: readonly ResourceRecord[], record: ResourceRecord): ResourceRecord[] {
    const index = byKey(records);
    const out: ResourceRecord[] = [];
    let p = record.parent;
    while (p) {
        const r = index.get(p);
        if (!r) throw new Error(`${record.key}: parent ${p} was not registered`);
        out.push(r);
        p = r.parent;
    }
    return out;
}

/** The RegionalPlatform a record sits under, or undefined. */
export function regionalAncestor(records: readonly ResourceRecord[], record: ResourceRecord): ResourceRecord | undefined {
    return ancestors(records, record).find((r) => r.type === T.regional);
}

/** Policy documents and other JSON-string inputs. */
export function json(value: unknown): any {
    if (typeof value !== "string") throw new Error(`expected a JSON string, got ${JSON.stringify(value)}`);
    return JSON.parse(value);
}

/** The policy ARNs attached to the role registered as `roleName`. */
export function attachedPolicies(records: readonly ResourceRecord[], roleName: string): string[] {
    // Under the mocks a role's `name` output echoes its resource name, so attachments name the role by it.
    return ofType(records, T.attachment).filter((a) => a.inputs.role === roleName).map((a) => a.inputs.policyArn).sort();
}

/** Rejection helper: the ConfigError a promise rejects with (fails if it resolves or rejects otherwise). */
export async function configErrorOf(p: Promise<unknown>): Promise<ConfigError> {
    try {
        await p;
    } catch (e) {
        if (e instanceof ConfigError) return e;
        throw new Error(`expected a ConfigError, got ${(e as Error)?.stack ?? String(e)}`);
    }
    throw new Error("expected a ConfigError, but the program succeeded");
}
