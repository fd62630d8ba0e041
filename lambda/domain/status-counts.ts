import { parseDeploymentRecord, type RawDeploymentRecord } from './account-deployment-record.js';
import { DEPLOYMENT_STATUSES, type DeploymentStatus } from './deployment-status.js';

/** Accounts per deployment status; a status that is absent has no account. */
export type StatusCounts = Readonly<Partial<Record<DeploymentStatus, number>>>;

export interface CountedRecords {
  readonly counts: StatusCounts;
  /** What is wrong with each record left uncounted (unknown status, malformed account ID or time). */
  readonly malformed: readonly string[];
}

/** Counts the records of one detailed-status page by status; a malformed record is reported, never counted. */
export function countStatuses(records: readonly RawDeploymentRecord[]): CountedRecords {
  const counts: Partial<Record<DeploymentStatus, number>> = {};
  const malformed: string[] = [];
  for (const record of records) {
    const parsed = parseDeploymentRecord(record);
    if (!parsed.ok) {
      malformed.push(parsed.problem);
      continue;
    }
    counts[parsed.deployment.status] = (counts[parsed.deployment.status] ?? 0) + 1;
  }
  return { counts, malformed };
}

/** The sum of two tallies. */
export function addStatusCounts(a: StatusCounts, b: StatusCounts): StatusCounts {
  const sum: Partial<Record<DeploymentStatus, number>> = { ...a };
  for (const [status, count] of Object.entries(b) as [DeploymentStatus, number][]) sum[status] = (sum[status] ?? 0) + count;
  return sum;
}

/**
 * The statuses that have at least one account, in the API's order. Only these are emitted as metrics:
 * CloudWatch bills each distinct metric, so a status with no account is left out (read as 0).
 */
export function presentStatuses(counts: StatusCounts): [DeploymentStatus, number][] {
  return DEPLOYMENT_STATUSES.filter((status) => (counts[status] ?? 0) > 0).map((status) => [status, counts[status]!]);
}

export function totalAccounts(counts: StatusCounts): number {
  return presentStatuses(counts).reduce((total, [, count]) => total + count, 0);
}

/** A stored tally read back: only known statuses with whole, non-negative counts; undefined when it is not one. */
export function parseStatusCounts(value: unknown): StatusCounts | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const counts: Partial<Record<DeploymentStatus, number>> = {};
  for (const [status, count] of Object.entries(value)) {
    if (!(DEPLOYMENT_STATUSES as readonly string[]).includes(status)) return undefined;
    if (!Number.isSafeInteger(count) || (count as number) < 0) return undefined;
    counts[status as DeploymentStatus] = count as number;
  }
  return counts;
}
