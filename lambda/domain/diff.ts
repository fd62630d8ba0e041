import { isFailedStatus, type FailedStatus } from './deployment-status.js';
import type { PackObservation } from './observation.js';
import type { AccountDeployment, AlertableChange, Change, ChangeKind, FailureRecord, StateWrite } from './types.js';
import { failureKeyOf } from './types.js';

export interface RegionDiffInput {
  readonly region: string;
  /** Every failure record stored for the region. */
  readonly previous: readonly FailureRecord[];
  /**
   * One observation per pack in a complete listing of the region's packs. Stored packs that are
   * absent here vanished from the listing: their state is dropped without an alert.
   */
  readonly packs: readonly PackObservation[];
  readonly now: Date;
  /** 0 disables reminders. */
  readonly reminderIntervalMs: number;
}

export interface RegionDiff {
  /** Changes to alert; each write happens only after SNS accepted the alert that carries it. */
  readonly alertable: readonly AlertableChange[];
  /** State clean-up that needs no alert (a pack that was deleted or vanished). */
  readonly silentWrites: readonly StateWrite[];
  /** (pack, account) pairs known to be failing once this diff is applied. */
  readonly failingAccounts: number;
}

const KIND_ORDER: Record<ChangeKind, number> = { NEW_FAILURE: 0, CHANGED_FAILURE: 1, REMINDER: 2, RECOVERED: 3 };

/** Compares what a region's sweep observed with what was stored. Pure: no I/O, no clock. */
export function diffRegion(input: RegionDiffInput): RegionDiff {
  const previousByPack = groupByPack(input.previous);
  const alertable: AlertableChange[] = [];
  const silentWrites: StateWrite[] = [];
  let failingAccounts = 0;

  for (const pack of input.packs) {
    const previous = previousByPack.get(pack.conformancePack) ?? new Map<string, FailureRecord>();
    previousByPack.delete(pack.conformancePack);
    if (pack.outcome === 'deleted') {
      silentWrites.push(...deletesFor(previous.values()));
      continue;
    }
    if (pack.outcome === 'unreadable') {
      failingAccounts += previous.size;
      continue;
    }
    const failingNow = currentFailures(pack.failing, pack.rechecked);
    failingAccounts += failingNow.size;
    for (const deployment of failingNow.values()) {
      const change = diffFailingAccount(input, pack.conformancePack, deployment, previous.get(deployment.accountId));
      if (change) alertable.push(change);
    }
    for (const record of previous.values()) {
      if (failingNow.has(record.accountId)) continue;
      if (!pack.rechecked.has(record.accountId)) {
        // Its current status could not be read: keep the failure, conclude nothing.
        failingAccounts += 1;
        continue;
      }
      alertable.push(recovered(record, pack.rechecked.get(record.accountId) ?? null));
    }
  }
  // Whatever is left belongs to packs missing from a complete listing: they are gone.
  for (const previous of previousByPack.values()) silentWrites.push(...deletesFor(previous.values()));

  alertable.sort((a, b) => compareChanges(a.change, b.change));
  return { alertable, silentWrites, failingAccounts };
}

/** The accounts whose failure must be rechecked one by one: failing before, not listed as failing now. */
export function accountsToRecheck(
  previous: readonly FailureRecord[],
  failing: readonly AccountDeployment[],
): string[] {
  const failingIds = new Set(failing.map((deployment) => deployment.accountId));
  return previous.filter((record) => !failingIds.has(record.accountId)).map((record) => record.accountId);
}

type FailingDeployment = AccountDeployment & { readonly status: FailedStatus };

function currentFailures(
  failing: readonly AccountDeployment[],
  rechecked: ReadonlyMap<string, AccountDeployment | null>,
): Map<string, FailingDeployment> {
  const byAccount = new Map<string, FailingDeployment>();
  const candidates = [...failing, ...[...rechecked.values()].filter((value) => value !== null)];
  for (const deployment of candidates) {
    if (!isFailing(deployment)) continue;
    const known = byAccount.get(deployment.accountId);
    // An account can move between failed statuses while its pack is read: the newest report wins.
    if (!known || (deployment.lastUpdateTime ?? '') > (known.lastUpdateTime ?? '')) {
      byAccount.set(deployment.accountId, deployment);
    }
  }
  return byAccount;
}

function isFailing(deployment: AccountDeployment): deployment is FailingDeployment {
  return isFailedStatus(deployment.status);
}

function diffFailingAccount(
  input: RegionDiffInput,
  conformancePack: string,
  deployment: FailingDeployment,
  previous: FailureRecord | undefined,
): AlertableChange | undefined {
  const nowIso = input.now.toISOString();
  const base = {
    region: input.region,
    conformancePack,
    accountId: deployment.accountId,
    status: deployment.status,
    errorCode: deployment.errorCode,
    errorMessage: deployment.errorMessage,
    lastUpdateTime: deployment.lastUpdateTime,
    lastAlertedAt: nowIso,
  };
  if (!previous) {
    const record: FailureRecord = { ...base, failingSince: failingSinceOf(deployment, input.now) };
    return { change: toChange('NEW_FAILURE', record, null), write: { type: 'put', record } };
  }
  const record: FailureRecord = { ...base, failingSince: previous.failingSince };
  if (previous.status !== deployment.status || (previous.errorCode ?? null) !== (deployment.errorCode ?? null)) {
    return { change: toChange('CHANGED_FAILURE', record, previous.status), write: { type: 'put', record } };
  }
  if (input.reminderIntervalMs > 0 && input.now.getTime() - Date.parse(previous.lastAlertedAt) >= input.reminderIntervalMs) {
    return { change: toChange('REMINDER', record, previous.status), write: { type: 'put', record } };
  }
  return undefined;
}

/** When the failure began, as far as known: the report's own time if it is a sane past time. */
function failingSinceOf(deployment: AccountDeployment, now: Date): string {
  const reported = deployment.lastUpdateTime ? Date.parse(deployment.lastUpdateTime) : Number.NaN;
  return Number.isFinite(reported) && reported <= now.getTime() ? new Date(reported).toISOString() : now.toISOString();
}

function recovered(record: FailureRecord, current: AccountDeployment | null): AlertableChange {
  const change: Change = {
    kind: 'RECOVERED',
    region: record.region,
    conformancePack: record.conformancePack,
    accountId: record.accountId,
    status: current?.status ?? null,
    previousStatus: record.status,
    errorCode: current?.errorCode ?? null,
    errorMessage: current?.errorMessage ?? null,
    lastUpdateTime: current?.lastUpdateTime ?? null,
    failingSince: record.failingSince,
  };
  return { change, write: { type: 'delete', key: failureKeyOf(record) } };
}

function toChange(kind: ChangeKind, record: FailureRecord, previousStatus: FailedStatus | null): Change {
  return {
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
