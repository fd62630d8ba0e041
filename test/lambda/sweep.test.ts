import { beforeEach, describe, expect, it } from 'vitest';
import { newSweepCounters, type SweepCounters } from '../../lambda/sweep-counters.js';
import { AlertDeliveryError, runExclusiveSweep, runSweep, type SweepReport, type SweepSettings } from '../../lambda/sweep.js';
import type { AlertDocument } from '../../lambda/domain/alert-document.js';
import type { AlertMessage } from '../../lambda/domain/alert-message.js';
import { OrganizationAccessDeniedError } from '../../lambda/ports.js';
import { InMemoryStateStore, InMemoryStatusSource, ManualClock, RecordingLog, RecordingNotifier } from '../support/in-memory-ports.js';

const SETTINGS: SweepSettings = { regions: ['us-east-1', 'eu-west-1'], reminderIntervalMs: 24 * 3_600_000, regionConcurrency: 2, packConcurrency: 3 };

let source: InMemoryStatusSource;
let store: InMemoryStateStore;
let notifier: RecordingNotifier;
let clock: ManualClock;
let log: RecordingLog;
let counters: SweepCounters;

function sweep(settings: SweepSettings = SETTINGS) {
  counters = newSweepCounters();
  return runSweep(`sweep-${clock.now().toISOString()}`, settings, { source, store, notifier, clock, log, counters });
}

function alertedChanges() {
  return notifier.published
    .filter((message) => message.attributes.schema?.value === 'packwatch.alert/1')
    .flatMap((message) => (JSON.parse(JSON.parse(message.message).default) as AlertDocument).changes);
}

function operatorAlerts() {
  return notifier.published.filter((message) => message.attributes.schema?.value === 'packwatch.operator/1');
}

beforeEach(() => {
  source = new InMemoryStatusSource();
  store = new InMemoryStateStore();
  notifier = new RecordingNotifier();
  clock = new ManualClock(new Date('2026-11-27T12:00:00.000Z'));
  log = new RecordingLog();
  source
    .setAccount('us-east-1', 'pack-a', { accountId: '000000000001', status: 'CREATE_FAILED', errorCode: 'AccessDenied' })
    .setAccount('us-east-1', 'pack-a', { accountId: '000000000002', status: 'CREATE_SUCCESSFUL' })
    .setAccount('us-east-1', 'pack-b', { accountId: '000000000001', status: 'UPDATE_FAILED', errorCode: 'ResourceLimitExceeded' })
    .setAccount('eu-west-1', 'pack-a', { accountId: '000000000003', status: 'DELETE_FAILED' });
});

describe('runSweep', () => {
  it('alerts every failing account on a first run, in one digest, and records it', async () => {
    const report = await sweep();
    expect(notifier.published).toHaveLength(1);
    expect(alertedChanges().map((change) => `${change.kind} ${change.region} ${change.conformancePack} ${change.accountId}`)).toEqual([
      'NEW_FAILURE eu-west-1 pack-a 000000000003',
      'NEW_FAILURE us-east-1 pack-a 000000000001',
      'NEW_FAILURE us-east-1 pack-b 000000000001',
    ]);
    expect(store.records.size).toBe(3);
    expect(report).toMatchObject({ failingAccounts: 3, packsSwept: 3, messagesPublished: 1 });
  });

  it('publishes nothing on an unchanged second run', async () => {
    await sweep();
    notifier.published.length = 0;
    clock.advance(3_600_000);
    const report = await sweep();
    expect(notifier.published).toEqual([]);
    expect(report.changes).toEqual([]);
    expect(report.failingAccounts).toBe(3);
  });

  it('reports exactly the new failure, the changed failure and the recovery on a later run', async () => {
    await sweep();
    notifier.published.length = 0;
    source.setAccount('us-east-1', 'pack-a', { accountId: '000000000002', status: 'UPDATE_FAILED', errorCode: 'AccessDenied' });
    source.setAccount('us-east-1', 'pack-b', { accountId: '000000000001', status: 'DELETE_FAILED', errorCode: 'ResourceLimitExceeded' });
    source.setAccount('eu-west-1', 'pack-a', { accountId: '000000000003', status: 'DELETE_SUCCESSFUL' });
    clock.advance(3_600_000);
    await sweep();
    expect(alertedChanges().map((change) => `${change.kind} ${change.accountId} ${change.status} ${change.previousStatus}`)).toEqual([
      'RECOVERED 000000000003 DELETE_SUCCESSFUL DELETE_FAILED',
      'NEW_FAILURE 000000000002 UPDATE_FAILED null',
      'CHANGED_FAILURE 000000000001 DELETE_FAILED UPDATE_FAILED',
    ]);
    expect([...store.records.keys()].sort()).toEqual(['us-east-1/pack-a/000000000001', 'us-east-1/pack-a/000000000002', 'us-east-1/pack-b/000000000001']);
  });

  it('rechecks only accounts that were failing and are no longer listed as failing', async () => {
    await sweep();
    source.setAccount('us-east-1', 'pack-a', { accountId: '000000000001', status: 'CREATE_SUCCESSFUL' });
    source.calls.length = 0;
    await sweep();
    expect(source.calls.filter((call) => call.startsWith('getAccountDeployment'))).toEqual(['getAccountDeployment us-east-1 pack-a 000000000001']);
  });

  it('sends a reminder once the interval has passed, and not again before the next interval', async () => {
    await sweep();
    clock.advance(24 * 3_600_000);
    notifier.published.length = 0;
    await sweep();
    expect(alertedChanges().map((change) => change.kind)).toEqual(['REMINDER', 'REMINDER', 'REMINDER']);
    notifier.published.length = 0;
    clock.advance(3_600_000);
    await sweep();
    expect(notifier.published).toEqual([]);
  });

  it('confirms nothing when SNS refuses the alert, fails loudly, and delivers it on the next healthy run', async () => {
    notifier.failAfter = 0;
    await expect(sweep()).rejects.toThrow(AlertDeliveryError);
    // Staged ahead of the publish, never confirmed.
    expect(store.staged.size).toBe(3);
    notifier.failAfter = undefined;
    await sweep();
    expect(alertedChanges()).toHaveLength(3);
    expect(store.staged.size).toBe(0);
    expect(store.records.size).toBe(3);
    notifier.published.length = 0;
    await sweep();
    expect(notifier.published).toEqual([]);
  });

  it('sends a change again when the sweep died between the publish and the confirmation, once', async () => {
    const confirmations: number[] = [];
    const apply = store.apply.bind(store);
    store.apply = async (writes) => {
      // The first confirmation after a publish never happens: the process died.
      if (notifier.published.length > 0 && confirmations.length === 0 && writes.every((write) => write.type !== 'stage')) {
        confirmations.push(writes.length);
        throw new Error('Lambda timed out');
      }
      return apply(writes);
    };
    await expect(sweep()).rejects.toThrow('Lambda timed out');
    expect(alertedChanges()).toHaveLength(3);
    clock.advance(3_600_000);
    await sweep();
    expect(alertedChanges()).toHaveLength(6);
    expect(store.staged.size).toBe(0);
    clock.advance(3_600_000);
    await sweep();
    expect(alertedChanges()).toHaveLength(6);
  });

  it('tells the newest change, not a stale unconfirmed one, when the account moved on meanwhile', async () => {
    await sweep();
    source.setAccount('us-east-1', 'pack-a', { accountId: '000000000001', status: 'CREATE_SUCCESSFUL' });
    notifier.failAfter = 0;
    await expect(sweep()).rejects.toThrow(AlertDeliveryError);
    notifier.failAfter = undefined;
    // The RECOVERED was staged and maybe published; now the account fails again exactly as before.
    source.setAccount('us-east-1', 'pack-a', { accountId: '000000000001', status: 'CREATE_FAILED', errorCode: 'AccessDenied' });
    notifier.published.length = 0;
    await sweep();
    const aboutAccount = alertedChanges().filter((change) => change.conformancePack === 'pack-a' && change.accountId === '000000000001');
    expect(aboutAccount.map((change) => change.kind)).toEqual(['NEW_FAILURE']);
    expect(store.staged.size).toBe(0);
  });

  it('records only the parts SNS accepted when a split digest fails midway', async () => {
    for (let index = 0; index < 3_000; index += 1) {
      source.setAccount('us-east-1', 'pack-c', { accountId: String(10_000 + index).padStart(12, '0'), status: 'CREATE_FAILED', errorMessage: 'x'.repeat(200) });
    }
    notifier.failAfter = 1;
    const error = await sweep().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AlertDeliveryError);
    const deliveredChanges = notifier.published[0]!.changes.length;
    // Parts refused in flight stay staged, parts never reached were not recorded at all: only the
    // accepted part is confirmed, and the next sweep sends every other change.
    expect(store.staged.size).toBeGreaterThan(0);
    expect(store.staged.size).toBeLessThan(3_003 - deliveredChanges);
    expect(store.records.size - store.staged.size).toBe(deliveredChanges);
    expect((error as AlertDeliveryError).undeliveredChanges).toBe(3_003 - deliveredChanges);
    notifier.failAfter = undefined;
    notifier.published.length = 0;
    await sweep();
    expect(alertedChanges()).toHaveLength(3_003 - deliveredChanges);
    expect(store.records.size).toBe(3_003);
    expect(store.staged.size).toBe(0);
  });

  it('publishes a split digest a few parts at a time and confirms each part only once SNS accepted it', async () => {
    for (let index = 0; index < 3_000; index += 1) {
      source.setAccount('us-east-1', 'pack-c', { accountId: String(10_000 + index).padStart(12, '0'), status: 'CREATE_FAILED', errorMessage: 'x'.repeat(200) });
    }
    // SNS holds every publish until the test accepts it.
    const pending: { message: AlertMessage; accept: () => void }[] = [];
    const slowNotifier = {
      publish: (message: AlertMessage) => new Promise<void>((resolve) => pending.push({ message, accept: resolve })),
    };
    counters = newSweepCounters();
    const done = runSweep('sweep-slow-sns', SETTINGS, { source, store, notifier: slowNotifier, clock, log, counters });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
    let accepted = 0;
    let mostAtOnce = 0;
    for (let round = 0; round < 1_000 && !(await Promise.race([done.then(() => true), settle().then(() => false)])); round += 1) {
      const waiting = pending.splice(0);
      mostAtOnce = Math.max(mostAtOnce, waiting.length);
      for (const { message, accept } of waiting) {
        // Staged, not yet confirmed, while SNS has not answered.
        for (const item of message.changes) expect(store.staged.has(`${item.change.region}/${item.change.conformancePack}/${item.change.accountId}`)).toBe(true);
        accept();
        accepted += 1;
      }
    }
    const report = await done;
    expect(report.messagesPublished).toBe(accepted);
    expect(accepted).toBeGreaterThan(4);
    expect(mostAtOnce).toBe(4);
    expect(store.staged.size).toBe(0);
    expect(store.records.size).toBe(3_003);
  });

  it('keeps the state of a region it cannot list, counts the error and still sweeps the others', async () => {
    await sweep();
    source.failingRegions.set('eu-west-1', new OrganizationAccessDeniedError('eu-west-1', 'denied'));
    source.setAccount('eu-west-1', 'pack-a', { accountId: '000000000003', status: 'DELETE_SUCCESSFUL' });
    source.setAccount('us-east-1', 'pack-a', { accountId: '000000000002', status: 'CREATE_FAILED' });
    notifier.published.length = 0;
    const report = await sweep();
    expect(alertedChanges().map((change) => `${change.kind} ${change.region} ${change.accountId}`)).toEqual(['NEW_FAILURE us-east-1 000000000002']);
    expect(store.records.has('eu-west-1/pack-a/000000000003')).toBe(true);
    expect(counters.sweepErrors).toBe(1);
    expect(report.regions.find((region) => region.region === 'eu-west-1')).toMatchObject({ error: expect.stringContaining('OrganizationAccessDeniedError'), failingAccounts: 1 });
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'error', attributes: expect.objectContaining({ region: 'eu-west-1' }) }));
    expect(operatorAlerts().map((message) => message.subject)).toEqual(['Packwatch cannot read organization conformance packs in eu-west-1']);
    expect(store.bookkeeping.get('eu-west-1')?.accessDeniedAlertedAt).toBe(clock.now().toISOString());
  });

  it('tells operators about denied access once while it lasts, and again after it came back and went', async () => {
    source.failingRegions.set('eu-west-1', new OrganizationAccessDeniedError('eu-west-1', 'denied'));
    await sweep();
    await sweep();
    expect(operatorAlerts()).toHaveLength(1);
    source.failingRegions.delete('eu-west-1');
    await sweep();
    expect(store.bookkeeping.get('eu-west-1')?.accessDeniedAlertedAt).toBeUndefined();
    source.failingRegions.set('eu-west-1', new OrganizationAccessDeniedError('eu-west-1', 'denied'));
    await sweep();
    expect(operatorAlerts()).toHaveLength(2);
  });

  it('does not page operators for a region that fails for another reason', async () => {
    source.failingRegions.set('eu-west-1', new Error('InternalFailure'));
    await sweep();
    expect(operatorAlerts()).toEqual([]);
  });

  it('writes no bookkeeping and reads no record on a sweep where nothing changed', async () => {
    await sweep();
    const afterFirst = store.bookkeepingWrites;
    store.recordReads.length = 0;
    await sweep();
    expect(store.bookkeepingWrites).toBe(afterFirst);
    expect(store.recordReads).toEqual([]);
    expect(notifier.published).toHaveLength(1);
  });

  it('defers the packs it has no time for, keeps their state, and reads them first next time', async () => {
    await sweep();
    source.setAccount('us-east-1', 'pack-b', { accountId: '000000000001', status: 'UPDATE_SUCCESSFUL' });
    source.calls.length = 0;
    // Time runs out once the first pack of us-east-1 was read (one pack at a time).
    const deadlineClock = {
      now: () => new Date(clock.now().getTime() + (source.calls.some((call) => call.startsWith('listFailingAccounts')) ? 3_600_000 : 0)),
    };
    counters = newSweepCounters();
    const report = await runSweep('sweep-deadline', { ...SETTINGS, regions: ['us-east-1'], regionConcurrency: 1, packConcurrency: 1, deadline: new Date(clock.now().getTime() + 60_000) }, {
      source,
      store,
      notifier,
      clock: deadlineClock,
      log,
      counters,
    });
    expect(report.packsDeferred).toBe(1);
    expect(counters.deferredPacks).toBe(1);
    expect(store.records.has('us-east-1/pack-b/000000000001')).toBe(true);
    expect(store.bookkeeping.get('us-east-1')?.deferredPacks).toEqual(['pack-b']);
    source.calls.length = 0;
    notifier.published.length = 0;
    await sweep({ ...SETTINGS, regions: ['us-east-1'], packConcurrency: 1 });
    expect(source.calls.filter((call) => call.startsWith('listFailingAccounts'))[0]).toBe('listFailingAccounts us-east-1 pack-b');
    expect(alertedChanges().map((change) => `${change.kind} ${change.conformancePack}`)).toEqual(['RECOVERED pack-b']);
    expect(store.bookkeeping.get('us-east-1')?.deferredPacks).toEqual([]);
  });

  it('handles at most its change budget, whole packs in digest order, and leaves the other packs for the next sweep', async () => {
    const budget = { ...SETTINGS, maxChangesPerSweep: 2 };
    const first = await sweep(budget);
    expect(alertedChanges().map((change) => `${change.region} ${change.conformancePack}`)).toEqual(['eu-west-1 pack-a', 'us-east-1 pack-a']);
    expect([...store.records.keys()].sort()).toEqual(['eu-west-1/pack-a/000000000003', 'us-east-1/pack-a/000000000001']);
    expect(store.staged.size).toBe(0);
    // The pack left over was not written: no digest stands for it, so it is read (and diffed) next time.
    expect(store.bookkeeping.get('us-east-1')).toMatchObject({ deferredPacks: ['pack-b'], unsettledPacks: ['pack-b'] });
    expect(store.bookkeeping.get('us-east-1')?.recordedPacks).not.toHaveProperty('pack-b');
    expect(counters.deferredPacks).toBe(1);
    expect(first.packsDeferred).toBe(1);
    expect(first.changes).toHaveLength(2);
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'warn', attributes: expect.objectContaining({ changes: 3, changesHandled: 2, packsLeft: 1 }) }));

    notifier.published.length = 0;
    source.calls.length = 0;
    await sweep(budget);
    // Read first, told once: nothing alerted before is told again.
    expect(source.calls.filter((call) => call.startsWith('listFailingAccounts us-east-1'))[0]).toBe('listFailingAccounts us-east-1 pack-b');
    expect(alertedChanges().map((change) => `${change.kind} ${change.region} ${change.conformancePack}`)).toEqual(['NEW_FAILURE us-east-1 pack-b']);
    expect(store.records.size).toBe(3);
    expect(store.bookkeeping.get('us-east-1')?.deferredPacks).toEqual([]);
    expect(counters.deferredPacks).toBe(0);
  });

  it('stops reading once the new failures read reach the change budget, and reads the other packs first next time', async () => {
    const budget = { ...SETTINGS, regions: ['us-east-1'], packConcurrency: 1, maxChangesPerSweep: 1 };
    const first = await sweep(budget);
    expect(source.calls.filter((call) => call.startsWith('listFailingAccounts'))).toEqual(['listFailingAccounts us-east-1 pack-a']);
    expect(alertedChanges().map((change) => `${change.conformancePack} ${change.accountId}`)).toEqual(['pack-a 000000000001']);
    expect(first.packsDeferred).toBe(1);
    expect(store.bookkeeping.get('us-east-1')?.deferredPacks).toEqual(['pack-b']);
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('Too many new failures') }));

    source.calls.length = 0;
    notifier.published.length = 0;
    await sweep(budget);
    expect(source.calls.filter((call) => call.startsWith('listFailingAccounts'))).toEqual(['listFailingAccounts us-east-1 pack-b']);
    expect(alertedChanges().map((change) => `${change.conformancePack} ${change.accountId}`)).toEqual(['pack-b 000000000001']);
    expect(store.bookkeeping.get('us-east-1')?.deferredPacks).toEqual(['pack-a']);

    // Recorded failures do not count against the budget: once told, every pack is read again.
    source.calls.length = 0;
    notifier.published.length = 0;
    await sweep(budget);
    expect(source.calls.filter((call) => call.startsWith('listFailingAccounts'))).toEqual(['listFailingAccounts us-east-1 pack-a', 'listFailingAccounts us-east-1 pack-b']);
    expect(alertedChanges()).toEqual([]);
    expect(store.records.size).toBe(2);
    expect(store.bookkeeping.get('us-east-1')?.deferredPacks).toEqual([]);
  });

  it('always handles the first pack, even when it alone is over the change budget', async () => {
    source.setAccount('eu-west-1', 'pack-a', { accountId: '000000000004', status: 'CREATE_FAILED' });
    await sweep({ ...SETTINGS, maxChangesPerSweep: 1 });
    expect(alertedChanges().map((change) => `${change.region} ${change.conformancePack} ${change.accountId}`)).toEqual([
      'eu-west-1 pack-a 000000000003',
      'eu-west-1 pack-a 000000000004',
    ]);
    expect(store.bookkeeping.get('us-east-1')).toMatchObject({ deferredPacks: ['pack-a', 'pack-b'], unsettledPacks: ['pack-a', 'pack-b'] });
  });

  it('never reports a recovery from a pack it could not read', async () => {
    await sweep();
    source.setAccount('us-east-1', 'pack-a', { accountId: '000000000001', status: 'CREATE_SUCCESSFUL' });
    source.failingPacks.set('us-east-1/pack-a', new Error('ThrottlingException'));
    notifier.published.length = 0;
    await sweep();
    expect(notifier.published).toEqual([]);
    expect(store.records.has('us-east-1/pack-a/000000000001')).toBe(true);
    expect(counters.sweepErrors).toBe(1);
  });

  it('never reports a recovery for an account it could not recheck', async () => {
    await sweep();
    source.setAccount('us-east-1', 'pack-a', { accountId: '000000000001', status: 'CREATE_SUCCESSFUL' });
    source.failingRechecks.set('us-east-1/pack-a/000000000001', new Error('InternalFailure'));
    notifier.published.length = 0;
    await sweep();
    expect(notifier.published).toEqual([]);
    expect(store.records.has('us-east-1/pack-a/000000000001')).toBe(true);
    expect(counters.sweepErrors).toBe(1);
  });

  it('drops the state of a deleted pack without an alert', async () => {
    await sweep();
    source.removePack('us-east-1', 'pack-b');
    notifier.published.length = 0;
    await sweep();
    expect(notifier.published).toEqual([]);
    expect(store.records.has('us-east-1/pack-b/000000000001')).toBe(false);
    expect(store.records.size).toBe(2);
  });

  it('records muted changes without publishing when nothing else changed, and publishes them beside others', async () => {
    const settings = { ...SETTINGS, muteRules: [{ field: 'pack' as const, pattern: 'pack-*' }] };
    const report = await sweep(settings);
    expect(notifier.published).toEqual([]);
    expect(report.changes.every((change) => change.muted)).toBe(true);
    expect(store.records.size).toBe(3);
    source.setAccount('us-east-1', 'other', { accountId: '000000000009', status: 'CREATE_FAILED' });
    source.setAccount('us-east-1', 'pack-a', { accountId: '000000000002', status: 'UPDATE_FAILED' });
    await sweep(settings);
    expect(alertedChanges().map((change) => `${change.accountId} ${change.muted}`)).toEqual(['000000000009 false', '000000000002 true']);
  });

  it('alerts a deployment stuck in progress once, when stuck alerts are on', async () => {
    const settings = { ...SETTINGS, stuckAfterMs: 6 * 3_600_000 };
    source.setAccount('us-east-1', 'pack-a', { accountId: '000000000004', status: 'CREATE_IN_PROGRESS', lastUpdateTime: '2026-11-27T01:00:00.000Z' });
    await sweep(settings);
    expect(alertedChanges().filter((change) => change.kind === 'STUCK').map((change) => change.accountId)).toEqual(['000000000004']);
    notifier.published.length = 0;
    clock.advance(3_600_000);
    await sweep(settings);
    expect(notifier.published).toEqual([]);
  });

  it('reads in-progress accounts only when stuck alerts are on', async () => {
    await sweep();
    expect(source.calls.some((call) => call.startsWith('listInProgressAccounts'))).toBe(false);
    await sweep({ ...SETTINGS, stuckAfterMs: 1 });
    expect(source.calls.some((call) => call.startsWith('listInProgressAccounts'))).toBe(true);
  });

  it('fails the sweep when the state cannot be written after an accepted alert', async () => {
    store.failApply = new Error('DynamoDB is down');
    await expect(sweep()).rejects.toThrow('DynamoDB is down');
  });
});

describe('runSweep with summary statuses between full reads', () => {
  const HOUR = 3_600_000;
  const summarized = { ...SETTINGS, fullReadIntervalMs: 6 * HOUR, stuckAfterMs: 6 * HOUR };

  beforeEach(() => {
    source.setAccount('us-east-1', 'healthy-pack', { accountId: '000000000007', status: 'CREATE_SUCCESSFUL' });
  });

  const readsOf = (pack: string) => source.calls.filter((call) => call.endsWith(` ${pack}`) || call.includes(` ${pack} `));

  it('reads every pack on the first sweep, then skips packs the summary proves healthy', async () => {
    await sweep(summarized);
    expect(readsOf('healthy-pack').length).toBeGreaterThan(0);
    expect(source.calls.some((call) => call.startsWith('listPackSummaries'))).toBe(false);
    source.calls.length = 0;
    clock.advance(HOUR);
    const report = await sweep(summarized);
    expect(source.calls).toContain('listPackSummaries us-east-1');
    expect(readsOf('healthy-pack')).toEqual([]);
    expect(report.packsSkipped).toBe(1);
    expect(report.failingAccounts).toBe(3);
  });

  it('never concludes a recovery from a summary: a pack with records is read whatever its summary says', async () => {
    await sweep(summarized);
    source.setAccount('us-east-1', 'pack-b', { accountId: '000000000001', status: 'UPDATE_FAILED', errorCode: 'ResourceLimitExceeded' });
    source.summaryOverrides.set('us-east-1/pack-b', 'UPDATE_SUCCESSFUL');
    notifier.published.length = 0;
    source.calls.length = 0;
    clock.advance(HOUR);
    await sweep(summarized);
    expect(readsOf('pack-b').length).toBeGreaterThan(0);
    expect(notifier.published).toEqual([]);
  });

  it('misses a failure hidden by a lagging summary only until the next full read', async () => {
    await sweep(summarized);
    source.setAccount('us-east-1', 'healthy-pack', { accountId: '000000000008', status: 'CREATE_FAILED' });
    source.summaryOverrides.set('us-east-1/healthy-pack', 'CREATE_SUCCESSFUL');
    notifier.published.length = 0;
    clock.advance(HOUR);
    await sweep(summarized);
    expect(alertedChanges()).toEqual([]);
    clock.advance(5 * HOUR);
    await sweep(summarized);
    expect(alertedChanges().map((change) => `${change.kind} ${change.accountId}`)).toEqual(['NEW_FAILURE 000000000008']);
  });

  it('reads every pack when the summaries cannot be read', async () => {
    await sweep(summarized);
    source.failSummaries = new Error('ThrottlingException');
    source.calls.length = 0;
    clock.advance(HOUR);
    const report = await sweep(summarized);
    expect(readsOf('healthy-pack').length).toBeGreaterThan(0);
    expect(report.packsSkipped).toBe(0);
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('summary statuses') }));
  });

  it('reads in-progress accounts between full reads only for packs whose summary is in progress', async () => {
    await sweep(summarized);
    source.setAccount('us-east-1', 'pack-a', { accountId: '000000000005', status: 'UPDATE_IN_PROGRESS', lastUpdateTime: '2026-11-27T00:00:00.000Z' });
    source.calls.length = 0;
    clock.advance(HOUR);
    await sweep(summarized);
    // pack-a's summary says failed (a failure outranks in progress), so its in-progress accounts wait for the full read.
    expect(source.calls.filter((call) => call.startsWith('listInProgressAccounts'))).toEqual([]);
    source.summaryOverrides.set('us-east-1/pack-a', 'UPDATE_IN_PROGRESS');
    await sweep(summarized);
    expect(source.calls.filter((call) => call.startsWith('listInProgressAccounts'))).toEqual(['listInProgressAccounts us-east-1 pack-a']);
    expect(alertedChanges().filter((change) => change.kind === 'STUCK').map((change) => change.accountId)).toEqual(['000000000005']);
  });

  it('writes the bookkeeping once per full read, not on every sweep', async () => {
    await sweep(summarized);
    const afterFirst = store.bookkeepingWrites;
    clock.advance(HOUR);
    await sweep(summarized);
    expect(store.bookkeepingWrites).toBe(afterFirst);
    clock.advance(6 * HOUR);
    await sweep(summarized);
    expect(store.bookkeepingWrites).toBe(afterFirst + 2);
  });
});

describe('runExclusiveSweep', () => {
  class FakeLease {
    holder: string | undefined;
    releases: string[] = [];
    async acquire(owner: string) {
      if (this.holder) return false;
      this.holder = owner;
      return true;
    }
    async release(owner: string) {
      this.releases.push(owner);
      const held = this.holder === owner;
      if (held) this.holder = undefined;
      return held;
    }
  }

  function exclusive(lease: FakeLease, owner: string, afterSweep?: (report: SweepReport) => Promise<void>) {
    counters = newSweepCounters();
    return runExclusiveSweep('sweep-x', SETTINGS, {
      source,
      store,
      notifier,
      clock,
      log,
      counters,
      lease,
      leaseOwner: owner,
      leaseDurationMs: 60_000,
      ...(afterSweep ? { afterSweep } : {}),
    });
  }

  it('runs the work after the sweep (the inventory) once the alerts are out, still holding the lease', async () => {
    const lease = new FakeLease();
    const seen: { holder: string | undefined; published: number; changes: number }[] = [];
    await exclusive(lease, 'owner-5', async (report) => {
      seen.push({ holder: lease.holder, published: notifier.published.length, changes: report.changes.length });
    });
    expect(seen).toEqual([{ holder: 'owner-5', published: 1, changes: 3 }]);
    expect(lease.holder).toBeUndefined();
  });

  it('neither fails the sweep nor loses its alerts when the work after it throws: it logs and counts the error', async () => {
    const lease = new FakeLease();
    const outcome = await exclusive(lease, 'owner-6', async () => {
      throw new Error('inventory exploded');
    });
    expect(outcome.outcome).toBe('swept');
    expect(alertedChanges()).toHaveLength(3);
    expect(store.records.size).toBe(3);
    expect(counters.sweepErrors).toBe(1);
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'error', attributes: expect.objectContaining({ errorMessage: 'inventory exploded' }) }));
    expect(lease.holder).toBeUndefined();
  });

  it('does not run the work after a sweep that failed', async () => {
    const lease = new FakeLease();
    notifier.failAfter = 0;
    let ran = false;
    await expect(
      exclusive(lease, 'owner-7', async () => {
        ran = true;
      }),
    ).rejects.toThrow(AlertDeliveryError);
    expect(ran).toBe(false);
  });

  it('sweeps and releases the lease when it is free', async () => {
    const lease = new FakeLease();
    const outcome = await exclusive(lease, 'owner-1');
    expect(outcome.outcome).toBe('swept');
    expect(notifier.published).toHaveLength(1);
    expect(lease.releases).toEqual(['owner-1']);
    expect(lease.holder).toBeUndefined();
  });

  it('does nothing, sends nothing and keeps the other sweep’s lease when it is held', async () => {
    const lease = new FakeLease();
    lease.holder = 'other';
    const outcome = await exclusive(lease, 'owner-2');
    expect(outcome).toEqual({ outcome: 'skipped', sweepId: 'sweep-x' });
    expect(notifier.published).toEqual([]);
    expect(source.calls).toEqual([]);
    expect(lease.holder).toBe('other');
  });

  it('releases the lease even when the sweep fails', async () => {
    const lease = new FakeLease();
    notifier.failAfter = 0;
    await expect(exclusive(lease, 'owner-3')).rejects.toThrow(AlertDeliveryError);
    expect(lease.holder).toBeUndefined();
  });

  it('warns when its lease had expired and another sweep took it', async () => {
    const lease = new FakeLease();
    const sweepDuringWhichLeaseIsStolen = exclusive(lease, 'owner-4');
    lease.holder = 'thief';
    await sweepDuringWhichLeaseIsStolen;
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('lease expired') }));
    expect(lease.holder).toBe('thief');
  });
});

describe('the per-pack log line the dashboard reads', () => {
  it('logs each pack once per sweep with its failing accounts after the sweep', async () => {
    await sweep();
    source.setAccount('us-east-1', 'pack-a', { accountId: '000000000002', status: 'UPDATE_FAILED' });
    source.setAccount('us-east-1', 'pack-b', { accountId: '000000000001', status: 'UPDATE_SUCCESSFUL' });
    log.lines.length = 0;
    await sweep();
    const packLines = log.lines.filter((line) => line.message === 'Pack swept').map((line) => line.attributes);
    expect(packLines).toEqual(
      expect.arrayContaining([
        { region: 'us-east-1', conformancePack: 'pack-a', outcome: 'read', failingAccounts: 2 },
        { region: 'us-east-1', conformancePack: 'pack-b', outcome: 'read', failingAccounts: 0 },
        { region: 'eu-west-1', conformancePack: 'pack-a', outcome: 'read', failingAccounts: 1 },
      ]),
    );
    expect(packLines).toHaveLength(3);
    // A pack with nothing failing and nothing changed says nothing.
    log.lines.length = 0;
    await sweep();
    const silentLines = log.lines.filter((line) => line.message === 'Pack swept').map((line) => `${line.attributes?.region} ${line.attributes?.conformancePack}`);
    expect(silentLines.sort()).toEqual(['eu-west-1 pack-a', 'us-east-1 pack-a']);
  });
});
