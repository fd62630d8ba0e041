import { beforeEach, describe, expect, it } from 'vitest';
import type { AlertDocument } from '../../lambda/domain/alert-document.js';
import { newSweepCounters } from '../../lambda/sweep-counters.js';
import { AlertDeliveryError, runSweep, type SweepSettings } from '../../lambda/sweep.js';
import { InMemoryStateStore, InMemoryStatusSource, ManualClock, RecordingLog, RecordingNotifier } from '../support/in-memory-ports.js';

const HOUR = 3_600_000;
const REGION = 'us-east-1';
const SETTINGS: SweepSettings = { regions: [REGION], reminderIntervalMs: 24 * HOUR, regionConcurrency: 1, packConcurrency: 2 };

let source: InMemoryStatusSource;
let store: InMemoryStateStore;
let notifier: RecordingNotifier;
let clock: ManualClock;

function sweep(settings: SweepSettings = SETTINGS) {
  return runSweep(`sweep-${clock.now().toISOString()}`, settings, { source, store, notifier, clock, log: new RecordingLog(), counters: newSweepCounters() });
}

/** A first sweep records (and digests) what fails; then what was read and sent is forgotten. */
async function settle() {
  await sweep();
  store.recordReads.length = 0;
  notifier.published.length = 0;
}

function alerted(): string[] {
  return notifier.published
    .filter((message) => message.attributes.schema?.value === 'packwatch.alert/1')
    .flatMap((message) => (JSON.parse(JSON.parse(message.message).default) as AlertDocument).changes)
    .map((change) => `${change.kind} ${change.conformancePack} ${change.accountId}`);
}

beforeEach(() => {
  source = new InMemoryStatusSource();
  store = new InMemoryStateStore();
  notifier = new RecordingNotifier();
  clock = new ManualClock(new Date('2026-11-27T12:00:00.000Z'));
  source
    .setAccount(REGION, 'pack-a', { accountId: '000000000001', status: 'CREATE_FAILED', errorCode: 'AccessDenied' })
    .setAccount(REGION, 'pack-a', { accountId: '000000000002', status: 'CREATE_SUCCESSFUL' })
    .setAccount(REGION, 'pack-b', { accountId: '000000000001', status: 'UPDATE_FAILED', errorCode: 'ResourceLimitExceeded' })
    .setAccount(REGION, 'pack-c', { accountId: '000000000003', status: 'CREATE_SUCCESSFUL' });
});

describe('per-sweep reads of the stored records', () => {
  it('reads every record of a region whose bookkeeping has no digests yet, and digests them as they are once written', async () => {
    store.bookkeeping.set(REGION, { deferredPacks: [] });
    await sweep();
    expect(store.recordReads).toEqual([REGION]);
    expect(Object.keys(store.bookkeeping.get(REGION)?.recordedPacks ?? {})).toEqual(['pack-a', 'pack-b']);
    expect(store.bookkeeping.get(REGION)?.unsettledPacks).toBeUndefined();
    store.recordReads.length = 0;
    notifier.published.length = 0;
    await sweep();
    expect(store.recordReads).toEqual([]);
    expect(alerted()).toEqual([]);
  });

  it('does not save the bookkeeping again when only the order of its digests changed (DynamoDB keeps no map order)', async () => {
    await settle();
    const stored = store.bookkeeping.get(REGION)!;
    const reversed = Object.fromEntries(Object.entries(stored.recordedPacks ?? {}).reverse());
    expect(Object.keys(reversed)).toEqual(['pack-b', 'pack-a']);
    store.bookkeeping.set(REGION, { ...stored, recordedPacks: reversed });
    const writesBefore = store.bookkeepingWrites;
    await sweep();
    expect(store.bookkeepingWrites).toBe(writesBefore);
    expect(store.recordReads).toEqual([]);
  });

  it('leaves the packs it cleaned up unsettled, and digests them on the next sweep', async () => {
    await settle();
    source.removePack(REGION, 'pack-b');
    await sweep();
    expect(store.bookkeeping.get(REGION)?.unsettledPacks).toEqual(['pack-b']);
    store.recordReads.length = 0;
    await sweep();
    expect(store.recordReads).toEqual([`${REGION}/pack-b`]);
    expect(store.bookkeeping.get(REGION)?.unsettledPacks).toBeUndefined();
    expect(Object.keys(store.bookkeeping.get(REGION)?.recordedPacks ?? {})).toEqual(['pack-a']);
  });

  it("reads only the records of the pack whose failures changed, and alerts the change", async () => {
    await settle();
    source.setAccount(REGION, 'pack-a', { accountId: '000000000002', status: 'UPDATE_FAILED', errorCode: 'AccessDenied' });
    const report = await sweep();
    expect(store.recordReads).toEqual([`${REGION}/pack-a`]);
    expect(alerted()).toEqual(['NEW_FAILURE pack-a 000000000002']);
    // The failing count covers the packs whose records were not read, from their digests.
    expect(report.failingAccounts).toBe(3);
    store.recordReads.length = 0;
    await sweep();
    expect(store.recordReads).toEqual([]);
  });

  it.each([
    { change: 'an error code', deployment: { accountId: '000000000001', status: 'UPDATE_FAILED', errorCode: 'Other' } as const, kind: 'CHANGED_FAILURE' },
    { change: 'a failed status', deployment: { accountId: '000000000001', status: 'DELETE_FAILED', errorCode: 'ResourceLimitExceeded' } as const, kind: 'CHANGED_FAILURE' },
    { change: 'a recovery', deployment: { accountId: '000000000001', status: 'UPDATE_SUCCESSFUL' } as const, kind: 'RECOVERED' },
  ])('notices $change in a pack whose records it had not read', async ({ deployment, kind }) => {
    await settle();
    source.setAccount(REGION, 'pack-b', deployment);
    await sweep();
    expect(store.recordReads).toEqual([`${REGION}/pack-b`]);
    expect(alerted()).toEqual([`${kind} pack-b 000000000001`]);
    // The digest saved after the writes describes the records as written: the next sweep reads nothing.
    store.recordReads.length = 0;
    await sweep();
    expect(store.recordReads).toEqual([]);
  });

  it('reads no record when only the error message or update time changed (the diff does not compare them)', async () => {
    await settle();
    source.setAccount(REGION, 'pack-b', { accountId: '000000000001', status: 'UPDATE_FAILED', errorCode: 'ResourceLimitExceeded', errorMessage: 'new words', lastUpdateTime: '2026-11-27T12:30:00.000Z' });
    await sweep();
    expect(store.recordReads).toEqual([]);
    expect(alerted()).toEqual([]);
  });

  it('reads the records of a pack whose reminder fell due, and only then', async () => {
    await settle();
    clock.advance(23 * HOUR);
    await sweep();
    expect(store.recordReads).toEqual([]);
    clock.advance(HOUR);
    await sweep();
    expect(store.recordReads.sort()).toEqual([`${REGION}/pack-a`, `${REGION}/pack-b`]);
    expect(alerted()).toEqual(['REMINDER pack-a 000000000001', 'REMINDER pack-b 000000000001']);
  });

  it('reads the records of a pack that was deleted or left the listing, to drop them', async () => {
    await settle();
    source.removePack(REGION, 'pack-b');
    await sweep();
    expect(store.recordReads).toEqual([`${REGION}/pack-b`]);
    expect([...store.records.keys()]).toEqual([`${REGION}/pack-a/000000000001`]);
    expect(alerted()).toEqual([]);
  });

  it('reads the records of a pack with a STUCK record, and of a pack listing accounts in progress', async () => {
    const stuckSettings: SweepSettings = { ...SETTINGS, stuckAfterMs: HOUR };
    source.setAccount(REGION, 'pack-c', { accountId: '000000000004', status: 'CREATE_IN_PROGRESS', lastUpdateTime: '2026-11-27T10:00:00.000Z' });
    await sweep(stuckSettings);
    expect(alerted()).toContain('STUCK pack-c 000000000004');
    await sweep(stuckSettings);
    store.recordReads.length = 0;
    await sweep(stuckSettings);
    expect(store.recordReads).toEqual([`${REGION}/pack-c`]);
    expect(store.bookkeeping.get(REGION)?.recordedPacks?.['pack-c']?.inProgress).toBe(true);
  });

  it('finds a change staged by a sweep whose publish failed, even when the organization went back to what the digest says', async () => {
    await settle();
    source.setAccount(REGION, 'pack-a', { accountId: '000000000002', status: 'UPDATE_FAILED', errorCode: 'AccessDenied' });
    notifier.failAfter = 0;
    await expect(sweep()).rejects.toBeInstanceOf(AlertDeliveryError);
    // Staged ahead of the publish that failed: the record is there, unconfirmed.
    expect(store.staged.has(`${REGION}/pack-a/000000000002`)).toBe(true);
    expect(store.bookkeeping.get(REGION)?.unsettledPacks).toEqual(['pack-a']);
    notifier.failAfter = undefined;
    // The listing matches the old digest again; only the unsettled mark says to read pack-a.
    source.setAccount(REGION, 'pack-a', { accountId: '000000000002', status: 'UPDATE_SUCCESSFUL' });
    store.recordReads.length = 0;
    await sweep();
    expect(store.recordReads).toEqual([`${REGION}/pack-a`]);
    expect(alerted()).toEqual(['RECOVERED pack-a 000000000002']);
    expect(store.records.has(`${REGION}/pack-a/000000000002`)).toBe(false);
    expect(store.staged.size).toBe(0);
  });

  it('marks the packs it is about to write as unsettled before the first write', async () => {
    await settle();
    source.setAccount(REGION, 'pack-b', { accountId: '000000000005', status: 'CREATE_FAILED' });
    const unsettledAtFirstWrite: (readonly string[] | undefined)[] = [];
    const apply = store.apply.bind(store);
    store.apply = async (writes) => {
      if (writes.length > 0 && unsettledAtFirstWrite.length === 0) unsettledAtFirstWrite.push(store.bookkeeping.get(REGION)?.unsettledPacks);
      return apply(writes);
    };
    await sweep();
    expect(unsettledAtFirstWrite).toEqual([['pack-b']]);
  });
});
