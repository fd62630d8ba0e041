import { describe, expect, it } from 'vitest';
import { accountsToRecheck, diffRegion, type RegionDiffInput } from '../../lambda/domain/diff.js';
import type { PackObservation } from '../../lambda/domain/observation.js';
import type { AccountDeployment, FailureRecord } from '../../lambda/domain/types.js';

const REGION = 'us-east-1';
const PACK = 'security-baseline';
const NOW = new Date('2026-11-27T12:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function record(accountId: string, overrides: Partial<FailureRecord> = {}): FailureRecord {
  return {
    region: REGION,
    conformancePack: PACK,
    accountId,
    status: 'CREATE_FAILED',
    errorCode: 'AccessDenied',
    errorMessage: 'not authorized',
    lastUpdateTime: '2026-11-20T00:00:00.000Z',
    failingSince: '2026-11-20T00:00:00.000Z',
    lastAlertedAt: '2026-11-27T11:00:00.000Z',
    ...overrides,
  };
}

function deployment(accountId: string, overrides: Partial<AccountDeployment> = {}): AccountDeployment {
  return {
    accountId,
    status: 'CREATE_FAILED',
    errorCode: 'AccessDenied',
    errorMessage: 'not authorized',
    lastUpdateTime: '2026-11-20T00:00:00.000Z',
    ...overrides,
  };
}

function read(failing: AccountDeployment[], rechecked: [string, AccountDeployment | null][] = [], conformancePack = PACK): PackObservation {
  return { outcome: 'read', conformancePack, failing, inProgress: [], rechecked: new Map(rechecked) };
}

function diff(previous: FailureRecord[], packs: PackObservation[], reminderIntervalMs = DAY, extra: Partial<RegionDiffInput> = {}) {
  const input: RegionDiffInput = { region: REGION, previous, packs, now: NOW, reminderIntervalMs, ...extra };
  return diffRegion(input);
}

describe('diffRegion transitions', () => {
  it.each([
    {
      name: 'first sighting of a failing account is a NEW_FAILURE',
      previous: [],
      observed: read([deployment('000123456789')]),
      kinds: ['NEW_FAILURE'],
      writes: ['put'],
    },
    {
      name: 'same status and error code within the reminder interval is silent',
      previous: [record('000123456789')],
      observed: read([deployment('000123456789')]),
      kinds: [],
      writes: [],
    },
    {
      name: 'another failed status is a CHANGED_FAILURE',
      previous: [record('000123456789')],
      observed: read([deployment('000123456789', { status: 'UPDATE_FAILED' })]),
      kinds: ['CHANGED_FAILURE'],
      writes: ['put'],
    },
    {
      name: 'another error code under the same status is a CHANGED_FAILURE',
      previous: [record('000123456789')],
      observed: read([deployment('000123456789', { errorCode: 'ResourceLimitExceeded' })]),
      kinds: ['CHANGED_FAILURE'],
      writes: ['put'],
    },
    {
      name: 'a changed error message alone is not a change',
      previous: [record('000123456789')],
      observed: read([deployment('000123456789', { errorMessage: 'other words' })]),
      kinds: [],
      writes: [],
    },
    {
      name: 'a failing account rechecked as successful is RECOVERED',
      previous: [record('000123456789')],
      observed: read([], [['000123456789', deployment('000123456789', { status: 'UPDATE_SUCCESSFUL', errorCode: undefined, errorMessage: undefined })]]),
      kinds: ['RECOVERED'],
      writes: ['delete'],
    },
    {
      name: 'a failing account no longer reported for the pack is RECOVERED with no status',
      previous: [record('000123456789')],
      observed: read([], [['000123456789', null]]),
      kinds: ['RECOVERED'],
      writes: ['delete'],
    },
    {
      name: 'a failing account whose recheck failed keeps its state',
      previous: [record('000123456789')],
      observed: read([]),
      kinds: [],
      writes: [],
    },
    {
      name: 'a recheck that finds the account failing under another status is a CHANGED_FAILURE, not a recovery',
      previous: [record('000123456789')],
      observed: read([], [['000123456789', deployment('000123456789', { status: 'DELETE_FAILED' })]]),
      kinds: ['CHANGED_FAILURE'],
      writes: ['put'],
    },
    {
      name: 'an in-progress account is neither failing nor new',
      previous: [],
      observed: read([deployment('000123456789', { status: 'UPDATE_IN_PROGRESS' })]),
      kinds: [],
      writes: [],
    },
    {
      name: 'an unreadable pack keeps every failure and says nothing',
      previous: [record('000123456789'), record('000123456790')],
      observed: { outcome: 'unreadable', conformancePack: PACK, reason: 'ThrottlingException' } as PackObservation,
      kinds: [],
      writes: [],
    },
  ])('$name', ({ previous, observed, kinds, writes }) => {
    const result = diff(previous, [observed]);
    expect(result.alertable.map((item) => item.change.kind)).toEqual(kinds);
    expect(result.alertable.map((item) => item.write.type)).toEqual(writes);
    expect(result.silentWrites).toEqual([]);
  });
});

describe('diffRegion details', () => {
  it('alerts every failing account on a first run, with failingSince from the report', () => {
    const result = diff([], [read([deployment('000000000001'), deployment('000000000002', { status: 'DELETE_FAILED' })])]);
    expect(result.alertable.map((item) => item.change)).toEqual([
      expect.objectContaining({ kind: 'NEW_FAILURE', accountId: '000000000001', status: 'CREATE_FAILED', previousStatus: null, failingSince: '2026-11-20T00:00:00.000Z' }),
      expect.objectContaining({ kind: 'NEW_FAILURE', accountId: '000000000002', status: 'DELETE_FAILED', previousStatus: null }),
    ]);
    expect(result.alertable[0]!.write).toEqual({
      type: 'put',
      record: expect.objectContaining({ accountId: '000000000001', lastAlertedAt: NOW.toISOString(), failingSince: '2026-11-20T00:00:00.000Z' }),
    });
    expect(result.failingAccounts).toBe(2);
  });

  it('uses the sweep time as failingSince when the report has no time or a future one', () => {
    const result = diff([], [read([deployment('000000000001', { lastUpdateTime: undefined }), deployment('000000000002', { lastUpdateTime: '2030-01-01T00:00:00.000Z' })])]);
    expect(result.alertable.map((item) => item.change.failingSince)).toEqual([NOW.toISOString(), NOW.toISOString()]);
  });

  it('keeps failingSince and reports the previous status on a change', () => {
    const previous = record('000123456789', { failingSince: '2026-10-01T00:00:00.000Z' });
    const [change] = diff([previous], [read([deployment('000123456789', { status: 'UPDATE_FAILED' })])]).alertable;
    expect(change!.change).toMatchObject({ kind: 'CHANGED_FAILURE', status: 'UPDATE_FAILED', previousStatus: 'CREATE_FAILED', failingSince: '2026-10-01T00:00:00.000Z' });
    expect(change!.write).toMatchObject({ type: 'put', record: { failingSince: '2026-10-01T00:00:00.000Z', lastAlertedAt: NOW.toISOString() } });
  });

  it('reports the current status of a recovered account and the failure it recovered from', () => {
    const [change] = diff([record('000123456789')], [read([], [['000123456789', deployment('000123456789', { status: 'CREATE_SUCCESSFUL', errorCode: undefined, errorMessage: undefined, lastUpdateTime: '2026-11-27T11:30:00.000Z' })]])]).alertable;
    expect(change!.change).toEqual({
      kind: 'RECOVERED',
      region: REGION,
      conformancePack: PACK,
      accountId: '000123456789',
      status: 'CREATE_SUCCESSFUL',
      previousStatus: 'CREATE_FAILED',
      errorCode: null,
      errorMessage: null,
      lastUpdateTime: '2026-11-27T11:30:00.000Z',
      failingSince: '2026-11-20T00:00:00.000Z',
      muted: false,
    });
    expect(change!.write).toEqual({ type: 'delete', key: { region: REGION, conformancePack: PACK, accountId: '000123456789' } });
  });

  it.each([
    { name: 'one millisecond before the interval: silent', alertedAgoMs: DAY - 1, reminderIntervalMs: DAY, kinds: [] },
    { name: 'exactly at the interval: REMINDER', alertedAgoMs: DAY, reminderIntervalMs: DAY, kinds: ['REMINDER'] },
    { name: 'long past the interval: REMINDER', alertedAgoMs: 30 * DAY, reminderIntervalMs: DAY, kinds: ['REMINDER'] },
    { name: 'reminders disabled: silent forever', alertedAgoMs: 365 * DAY, reminderIntervalMs: 0, kinds: [] },
  ])('reminder boundary, $name', ({ alertedAgoMs, reminderIntervalMs, kinds }) => {
    const previous = record('000123456789', { lastAlertedAt: new Date(NOW.getTime() - alertedAgoMs).toISOString() });
    const result = diff([previous], [read([deployment('000123456789')])], reminderIntervalMs);
    expect(result.alertable.map((item) => item.change.kind)).toEqual(kinds);
    for (const item of result.alertable) {
      expect(item.write).toMatchObject({ type: 'put', record: { lastAlertedAt: NOW.toISOString(), failingSince: previous.failingSince } });
      expect(item.change.previousStatus).toBe('CREATE_FAILED');
    }
  });

  it('drops the state of a pack missing from the listing without an alert', () => {
    const gone = record('000123456789', { conformancePack: 'retired-pack' });
    const result = diff([gone, record('000123456790')], [read([deployment('000123456790')])]);
    expect(result.alertable).toEqual([]);
    expect(result.silentWrites).toEqual([{ type: 'delete', key: { region: REGION, conformancePack: 'retired-pack', accountId: '000123456789' } }]);
    expect(result.failingAccounts).toBe(1);
  });

  it('drops the state of a pack deleted mid-sweep without an alert', () => {
    const result = diff([record('000123456789')], [{ outcome: 'deleted', conformancePack: PACK }]);
    expect(result.alertable).toEqual([]);
    expect(result.silentWrites).toHaveLength(1);
    expect(result.failingAccounts).toBe(0);
  });

  it('has nothing to say about an empty organization', () => {
    expect(diff([], [])).toEqual({ alertable: [], silentWrites: [], failingAccounts: 0 });
  });

  it('forgets everything when a complete listing has no packs left', () => {
    const result = diff([record('000000000001'), record('000000000002')], []);
    expect(result.alertable).toEqual([]);
    expect(result.silentWrites).toHaveLength(2);
  });

  it('counts failures kept because they could not be rechecked as still failing', () => {
    const result = diff([record('000000000001'), record('000000000002')], [read([], [['000000000001', null]])]);
    expect(result.alertable.map((item) => item.change.accountId)).toEqual(['000000000001']);
    expect(result.failingAccounts).toBe(1);
  });

  it('keeps the newest report when an account is listed under two failed statuses', () => {
    const result = diff([], [read([
      deployment('000000000001', { status: 'CREATE_FAILED', lastUpdateTime: '2026-11-27T10:00:00.000Z' }),
      deployment('000000000001', { status: 'UPDATE_FAILED', lastUpdateTime: '2026-11-27T11:00:00.000Z' }),
    ])]);
    expect(result.alertable.map((item) => item.change.status)).toEqual(['UPDATE_FAILED']);
  });

  it('orders changes by pack, then kind, then account', () => {
    const result = diff(
      [record('000000000009'), record('000000000003', { conformancePack: 'a-pack' })],
      [
        read([deployment('000000000005'), deployment('000000000001')], [['000000000009', null]]),
        read([deployment('000000000003', { status: 'UPDATE_FAILED' })], [], 'a-pack'),
      ],
    );
    expect(result.alertable.map((item) => `${item.change.conformancePack}/${item.change.kind}/${item.change.accountId}`)).toEqual([
      'a-pack/CHANGED_FAILURE/000000000003',
      `${PACK}/NEW_FAILURE/000000000001`,
      `${PACK}/NEW_FAILURE/000000000005`,
      `${PACK}/RECOVERED/000000000009`,
    ]);
  });
});

describe('accountsToRecheck', () => {
  it('names the accounts failing before and not listed as failing now', () => {
    expect(accountsToRecheck([record('000000000001'), record('000000000002'), record('000000000003')], [deployment('000000000002')])).toEqual([
      '000000000001',
      '000000000003',
    ]);
  });
});

describe('diffRegion: stuck deployments', () => {
  const SIX_HOURS = 6 * HOUR;
  const inProgress = (accountId: string, hoursAgo: number, status: AccountDeployment['status'] = 'UPDATE_IN_PROGRESS') =>
    deployment(accountId, { status, errorCode: undefined, errorMessage: undefined, lastUpdateTime: new Date(NOW.getTime() - hoursAgo * HOUR).toISOString() });
  const observed = (inProgressList: AccountDeployment[], failing: AccountDeployment[] = [], rechecked: [string, AccountDeployment | null][] = []): PackObservation => ({
    outcome: 'read',
    conformancePack: PACK,
    failing,
    inProgress: inProgressList,
    rechecked: new Map(rechecked),
  });
  const stuckRecord = (accountId: string) => record(accountId, { status: 'UPDATE_IN_PROGRESS', errorCode: undefined, errorMessage: undefined });

  it.each([
    { name: 'in progress past the threshold is STUCK, once', previous: [], packs: [observed([inProgress('000000000001', 7)])], kinds: ['STUCK'] },
    { name: 'in progress for less than the threshold is nothing yet', previous: [], packs: [observed([inProgress('000000000001', 5)])], kinds: [] },
    { name: 'still stuck on a later sweep says nothing more', previous: [stuckRecord('000000000001')], packs: [observed([inProgress('000000000001', 30)])], kinds: [] },
    { name: 'stuck, then failed, is a NEW_FAILURE', previous: [stuckRecord('000000000001')], packs: [observed([], [deployment('000000000001', { status: 'UPDATE_FAILED' })])], kinds: ['NEW_FAILURE'] },
    { name: 'stuck, then successful, is RECOVERED', previous: [stuckRecord('000000000001')], packs: [observed([], [], [['000000000001', deployment('000000000001', { status: 'UPDATE_SUCCESSFUL' })]])], kinds: ['RECOVERED'] },
    { name: 'failed, then in progress again, is RECOVERED (being redeployed)', previous: [record('000000000001')], packs: [observed([inProgress('000000000001', 1)])], kinds: ['RECOVERED'] },
  ])('$name', ({ previous, packs, kinds }) => {
    const result = diff(previous, packs, DAY, { stuckAfterMs: SIX_HOURS });
    expect(result.alertable.map((item) => item.change.kind)).toEqual(kinds);
  });

  it('records a stuck deployment with its in-progress status, and does not count it as failing', () => {
    const result = diff([], [observed([inProgress('000000000001', 7)])], DAY, { stuckAfterMs: SIX_HOURS });
    expect(result.alertable[0]!.change).toMatchObject({ kind: 'STUCK', status: 'UPDATE_IN_PROGRESS', previousStatus: null, failingSince: new Date(NOW.getTime() - 7 * HOUR).toISOString() });
    expect(result.alertable[0]!.write).toMatchObject({ type: 'put', record: { status: 'UPDATE_IN_PROGRESS' } });
    expect(result.failingAccounts).toBe(0);
  });

  it('reports the stuck status as the previous one when it then fails', () => {
    const result = diff([stuckRecord('000000000001')], [observed([], [deployment('000000000001', { status: 'UPDATE_FAILED' })])], DAY, { stuckAfterMs: SIX_HOURS });
    expect(result.alertable[0]!.change).toMatchObject({ kind: 'NEW_FAILURE', previousStatus: 'UPDATE_IN_PROGRESS', status: 'UPDATE_FAILED' });
    expect(result.failingAccounts).toBe(1);
  });

  it('ignores in-progress accounts entirely when stuck alerts are off', () => {
    expect(diff([], [observed([inProgress('000000000001', 700)])], DAY, { stuckAfterMs: 0 }).alertable).toEqual([]);
  });

  it('cannot call a deployment stuck without knowing when it started', () => {
    const noTime = deployment('000000000001', { status: 'CREATE_IN_PROGRESS', lastUpdateTime: undefined });
    expect(diff([], [observed([noTime])], DAY, { stuckAfterMs: SIX_HOURS }).alertable).toEqual([]);
  });
});

describe('diffRegion: muting', () => {
  it('flags changes matched by a rule as muted, and still writes their state', () => {
    const result = diff([], [read([deployment('000000000001'), deployment('000000000002', { errorCode: 'ResourceLimitExceeded' })])], DAY, {
      muteRules: [{ field: 'errorCode', pattern: 'Resource*' }],
    });
    expect(result.alertable.map((item) => [item.change.accountId, item.change.muted])).toEqual([
      ['000000000001', false],
      ['000000000002', true],
    ]);
    expect(result.alertable.every((item) => item.write.type === 'put')).toBe(true);
    expect(result.failingAccounts).toBe(2);
  });

  it('stops muting once the rule expires', () => {
    const result = diff([], [read([deployment('000000000001')])], DAY, {
      muteRules: [{ field: 'account', pattern: '000000000001', expiresAt: NOW.toISOString() }],
    });
    expect(result.alertable[0]!.change.muted).toBe(false);
  });
});
