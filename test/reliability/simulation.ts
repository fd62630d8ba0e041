import type { AlertDocument } from '../../lambda/domain/alert-document.js';
import type { AlertMessage } from '../../lambda/domain/alert-message.js';
import type { Log } from '../../lambda/log.js';
import { newSweepCounters } from '../../lambda/sweep-counters.js';
import { runExclusiveSweep, runSweep, type SweepSettings } from '../../lambda/sweep.js';
import { ManualClock } from '../support/in-memory-ports.js';
import { FaultWorld, SimulatedCrash, SweepRun } from './faulty-ports.js';
import { Oracle, type OracleFigures } from './oracle.js';
import { REGIONS, TrueOrganization, evolve, keyOf, packKeyOf, seedOrganization } from './organization.js';
import { Random, streamSeed } from './prng.js';

export const REMINDER_INTERVAL_MS = 3 * 3_600_000;
export const LEASE_DURATION_MS = 15 * 60_000;
/** When on, packs whose summary status says healthy (and with nothing recorded) are skipped between full reads. */
export const FULL_READ_INTERVAL_MS = 2 * 3_600_000;
/** When on, an account in progress this long is alerted once as STUCK (and accounts in progress are listed). */
export const STUCK_AFTER_MS = 90 * 60_000;

export interface SimulationOptions {
  readonly seed: number;
  readonly sweeps: number;
  /** Also fail on repeats no fault explains and on stale statuses (beyond what issue 5 asks). @default false */
  readonly strict?: boolean;
  /** Replaces the product's sweep (sabotage checks only). */
  readonly runSweep?: typeof runSweep;
  /** Replaces the product's exclusive sweep (sabotage checks only). */
  readonly runExclusiveSweep?: typeof runExclusiveSweep;
}

export type RunOutcome = 'swept' | 'skipped' | 'failed' | 'crashed' | 'unexpected';

export interface SimulationResult {
  readonly seed: number;
  readonly sweeps: number;
  readonly invocations: number;
  readonly outcomes: Record<RunOutcome, number>;
  readonly faults: number;
  /** Crashes between an accepted publish and its state write. */
  readonly crashes: number;
  readonly crashesBeforePublish: number;
  readonly faultsByKind: Readonly<Record<string, number>>;
  readonly figures: OracleFigures;
  readonly overlaps: { readonly pairs: number; readonly oneRan: number; readonly noneRan: number };
  readonly deadlineSweeps: number;
  readonly deferredPacks: number;
  readonly packsSkipped: number;
  /** Failing-account listings; records read by pack or by region; packs with records listed and diffed from their digest alone. */
  readonly storeReads: { readonly failingListings: number; readonly packRecordReads: number; readonly regionRecordReads: number; readonly diffedFromDigest: number };
  readonly alerts: Readonly<Record<string, number>>;
  readonly organizationEvents: Readonly<Record<string, number>>;
  readonly violations: readonly string[];
  readonly notes: readonly string[];
  /** The one line to print. */
  readonly summary: string;
  /** Everything else worth printing. */
  readonly details: string;
}

const SILENT: Log = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * Runs `sweeps` scheduled invocations over a randomly evolving organization with faults injected at
 * every port, then stops the faults and lets the monitor settle, and returns what the oracle found.
 * Everything is driven by `seed`: the same seed replays the same history.
 */
export async function simulate(options: SimulationOptions): Promise<SimulationResult> {
  const sweepOnce = options.runSweep ?? runSweep;
  const sweepExclusively = options.runExclusiveSweep ?? runExclusiveSweep;
  const clock = new ManualClock(new Date('2026-11-27T00:00:00.000Z'));
  const org = new TrueOrganization(clock);
  const evolution = new Random(streamSeed(options.seed, 0));
  const schedule = new Random(streamSeed(options.seed, 2));
  seedOrganization(org, evolution, { members: 30, packsPerRegion: 3 });

  const outcomesById = new Map<string, { outcome: RunOutcome | 'running'; faults: string[] }>();
  const oracle = new Oracle(org, REMINDER_INTERVAL_MS, (id) => {
    const run = outcomesById.get(id);
    return run ? `${run.outcome}${run.faults.length > 0 ? `; faults ${run.faults.join(',')}` : ''}` : id;
  }, options.strict ?? false);
  const world = new FaultWorld(org, clock, oracle, new Random(streamSeed(options.seed, 1)));

  const outcomes: Record<RunOutcome, number> = { swept: 0, skipped: 0, failed: 0, crashed: 0, unexpected: 0 };
  const overlaps = { pairs: 0, oneRan: 0, noneRan: 0 };
  let invocations = 0;
  let deadlineSweeps = 0;
  let deferredPacks = 0;
  let packsSkipped = 0;

  const invoke = async (run: SweepRun, mode: 'plain' | 'exclusive', settings: SweepSettings): Promise<RunOutcome> => {
    invocations += 1;
    outcomesById.set(run.id, { outcome: 'running', faults: run.faults });
    const { source, store, notifier, lease } = world.portsFor(run);
    const counters = newSweepCounters();
    const deps = { source, store, notifier, clock, log: SILENT, counters };
    let outcome: RunOutcome;
    try {
      if (mode === 'plain') {
        packsSkipped += (await sweepOnce(run.id, settings, deps)).packsSkipped ?? 0;
        outcome = 'swept';
      } else {
        const result = await sweepExclusively(run.id, settings, { ...deps, lease, leaseOwner: run.owner, leaseDurationMs: LEASE_DURATION_MS });
        if (result.outcome === 'swept') packsSkipped += result.report.packsSkipped ?? 0;
        outcome = result.outcome;
      }
    } catch (error) {
      if (run.dead || error instanceof SimulatedCrash) outcome = 'crashed';
      else if (world.isInjected(error)) outcome = 'failed';
      else {
        outcome = 'unexpected';
        oracle.violation(`sweep #${run.index} (${run.id}) failed with an error no fault explains: ${error instanceof Error ? error.stack : String(error)}`);
      }
    }
    deferredPacks += counters.deferredPacks;
    world.storeReads.diffedFromDigest += [...run.listedWithRecords].filter((pack) => !run.recordsRead.has(pack) && !run.recordsRead.has(pack.split('|')[0]!)).length;
    outcomes[outcome] += 1;
    // Written ahead of a publish that never came: the next alert about them may tell nothing new, once.
    oracle.unsent(
      [...world.staged]
        .filter(([key, staged]) => staged.run === run.id && !run.publishedKeys.has(key))
        .map(([key, staged]) => ({ key, kind: staged.change.kind, episode: staged.read?.episode ?? org.episode(key).index })),
    );
    outcomesById.set(run.id, { outcome, faults: run.faults });
    // Only a sweep that completed is held to "no failure it read goes unalerted". Packs it read but left
    // for the next sweep (its change budget) are held to it when a later sweep handles them.
    if (outcome === 'swept') {
      for (const [region, bookkeeping] of world.bookkeeping) for (const pack of bookkeeping.deferredPacks) run.incompletePacks.add(packKeyOf(region, pack));
      oracle.checkAfterSuccess(run);
    }
    return outcome;
  };

  // Deployments keep their settings for a while: summaries and stuck alerts are switched now and then.
  let useSummaries = schedule.chance(0.7);
  let watchStuck = schedule.chance(0.5);
  const settingsFor = (deadline: Date | undefined): SweepSettings => {
    if (schedule.chance(0.04)) useSummaries = !useSummaries;
    if (schedule.chance(0.04)) watchStuck = !watchStuck;
    return {
      regions: [...REGIONS],
      reminderIntervalMs: REMINDER_INTERVAL_MS,
      regionConcurrency: schedule.int(1, 2),
      packConcurrency: schedule.int(1, 4),
      ...(deadline ? { deadline } : {}),
      ...(useSummaries ? { fullReadIntervalMs: FULL_READ_INTERVAL_MS } : {}),
      ...(watchStuck ? { stuckAfterMs: STUCK_AFTER_MS } : {}),
      // Now and then a change budget far below the changes at hand: the packs beyond wait for later sweeps.
      ...(schedule.chance(0.15) ? { maxChangesPerSweep: schedule.int(1, 4) } : {}),
    };
  };

  for (let index = 1; index <= options.sweeps; index += 1) {
    // Between two scheduled runs the organization moves on.
    clock.advance(schedule.int(5, 35) * 60_000);
    evolve(org, clock, evolution, evolution.int(0, 6));

    world.intensity = schedule.pick([0, 0, 0.03, 0.08, 0.15, 0.3]);
    const mode = schedule.weighted({ exclusive: 70, plain: 15, overlap: 15 });
    // Some runs get a time budget that runs out part-way through reading.
    const deadline = schedule.chance(0.2) ? new Date(clock.now().getTime() + schedule.int(0, 3_000)) : undefined;
    if (deadline) deadlineSweeps += 1;
    const leaseHeld = world.lease.heldAt(clock.now());

    if (mode === 'overlap') {
      // A manual invoke (or a retried event) lands while the scheduled run starts: one may sweep.
      overlaps.pairs += 1;
      const first = new SweepRun(index, `sweep-${index}a`, `owner-${index}a`);
      const second = new SweepRun(index, `sweep-${index}b`, `owner-${index}b`);
      const settings = settingsFor(deadline);
      await Promise.all([invoke(first, 'exclusive', settings), invoke(second, 'exclusive', settings)]);
      const ran = [first, second].filter((run) => run.calls > 0).length;
      if (ran === 1) overlaps.oneRan += 1;
      if (ran === 0) overlaps.noneRan += 1;
      if (ran > 1) oracle.violation(`overlap: sweeps #${index}a and #${index}b both ran (lease ${leaseHeld ? 'held' : 'free'} at start)`);
      if (leaseHeld && ran > 0) oracle.violation(`overlap: a sweep ran at #${index} while a crashed run's lease had not expired`);
      const leaseFaults = [first, second].some((run) => run.faults.includes('leaseAcquire'));
      if (!leaseHeld && ran === 0 && !leaseFaults) oracle.violation(`overlap: neither sweep ran at #${index} though the lease was free`);
    } else {
      const run = new SweepRun(index, `sweep-${index}`, `owner-${index}`);
      const outcome = await invoke(run, mode, settingsFor(deadline));
      if (mode === 'exclusive' && leaseHeld && run.calls > 0) oracle.violation(`sweep #${index} ran while a crashed run's lease had not expired`);
      if (mode === 'exclusive' && !leaseHeld && outcome === 'skipped') oracle.violation(`sweep #${index} was skipped though the lease was free`);
    }
  }

  // Faults stop and the organization holds still: the monitor must settle on the truth, then go quiet.
  world.intensity = 0;
  world.midSweepChanges = false;
  clock.advance(LEASE_DURATION_MS + 60_000);
  // Both with the same settings: full reads, stuck alerts on or off as it comes.
  const { maxChangesPerSweep: _budget, ...settingsWithoutBudget } = settingsFor(undefined);
  const settleSettings: SweepSettings = { ...settingsWithoutBudget, fullReadIntervalMs: 0 };
  const acceptedBeforeSettling = world.accepted.length;
  const settled = new SweepRun(options.sweeps + 1, 'settle-1', 'owner-settle-1');
  if ((await invoke(settled, 'exclusive', settleSettings)) !== 'swept') oracle.violation('the first clean sweep after the faults did not complete');
  oracle.checkConverged(world.records);
  const settledKeys = new Set(changesIn(world.accepted.slice(acceptedBeforeSettling)).map((change) => change.key));
  const acceptedBefore = world.accepted.length;
  const quiet = new SweepRun(options.sweeps + 2, 'settle-2', 'owner-settle-2');
  if ((await invoke(quiet, 'exclusive', settleSettings)) !== 'swept') oracle.violation('the second clean sweep did not complete');
  // Only a reminder or a stuck deployment that came due since (the clock moves a little while sweeping).
  const chatter = changesIn(world.accepted.slice(acceptedBefore)).filter((change) => !(change.kind === 'REMINDER' || change.kind === 'STUCK') || settledKeys.has(change.key));
  if (chatter.length > 0) oracle.violation(`a clean sweep over an unchanged organization alerted again: ${chatter.map((change) => `${change.kind} ${change.key}`).join(', ')}`);

  const alerts: Record<string, number> = {};
  for (const { kind } of changesIn(world.accepted)) alerts[kind] = (alerts[kind] ?? 0) + 1;
  const figures = oracle.figures;
  const falseRecoveries = figures.falseRecoveries + figures.unreadRecoveries;
  const summary =
    `randomized faults: seed=${options.seed} sweeps=${options.sweeps} faults=${world.faults.total} crashes=${world.faults.crashes} ` +
    `lost=${figures.lost} falseRecoveries=${falseRecoveries} duplicates=${figures.duplicates} (allowed ${figures.allowedDuplicates})`;
  const details = [
    `invocations=${invocations} outcomes=${JSON.stringify(outcomes)} overlaps=${JSON.stringify(overlaps)} deadlineSweeps=${deadlineSweeps} deferredPacks=${deferredPacks} packsSkippedBySummary=${packsSkipped} storeReads=${JSON.stringify(world.storeReads)} crashesBeforePublish=${world.faults.crashesBeforePublish}`,
    `faultsByKind=${JSON.stringify(world.faults.byKind)}`,
    `alerts=${JSON.stringify(alerts)} unrecordedChanges=${figures.unrecordedChanges} stagedUnsent=${figures.stagedUnsent} resent=${figures.resent} lateRecoveries=${figures.lateRecoveries} ` +
      `repeats=${figures.repeats} (unexplained ${figures.unexplainedRepeats}, earlyReminders ${figures.earlyReminders}) ` +
      `unexplainedDuplicates=${figures.unexplainedDuplicates} stale=${figures.stale} unseenRecoveries=${figures.unseenRecoveries} ` +
      `alertsNotMatchingRead=${figures.alertsNotMatchingRead} episodesChecked=${figures.episodesChecked} checks=${figures.checks}`,
    `organizationEvents=${JSON.stringify(org.events)}`,
  ].join('\n');
  return {
    seed: options.seed,
    sweeps: options.sweeps,
    invocations,
    outcomes,
    faults: world.faults.total,
    crashes: world.faults.crashes,
    crashesBeforePublish: world.faults.crashesBeforePublish,
    faultsByKind: { ...world.faults.byKind },
    figures: { ...figures },
    overlaps,
    deadlineSweeps,
    deferredPacks,
    packsSkipped,
    storeReads: { ...world.storeReads },
    alerts,
    organizationEvents: { ...org.events },
    violations: oracle.violations,
    notes: oracle.notes,
    summary,
    details,
  };
}

function changesIn(messages: readonly AlertMessage[]): { kind: string; key: string }[] {
  return messages
    .filter((message) => message.attributes.schema?.value === 'packwatch.alert/1')
    .flatMap((message) =>
      (JSON.parse((JSON.parse(message.message) as { default: string }).default) as AlertDocument).changes.map((change) => ({
        kind: change.kind,
        key: keyOf(change.region, change.conformancePack, change.accountId),
      })),
    );
}
