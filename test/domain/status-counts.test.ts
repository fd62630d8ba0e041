import { describe, expect, it } from 'vitest';
import { addStatusCounts, countStatuses, parseStatusCounts, presentStatuses, totalAccounts } from '../../lambda/domain/status-counts.js';

describe('countStatuses', () => {
  it.each([
    { name: 'an empty page', records: [], counts: {}, malformed: [] },
    {
      name: 'every status it knows, once or more',
      records: [
        { AccountId: '000000000001', Status: 'CREATE_SUCCESSFUL' },
        { AccountId: '000000000002', Status: 'CREATE_SUCCESSFUL' },
        { AccountId: '000000000003', Status: 'UPDATE_FAILED', ErrorCode: 'E' },
        { AccountId: '000000000004', Status: 'DELETE_IN_PROGRESS', LastUpdateTime: new Date('2026-11-27T00:00:00Z') },
      ],
      counts: { CREATE_SUCCESSFUL: 2, UPDATE_FAILED: 1, DELETE_IN_PROGRESS: 1 },
      malformed: [],
    },
    {
      name: 'an unknown status, a short account ID and a bad time: reported, not counted',
      records: [
        { AccountId: '000000000001', Status: 'EXPLODED' },
        { AccountId: '12345', Status: 'CREATE_FAILED' },
        { AccountId: '000000000003', Status: 'CREATE_FAILED', LastUpdateTime: 'yesterday' },
        { AccountId: '000000000004', Status: 'CREATE_FAILED' },
      ],
      counts: { CREATE_FAILED: 1 },
      malformed: [
        'Status "EXPLODED" of account 000000000001 is unknown',
        'AccountId "12345" is not 12 digits',
        'LastUpdateTime of account 000000000003 is not a time',
      ],
    },
  ])('counts $name', ({ records, counts, malformed }) => {
    expect(countStatuses(records)).toEqual({ counts, malformed });
  });
});

describe('addStatusCounts', () => {
  it.each([
    { a: {}, b: {}, sum: {} },
    { a: { CREATE_SUCCESSFUL: 2 }, b: {}, sum: { CREATE_SUCCESSFUL: 2 } },
    { a: { CREATE_SUCCESSFUL: 2, CREATE_FAILED: 1 }, b: { CREATE_SUCCESSFUL: 98, UPDATE_FAILED: 3 }, sum: { CREATE_SUCCESSFUL: 100, CREATE_FAILED: 1, UPDATE_FAILED: 3 } },
  ])('adds $a and $b', ({ a, b, sum }) => {
    expect(addStatusCounts(a, b)).toEqual(sum);
    expect(addStatusCounts(b, a)).toEqual(sum);
  });
});

describe('presentStatuses and totalAccounts', () => {
  it.each([
    { counts: {}, present: [], total: 0 },
    { counts: { CREATE_FAILED: 0 }, present: [], total: 0 },
    {
      counts: { DELETE_FAILED: 1, CREATE_SUCCESSFUL: 9_990, UPDATE_IN_PROGRESS: 0, CREATE_FAILED: 9 },
      // In the API's order, statuses with no account left out.
      present: [
        ['CREATE_SUCCESSFUL', 9_990],
        ['CREATE_FAILED', 9],
        ['DELETE_FAILED', 1],
      ],
      total: 10_000,
    },
  ])('of $counts', ({ counts, present, total }) => {
    expect(presentStatuses(counts)).toEqual(present);
    expect(totalAccounts(counts)).toBe(total);
  });
});

describe('parseStatusCounts', () => {
  it.each([
    { value: {}, parsed: {} },
    { value: { CREATE_SUCCESSFUL: 3, UPDATE_FAILED: 0 }, parsed: { CREATE_SUCCESSFUL: 3, UPDATE_FAILED: 0 } },
    { value: { EXPLODED: 1 }, parsed: undefined },
    { value: { CREATE_FAILED: -1 }, parsed: undefined },
    { value: { CREATE_FAILED: 1.5 }, parsed: undefined },
    { value: { CREATE_FAILED: '1' }, parsed: undefined },
    { value: [1, 2], parsed: undefined },
    { value: null, parsed: undefined },
    { value: 'counts', parsed: undefined },
  ])('reads $value back as $parsed', ({ value, parsed }) => {
    expect(parseStatusCounts(value)).toEqual(parsed);
  });
});
