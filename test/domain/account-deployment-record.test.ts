import { describe, expect, it } from 'vitest';
import { parseDeploymentRecord } from '../../lambda/domain/account-deployment-record.js';

describe('parseDeploymentRecord', () => {
  it('keeps a valid record, its leading zeros and its time as ISO-8601', () => {
    expect(
      parseDeploymentRecord({ AccountId: '000000000042', Status: 'UPDATE_FAILED', ErrorCode: 'E', ErrorMessage: 'M', LastUpdateTime: new Date('2026-11-27T10:00:00Z') }),
    ).toEqual({
      ok: true,
      deployment: { accountId: '000000000042', status: 'UPDATE_FAILED', errorCode: 'E', errorMessage: 'M', lastUpdateTime: '2026-11-27T10:00:00.000Z' },
    });
  });

  it('leaves out empty optional fields', () => {
    expect(parseDeploymentRecord({ AccountId: '123456789012', Status: 'CREATE_SUCCESSFUL', ErrorCode: '' })).toEqual({
      ok: true,
      deployment: { accountId: '123456789012', status: 'CREATE_SUCCESSFUL' },
    });
  });

  it.each([
    { raw: { AccountId: '12345', Status: 'CREATE_FAILED' }, problem: 'AccountId "12345" is not 12 digits' },
    { raw: { AccountId: 123456789012, Status: 'CREATE_FAILED' }, problem: 'AccountId 123456789012 is not 12 digits' },
    { raw: { Status: 'CREATE_FAILED' }, problem: 'AccountId undefined is not 12 digits' },
    { raw: { AccountId: '123456789012', Status: 'EXPLODED' }, problem: 'Status "EXPLODED" of account 123456789012 is unknown' },
    { raw: { AccountId: '123456789012' }, problem: 'Status undefined of account 123456789012 is unknown' },
    { raw: { AccountId: '123456789012', Status: 'CREATE_FAILED', LastUpdateTime: 'yesterday' }, problem: 'LastUpdateTime of account 123456789012 is not a time' },
  ])('rejects $problem', ({ raw, problem }) => {
    expect(parseDeploymentRecord(raw)).toEqual({ ok: false, problem });
  });
});
