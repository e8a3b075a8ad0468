/**
 * The disposable stack an e2e run deploys: the smallest configuration that still exercises what a
 * real stack has (one region, two zones, one NAT gateway, a small on-demand node group, the load
 * balancer controller, one app behind an internet-facing ALB), tagged with the run id so the sweep
 * finds everything it leaves. Pure: options in, the stack file's `config` out.
 */
import { stringify } from "yaml";
import { COMPUTE_MODES } from "../../stacks/schema";
import { CONTROLLER_CHART } from "../../components/ingress-settings";
import { KARPENTER } from "../../facts/karpenter";
import { AUTO_MODE_OWNED_ADDONS } from "../../components/compute/auto/settings";
import { ADDONS } from "../../components/addons-plan";
import { E2E_TAG } from "./names";

/** What `--compute` accepts. */
export const COMPUTE_CHOICES = ["managed", "karpenter", "auto"] as const;
export type ComputeChoice = (typeof COMPUTE_CHOICES)[number];

/**
 * The schema's compute mode for a choice, or undefined when this checkout does not build it yet:
 * EKS Auto Mode is issue 19's; until a mode naming "auto" is in `COMPUTE_MODES`, `--compute auto` is refused.
 */
export function computeModeFor(choice: ComputeChoice, modes: readonly string[] = COMPUTE_MODES): string | undefined {
    switch (choice) {
        case "managed": return "managed-node-groups";
        case "karpenter": return "karpenter";
        case "auto": return modes.find((m) => /auto/i.test(m));
    }
}

/** The app every run deploys and checks (a pinned unprivileged nginx, as Pulumi.dev.yaml). */
export const E2E_APP = {
    name: "hello",
    namespace: "e2e-hello",
    image: "nginxinc/nginx-unprivileged:1.27.3-alpine",
    containerPort: 8080,
    replicas: 2,
    healthPath: "/",
    path: "/",
    scheme: "internet-facing",
    targetType: "ip",
    resources: { cpuRequest: "50m", memoryRequest: "64Mi", memoryLimit: "128Mi" },
} as const;

/** The VPC of the run: any /16 works, the stack is alone in its VPC. */
export const E2E_VPC_CIDR = "10.99.0.0/16";

export interface E2eStackOptions {
    readonly runId: string;
    /** The account the run deploys into (eks-platform:accountId: every AWS provider refuses any other). */
    readonly account: string;
    readonly region: string;
    /** The schema's compute mode (computeModeFor). */
    readonly computeMode: string;
    /** CIDRs allowed to the public API endpoint: the checks call it from where the run runs. */
    readonly apiCidrs: readonly string[];
}

/** The stack's `config` (keys as in a Pulumi.<stack>.yaml). */
export function e2eStackConfig(o: E2eStackOptions): Record<string, unknown> {
    const karpenter = o.computeMode === "karpenter";
    // Auto Mode: no node groups (refused with it); the built-in pools launch what the app needs.
    const auto = o.computeMode === "auto";
    return {
        "pulumi:disable-default-providers": ["aws", "kubernetes"],
        "eks-platform:environment": o.runId,
        "eks-platform:accountId": o.account,
        "eks-platform:production": false,
        // Nothing protected, no deletion protection: destroy must be able to remove everything.
        "eks-platform:protect": false,
        "eks-platform:tags": { [E2E_TAG]: o.runId, purpose: "e2e" },
        "eks-platform:regions": [{ region: o.region, vpcCidr: E2E_VPC_CIDR, azCount: 2 }],
        "eks-platform:natGateways": "single",
        "eks-platform:flowLogs": false,
        "eks-platform:endpointAccess": "public",
        "eks-platform:publicAccessCidrs": [...o.apiCidrs],
        // The shortest retention CloudWatch accepts: the log group is destroyed with the stack anyway.
        "eks-platform:logRetentionDays": 1,
        "eks-platform:albAccessLogs": false,
        "eks-platform:albDeletionProtection": false,
        "eks-platform:computeMode": o.computeMode,
        ...(auto ? {} : { "eks-platform:nodeGroups": [{
            name: "system",
            instanceTypes: ["t3.large", "t3a.large"],
            capacityType: "ON_DEMAND",
            minSize: 2,
            desiredSize: 2,
            maxSize: 2,
            diskSizeGiB: 20,
            ...(karpenter ? { taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NoSchedule" }] } : {}),
        }] }),
        ...(karpenter ? { "eks-platform:karpenter": { nodePools: [{ name: "e2e", limits: { cpu: 8, memoryGiB: 32 } }] } } : {}),
        "eks-platform:apps": [E2E_APP],
    };
}

/** The stack file's text. */
export function e2eStackFile(o: E2eStackOptions): string {
    return `# Written by npm run e2e for run ${o.runId}; removed with the stack. Do not edit.\n${stringify({ config: e2eStackConfig(o) })}`;
}

/** The Deployments the checks expect available (namespace/name), besides the app's. Auto Mode runs none of them in the cluster. */
export function controllerDeployments(computeMode: string): string[] {
    if (computeMode === "auto") return [];
    const out = [`${CONTROLLER_CHART.namespace}/${CONTROLLER_CHART.chart}`, "kube-system/coredns"];
    if (computeMode === "karpenter") out.push(`${KARPENTER.namespace}/karpenter`);
    return out;
}

/** The EKS add-ons the checks expect ACTIVE: the platform's, minus those Auto Mode runs itself. */
export function expectedAddons(computeMode: string): string[] {
    const owned: readonly string[] = computeMode === "auto" ? AUTO_MODE_OWNED_ADDONS : [];
    return ADDONS.map((a) => a.name).filter((n) => !owned.includes(n));
}

/** Nodes the checks expect Ready at least: the node group's two, or one that Auto Mode launched for the app. */
export function minimumNodes(computeMode: string): number {
    return computeMode === "auto" ? 1 : 2;
}
