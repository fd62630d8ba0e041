import { describe, expect, it } from 'vitest';
import { newestPerAccount } from '../../lambda/domain/newest-deployments.js';
import type { AccountDeployment } from '../../lambda/domain/types.js';

const failed = (accountId: string, lastUpdateTime?: string, errorCode = 'AccessDenied'): AccountDeployment => ({
  accountId,
  status: 'CREATE_FAILED',
  errorCode,
  ...(lastUpdateTime ? { lastUpdateTime } : {}),
});

describe('newestPerAccount', () => {
  it.each([
    { name: 'one report each', input: [failed('1', 't1'), failed('2', 't1')], expected: { '1': 't1', '2': 't1' } },
    { name: 'the newer report of an account listed twice', input: [failed('1', '2026-11-27T10:00:00Z'), failed('1', '2026-11-27T11:00:00Z')], expected: { '1': '2026-11-27T11:00:00Z' } },
    { name: 'the newer report even when it comes first', input: [failed('1', '2026-11-27T11:00:00Z'), failed('1', '2026-11-27T10:00:00Z')], expected: { '1': '2026-11-27T11:00:00Z' } },
    { name: 'a dated report over an undated one', input: [failed('1'), failed('1', '2026-11-27T10:00:00Z')], expected: { '1': '2026-11-27T10:00:00Z' } },
  ])('keeps $name', ({ input, expected }) => {
    const kept = Object.fromEntries([...newestPerAccount(input)].map(([account, deployment]) => [account, deployment.lastUpdateTime]));
    expect(kept).toEqual(expected);
  });

  it('keeps the first report on a tie', () => {
    const kept = newestPerAccount([failed('1', 't', 'First'), failed('1', 't', 'Second')]);
    expect(kept.get('1')?.errorCode).toBe('First');
  });
});
