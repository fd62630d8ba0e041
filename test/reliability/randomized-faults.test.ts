import { describe, expect, it } from 'vitest';
import { simulate, type SimulationResult } from './simulation.js';

/**
 * Issue 5, "The proof": a few hundred sweeps over an organization that evolves at random (accounts fail,
 * change failed status or error code, recover, go in progress, join, leave; packs appear and disappear,
 * some between a sweep's listing and its reading; accounts move while a sweep reads them), with faults
 * injected at every port through in-memory fakes (faulty-ports.ts): Config errors and throttling on
 * every call, a pack deleted mid-read, malformed records, lagging or stuck summary statuses, DynamoDB
 * loads and (half-done) writes failing, SNS refusing, SNS accepting with the answer lost, and a crash
 * between an accepted publish and its state write (the invocation ends there and never releases its
 * lease). Some sweeps have a deadline that expires part-way, some skip healthy packs by their summary
 * status, some watch stuck deployments, and some are two invocations started together on the same
 * state through the lease. Then the faults stop and the monitor must settle on the truth.
 *
 * The oracle (oracle.ts) knows the true history (organization.ts) and every alert SNS accepted.
 *
 * Episode: a (region, pack, account) starts a failure episode when it enters CREATE_/UPDATE_/DELETE_FAILED
 * (from any other status, or from not being deployed) and ends it when it leaves the failed statuses.
 * Moving between failed statuses or error codes stays in the episode. Pack names and account IDs are
 * never reused, so a deleted pack or an account that left is out of scope for good; nothing is muted.
 *
 * - zero lost: after a sweep that completed (did not throw) and read a pack completely (its
 *   failing-accounts listing and, with stuck alerts on, its in-progress listing succeeded, and the pack
 *   still exists), every account the sweep last saw failing there must have been told to subscribers
 *   since they were last told it RECOVERED (if ever): a NEW_FAILURE, or a CHANGED_FAILURE or REMINDER
 *   carrying its current failed status. So each episode is alerted once a complete read saw it, except
 *   that a recovery no alert ever announced does not start a new episode for subscribers (a
 *   recover-and-fail-again between two reads is invisible; counted as unseenRecoveries).
 * - no false recovery: every RECOVERED rests on a read of that account (a recheck, or the in-progress
 *   listing) by the sweep that produced it (for a change re-sent from an unconfirmed stage: the sweep
 *   that staged it), and the account was not failing at that read. Checked for every sweep, whether
 *   or not it completed.
 * - duplicates: a NEW_FAILURE for an episode that already had one. Each must be explained by a distinct
 *   earlier NEW_FAILURE of that account and episode that SNS accepted but whose state write did not
 *   happen (a crash right after the publish, a failed or half-done write, a lost acknowledgement), with
 *   no confirming write for that account applied since: at most one duplicate per change such a fault
 *   left unrecorded. `allowed` is the number of such NEW_FAILURE changes.
 * Also, always: overlapping invocations never both sweep and a crashed run's lease blocks others until
 * it expires; every error that escapes a sweep is an injected one; no call after a crash; failure alerts
 * carry what the sweep read; once faults stop, one clean sweep leaves exactly the truth in the state and
 * the next one over the unchanged organization sends nothing but due reminders.
 * Also failed on (beyond what the issue asks; PACKWATCH_FAULT_STRICT=0 only prints them): `repeats`
 * (CHANGED_FAILURE to the status and code last alerted in the episode, REMINDER before its interval,
 * RECOVERED after RECOVERED) that no fault between a state write and a publish explains, and `stale`
 * (a failing account whose last alert carries another failed status or error code).
 *
 * Runs the fixed seed and one random seed; PACKWATCH_FAULT_SEED=<seed> (or `random`) runs that one only.
 * Also PACKWATCH_FAULT_SWEEPS=<n> (default 300) and PACKWATCH_FAULT_STRICT=0.
 */

const DEFAULT_SEED = 20_261_127;
const SWEEPS = Number(process.env.PACKWATCH_FAULT_SWEEPS ?? 300);
const STRICT = process.env.PACKWATCH_FAULT_STRICT !== '0';
const requested = process.env.PACKWATCH_FAULT_SEED;
const randomSeed = () => Math.floor(Math.random() * 2 ** 31);
// A fixed seed, so CI is reproducible, and a fresh one per run, so every run explores a new history
// (green on 1,000 consecutive seeds when written; a failure prints the seed to replay).
const seeds: { readonly seed: number; readonly why: string }[] = requested
  ? [{ seed: requested === 'random' ? randomSeed() : Number(requested), why: 'replayed' }]
  : [
      { seed: DEFAULT_SEED, why: 'fixed' },
      { seed: randomSeed(), why: 'random' },
    ];

describe('randomized faults with an oracle', () => {
  for (const { seed, why } of seeds) {
    it(`loses no alert, reports no false recovery and duplicates only what a crash explains (${why} seed ${seed}, ${SWEEPS} sweeps)`, async () => {
      if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`PACKWATCH_FAULT_SEED must be a non-negative integer or "random", got ${requested}`);
      const started = performance.now();
      const result = await simulate({ seed, sweeps: SWEEPS, strict: STRICT });
      const report = reportOf(result, ((performance.now() - started) / 1000).toFixed(1));
      console.log(report);
      const { figures } = result;

      expect(figures.lost, report).toBe(0);
      expect(figures.falseRecoveries + figures.unreadRecoveries, report).toBe(0);
      expect(figures.unexplainedDuplicates, report).toBe(0);
      expect(figures.duplicates, report).toBeLessThanOrEqual(figures.allowedDuplicates);
      expect(result.violations, report).toEqual([]);

      if (why === 'fixed' && SWEEPS >= 200) {
        // The run exercised what it claims to prove: a change to the harness must not make it vacuous.
        expect(result.crashes, report).toBeGreaterThan(5);
        expect(figures.duplicates, report).toBeGreaterThan(0);
        expect(result.outcomes.swept, report).toBeGreaterThan(SWEEPS / 2);
        expect(result.outcomes.failed, report).toBeGreaterThan(5);
        expect(result.outcomes.skipped, report).toBeGreaterThan(5);
        expect(result.overlaps.oneRan, report).toBeGreaterThan(5);
        expect(result.deferredPacks, report).toBeGreaterThan(5);
        expect(result.packsSkipped, report).toBeGreaterThan(0);
        // Packs with records were diffed from their digest alone (the records unread), and whole regions read without digests.
        expect(result.storeReads.diffedFromDigest, report).toBeGreaterThan(20);
        expect(result.storeReads.regionRecordReads, report).toBeGreaterThan(0);
        expect(figures.episodesChecked, report).toBeGreaterThan(100);
        for (const kind of ['listPacks', 'listFailingAccounts', 'listInProgressAccounts', 'getAccountDeployment', 'loadBookkeeping', 'loadRecords', 'publish', 'crash', 'crashAfterBookkeeping', 'packDeletedMidSweep']) {
          expect(result.faultsByKind[kind] ?? 0, `${kind} faults\n${report}`).toBeGreaterThan(0);
        }
        for (const kind of ['NEW_FAILURE', 'CHANGED_FAILURE', 'REMINDER', 'RECOVERED', 'STUCK']) {
          expect(result.alerts[kind] ?? 0, `${kind} alerts\n${report}`).toBeGreaterThan(0);
        }
      }
    });
  }
});

function reportOf(result: SimulationResult, seconds: string): string {
  const { figures } = result;
  return [
    result.summary,
    `replay: PACKWATCH_FAULT_SEED=${result.seed} PACKWATCH_FAULT_SWEEPS=${result.sweeps} npx vitest run test/reliability/randomized-faults.test.ts (${seconds} s)`,
    result.details,
    ...result.violations.slice(0, 12).map((violation) => `VIOLATION ${violation}`),
    ...(result.violations.length > 12 ? [`… and ${result.violations.length - 12} more violation(s)`] : []),
    `${STRICT ? 'strict' : 'not failed on (strict off)'}: ${figures.unexplainedRepeats} repeat(s) no fault explains ` +
      `(${figures.unexplainedEarlyReminders} of them REMINDERs before their interval), ${figures.stale} stale status(es)`,
    ...result.notes.slice(0, 3).map((note) => `NOTE ${note}`),
  ].join('\n');
}
