import { isInventoryDue } from './domain/inventory-schedule.js';
import { addStatusCounts, presentStatuses, totalAccounts } from './domain/status-counts.js';
import { errorAttributes, type Log } from './log.js';
import { mapWithConcurrency } from './map-with-concurrency.js';
import { INVENTORY_PACK_COUNTED_MESSAGE } from './observability-names.js';
import {
  OrganizationAccessDeniedError,
  PackNotFoundError,
  type Clock,
  type InventoryCheckpoint,
  type InventorySource,
  type InventoryStore,
  type PackTally,
  type StatusCountRecorder,
} from './ports.js';
import type { SweepCounters } from './sweep-counters.js';

/** Failed reads of one pack, over the invocations of one inventory, before it is left out until the next. */
export const MAX_FAILED_READS_PER_PACK = 3;

export interface InventorySettings {
  readonly regions: readonly string[];
  /** Regions counted at the same time (each has its own pacing). */
  readonly regionConcurrency: number;
  /** Packs counted at the same time within a region. */
  readonly packConcurrency: number;
  /** How long after a region's inventory completed the next one is due; 0 turns the inventory off. */
  readonly intervalMs: number;
  /** No page is requested from then on: the next sweep and the invocation's end come after it. */
  readonly stopAt: Date;
  /** A request still running then is abandoned. @default - never */
  readonly abortAt?: Date;
}

export interface InventoryDependencies {
  readonly source: InventorySource;
  readonly store: InventoryStore;
  readonly recorder: StatusCountRecorder;
  readonly clock: Clock;
  readonly log: Log;
  /** The inventory's own: Config calls and throttles (counted by the source), malformed records, errors. */
  readonly counters: SweepCounters;
}

export interface RegionInventoryReport {
  readonly region: string;
  /**
   * not-due: nothing read; postponed: due or under way, but no time was left after the sweep; in-progress: stopped for time (or errors) and checkpointed; completed: every
   * pack counted; failed: the region could not be read or checkpointed (logged, counted, retried next time).
   */
  readonly state: 'not-due' | 'postponed' | 'in-progress' | 'completed' | 'failed';
  /** Packs whose count completed in this invocation (their metrics were emitted). */
  readonly packsCounted: number;
  readonly pagesRead: number;
  /** Packs still to count (begun or not) when this invocation stopped. */
  readonly packsLeft: number;
}

export interface InventoryReport {
  readonly regions: readonly RegionInventoryReport[];
  readonly packsCounted: number;
  readonly pagesRead: number;
}

/**
 * The inventory: every account's status of every pack, counted on a slow cadence (AccountsByStatus), after
 * the failure sweep, in the time left before the next sweep. It reads page by page and checkpoints per region,
 * so a count that takes longer than one invocation continues in the next. It never throws: its errors are
 * logged and counted, so it can neither fail the sweep nor lose an alert (the sweep is done by then).
 */
export async function runInventory(settings: InventorySettings, deps: InventoryDependencies): Promise<InventoryReport> {
  const regions = await mapWithConcurrency(settings.regions, settings.regionConcurrency, async (region) => {
    try {
      return await inventoryRegion(region, settings, deps);
    } catch (error) {
      deps.counters.sweepErrors += 1;
      deps.log.error('The inventory of a region failed; it continues from its last checkpoint next time', { region, ...errorAttributes(error) });
      return { region, state: 'failed', packsCounted: 0, pagesRead: 0, packsLeft: 0 } satisfies RegionInventoryReport;
    }
  });
  return {
    regions,
    packsCounted: regions.reduce((total, region) => total + region.packsCounted, 0),
    pagesRead: regions.reduce((total, region) => total + region.pagesRead, 0),
  };
}

async function inventoryRegion(region: string, settings: InventorySettings, deps: InventoryDependencies): Promise<RegionInventoryReport> {
  const outOfTime = () => deps.clock.now().getTime() >= settings.stopAt.getTime();
  const idle = (state: RegionInventoryReport['state']): RegionInventoryReport => ({ region, state, packsCounted: 0, pagesRead: 0, packsLeft: 0 });
  if (outOfTime()) return idle('postponed');
  const checkpoint = await deps.store.loadInventory(region);
  let current = checkpoint.current;
  if (!current) {
    if (!isInventoryDue(checkpoint.lastCompletedAt, deps.clock.now(), settings.intervalMs)) return idle('not-due');
    const packs = await deps.source.listPacks(region);
    current = { startedAt: deps.clock.now().toISOString(), pending: packs, open: [] };
    deps.log.info('Inventory started', { region, packs: packs.length });
  }

  const pending = [...current.pending];
  const open = [...current.open];
  // Packs that failed in this invocation wait for the next one instead of being retried at once.
  const retryLater: PackTally[] = [];
  const startedAt = current.startedAt;
  const snapshot = (): InventoryCheckpoint => ({
    ...(checkpoint.lastCompletedAt ? { lastCompletedAt: checkpoint.lastCompletedAt } : {}),
    current: { startedAt, pending: [...pending], open: [...open, ...retryLater] },
  });
  // Saves run one after the other, each with the state of its moment.
  let saving = Promise.resolve();
  const save = () => {
    const next = snapshot();
    saving = saving.then(() => deps.store.saveInventory(region, next));
    return saving;
  };
  const signal = abortSignalFor(settings, deps);
  let halted = false;
  let packsCounted = 0;
  let pagesRead = 0;

  await mapWithConcurrency(Array.from({ length: settings.packConcurrency }), settings.packConcurrency, async () => {
    for (;;) {
      if (halted || outOfTime()) return;
      const started = open.shift() ?? newTally(pending.shift());
      if (!started) return;
      let tally: PackTally = started;
      // `tally` is in neither list while it is read: it goes back to `open` unless it completes.
      for (;;) {
        if (halted || outOfTime()) {
          open.push(tally);
          return;
        }
        let page;
        try {
          page = await deps.source.readStatusCountPage(region, tally.conformancePack, tally.nextToken, signal);
        } catch (error) {
          if (error instanceof PackNotFoundError) {
            deps.log.info('Organization conformance pack was deleted during the inventory; it is left out', { region, conformancePack: tally.conformancePack });
            await save();
            break;
          }
          if (signal?.aborted) {
            // Abandoned for time: not an error; the pack continues from its last page next time.
            open.push(tally);
            return;
          }
          deps.counters.sweepErrors += 1;
          const failedReads = tally.failedReads + 1;
          deps.log.error('Could not read a page of the inventory; the pack continues from its last page next time', {
            region,
            conformancePack: tally.conformancePack,
            failedReads,
            ...errorAttributes(error),
          });
          if (error instanceof OrganizationAccessDeniedError) {
            // Nothing else in the region can be read either.
            halted = true;
            open.push({ ...tally, failedReads });
            return;
          }
          if (failedReads >= MAX_FAILED_READS_PER_PACK) {
            deps.log.error('Left a pack out of this inventory after repeated failures; its metrics are not emitted until the next inventory', {
              region,
              conformancePack: tally.conformancePack,
            });
            await save();
            break;
          }
          retryLater.push({ ...tally, failedReads });
          break;
        }
        pagesRead += 1;
        if (page.restarted) {
          deps.log.warn('AWS Config refused the inventory page token (expired); the pack is counted again from its first page', {
            region,
            conformancePack: tally.conformancePack,
          });
        }
        if (page.malformed.length > 0) {
          deps.counters.malformedRecords += page.malformed.length;
          deps.log.warn('Skipped malformed detailed status records in the inventory', {
            region,
            conformancePack: tally.conformancePack,
            malformedRecords: page.malformed.length,
            problems: page.malformed.slice(0, 3),
          });
        }
        const base = page.restarted ? { counts: {}, malformedRecords: 0 } : tally;
        tally = {
          conformancePack: tally.conformancePack,
          ...(page.nextToken ? { nextToken: page.nextToken } : {}),
          counts: addStatusCounts(base.counts, page.counts),
          malformedRecords: base.malformedRecords + page.malformed.length,
          failedReads: tally.failedReads,
        };
        if (page.nextToken) continue;
        // Complete: emitted once, then checkpointed (a crash in between emits it again, never loses it).
        deps.recorder.packCounted(region, tally.conformancePack, tally.counts);
        deps.log.info(INVENTORY_PACK_COUNTED_MESSAGE, {
          region,
          conformancePack: tally.conformancePack,
          accounts: totalAccounts(tally.counts),
          counts: Object.fromEntries(presentStatuses(tally.counts)),
          malformedRecords: tally.malformedRecords,
        });
        packsCounted += 1;
        await save();
        break;
      }
    }
  });
  await saving;

  const packsLeft = pending.length + open.length + retryLater.length;
  if (packsLeft === 0) {
    const completedAt = deps.clock.now();
    await deps.store.saveInventory(region, { lastCompletedAt: completedAt.toISOString() });
    deps.log.info('Inventory completed', { region, startedAt, durationMs: completedAt.getTime() - Date.parse(startedAt) });
    return { region, state: 'completed', packsCounted, pagesRead, packsLeft };
  }
  await save();
  deps.log.info('Inventory paused; it continues next time', { region, packsCounted, pagesRead, packsLeft });
  return { region, state: 'in-progress', packsCounted, pagesRead, packsLeft };
}

function newTally(conformancePack: string | undefined): PackTally | undefined {
  return conformancePack === undefined ? undefined : { conformancePack, counts: {}, malformedRecords: 0, failedReads: 0 };
}

/** Aborts requests still running at `abortAt`; the timer does not keep the process alive. */
function abortSignalFor(settings: InventorySettings, deps: InventoryDependencies): AbortSignal | undefined {
  if (!settings.abortAt) return undefined;
  // Node's timers hold at most 2^31 - 1 ms (about 24 days).
  return AbortSignal.timeout(Math.min(2 ** 31 - 1, Math.max(0, settings.abortAt.getTime() - deps.clock.now().getTime())));
}
