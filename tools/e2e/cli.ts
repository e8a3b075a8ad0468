/**
 * `npm run e2e -- --account <id> [--region r] [--compute managed|karpenter|auto] [--keep] [--yes] [--sweep]`
 *
 * Wires the real AWS SDK, the Automation API, the offline plan, the Kubernetes API and signals around
 * run.ts; every decision is there. See docs/e2e.md.
 */
import * as path from "path";
import * as readline from "readline";
import { projectName } from "../harness/stack-files";
import { PROJECT } from "../../stacks/errors";
import { runAsScript } from "../script-entry";
import { Interrupts, SignalSource } from "../rollout/interrupts";
import { probeHttp } from "../rollout/health";
import { sleep } from "../rollout/sleep";
import { E2E_USAGE, parseE2eArgs } from "./args";
import { sdkE2eAws } from "./aws";
import { kubeReader } from "./kube";
import { newRunId } from "./names";
import { runPrices } from "./prices";
import { E2E_EXIT, writeE2eReport } from "./report";
import { E2eDeps, runE2e } from "./run";
import { automationE2eStack } from "./stack";
import { defaultCredentials, eksToken } from "./token";

/** The repository root: the Pulumi project directory. */
export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

export interface E2eCliDeps {
    /** Replaces any of the real dependencies (tests). */
    readonly deps?: Partial<E2eDeps>;
    readonly signals?: SignalSource;
    readonly out?: (line: string) => void;
    /** Compute modes the schema offers (tests). @default COMPUTE_MODES */
    readonly modes?: readonly string[];
}

function ask(question: string): Promise<boolean> {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
    return new Promise((resolve) => rl.question(question, (a) => {
        rl.close();
        resolve(/^y(es)?$/i.test(a.trim()));
    }));
}

export async function main(argv: readonly string[], c: E2eCliDeps = {}): Promise<number> {
    const out = c.out ?? ((l: string) => console.log(l));
    const parsed = parseE2eArgs(argv, c.modes);
    if (parsed.kind === "help") {
        out(E2E_USAGE);
        return E2E_EXIT.OK;
    }
    if (parsed.kind === "error") {
        out(`error: ${parsed.message}\n\n${E2E_USAGE}`);
        return E2E_EXIT.REFUSED;
    }
    const o = parsed.options;
    const forced = new AbortController();
    const interrupts = new Interrupts({
        onFirst: (s) => out(`${s} received: stopping what runs, then destroying (send it again to stop the destroy too).`),
        onForce: (s) => {
            out(`${s} received again: stopping the destroy; the stack is left for npm run e2e -- --sweep.`);
            forced.abort();
        },
    });
    const uninstall = interrupts.install(c.signals);
    try {
        const projectDir = c.deps?.projectDir ?? PROJECT_DIR;
        const credentials = c.deps?.kube ? undefined : defaultCredentials();
        const deps: E2eDeps = {
            aws: c.deps?.aws ?? sdkE2eAws({ lockRegion: o.lockRegion }),
            stacks: c.deps?.stacks ?? {
                create: (runId) => automationE2eStack({ stackName: runId, workDir: projectDir }, true),
                open: (runId) => automationE2eStack({ stackName: runId, workDir: projectDir }, false),
            },
            plan: c.deps?.plan ?? (async (runId) => {
                const { plan } = await import("../plan/plan");
                const { prices } = await import("../facts/refresh/tables");
                const { awsReaders } = await import("../facts/refresh/clients");
                const { instanceTypesToPrice } = await import("../plan/cost/prices-cli");
                const { readPriceTable } = await import("../plan/cost/prices");
                const { resolveToday } = await import("../../stacks/today");
                const fresh = await runPrices({
                    refresher: prices(() => [o.region], () => instanceTypesToPrice(readPriceTable(), projectDir)),
                    aws: awsReaders(), today: resolveToday(),
                });
                out(`Prices: ${fresh.note}.`);
                const p = await plan(runId, { dir: projectDir, out: false, priceTable: fresh.table });
                return { ok: p.status === "planned", error: p.error, timeline: p.timeline, cost: p.cost, pricesNote: fresh.note };
            }),
            kube: c.deps?.kube ?? ((cluster, region) => kubeReader({
                server: cluster.endpoint!,
                ca: cluster.certificateAuthority ? Buffer.from(cluster.certificateAuthority, "base64").toString("utf8") : undefined,
                token: async () => eksToken(cluster.name, region, await credentials!()),
            })),
            probe: c.deps?.probe ?? probeHttp,
            eks: c.deps?.eks ?? (await import("../rollout/eks-api")).awsEksClusterApi(),
            connect: c.deps?.connect,
            interruptGraceMs: c.deps?.interruptGraceMs,
            account: c.deps?.account ?? (await import("../rollout/account")).stsAccountApi({ region: o.region }),
            projectDir,
            project: c.deps?.project ?? projectName(projectDir) ?? PROJECT,
            newRunId: c.deps?.newRunId ?? (() => newRunId()),
            now: c.deps?.now ?? Date.now,
            sleep: c.deps?.sleep ?? sleep,
            log: c.deps?.log ?? out,
            confirm: c.deps?.confirm ?? (process.stdin.isTTY ? ask : undefined),
            interrupted: interrupts.signal,
            forced: forced.signal,
            sweepRounds: c.deps?.sweepRounds,
            sweepWaitMs: c.deps?.sweepWaitMs,
            http: c.deps?.http,
        };
        const report = await runE2e(o, deps);
        try {
            const written = writeE2eReport(o.out, report);
            out(`Report: ${written.join(", ")}`);
        } catch (e) {
            out(`could not write the report to ${o.out}: ${(e as Error).message}`);
        }
        out(`e2e ${report.status} (exit code ${report.exitCode})${report.failure ? `: ${report.failure}` : ""}`);
        return report.exitCode ?? E2E_EXIT.FAILED;
    } finally {
        uninstall();
    }
}

if (require.main === module) void runAsScript(main, E2E_EXIT.FAILED);
