/**
 * The command line of `npm run e2e -- ...` (util.parseArgs). Pure: options or a usage error that says
 * what to do; nothing here touches AWS.
 */
import { parseArgs } from "util";
import { AWS_REGIONS } from "../../stacks/schema";
import { COMPUTE_CHOICES, ComputeChoice, computeModeFor } from "./stack-config";

export interface E2eOptions {
    /** `--account`: the 12-digit account the run must be in (checked against STS GetCallerIdentity). */
    readonly account: string;
    readonly region: string;
    readonly compute: ComputeChoice;
    /** The schema's compute mode for `compute`. */
    readonly computeMode: string;
    /** `--keep`: leave the stack up (no destroy, no sweep); remove it later with `--sweep`. */
    readonly keep: boolean;
    /** `--yes`: no question before creating (CI). */
    readonly yes: boolean;
    /** `--sweep`: no run; destroy stacks earlier runs left, remove leftovers. */
    readonly sweep: boolean;
    /** `--break-lock` (with --sweep): take the lock from a run known to be dead. */
    readonly breakLock: boolean;
    /** `--time-limit`: minutes from start until the run stops and destroys. */
    readonly timeLimitMinutes: number;
    /** `--max-cost`: USD the estimated cost of the run (time limit plus destroy) may reach. */
    readonly maxCostUsd: number;
    /** `--accept-unpriced`: go ahead although the estimate has items without a price (listed). */
    readonly acceptUnpriced: boolean;
    readonly lockRegion: string;
    /** `--api-cidr`: CIDRs allowed to the cluster's public endpoint (repeatable). */
    readonly apiCidrs: readonly string[];
    /** `--out DIR`: where e2e-report.md and .json go. */
    readonly out: string;
}

export type ParsedE2eArgs =
    | { readonly kind: "run"; readonly options: E2eOptions }
    | { readonly kind: "help" }
    | { readonly kind: "error"; readonly message: string };

export const DEFAULTS = {
    region: "ap-northeast-1",
    compute: "managed" as ComputeChoice,
    timeLimitMinutes: 90,
    maxCostUsd: 5,
    lockRegion: "us-east-1",
    apiCidrs: ["0.0.0.0/0"],
    out: ".",
};

export const E2E_USAGE = `Usage: npm run e2e -- --account <12 digits> [options]
       npm run e2e -- --account <12 digits> --sweep [--region r] [--break-lock]

Creates a disposable stack (e2e-xxxxxx: one region, two zones, one NAT gateway, two t3.large nodes,
one app behind an internet-facing ALB), rolls it out with npm run rollout's engine, checks it live
(EKS, Kubernetes API, HTTP, drift), destroys it and sweeps what is left. Writes e2e-report.md/.json.
Use a sandbox account: it refuses an account holding eks-platform resources it did not create.

Options:
  --account <id>        The account to run in; must be the credentials' account (required).
  --region <r>          Region (default ${DEFAULTS.region}, where the price table prices every item).
  --compute <mode>      managed | karpenter | auto (default managed; auto = EKS Auto Mode, whose
                        management fee the price table lacks: add --accept-unpriced).
  --keep                Do not destroy (inspect it; remove it later with --sweep).
  --yes                 Do not ask before creating (CI).
  --sweep               No run: destroy stacks earlier runs left, remove leftovers, release a stale lock.
  --break-lock          With --sweep: take the lock from a run you know is dead.
  --time-limit <min>    Stop and destroy after this many minutes (default ${DEFAULTS.timeLimitMinutes}).
  --max-cost <usd>      Refuse when the estimated cost of the run exceeds this (default ${DEFAULTS.maxCostUsd}).
  --accept-unpriced     Go ahead although the price table lacks items (listed; e.g. karpenter's
                        m6i and SQS in ap-northeast-1): the estimate is then a lower bound.
  --lock-region <r>     Region of the account's lock parameter (default ${DEFAULTS.lockRegion}).
  --api-cidr <cidr>     CIDR allowed to the cluster API (repeatable; default 0.0.0.0/0; the checks call it).
  --out <dir>           Where e2e-report.md and e2e-report.json go (default: current folder).
  -h, --help            Show this help.

Needs AWS credentials (the default chain: AWS_PROFILE, SSO, environment, web identity), the pulumi
CLI and a backend (PULUMI_BACKEND_URL or pulumi login; PULUMI_CONFIG_PASSPHRASE for a DIY backend).

Exit codes: 0 passed and nothing left, 1 a step or check failed, 2 refused before anything was created,
4 leftovers found (listed; --sweep removes them), 130 interrupted (destroyed unless interrupted twice).`;

const ACCOUNT = /^\d{12}$/;
const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;

export function parseE2eArgs(argv: readonly string[], modes?: readonly string[]): ParsedE2eArgs {
    let values: Record<string, string | boolean | string[] | undefined>;
    try {
        ({ values } = parseArgs({
            args: [...argv],
            options: {
                account: { type: "string" },
                region: { type: "string" },
                compute: { type: "string" },
                keep: { type: "boolean" },
                yes: { type: "boolean" },
                sweep: { type: "boolean" },
                "break-lock": { type: "boolean" },
                "time-limit": { type: "string" },
                "max-cost": { type: "string" },
                "accept-unpriced": { type: "boolean" },
                "lock-region": { type: "string" },
                "api-cidr": { type: "string", multiple: true },
                out: { type: "string" },
                help: { type: "boolean", short: "h" },
            },
            strict: true,
            allowPositionals: false,
        }));
    } catch (e) {
        return { kind: "error", message: (e as Error).message };
    }
    if (values.help) return { kind: "help" };
    const account = values.account as string | undefined;
    if (account === undefined) return { kind: "error", message: "--account is required: the 12-digit id of the sandbox account (aws sts get-caller-identity shows it)" };
    if (!ACCOUNT.test(account)) return { kind: "error", message: `--account ${JSON.stringify(account)} is not a 12-digit AWS account id` };
    const region = (values.region as string | undefined) ?? DEFAULTS.region;
    for (const [flag, r] of [["--region", region], ["--lock-region", values["lock-region"] as string | undefined]] as const) {
        if (r !== undefined && !AWS_REGIONS.includes(r)) {
            return { kind: "error", message: `${flag} ${JSON.stringify(r)} is not a region the stack schema allows (eks-platform:regions[].region); use a region code such as ap-northeast-1` };
        }
    }
    const compute = (values.compute as string | undefined) ?? DEFAULTS.compute;
    if (!(COMPUTE_CHOICES as readonly string[]).includes(compute)) {
        return { kind: "error", message: `--compute ${JSON.stringify(compute)}: expected one of ${COMPUTE_CHOICES.join(", ")}` };
    }
    const computeMode = computeModeFor(compute as ComputeChoice, modes);
    if (computeMode === undefined) {
        return { kind: "error", message: `--compute ${compute}: not built yet (no EKS Auto Mode in eks-platform:computeMode on this checkout); use --compute managed or karpenter` };
    }
    const number = (flag: string, v: unknown, fallback: number, max: number): number | string => {
        if (v === undefined) return fallback;
        const n = Number(v);
        return Number.isFinite(n) && n > 0 && n <= max ? n : `${flag} ${JSON.stringify(v)}: expected a number above 0, at most ${max}`;
    };
    const timeLimit = number("--time-limit", values["time-limit"], DEFAULTS.timeLimitMinutes, 24 * 60);
    if (typeof timeLimit === "string") return { kind: "error", message: timeLimit };
    const maxCost = number("--max-cost", values["max-cost"], DEFAULTS.maxCostUsd, 10_000);
    if (typeof maxCost === "string") return { kind: "error", message: maxCost };
    const apiCidrs = (values["api-cidr"] as string[] | undefined) ?? DEFAULTS.apiCidrs;
    const bad = apiCidrs.find((c) => !CIDR.test(c));
    if (bad) return { kind: "error", message: `--api-cidr ${JSON.stringify(bad)} is not an IPv4 CIDR such as 203.0.113.7/32` };
    if (values["break-lock"] && !values.sweep) return { kind: "error", message: "--break-lock goes with --sweep only" };
    return {
        kind: "run",
        options: {
            account, region, compute: compute as ComputeChoice, computeMode,
            keep: values.keep === true, yes: values.yes === true, sweep: values.sweep === true, breakLock: values["break-lock"] === true,
            timeLimitMinutes: timeLimit, maxCostUsd: maxCost, acceptUnpriced: values["accept-unpriced"] === true,
            lockRegion: (values["lock-region"] as string | undefined) ?? DEFAULTS.lockRegion,
            apiCidrs, out: (values.out as string | undefined) ?? DEFAULTS.out,
        },
    };
}
