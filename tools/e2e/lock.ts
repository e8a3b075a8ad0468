/**
 * One e2e run (or sweep) per account at a time.
 *
 * Where the lock lives: one SSM Parameter Store parameter, `/eks-platform/e2e/lock`, in a fixed home
 * region (`--lock-region`, default us-east-1), whatever region the run deploys to. Why there:
 * - PutParameter with `Overwrite: false` is an atomic create-if-absent (a second writer gets
 *   ParameterAlreadyExists), which a tag cannot give (tags have no compare-and-set);
 * - it needs nothing created first: an S3 object lock (conditional `If-None-Match` writes) needs a
 *   bucket, which would itself be something the run leaves behind;
 * - standard parameters cost nothing, and the holder, its region and expiry are readable in the
 *   console or with `aws ssm get-parameter --name /eks-platform/e2e/lock`;
 * - one home region makes it per account, not per region.
 * The record says until when it holds (the run's time limit plus the destroy allowance): a lock past
 * that is stale (a run killed without its cleanup), and `--sweep` takes it over; `--sweep --break-lock`
 * takes a live one, for a run known to be dead.
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html
 */
import type { E2eAws, LockRecord } from "./aws";
import { LOCK_PARAMETER } from "./aws";

export type LockOutcome =
    | { readonly kind: "acquired"; readonly tookOver?: LockRecord }
    | { readonly kind: "held"; readonly by: LockRecord; readonly message: string };

export function isStale(lock: LockRecord, now: number): boolean {
    const expires = Date.parse(lock.expiresAt);
    return Number.isNaN(expires) || expires <= now;
}

/** What a refused caller is told: who holds it, since and until when, and what to do. */
export function heldMessage(lock: LockRecord, lockRegion: string, forSweep: boolean): string {
    const who = `${lock.purpose === "sweep" ? "a sweep" : `run ${lock.runId}`} (${lock.caller}, region ${lock.region}) ` +
        `holds the e2e lock since ${lock.startedAt}, until ${lock.expiresAt}`;
    const what = forSweep
        ? "Wait for it to finish (it destroys and sweeps itself); if you know that run is dead, run `npm run e2e -- --sweep --break-lock`."
        : "Wait for it to finish, or, if it was killed, run `npm run e2e -- --sweep` once the lock has expired " +
          "(or `--sweep --break-lock` now if you know it is dead).";
    return `${who} (SSM parameter ${LOCK_PARAMETER} in ${lockRegion}). ${what}`;
}

/**
 * Takes the lock for `record`. A stale lock is taken over by a sweep only (a run refuses it, since the
 * stale run's leftovers must be swept first); `breakLock` (sweep only) takes any.
 */
export async function acquireLock(aws: E2eAws, record: LockRecord, o: { now: number; lockRegion: string; breakLock?: boolean }): Promise<LockOutcome> {
    const forSweep = record.purpose === "sweep";
    if (await aws.putLock(record)) return { kind: "acquired" };
    const by = await aws.getLock();
    if (!by) {
        // Released between our put and get: one more try.
        if (await aws.putLock(record)) return { kind: "acquired" };
        const again = await aws.getLock();
        if (again) return { kind: "held", by: again, message: heldMessage(again, o.lockRegion, forSweep) };
        throw new Error(`could not create the lock parameter ${LOCK_PARAMETER} in ${o.lockRegion}`);
    }
    if (forSweep && (o.breakLock || isStale(by, o.now))) {
        await aws.deleteLock();
        if (await aws.putLock(record)) return { kind: "acquired", tookOver: by };
        const winner = await aws.getLock();
        if (winner) return { kind: "held", by: winner, message: heldMessage(winner, o.lockRegion, forSweep) };
    }
    return { kind: "held", by, message: heldMessage(by, o.lockRegion, forSweep) };
}

/** Releases the lock if it is still ours. */
export async function releaseLock(aws: E2eAws, runId: string): Promise<boolean> {
    const lock = await aws.getLock();
    if (!lock || lock.runId !== runId) return false;
    await aws.deleteLock();
    return true;
}
