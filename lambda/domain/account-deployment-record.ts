import { isDeploymentStatus } from './deployment-status.js';
import type { AccountDeployment } from './types.js';

/** A detailed-status record as the API returns it, before anything about it is trusted. */
export interface RawDeploymentRecord {
  readonly AccountId?: unknown;
  readonly Status?: unknown;
  readonly ErrorCode?: unknown;
  readonly ErrorMessage?: unknown;
  readonly LastUpdateTime?: unknown;
}

export type ParsedDeploymentRecord =
  | { readonly ok: true; readonly deployment: AccountDeployment }
  | { readonly ok: false; readonly problem: string };

const ACCOUNT_ID = /^\d{12}$/;

/** Validates one record; a malformed one is reported with its problem, never thrown. */
export function parseDeploymentRecord(raw: RawDeploymentRecord): ParsedDeploymentRecord {
  if (typeof raw.AccountId !== 'string' || !ACCOUNT_ID.test(raw.AccountId)) {
    return { ok: false, problem: `AccountId ${JSON.stringify(raw.AccountId)} is not 12 digits` };
  }
  if (!isDeploymentStatus(raw.Status)) {
    return { ok: false, problem: `Status ${JSON.stringify(raw.Status)} of account ${raw.AccountId} is unknown` };
  }
  const lastUpdateTime = toIsoTime(raw.LastUpdateTime);
  if (lastUpdateTime === null) {
    return { ok: false, problem: `LastUpdateTime of account ${raw.AccountId} is not a time` };
  }
  return {
    ok: true,
    deployment: {
      accountId: raw.AccountId,
      status: raw.Status,
      ...(typeof raw.ErrorCode === 'string' && raw.ErrorCode !== '' ? { errorCode: raw.ErrorCode } : {}),
      ...(typeof raw.ErrorMessage === 'string' && raw.ErrorMessage !== '' ? { errorMessage: raw.ErrorMessage } : {}),
      ...(lastUpdateTime !== undefined ? { lastUpdateTime } : {}),
    },
  };
}

/** undefined when absent, null when present but not a valid time. */
function toIsoTime(value: unknown): string | undefined | null {
  if (value === undefined || value === null) return undefined;
  const time = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isFinite(time) ? new Date(time).toISOString() : null;
}
