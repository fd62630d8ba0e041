import type { PackRecordsDigest } from './domain/pack-records-digest.js';
import { planDigest } from './domain/alert-message.js';
import { renderAccessDeniedAlert } from './domain/operator-alert.js';
import { accountsToRecheck, compareChanges, diffRegion, type RegionDiff } from './domain/diff.js';
import { isFailedStatus } from './domain/deployment-status.js';
import type { MuteRule } from './domain/mute-rules.js';
import type { PackObservation } from './domain/observation.js';
import { failureKeyOf, type AccountDeployment, type AlertableChange, type Change, type FailureKey, type FailureRecord, type StateWrite, type UnconfirmedChange } from './domain/types.js';
import { errorAttributes, type Log } from './log.js';
import { PACK_SWEPT_MESSAGE, REGION_SWEPT_MESSAGE } from './observability-names.js';
import { mapWithConcurrency } from './map-with-concurrency.js';
import { RegionRecords } from './region-records.js';
import { recordsReadReason } from './domain/pack-records-digest.js';
import {
  MalformedRecordError,
  OrganizationAccessDeniedError,
  PackNotFoundError,
  type RegionBookkeeping,
  type ChangeEventBus,
  type Clock, type Notifier, type StateStore, type StatusSource, type SweepLease } from './ports.js';
import type { SweepCounters } from './sweep-counters.js';

/** SNS parts staged, published and confirmed at the same time. */
const PARTS_IN_FLIGHT = 4;

export interface SweepSettings {
  readonly regions: readonly string[];
  /** 0 disables reminders. */
  readonly reminderIntervalMs: number;
  /** Regions swept at the same time. */
  readonly regionConcurrency: number;
  /** Packs (and account rechecks) read at the same time within a region. */
  readonly packConcurrency: number;
  /** An account in progress at least this long is alerted once as STUCK; 0 disables (and skips those reads). @default 0 */
  readonly stuckAfterMs?: number;
  /** @default none */
  readonly muteRules?: readonly MuteRule[];
  /**
   * When reading must stop so that publishing and recording still fit in the invocation. Packs not
   * read by then keep their state and are read first next time. @default - no limit
   */
  readonly deadline?: Date;
  /**
   * How often every pack of a region is read in full. Between full reads, packs whose summary status
   * (DescribeOrganizationConformancePackStatuses) is *_SUCCESSFUL and that have no record are skipped,
   * and in-progress accounts are only read for packs whose summary is *_IN_PROGRESS.
   * 0 reads every pack in full on every sweep. @default 0
   */
  readonly fullReadIntervalMs?: number;
  /**
   * At most this many changes are staged, alerted and recorded by one sweep, taken whole pack by whole pack
   * in digest order (the first pack always, whatever its size); and once this many new failures have been
   * read, the packs not read yet are not read. The packs beyond keep their state and are read first next
   * time, like packs deferred for time: a mass failure is told over several sweeps instead of exhausting
   * the function's memory. @default DEFAULT_MAX_CHANGES_PER_SWEEP
   */
  readonly maxChangesPerSweep?: number;
}

/** About 185 MB at peak for a sweep of 25,000 changes, under the 256 MB function's heap limits (bench/RESULTS.md). */
export const DEFAULT_MAX_CHANGES_PER_SWEEP = 25_000;

export interface SweepDependencies {
  readonly source: StatusSource;
  readonly store: StateStore;
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly log: Log;
  readonly counters: SweepCounters;
  /** Where each change is also put as an event. @default - no events */
  readonly eventBus?: ChangeEventBus;
}

export interface RegionReport {
  readonly region: string;
  /** Why the region could not be listed; its state was kept. */
  readonly error?: string;
  readonly packsListed: number;
  readonly packsRead: number;
  readonly packsUnreadable: number;
  readonly packsDeleted: number;
  /** Packs left for the next sweep because time ran out. */
  readonly packsDeferred: number;
  /** Packs not read because their summary status proved them healthy and nothing was recorded for them. */
  readonly packsSkipped: number;
  readonly failingAccounts: number;
}

export interface SweepReport {
  readonly sweepId: string;
  readonly startedAt: string;
  readonly regions: readonly RegionReport[];
  /** Every change of this sweep in digest order, muted ones included (they are published only beside others). */
  readonly changes: readonly Change[];
  readonly messagesPublished: number;
  readonly failingAccounts: number;
  readonly packsSwept: number;
  readonly packsDeferred: number;
  readonly packsSkipped: number;
  readonly durationMs: number;
}

/** Raised when SNS refused an alert. Changes in parts that were accepted are recorded; the rest are re-sent next run. */
export class AlertDeliveryError extends Error {
  constructor(
    readonly undeliveredChanges: number,
    cause: unknown,
  ) {
    super(`SNS did not accept the alert: ${undeliveredChanges} change(s) undelivered, they will be sent again by the next sweep`, { cause });
    this.name = 'AlertDeliveryError';
  }
}

export type ExclusiveSweepOutcome =
  | { readonly outcome: 'swept'; readonly report: SweepReport }
  | { readonly outcome: 'skipped'; readonly sweepId: string };

/**
 * Runs the sweep only if no other sweep is running (a manual invoke during a scheduled run, a
 * duplicated or retried event): two overlapping sweeps would both alert.
 */
export async function runExclusiveSweep(
  sweepId: string,
  settings: SweepSettings,
  deps: SweepDependencies & {
    readonly lease: SweepLease;
    readonly leaseOwner: string;
    readonly leaseDurationMs: number;
    /**
     * Work that must not overlap another sweep either (the inventory), run under the lease once the sweep
     * succeeded. It must keep within its own time budget; an error it throws is logged and counted, never
     * turned into a failed sweep (the sweep's alerts are out by then). @default - nothing
     */
    readonly afterSweep?: (report: SweepReport) => Promise<void>;
  },
): Promise<ExclusiveSweepOutcome> {
  const now = deps.clock.now();
  if (!(await deps.lease.acquire(deps.leaseOwner, now, new Date(now.getTime() + deps.leaseDurationMs)))) {
    deps.log.info('Another sweep holds the lease: this one does nothing', { sweepId });
    return { outcome: 'skipped', sweepId };
  }
  try {
    const report = await runSweep(sweepId, settings, deps);
    try {
      await deps.afterSweep?.(report);
    } catch (error) {
      deps.counters.sweepErrors += 1;
      deps.log.error('The work after the sweep failed; the sweep itself succeeded', { sweepId, ...errorAttributes(error) });
    }
    return { outcome: 'swept', report };
  } finally {
    if (!(await deps.lease.release(deps.leaseOwner))) {
      deps.log.warn('The sweep lease expired before the sweep ended: another sweep may have run alongside', { sweepId });
    }
  }
}

/** One sweep: read every watched region, diff against the stored state, alert, then record what was alerted. */
export async function runSweep(sweepId: string, settings: SweepSettings, deps: SweepDependencies): Promise<SweepReport> {
  const started = deps.clock.now();
  const maxChanges = settings.maxChangesPerSweep ?? DEFAULT_MAX_CHANGES_PER_SWEEP;
  // Shared by the regions: the memory it bounds is the invocation's.
  const budget: ReadBudget = { newFailuresLeft: maxChanges };
  const read = await mapWithConcurrency(settings.regions, settings.regionConcurrency, (region) =>
    sweepRegion(region, started, settings, deps, budget),
  );
  const { changes, leftOver, alreadyStaged, silentWrites, changesFound } = gatherChanges(read, started, maxChanges);
  // From here on only the changes handled are kept: a mass failure's others are garbage, not live.
  const outcomes = read.map(({ diff: _diff, unconfirmed: _unconfirmed, ...rest }) => rest);
  read.length = 0;
  const regionBookkeeping = new Map(outcomes.map((outcome) => [outcome.report.region, bookkeepingAfter(outcome, leftOver.get(outcome.report.region))]));
  if (leftOver.size > 0) {
    const packsLeft = [...leftOver.values()].reduce((total, packs) => total + packs.size, 0);
    deps.counters.deferredPacks += packsLeft;
    deps.log.warn('Too many changes for one sweep: the packs beyond the budget keep their state and are read first next time', {
      sweepId,
      changes: changesFound,
      changesHandled: changes.length,
      packsLeft,
    });
  }
  // Muted changes ride along in the JSON of a digest; alone they are recorded without paging anyone.
  const alertable = changes.some((item) => !item.change.muted) ? changes : [];
  const failingAccounts = outcomes.reduce((total, outcome) => total + outcome.report.failingAccounts, 0);
  const digest = planDigest(alertable, { sweepId, generatedAt: started.toISOString(), failingAccounts });

  // Packs about to be written are marked unsettled first: a crash part-way leaves them read next time.
  for (const outcome of outcomes) {
    if (outcome.bookkeepingBeforeWrites) await deps.store.saveBookkeeping(outcome.report.region, outcome.bookkeepingBeforeWrites);
  }
  let delivered = 0;
  const refusals = new Set<unknown>();
  const partNumbers = Array.from({ length: digest.parts }, (_, index) => index + 1);
  // Parts go out a few at a time, each rendered and staged only when its turn comes: a mass failure's
  // digest and staged items are never in memory whole, and a part's writes overlap others' publishes.
  await mapWithConcurrency(partNumbers, PARTS_IN_FLIGHT, async (part) => {
    const message = digest.render(part);
    // Write-ahead: the part's new state is recorded as unconfirmed before the part is published.
    const staged = message.changes.filter((item) => !alreadyStaged.has(item)).map(stagedWriteOf);
    if (staged.length > 0) await deps.store.apply(staged);
    try {
      await deps.notifier.publish(message);
    } catch (error) {
      refusals.add(error);
      throw error;
    }
    await deps.eventBus?.putChanges(sweepId, message.changes.map((item) => item.change));
    // Only now is the change alerted: confirm it. A crash before this re-sends it next run.
    await deps.store.apply(message.changes.map((item) => item.write));
    delivered += message.changes.length;
  }).catch((error: unknown) => {
    // Parts already in flight settle first, so `delivered` counts every part that was confirmed.
    throw refusals.has(error) ? new AlertDeliveryError(alertable.length - delivered, error) : error;
  });
  if (alertable.length === 0 && changes.length > 0) {
    await deps.eventBus?.putChanges(sweepId, changes.map((item) => item.change));
  }
  await deps.store.apply([...silentWrites, ...(alertable.length === 0 ? changes.map((item) => item.write) : [])]);

  let operatorAlerts = 0;
  for (const outcome of outcomes) {
    if (outcome.accessDenied) {
      try {
        await deps.notifier.publish(renderAccessDeniedAlert({ sweepId, generatedAt: started.toISOString(), region: outcome.report.region, detail: outcome.accessDenied }));
      } catch (error) {
        throw new AlertDeliveryError(0, error);
      }
      operatorAlerts += 1;
    }
    const nextBookkeeping = regionBookkeeping.get(outcome.report.region);
    if (nextBookkeeping) await deps.store.saveBookkeeping(outcome.report.region, nextBookkeeping);
  }

  const regions = outcomes.map((outcome) => {
    const packsLeft = leftOver.get(outcome.report.region)?.size ?? 0;
    return packsLeft > 0 ? { ...outcome.report, packsDeferred: outcome.report.packsDeferred + packsLeft } : outcome.report;
  });
  return {
    sweepId,
    startedAt: started.toISOString(),
    regions,
    changes: changes.map((item) => item.change),
    messagesPublished: digest.parts + operatorAlerts,
    failingAccounts,
    packsSwept: regions.reduce((total, region) => total + region.packsRead, 0),
    packsDeferred: regions.reduce((total, region) => total + region.packsDeferred, 0),
    packsSkipped: regions.reduce((total, region) => total + region.packsSkipped, 0),
    durationMs: deps.clock.now().getTime() - started.getTime(),
  };
}

interface RegionOutcome {
  readonly report: RegionReport;
  readonly diff?: RegionDiff;
  readonly unconfirmed: readonly UnconfirmedChange[];
  /** Set when operators must now be told that organization access is denied (AWS's words). */
  readonly accessDenied?: string;
  /**
   * To save before the first state write of the sweep: it marks the packs about to be written as
   * unsettled, so a crash part-way leaves their records read (and their staged changes found) next time.
   */
  readonly bookkeepingBeforeWrites?: RegionBookkeeping;
  /** The bookkeeping to save once everything is written, when it changed. */
  readonly nextBookkeeping?: RegionBookkeeping;
  /** The bookkeeping as it was loaded. */
  readonly bookkeeping: RegionBookkeeping;
}

/**
 * What a sweep's reading may still take in: once this many failing accounts without a record (new
 * failures, most of a mass failure) have been read, the packs not yet read are deferred like packs
 * without time, so the reading itself stays within the function's memory too.
 */
interface ReadBudget {
  newFailuresLeft: number;
}

async function sweepRegion(region: string, now: Date, settings: SweepSettings, deps: SweepDependencies, budget: ReadBudget): Promise<RegionOutcome> {
  // Without the stored state nothing can be diffed: a store failure fails the sweep.
  const bookkeeping = await deps.store.loadBookkeeping(region);
  const records = await RegionRecords.open(region, bookkeeping, deps.store, settings.packConcurrency);
  let packs: string[];
  try {
    packs = await deps.source.listPacks(region);
  } catch (error) {
    deps.counters.sweepErrors += 1;
    deps.log.error('Could not list the organization conformance packs of a region; its state is kept', {
      region,
      ...errorAttributes(error),
    });
    const denied = error instanceof OrganizationAccessDeniedError;
    const alertedAt = denied ? (bookkeeping.accessDeniedAlertedAt ?? now.toISOString()) : bookkeeping.accessDeniedAlertedAt;
    return {
      report: {
        region,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        packsListed: 0,
        packsRead: 0,
        packsUnreadable: 0,
        packsDeleted: 0,
        packsDeferred: 0,
        packsSkipped: 0,
        failingAccounts: records.failing(),
      },
      // Only unsettled packs (already marked), or a region read whole for want of digests, hold them: no new mark needed.
      unconfirmed: records.unconfirmed(),
      bookkeeping,
      // Told once while it lasts.
      ...(denied && !bookkeeping.accessDeniedAlertedAt ? { accessDenied: (error as Error).message } : {}),
      ...(alertedAt !== bookkeeping.accessDeniedAlertedAt ? { nextBookkeeping: withAccessDenied(bookkeeping, alertedAt) } : {}),
    };
  }

  // Packs a previous sweep had no time for go first, so none is starved.
  const deferredBefore = new Set(bookkeeping.deferredPacks);
  const ordered = [...packs].sort((a, b) => Number(!deferredBefore.has(a)) - Number(!deferredBefore.has(b)));
  const fullRead = isFullReadDue(bookkeeping, now, settings);
  const summaries = fullRead ? undefined : await packSummaries(region, deps);
  let skipped = 0;
  const observations = await mapWithConcurrency(ordered, settings.packConcurrency, async (pack): Promise<PackObservation> => {
    const summary = summaries?.get(pack);
    // The summary may only prove a read unnecessary: a healthy pack with nothing recorded has nothing to diff.
    if (summary?.endsWith('_SUCCESSFUL') && records.known(pack)?.length === 0) {
      skipped += 1;
      return { outcome: 'read', conformancePack: pack, failing: [], inProgress: [], rechecked: new Map() };
    }
    const readInProgress = (settings.stuckAfterMs ?? 0) > 0 && (summaries === undefined || summary === undefined || summary.endsWith('_IN_PROGRESS'));
    return observePack(region, pack, records, readInProgress, now, settings, deps, budget);
  });
  // A pack deleted, or gone from the listing, has its records dropped: they are read to know which.
  const listed = new Set(packs);
  const dropped = [
    ...observations.filter((pack) => pack.outcome === 'deleted').map((pack) => pack.conformancePack),
    ...records.packsWithRecords().filter((pack) => !listed.has(pack)),
  ];
  await mapWithConcurrency(dropped, settings.packConcurrency, (pack) => records.load(pack));
  const diff = diffRegion({
    region,
    previous: records.records(),
    // A pack whose records were not read was proved unchanged (or kept: unreadable, deferred): left out.
    packs: observations.filter((pack) => records.known(pack.conformancePack) !== undefined),
    now,
    reminderIntervalMs: settings.reminderIntervalMs,
    stuckAfterMs: settings.stuckAfterMs ?? 0,
    muteRules: settings.muteRules ?? [],
  });
  const failingAccounts = diff.failingAccounts + records.failingNotRead();
  const count = (outcome: PackObservation['outcome']) => observations.filter((pack) => pack.outcome === outcome).length;
  const deferred = observations.filter((pack) => pack.outcome === 'deferred').map((pack) => pack.conformancePack);
  deps.counters.deferredPacks += deferred.length;
  logPacks(region, observations, diff, records, deps.log);
  deps.log.info(REGION_SWEPT_MESSAGE, { region, packs: packs.length, deferred: deferred.length, changes: diff.alertable.length, failingAccounts });
  const unconfirmed = records.unconfirmed();
  // Once every write is done, the records of a pack that only had this sweep's changes are known
  // without reading them; packs with clean-ups or re-sent changes are read and digested next time.
  const leftUnsettled = new Set([
    ...diff.silentWrites.map((write) => (write.type === 'put' ? write.record : write.key).conformancePack),
    ...unconfirmed.map(({ change }) => change.conformancePack),
  ]);
  const written = new Set([...leftUnsettled, ...diff.alertable.map(({ change }) => change.conformancePack)]);
  const digests = records.settle(leftUnsettled, diff.alertable.map(({ write }) => write));
  // Needed unless every pack to be written is already unsettled, or the stored bookkeeping has no digests yet.
  const alreadyUnsettled = new Set(bookkeeping.unsettledPacks ?? []);
  const beforeWrites: RegionBookkeeping | undefined =
    bookkeeping.recordedPacks && [...written].some((pack) => !alreadyUnsettled.has(pack)) ? { ...bookkeeping, ...records.settle(written) } : undefined;
  // The region read, so any access problem is over; the bookkeeping is written only when it changes.
  const next: RegionBookkeeping = {
    deferredPacks: deferred,
    ...lastFullReadAfter(bookkeeping, fullRead && deferred.length === 0, now, settings),
    ...digests,
  };
  const changed = !sameBookkeeping(next, beforeWrites ?? bookkeeping);
  return {
    report: {
      region,
      packsListed: packs.length,
      packsRead: count('read'),
      packsUnreadable: count('unreadable'),
      packsDeleted: count('deleted'),
      packsDeferred: deferred.length,
      packsSkipped: skipped,
      failingAccounts,
    },
    diff,
    unconfirmed,
    ...(beforeWrites ? { bookkeepingBeforeWrites: beforeWrites } : {}),
    bookkeeping,
    ...(changed ? { nextBookkeeping: next } : {}),
  };
}

/**
 * One line per pack with its failing accounts after the sweep, for the dashboard's "by pack" widget:
 * packs with failures, with changes, or not read. A healthy unchanged pack stays silent (at 50 packs
 * × 17 regions every 5 minutes, a line for each would be most of the log bill).
 */
function logPacks(region: string, observations: readonly PackObservation[], diff: RegionDiff, records: RegionRecords, log: Log): void {
  const failing = new Map<string, Set<string>>();
  const mark = (pack: string, accountId: string, isFailing: boolean) => {
    const accounts = failing.get(pack) ?? new Set<string>();
    if (isFailing) accounts.add(accountId);
    else accounts.delete(accountId);
    failing.set(pack, accounts);
  };
  for (const record of records.records()) mark(record.conformancePack, record.accountId, isFailedStatus(record.status));
  for (const { change } of diff.alertable) mark(change.conformancePack, change.accountId, isFailedStatus(change.status));
  for (const write of diff.silentWrites) if (write.type === 'delete') mark(write.key.conformancePack, write.key.accountId, false);
  const changed = new Set(diff.alertable.map(({ change }) => change.conformancePack));
  for (const observation of observations) {
    const failingAccounts = failing.get(observation.conformancePack)?.size ?? records.failingNotRead(observation.conformancePack);
    if (failingAccounts === 0 && observation.outcome === 'read' && !changed.has(observation.conformancePack)) continue;
    log.info(PACK_SWEPT_MESSAGE, { region, conformancePack: observation.conformancePack, outcome: observation.outcome, failingAccounts });
  }
}

/**
 * Every region's changes in digest order, with the changes an earlier sweep staged and never confirmed
 * (they may not have reached anyone: sent again, unless this sweep has a newer change for the same
 * account), cut to the change budget.
 */
function gatherChanges(outcomes: readonly RegionOutcome[], now: Date, budget: number) {
  const fresh = outcomes.flatMap((outcome) => outcome.diff?.alertable ?? []);
  const freshKeys = new Set(fresh.map((item) => keyText(item.change)));
  const resent = outcomes
    .flatMap((outcome) => outcome.unconfirmed)
    .filter((item) => !freshKeys.has(keyText(item.change)))
    .map((item) => confirmationOf(item, now));
  const sorted = [...fresh, ...resent];
  sorted.sort((a, b) => compareChanges(a.change, b.change));
  const { changes, leftOver } = withinChangeBudget(sorted, budget);
  const handled = new Set(changes);
  return {
    changes,
    leftOver,
    /** The resent changes handled now: an earlier sweep staged them. */
    alreadyStaged: new Set(resent.filter((item) => handled.has(item))),
    silentWrites: outcomes.flatMap((outcome) => outcome.diff?.silentWrites ?? []),
    changesFound: sorted.length,
  };
}

/**
 * The changes one sweep handles: whole (region, pack) groups in digest order while they fit the budget,
 * the first group always. `leftOver` names, per region, the packs whose changes wait for the next sweep.
 */
function withinChangeBudget(
  sorted: readonly AlertableChange[],
  budget: number,
): { changes: AlertableChange[]; leftOver: Map<string, Set<string>> } {
  const leftOver = new Map<string, Set<string>>();
  if (sorted.length <= budget) return { changes: [...sorted], leftOver };
  const changes: AlertableChange[] = [];
  for (let start = 0; start < sorted.length; ) {
    const { region, conformancePack } = sorted[start]!.change;
    let end = start + 1;
    while (end < sorted.length && sorted[end]!.change.region === region && sorted[end]!.change.conformancePack === conformancePack) end += 1;
    if (changes.length === 0 || (leftOver.size === 0 && changes.length + (end - start) <= budget)) {
      for (let index = start; index < end; index += 1) changes.push(sorted[index]!);
    } else {
      leftOver.set(region, (leftOver.get(region) ?? new Set<string>()).add(conformancePack));
    }
    start = end;
  }
  return { changes, leftOver };
}

/**
 * The region's bookkeeping to save, if it changed: packs left over go first next time, and a full read
 * whose changes were not all handled does not count as one.
 */
function bookkeepingAfter(
  outcome: Pick<RegionOutcome, 'nextBookkeeping' | 'bookkeepingBeforeWrites' | 'bookkeeping'>,
  packsLeft: ReadonlySet<string> | undefined,
): RegionBookkeeping | undefined {
  if (!packsLeft || packsLeft.size === 0) return outcome.nextBookkeeping;
  // What is stored once the writes are done: the next bookkeeping, else the pre-write mark, else what was loaded.
  const base = outcome.nextBookkeeping ?? outcome.bookkeepingBeforeWrites ?? outcome.bookkeeping;
  const { lastFullReadAt: _lastFullReadAt, recordedPacks, unsettledPacks, ...rest } = base;
  // The packs left over were not written: their digests would describe records that do not exist, so they
  // are unsettled, and read (and diffed) first next time.
  const digests = recordedPacks ? Object.fromEntries(Object.entries(recordedPacks).filter(([pack]) => !packsLeft.has(pack))) : undefined;
  return {
    ...rest,
    deferredPacks: [...new Set([...base.deferredPacks, ...packsLeft])],
    ...(outcome.bookkeeping.lastFullReadAt ? { lastFullReadAt: outcome.bookkeeping.lastFullReadAt } : {}),
    ...(digests ? { recordedPacks: digests, unsettledPacks: [...new Set([...(unsettledPacks ?? []), ...packsLeft])].sort() } : {}),
  };
}

function keyText(key: FailureKey): string {
  return `${key.region}#${key.conformancePack}#${key.accountId}`;
}

/** The write that records a change before it is published. */
function stagedWriteOf({ change, write }: AlertableChange): StateWrite {
  return write.type === 'put'
    ? { type: 'stage', key: failureKeyOf(write.record), record: write.record, change }
    : { type: 'stage', key: failureKeyOf(change), change };
}

/** An unconfirmed change, sent again, with the write that confirms it (alerted now, so reminders count from now). */
function confirmationOf({ change, record }: UnconfirmedChange, now: Date): AlertableChange {
  return {
    change,
    write: record ? { type: 'put', record: { ...record, lastAlertedAt: now.toISOString() } } : { type: 'delete', key: failureKeyOf(change) },
  };
}

function sameBookkeeping(a: RegionBookkeeping, b: RegionBookkeeping): boolean {
  return (
    a.accessDeniedAlertedAt === b.accessDeniedAlertedAt &&
    a.lastFullReadAt === b.lastFullReadAt &&
    a.deferredPacks.join('\n') === b.deferredPacks.join('\n') &&
    sameDigests(a.recordedPacks, b.recordedPacks) &&
    (a.unsettledPacks ?? []).join('\n') === (b.unsettledPacks ?? []).join('\n')
  );
}

/** Key order aside: DynamoDB does not keep a map's key order, so a reloaded bookkeeping may list packs differently. */
function sameDigests(a: RegionBookkeeping['recordedPacks'], b: RegionBookkeeping['recordedPacks']): boolean {
  if (a === undefined || b === undefined) return a === b;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((pack) => sameDigest(a[pack], b[pack]));
}

function sameDigest(a: PackRecordsDigest | undefined, b: PackRecordsDigest | undefined): boolean {
  return a !== undefined && b !== undefined && a.fingerprint === b.fingerprint && a.failing === b.failing && a.oldestAlertedAt === b.oldestAlertedAt && a.inProgress === b.inProgress;
}

function withAccessDenied(bookkeeping: RegionBookkeeping, alertedAt: string | undefined): RegionBookkeeping {
  const { accessDeniedAlertedAt: _previous, ...rest } = bookkeeping;
  return { ...rest, ...(alertedAt ? { accessDeniedAlertedAt: alertedAt } : {}) };
}

/** Kept only when summaries are in use: without them every sweep is a full read and nothing needs recording. */
function lastFullReadAfter(bookkeeping: RegionBookkeeping, completedFullRead: boolean, now: Date, settings: SweepSettings) {
  if ((settings.fullReadIntervalMs ?? 0) <= 0) return {};
  if (completedFullRead) return { lastFullReadAt: now.toISOString() };
  return bookkeeping.lastFullReadAt ? { lastFullReadAt: bookkeeping.lastFullReadAt } : {};
}

function isFullReadDue(bookkeeping: RegionBookkeeping, now: Date, settings: SweepSettings): boolean {
  const interval = settings.fullReadIntervalMs ?? 0;
  if (interval <= 0 || !bookkeeping.lastFullReadAt) return true;
  return now.getTime() - Date.parse(bookkeeping.lastFullReadAt) >= interval;
}

/** The summary statuses, or undefined when they cannot be read: then every pack is read, as in a full read. */
async function packSummaries(region: string, deps: SweepDependencies): Promise<Map<string, string> | undefined> {
  try {
    return await deps.source.listPackSummaries(region);
  } catch (error) {
    deps.log.warn('Could not read the pack summary statuses; reading every pack', { region, ...errorAttributes(error) });
    return undefined;
  }
}

/** True once the sweep must stop reading to keep time for publishing and recording. */
function outOfTime(settings: SweepSettings, deps: SweepDependencies): boolean {
  return settings.deadline !== undefined && deps.clock.now().getTime() >= settings.deadline.getTime();
}

async function observePack(
  region: string,
  conformancePack: string,
  records: RegionRecords,
  readInProgress: boolean,
  now: Date,
  settings: SweepSettings,
  deps: SweepDependencies,
  budget: ReadBudget,
): Promise<PackObservation> {
  if (outOfTime(settings, deps) || budget.newFailuresLeft <= 0) return { outcome: 'deferred', conformancePack };
  let failing: AccountDeployment[];
  let inProgress: AccountDeployment[] = [];
  try {
    failing = await deps.source.listFailingAccounts(region, conformancePack);
    if (readInProgress) inProgress = await deps.source.listInProgressAccounts(region, conformancePack);
  } catch (error) {
    return unreadableOrDeleted(region, conformancePack, error, deps);
  }
  const previous = await recordsToDiff(conformancePack, records, failing, inProgress, now, settings);
  // Undefined: the listing matches the records' digest, so there is nothing to recheck or diff.
  if (previous === undefined) return { outcome: 'read', conformancePack, failing, inProgress, rechecked: new Map() };
  const recorded = new Set(previous.map((record) => record.accountId));
  const newFailures = failing.filter((deployment) => !recorded.has(deployment.accountId)).length;
  if (budget.newFailuresLeft > 0 && budget.newFailuresLeft - newFailures <= 0) {
    deps.log.warn('Too many new failures for one sweep: the packs not read yet keep their state and are read first next time', {
      region,
      conformancePack,
    });
  }
  budget.newFailuresLeft -= newFailures;
  const rechecked = new Map<string, AccountDeployment | null>();
  let deletedMidRead = false;
  await mapWithConcurrency(accountsToRecheck(previous, failing, inProgress), settings.packConcurrency, async (accountId) => {
    // Left out of `rechecked` when time is up: the account keeps its record until a later sweep.
    if (outOfTime(settings, deps)) return;
    try {
      rechecked.set(accountId, await deps.source.getAccountDeployment(region, conformancePack, accountId));
    } catch (error) {
      if (error instanceof PackNotFoundError) {
        deletedMidRead = true;
        return;
      }
      if (error instanceof MalformedRecordError) {
        // An unknown status proves nothing either way: the failure stays, the record is counted.
        deps.counters.malformedRecords += 1;
        deps.log.warn('Skipped a malformed record of an account that was failing; its state is kept', {
          region,
          conformancePack,
          accountId,
          problem: error.problem,
        });
        return;
      }
      // Left out of `rechecked`: the account keeps its failure, nothing is concluded.
      deps.counters.sweepErrors += 1;
      deps.log.error('Could not recheck an account that was failing; its state is kept', {
        region,
        conformancePack,
        accountId,
        ...errorAttributes(error),
      });
    }
  });
  if (deletedMidRead) return { outcome: 'deleted', conformancePack };
  return { outcome: 'read', conformancePack, failing, inProgress, rechecked };
}

/** The pack's records, read if only their digest is known and it cannot prove the diff empty; undefined if it can. */
async function recordsToDiff(
  conformancePack: string,
  records: RegionRecords,
  failing: readonly AccountDeployment[],
  inProgress: readonly AccountDeployment[],
  now: Date,
  settings: SweepSettings,
): Promise<readonly FailureRecord[] | undefined> {
  const known = records.known(conformancePack);
  if (known) return known;
  const digest = records.digest(conformancePack)!;
  if (recordsReadReason({ digest, failing, inProgress, now, reminderIntervalMs: settings.reminderIntervalMs }) === undefined) return undefined;
  return records.load(conformancePack);
}

function unreadableOrDeleted(region: string, conformancePack: string, error: unknown, deps: SweepDependencies): PackObservation {
  if (error instanceof PackNotFoundError) {
    deps.log.info('Organization conformance pack was deleted during the sweep; its state is dropped', { region, conformancePack });
    return { outcome: 'deleted', conformancePack };
  }
  deps.counters.sweepErrors += 1;
  deps.log.error('Could not read an organization conformance pack; its state is kept', {
    region,
    conformancePack,
    ...errorAttributes(error),
  });
  return { outcome: 'unreadable', conformancePack, reason: error instanceof Error ? error.message : String(error) };
}
