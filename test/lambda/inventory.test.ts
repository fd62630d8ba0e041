import { beforeEach, describe, expect, it } from 'vitest';
import type { DeploymentStatus } from '../../lambda/domain/deployment-status.js';
import { MAX_FAILED_READS_PER_PACK, runInventory, type InventorySettings } from '../../lambda/inventory.js';
import { INVENTORY_PACK_COUNTED_MESSAGE } from '../../lambda/observability-names.js';
import { OrganizationAccessDeniedError } from '../../lambda/ports.js';
import { newSweepCounters, type SweepCounters } from '../../lambda/sweep-counters.js';
import { InMemoryInventoryStore, InMemoryStatusSource, ManualClock, RecordingLog, RecordingStatusCountRecorder } from '../support/in-memory-ports.js';

const US = 'us-east-1';
const EU = 'eu-west-1';
const DAY = 86_400_000;
/** Each page read takes this long on the manual clock. */
const PAGE_MS = 1_000;

let source: InMemoryStatusSource;
let store: InMemoryInventoryStore;
let recorder: RecordingStatusCountRecorder;
let clock: ManualClock;
let log: RecordingLog;
let counters: SweepCounters;

/** `accounts` accounts in the pack, the first `failing` of them UPDATE_FAILED, the rest CREATE_SUCCESSFUL. */
function pack(region: string, name: string, accounts: number, failing = 0): void {
  for (let index = 0; index < accounts; index += 1) {
    const status: DeploymentStatus = index < failing ? 'UPDATE_FAILED' : 'CREATE_SUCCESSFUL';
    source.setAccount(region, name, { accountId: String(index + 1).padStart(12, '0'), status });
  }
}

/** An invocation whose inventory may read for `budgetMs` from now. */
function invoke(budgetMs = 3_600_000, overrides: Partial<InventorySettings> = {}) {
  counters = newSweepCounters();
  return runInventory(
    { regions: [US], regionConcurrency: 2, packConcurrency: 2, intervalMs: DAY, stopAt: new Date(clock.now().getTime() + budgetMs), ...overrides },
    { source, store, recorder, clock, log, counters },
  );
}

function pageReads(): string[] {
  return source.calls.filter((call) => call.startsWith('readStatusCountPage'));
}

beforeEach(() => {
  source = new InMemoryStatusSource();
  store = new InMemoryInventoryStore();
  recorder = new RecordingStatusCountRecorder();
  clock = new ManualClock(new Date('2026-11-27T12:00:00.000Z'));
  log = new RecordingLog();
  source.countPageSize = 2;
  const read = source.readStatusCountPage.bind(source);
  source.readStatusCountPage = async (...args) => {
    clock.advance(PAGE_MS);
    return read(...args);
  };
  pack(US, 'pack-a', 5, 1);
  pack(US, 'pack-b', 3);
  pack(US, 'pack-c', 4, 4);
});

describe('runInventory', () => {
  it('counts every status of every pack, emits each pack once, and records the completion', async () => {
    const report = await invoke();

    expect(recorder.counted).toEqual(
      expect.arrayContaining([
        { region: US, conformancePack: 'pack-a', counts: { UPDATE_FAILED: 1, CREATE_SUCCESSFUL: 4 } },
        { region: US, conformancePack: 'pack-b', counts: { CREATE_SUCCESSFUL: 3 } },
        { region: US, conformancePack: 'pack-c', counts: { UPDATE_FAILED: 4 } },
      ]),
    );
    expect(recorder.counted).toHaveLength(3);
    // ceil(5/2) + ceil(3/2) + ceil(4/2) pages, each read once.
    expect(pageReads()).toHaveLength(3 + 2 + 2);
    expect(report.regions).toEqual([{ region: US, state: 'completed', packsCounted: 3, pagesRead: 7, packsLeft: 0 }]);
    expect(store.checkpoints.get(US)).toEqual({ lastCompletedAt: clock.now().toISOString() });
    const lines = log.lines.filter((line) => line.message === INVENTORY_PACK_COUNTED_MESSAGE);
    expect(lines.map((line) => line.attributes)).toContainEqual({
      region: US,
      conformancePack: 'pack-a',
      accounts: 5,
      counts: { CREATE_SUCCESSFUL: 4, UPDATE_FAILED: 1 },
      malformedRecords: 0,
    });
    expect(counters.sweepErrors).toBe(0);
  });

  it('makes no call at all when the last inventory completed less than an interval ago', async () => {
    await invoke();
    source.calls.length = 0;
    recorder.counted.length = 0;
    const saves = store.saves;
    clock.advance(DAY - 60_000);

    const report = await invoke();

    expect(source.calls).toEqual([]);
    expect(recorder.counted).toEqual([]);
    expect(store.saves).toBe(saves);
    expect(report.regions[0]!.state).toBe('not-due');

    clock.advance(60_000);
    expect((await invoke()).regions[0]!.state).toBe('completed');
    expect(recorder.counted).toHaveLength(3);
  });

  it('stops when its budget is spent, checkpoints, and continues in the next invocations without reading a page twice', async () => {
    const states: string[] = [];
    for (let invocation = 0; invocation < 10; invocation += 1) {
      // Room for about 2 pages per invocation (the check is before each page, 2 packs side by side).
      const report = await invoke(1_500);
      states.push(report.regions[0]!.state);
      if (report.regions[0]!.state === 'completed') break;
      expect(store.checkpoints.get(US)?.current).toBeDefined();
      clock.advance(300_000);
    }

    expect(states.at(-1)).toBe('completed');
    expect(states.slice(0, -1).every((state) => state === 'in-progress')).toBe(true);
    expect(states.length).toBeGreaterThan(2);
    // Every pack emitted exactly once, with the counts of all its pages.
    expect(recorder.counted.map((item) => item.conformancePack).sort()).toEqual(['pack-a', 'pack-b', 'pack-c']);
    expect(recorder.counted.find((item) => item.conformancePack === 'pack-a')!.counts).toEqual({ UPDATE_FAILED: 1, CREATE_SUCCESSFUL: 4 });
    expect(new Set(pageReads()).size).toBe(pageReads().length);
    expect(pageReads()).toHaveLength(7);
  });

  it('reads nothing, not even its checkpoint, when the sweep left no time', async () => {
    const report = await invoke(0);
    expect(report.regions[0]!.state).toBe('postponed');
    expect(source.calls).toEqual([]);
    expect(store.saves).toBe(0);
  });

  it('leaves out a pack deleted during the inventory, and completes the others', async () => {
    await invoke(1_500);
    source.removePack(US, 'pack-a');
    clock.advance(300_000);
    const report = await invoke();

    expect(report.regions[0]!.state).toBe('completed');
    expect(recorder.counted.map((item) => item.conformancePack).sort()).toEqual(['pack-b', 'pack-c']);
    expect(counters.sweepErrors).toBe(0);
  });

  it('starts a pack over when AWS no longer accepts its token, counting each account once', async () => {
    await invoke(1_500);
    const open = store.checkpoints.get(US)!.current!.open;
    const withToken = open.find((tally) => tally.nextToken !== undefined)!;
    source.expiredTokens.add(withToken.nextToken!);
    clock.advance(300_000);
    await invoke();

    const expected: Record<string, unknown> = { 'pack-a': { UPDATE_FAILED: 1, CREATE_SUCCESSFUL: 4 }, 'pack-b': { CREATE_SUCCESSFUL: 3 }, 'pack-c': { UPDATE_FAILED: 4 } };
    expect(recorder.counted.find((item) => item.conformancePack === withToken.conformancePack)!.counts).toEqual(expected[withToken.conformancePack]);
    expect(recorder.counted).toHaveLength(3);
    expect(log.lines.some((line) => line.level === 'warn' && line.message.includes('token'))).toBe(true);
  });

  it('counts and logs malformed records and leaves them out of the counts', async () => {
    source.extraRawRecords.set(`${US}/pack-b`, [{ AccountId: '000000000099', Status: 'EXPLODED' }]);
    await invoke();

    expect(recorder.counted.find((item) => item.conformancePack === 'pack-b')!.counts).toEqual({ CREATE_SUCCESSFUL: 3 });
    expect(counters.malformedRecords).toBe(1);
    expect(log.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', attributes: expect.objectContaining({ conformancePack: 'pack-b', malformedRecords: 1 }) }),
    );
  });

  it('never throws: a failing pack is counted, logged, retried next invocation, and left out after repeated failures', async () => {
    source.failingCountPages.set(`${US}/pack-b`, new Error('InternalFailure'));
    const states: string[] = [];
    for (let invocation = 1; invocation <= MAX_FAILED_READS_PER_PACK; invocation += 1) {
      states.push((await invoke()).regions[0]!.state);
      clock.advance(300_000);
    }

    expect(states).toEqual([...Array<string>(MAX_FAILED_READS_PER_PACK - 1).fill('in-progress'), 'completed']);
    expect(recorder.counted.map((item) => item.conformancePack).sort()).toEqual(['pack-a', 'pack-c']);
    expect(log.lines.filter((line) => line.level === 'error' && line.attributes?.conformancePack === 'pack-b')).toHaveLength(MAX_FAILED_READS_PER_PACK + 1);
  });

  it('stops a region whose access is denied, keeps its checkpoint, and still counts the other regions', async () => {
    pack(EU, 'pack-eu', 2);
    source.failingCountPages.set(`${US}/pack-a`, new OrganizationAccessDeniedError(US, 'denied'));

    const report = await invoke(3_600_000, { regions: [US, EU], packConcurrency: 1 });

    expect(report.regions.map((region) => [region.region, region.state])).toEqual([
      [US, 'in-progress'],
      [EU, 'completed'],
    ]);
    expect(counters.sweepErrors).toBe(1);
    expect(store.checkpoints.get(US)!.current!.pending).toEqual(['pack-b', 'pack-c']);
    expect(recorder.counted.map((item) => item.conformancePack)).toEqual(['pack-eu']);
  });

  it('reports a region whose checkpoint cannot be written as failed, counted and logged, without throwing', async () => {
    store.failSave = new Error('DynamoDB is down');
    const report = await invoke();

    expect(report.regions[0]!.state).toBe('failed');
    expect(counters.sweepErrors).toBe(1);
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'error', attributes: expect.objectContaining({ region: US, errorMessage: 'DynamoDB is down' }) }));
  });

  it('abandons a request still running at abortAt, keeps the pack for next time, and counts no error', async () => {
    // AWS never answers: only the abort ends the request.
    source.readStatusCountPage = (_region, _pack, _token, signal) =>
      new Promise((_resolve, reject) => signal!.addEventListener('abort', () => reject(signal!.reason as Error)));

    const report = await invoke(3_600_000, { abortAt: new Date(clock.now().getTime() + 20), packConcurrency: 1 });

    expect(report.regions[0]).toMatchObject({ state: 'in-progress', packsCounted: 0 });
    expect(store.checkpoints.get(US)!.current!.open).toEqual([{ conformancePack: 'pack-a', counts: {}, malformedRecords: 0, failedReads: 0 }]);
    expect(counters.sweepErrors).toBe(0);
  });
});
