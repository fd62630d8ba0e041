import { createHash } from 'node:crypto';
import { isFailedStatus, isInProgressStatus } from './deployment-status.js';
import { newestPerAccount } from './newest-deployments.js';
import type { AccountDeployment, FailureRecord } from './types.js';

/**
 * What the region's bookkeeping remembers about one pack's stored records: enough for a sweep to
 * prove that diffing them against what it observed would find nothing, without reading them.
 */
export interface PackRecordsDigest {
  /** Over the failed records' (account, status, error code): exactly what the diff compares. */
  readonly fingerprint: string;
  /** Failed records, for the failing-accounts count. */
  readonly failing: number;
  /** The earliest `lastAlertedAt` of the failed records, rounded down to the second; absent without any. */
  readonly oldestAlertedAt?: string;
  /** True when an in-progress (STUCK) record exists: those are always diffed with their records. */
  readonly inProgress: boolean;
}

/** Why a sweep must read a pack's records; undefined when the digest proves the diff would find nothing. */
export type RecordsReadReason = 'in-progress-record' | 'in-progress-listed' | 'reminder-due' | 'failures-changed';

/** The digest of a pack's records; undefined when it has none (a pack absent from the digests has none). */
export function digestOfRecords(records: readonly FailureRecord[]): PackRecordsDigest | undefined {
  if (records.length === 0) return undefined;
  const failed = records.filter((record) => isFailedStatus(record.status));
  // A loop, not Math.min(...): a spread of a very large pack's records would overflow the call stack.
  let oldestMs = Infinity;
  for (const record of failed) oldestMs = Math.min(oldestMs, Date.parse(record.lastAlertedAt));
  return {
    fingerprint: fingerprintOf(failed),
    failing: failed.length,
    // Rounded down, so a reminder is never found due later than it is; an unreadable time makes it due now.
    ...(failed.length > 0 ? { oldestAlertedAt: new Date(Number.isFinite(oldestMs) ? Math.floor(oldestMs / 1000) * 1000 : 0).toISOString() } : {}),
    inProgress: records.some((record) => isInProgressStatus(record.status)),
  };
}

/**
 * The fingerprint of what a pack's failing listing reports, comparable with a digest's; undefined when
 * the listing holds something only the full diff can judge (a status that is not a failed one).
 */
export function fingerprintOfListing(failing: readonly AccountDeployment[]): string | undefined {
  if (failing.some((deployment) => !isFailedStatus(deployment.status))) return undefined;
  // As the diff does: an account listed twice keeps its newest report.
  return fingerprintOf([...newestPerAccount(failing).values()]);
}

/**
 * Whether the pack's records must be read before diffing, given its digest and what the sweep listed.
 * A stored record the listing does not match, a due reminder or anything in progress needs the records.
 */
export function recordsReadReason(input: {
  readonly digest: PackRecordsDigest;
  readonly failing: readonly AccountDeployment[];
  readonly inProgress: readonly AccountDeployment[];
  readonly now: Date;
  /** 0 disables reminders. */
  readonly reminderIntervalMs: number;
}): RecordsReadReason | undefined {
  const { digest } = input;
  if (digest.inProgress) return 'in-progress-record';
  // A listed account in progress may be one that failed before, or one now stuck.
  if (input.inProgress.length > 0) return 'in-progress-listed';
  if (input.reminderIntervalMs > 0 && digest.oldestAlertedAt !== undefined) {
    const oldest = Date.parse(digest.oldestAlertedAt);
    if (!Number.isFinite(oldest) || input.now.getTime() - oldest >= input.reminderIntervalMs) return 'reminder-due';
  }
  return fingerprintOfListing(input.failing) === digest.fingerprint ? undefined : 'failures-changed';
}

/** 96 bits of SHA-256 over the sorted (account, status, error code) triples, base64url (16 characters). */
function fingerprintOf(entries: readonly { accountId: string; status: string; errorCode?: string }[]): string {
  // JSON keeps an absent error code apart from an empty one, as the diff does.
  const lines = entries.map((entry) => JSON.stringify([entry.accountId, entry.status, entry.errorCode ?? null])).sort();
  return createHash('sha256').update(lines.join('\n')).digest('base64url').slice(0, 16);
}
