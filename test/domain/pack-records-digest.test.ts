import { describe, expect, it } from 'vitest';
import { digestOfRecords, fingerprintOfListing, recordsReadReason, type PackRecordsDigest } from '../../lambda/domain/pack-records-digest.js';
import type { AccountDeployment, FailureRecord } from '../../lambda/domain/types.js';

const NOW = new Date('2026-11-27T12:00:00.000Z');
const HOUR = 3_600_000;

function record(accountId: string, overrides: Partial<FailureRecord> = {}): FailureRecord {
  return {
    region: 'us-east-1',
    conformancePack: 'baseline',
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
  return { accountId, status: 'CREATE_FAILED', errorCode: 'AccessDenied', errorMessage: 'not authorized', lastUpdateTime: '2026-11-20T00:00:00.000Z', ...overrides };
}

const RECORDS = [record('000000000001'), record('000000000002', { status: 'UPDATE_FAILED', errorCode: 'ResourceLimitExceeded' })];
const DIGEST = digestOfRecords(RECORDS)!;
const MATCHING = [deployment('000000000002', { status: 'UPDATE_FAILED', errorCode: 'ResourceLimitExceeded' }), deployment('000000000001')];

describe('digestOfRecords', () => {
  it('has none for a pack without records', () => {
    expect(digestOfRecords([])).toBeUndefined();
  });

  it('counts the failed records, keeps the oldest alert (to the second, rounded down) and flags in-progress records', () => {
    const digest = digestOfRecords([
      record('000000000001', { lastAlertedAt: '2026-11-27T09:30:15.900Z' }),
      record('000000000002', { lastAlertedAt: '2026-11-27T10:00:00.000Z' }),
      record('000000000003', { status: 'CREATE_IN_PROGRESS', lastAlertedAt: '2026-11-01T00:00:00.000Z' }),
    ]);
    expect(digest).toMatchObject({ failing: 2, oldestAlertedAt: '2026-11-27T09:30:15.000Z', inProgress: true });
    expect(digest?.fingerprint).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it('makes a reminder due at once when an alert time cannot be read', () => {
    expect(digestOfRecords([record('000000000001', { lastAlertedAt: 'garbage' })])?.oldestAlertedAt).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('fingerprintOfListing', () => {
  it.each([
    { name: 'the same accounts, statuses and codes in another order', listing: [...MATCHING].reverse(), same: true },
    { name: 'another error message and update time', listing: MATCHING.map((item) => ({ ...item, errorMessage: 'other', lastUpdateTime: '2026-11-27T00:00:00.000Z' })), same: true },
    { name: 'an account listed twice, its newest report matching', listing: [...MATCHING, deployment('000000000001', { status: 'DELETE_FAILED', lastUpdateTime: '2026-11-19T00:00:00.000Z' })], same: true },
    { name: 'an account listed twice, its newest report differing', listing: [...MATCHING, deployment('000000000001', { status: 'DELETE_FAILED', lastUpdateTime: '2026-11-21T00:00:00.000Z' })], same: false },
    { name: 'one more failing account', listing: [...MATCHING, deployment('000000000003')], same: false },
    { name: 'one account fewer', listing: MATCHING.slice(1), same: false },
    { name: 'another failed status', listing: [MATCHING[0]!, deployment('000000000001', { status: 'DELETE_FAILED' })], same: false },
    { name: 'another error code', listing: [MATCHING[0]!, deployment('000000000001', { errorCode: 'Other' })], same: false },
    { name: 'no error code where there was one', listing: [MATCHING[0]!, deployment('000000000001', { errorCode: undefined })], same: false },
    { name: 'an empty error code where there was none', listing: [MATCHING[0]!, deployment('000000000001', { errorCode: '' })], same: false },
  ])('$name: same fingerprint is $same', ({ listing, same }) => {
    expect(fingerprintOfListing(listing) === DIGEST.fingerprint).toBe(same);
  });

  it('keeps an absent error code apart from an empty one', () => {
    const absent = digestOfRecords([record('000000000001', { errorCode: undefined })])!;
    expect(fingerprintOfListing([deployment('000000000001', { errorCode: undefined })])).toBe(absent.fingerprint);
    expect(fingerprintOfListing([deployment('000000000001', { errorCode: '' })])).not.toBe(absent.fingerprint);
  });

  it('has no fingerprint for a listing holding a status that is not failed', () => {
    expect(fingerprintOfListing([deployment('000000000001', { status: 'CREATE_IN_PROGRESS' })])).toBeUndefined();
  });
});

describe('recordsReadReason', () => {
  const reason = (digest: PackRecordsDigest, failing: AccountDeployment[], overrides: { inProgress?: AccountDeployment[]; now?: Date; reminderIntervalMs?: number } = {}) =>
    recordsReadReason({ digest, failing, inProgress: overrides.inProgress ?? [], now: overrides.now ?? NOW, reminderIntervalMs: overrides.reminderIntervalMs ?? 24 * HOUR });

  it.each([
    { name: 'the listing matches, no reminder due', digest: DIGEST, failing: MATCHING, overrides: {}, expected: undefined },
    { name: 'the listing differs', digest: DIGEST, failing: MATCHING.slice(1), overrides: {}, expected: 'failures-changed' },
    { name: 'an in-progress record', digest: { ...DIGEST, inProgress: true }, failing: MATCHING, overrides: {}, expected: 'in-progress-record' },
    { name: 'an account listed in progress', digest: DIGEST, failing: MATCHING, overrides: { inProgress: [deployment('000000000009', { status: 'UPDATE_IN_PROGRESS' })] }, expected: 'in-progress-listed' },
    { name: 'a reminder due exactly now', digest: DIGEST, failing: MATCHING, overrides: { now: new Date(Date.parse(DIGEST.oldestAlertedAt!) + 24 * HOUR) }, expected: 'reminder-due' },
    { name: 'a reminder due a second later', digest: DIGEST, failing: MATCHING, overrides: { now: new Date(Date.parse(DIGEST.oldestAlertedAt!) + 24 * HOUR - 1000) }, expected: undefined },
    { name: 'reminders off', digest: DIGEST, failing: MATCHING, overrides: { now: new Date('2027-01-01T00:00:00.000Z'), reminderIntervalMs: 0 }, expected: undefined },
    { name: 'an unreadable oldest alert', digest: { ...DIGEST, oldestAlertedAt: 'garbage' }, failing: MATCHING, overrides: {}, expected: 'reminder-due' },
    { name: 'a listing with a status that is not failed', digest: DIGEST, failing: [...MATCHING, deployment('000000000004', { status: 'CREATE_SUCCESSFUL' })], overrides: {}, expected: 'failures-changed' },
  ])('$name: $expected', ({ digest, failing, overrides, expected }) => {
    expect(reason(digest, failing, overrides)).toBe(expected);
  });
});
