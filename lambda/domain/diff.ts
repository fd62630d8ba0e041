import { isFailedStatus, isInProgressStatus, type DeploymentStatus, type WatchedStatus } from './deployment-status.js';
import { muteRuleFor, type MuteRule } from './mute-rules.js';
import { newestPerAccount } from './newest-deployments.js';
import type { PackObservation } from './observation.js';
import type { AccountDeployment, AlertableChange, Change, ChangeKind, FailureRecord, StateWrite } from './types.js';
import { failureKeyOf } from './types.js';

export interface RegionDiffInput {
  readonly region: string;
  /** Every record stored for the region. */
  readonly previous: readonly FailureRecord[];
  /**
   * One observation per pack in a complete listing of the region's packs. Stored packs that are
   * absent here vanished from the listing: their state is dropped without an alert.
   */
  readonly packs: readonly PackObservation[];
  readonly now: Date;
  /** 0 disables reminders. */
  readonly reminderIntervalMs: number;
  /** An account in progress for at least this long is STUCK; 0 disables. @default 0 */
  readonly stuckAfterMs?: number;
  /** @default none */
  readonly muteRules?: readonly MuteRule[];
}

export interface RegionDiff {
  /** Changes to alert; each write happens only after SNS accepted the alert that carries it. */
  readonly alertable: readonly AlertableChange[];
  /** State clean-up that needs no alert (a pack that was deleted or vanished). */
  readonly silentWrites: readonly StateWrite[];
  /** (pack, account) pairs known to be failing once this diff is applied. */
  readonly failingAccounts: number;
}

type Draft = Omit<Change, 'muted'>;

const KIND_ORDER: Record<ChangeKind, number> = { NEW_FAILURE: 0, CHANGED_FAILURE: 1, STUCK: 2, REMINDER: 3, RECOVERED: 4 };

/** Compares what a region's sweep observed with what was stored. Pure: no I/O, no clock. */
export function diffRegion(input: RegionDiffInput): RegionDiff {
  const previousByPack = groupByPack(input.previous);
  const drafts: { draft: Draft; write: StateWrite }[] = [];
  const silentWrites: StateWrite[] = [];

  for (const pack of input.packs) {
    const previous = previousByPack.get(pack.conformancePack) ?? new Map<string, FailureRecord>();
    previousByPack.delete(pack.conformancePack);
    if (pack.outcome === 'deleted') {
      silentWrites.push(...deletesFor(previous.values()));
      continue;
    }
    if (pack.outcome === 'unreadable' || pack.outcome === 'deferred') continue;
    const current = currentDeployments(pack.failing, pack.inProgress, pack.rechecked);
    for (const deployment of current.values()) {
      const record = previous.get(deployment.accountId);
      const outcome = isFailedStatus(deployment.status)
        ? diffFailing(input, pack.conformancePack, deployment as Watched, record)
        : diffInProgress(input, pack.conformancePack, deployment as Watched, record);
      if (outcome) drafts.push(outcome);
    }
    for (const record of previous.values()) {
      // An account that could not be rechecked keeps its record: nothing is concluded.
      if (current.has(record.accountId) || !pack.rechecked.has(record.accountId)) continue;
      drafts.push(recovered(record, pack.rechecked.get(record.accountId) ?? null));
    }
  }
  // Whatever is left belongs to packs missing from a complete listing: they are gone.
  for (const previous of previousByPack.values()) silentWrites.push(...deletesFor(previous.values()));

  const alertable = drafts.map(({ draft, write }) => ({
    change: { ...draft, muted: muteRuleFor(draft, input.muteRules ?? [], input.now) !== undefined },
    write,
  }));
  alertable.sort((a, b) => compareChanges(a.change, b.change));
  return { alertable, silentWrites, failingAccounts: countFailingAfter(input.previous, [...silentWrites, ...alertable.map((item) => item.write)]) };
}

/** Failed (pack, account) pairs once the writes are applied to the stored records. */
function countFailingAfter(previous: readonly FailureRecord[], writes: readonly StateWrite[]): number {
  const keyOf = (key: { conformancePack: string; accountId: string }) => `${key.conformancePack}#${key.accountId}`;
  const statuses = new Map(previous.map((record) => [keyOf(record), record.status]));
  for (const write of writes) {
    if (write.type === 'put') statuses.set(keyOf(write.record), write.record.status);
    else statuses.delete(keyOf(write.key));
  }
  return [...statuses.values()].filter(isFailedStatus).length;
}

/** The accounts to recheck one by one: recorded before, and listed now neither as failing nor in progress. */
export function accountsToRecheck(
  previous: readonly FailureRecord[],
  ...listed: readonly (readonly AccountDeployment[])[]
): string[] {
  const listedIds = new Set(listed.flat().map((deployment) => deployment.accountId));
  return previous.filter((record) => !listedIds.has(record.accountId)).map((record) => record.accountId);
}

type Watched = AccountDeployment & { readonly status: WatchedStatus };

/** Failed and in-progress deployments by account; an account listed twice keeps its newest report. */
function currentDeployments(
  failing: readonly AccountDeployment[],
  inProgress: readonly AccountDeployment[],
  rechecked: ReadonlyMap<string, AccountDeployment | null>,
): Map<string, AccountDeployment> {
  const candidates = [...failing, ...inProgress, ...[...rechecked.values()].filter((value) => value !== null)];
  return newestPerAccount(candidates.filter((deployment) => isFailedStatus(deployment.status) || isInProgressStatus(deployment.status)));
}

/** A change to alert, or undefined when the record (if any) stays as it is. */
type Outcome = { draft: Draft; write: StateWrite } | undefined;

function diffFailing(input: RegionDiffInput, conformancePack: string, deployment: Watched, previous: FailureRecord | undefined): Outcome {
  const nowIso = input.now.toISOString();
  const base = recordOf(input.region, conformancePack, deployment, nowIso);
  if (!previous || !isFailedStatus(previous.status)) {
    // First failure, or a stuck deployment that has now failed.
    const record: FailureRecord = { ...base, failingSince: failingSinceOf(deployment, input.now) };
    return put('NEW_FAILURE', record, previous?.status ?? null);
  }
  const record: FailureRecord = { ...base, failingSince: previous.failingSince };
  if (previous.status !== deployment.status || (previous.errorCode ?? null) !== (deployment.errorCode ?? null)) {
    return put('CHANGED_FAILURE', record, previous.status);
  }
  if (input.reminderIntervalMs > 0 && input.now.getTime() - Date.parse(previous.lastAlertedAt) >= input.reminderIntervalMs) {
    return put('REMINDER', record, previous.status);
  }
  return undefined;
}

function diffInProgress(input: RegionDiffInput, conformancePack: string, deployment: Watched, previous: FailureRecord | undefined): Outcome {
  if (previous && isFailedStatus(previous.status)) {
    // Being deployed again: no longer failing. If it fails again, that is a new failure.
    return recovered(previous, deployment);
  }
  const stuck = isStuck(deployment, input);
  // Alerted once: a stuck deployment that stays stuck (or restarts) keeps its record quietly.
  if (!stuck || previous?.status === deployment.status) return undefined;
  const record: FailureRecord = {
    ...recordOf(input.region, conformancePack, deployment, input.now.toISOString()),
    failingSince: failingSinceOf(deployment, input.now),
  };
  return put('STUCK', record, previous?.status ?? null);
}

function isStuck(deployment: AccountDeployment, input: RegionDiffInput): boolean {
  const stuckAfterMs = input.stuckAfterMs ?? 0;
  if (stuckAfterMs <= 0 || !deployment.lastUpdateTime) return false;
  return input.now.getTime() - Date.parse(deployment.lastUpdateTime) >= stuckAfterMs;
}

function recordOf(region: string, conformancePack: string, deployment: Watched, lastAlertedAt: string) {
  return {
    region,
    conformancePack,
    accountId: deployment.accountId,
    status: deployment.status,
    errorCode: deployment.errorCode,
    errorMessage: deployment.errorMessage,
    lastUpdateTime: deployment.lastUpdateTime,
    lastAlertedAt,
  };
}

/** When the trouble began, as far as known: the report's own time if it is a sane past time. */
function failingSinceOf(deployment: AccountDeployment, now: Date): string {
  const reported = deployment.lastUpdateTime ? Date.parse(deployment.lastUpdateTime) : Number.NaN;
  return Number.isFinite(reported) && reported <= now.getTime() ? new Date(reported).toISOString() : now.toISOString();
}

function put(kind: ChangeKind, record: FailureRecord, previousStatus: WatchedStatus | null): { draft: Draft; write: StateWrite } {
  return {
    draft: {
      kind,
      region: record.region,
      conformancePack: record.conformancePack,
      accountId: record.accountId,
      status: record.status,
      previousStatus,
      errorCode: record.errorCode ?? null,
      errorMessage: record.errorMessage ?? null,
      lastUpdateTime: record.lastUpdateTime ?? null,
      failingSince: record.failingSince,
    },
    write: { type: 'put', record },
  };
}

function recovered(record: FailureRecord, current: AccountDeployment | null): { draft: Draft; write: StateWrite } {
  const status: DeploymentStatus | null = current?.status ?? null;
  return {
    draft: {
      kind: 'RECOVERED',
      region: record.region,
      conformancePack: record.conformancePack,
      accountId: record.accountId,
      status,
      previousStatus: record.status,
      errorCode: current?.errorCode ?? null,
      errorMessage: current?.errorMessage ?? null,
      lastUpdateTime: current?.lastUpdateTime ?? null,
      failingSince: record.failingSince,
    },
    write: { type: 'delete', key: failureKeyOf(record) },
  };
}

function deletesFor(records: Iterable<FailureRecord>): StateWrite[] {
  return [...records].map((record) => ({ type: 'delete', key: failureKeyOf(record) }));
}

function groupByPack(records: readonly FailureRecord[]): Map<string, Map<string, FailureRecord>> {
  const byPack = new Map<string, Map<string, FailureRecord>>();
  for (const record of records) {
    const accounts = byPack.get(record.conformancePack) ?? new Map<string, FailureRecord>();
    accounts.set(record.accountId, record);
    byPack.set(record.conformancePack, accounts);
  }
  return byPack;
}

export function compareChanges(a: Change, b: Change): number {
  return (
    a.region.localeCompare(b.region) ||
    a.conformancePack.localeCompare(b.conformancePack) ||
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    a.accountId.localeCompare(b.accountId)
  );
}
