import { isFailedStatus, isInProgressStatus } from '../../lambda/domain/deployment-status.js';
import type { AlertMessage } from '../../lambda/domain/alert-message.js';
import type { AccountDeployment, FailureRecord, StateWrite, UnconfirmedChange } from '../../lambda/domain/types.js';
import type { Log } from '../../lambda/log.js';
import { countStatuses, type StatusCounts } from '../../lambda/domain/status-counts.js';
import {
  EMPTY_BOOKKEEPING,
  PackNotFoundError,
  type Clock,
  type InventoryCheckpoint,
  type InventorySource,
  type InventoryStore,
  type Notifier,
  type RegionBookkeeping,
  type StateStore,
  type StoredRecords,
  type StatusCountPage,
  type StatusCountRecorder,
  type StatusSource,
} from '../../lambda/ports.js';

type Organization = Map<string, Map<string, Map<string, AccountDeployment>>>;

/** An organization held in memory; faults are set per region, pack or account. */
export class InMemoryStatusSource implements StatusSource, InventorySource {
  readonly organization: Organization = new Map();
  readonly failingRegions = new Map<string, Error>();
  readonly failingPacks = new Map<string, Error>();
  readonly failingRechecks = new Map<string, Error>();
  readonly calls: string[] = [];

  setAccount(region: string, pack: string, deployment: AccountDeployment): this {
    this.packOf(region, pack).set(deployment.accountId, deployment);
    return this;
  }

  addPack(region: string, pack: string): this {
    this.packOf(region, pack);
    return this;
  }

  removePack(region: string, pack: string): void {
    this.organization.get(region)?.delete(pack);
  }

  async listPacks(region: string): Promise<string[]> {
    this.calls.push(`listPacks ${region}`);
    const failure = this.failingRegions.get(region);
    if (failure) throw failure;
    return [...(this.organization.get(region)?.keys() ?? [])];
  }

  /** Summary statuses to report instead of the derived ones (a lagging summary), by `region/pack`. */
  readonly summaryOverrides = new Map<string, string>();
  failSummaries?: Error;

  async listPackSummaries(region: string): Promise<Map<string, string>> {
    this.calls.push(`listPackSummaries ${region}`);
    if (this.failSummaries) throw this.failSummaries;
    const summaries = new Map<string, string>();
    for (const [pack, accounts] of this.organization.get(region) ?? []) {
      const statuses = [...accounts.values()].map((deployment) => deployment.status);
      const derived = statuses.find(isFailedStatus) ?? statuses.find(isInProgressStatus) ?? 'CREATE_SUCCESSFUL';
      summaries.set(pack, this.summaryOverrides.get(`${region}/${pack}`) ?? derived);
    }
    return summaries;
  }

  async listFailingAccounts(region: string, pack: string): Promise<AccountDeployment[]> {
    this.calls.push(`listFailingAccounts ${region} ${pack}`);
    const failure = this.failingPacks.get(`${region}/${pack}`);
    if (failure) throw failure;
    return [...this.existingPack(region, pack).values()].filter((deployment) => isFailedStatus(deployment.status));
  }

  async listInProgressAccounts(region: string, pack: string): Promise<AccountDeployment[]> {
    this.calls.push(`listInProgressAccounts ${region} ${pack}`);
    const failure = this.failingPacks.get(`${region}/${pack}`);
    if (failure) throw failure;
    return [...this.existingPack(region, pack).values()].filter((deployment) => isInProgressStatus(deployment.status));
  }

  async getAccountDeployment(region: string, pack: string, accountId: string): Promise<AccountDeployment | null> {
    this.calls.push(`getAccountDeployment ${region} ${pack} ${accountId}`);
    const failure = this.failingRechecks.get(`${region}/${pack}/${accountId}`);
    if (failure) throw failure;
    return this.existingPack(region, pack).get(accountId) ?? null;
  }

  /** Records per unfiltered page (AWS serves up to 100). */
  countPageSize = 2;
  /** Inventory pages that fail, by `region/pack`. */
  readonly failingCountPages = new Map<string, Error>();
  /** Tokens AWS would no longer accept: the page read restarts from the pack's first page, as the adapter does. */
  readonly expiredTokens = new Set<string>();
  /** Extra raw records served on a pack's first unfiltered page, by `region/pack` (malformed ones, say). */
  readonly extraRawRecords = new Map<string, Record<string, unknown>[]>();

  async readStatusCountPage(region: string, pack: string, nextToken: string | undefined, signal?: AbortSignal): Promise<StatusCountPage> {
    this.calls.push(`readStatusCountPage ${region} ${pack} ${nextToken ?? '-'}`);
    if (signal?.aborted) throw signal.reason;
    const failure = this.failingCountPages.get(`${region}/${pack}`);
    if (failure) throw failure;
    const accounts = [...this.existingPack(region, pack).values()].sort((a, b) => a.accountId.localeCompare(b.accountId));
    // Expired once: the fresh token of the restarted read is a new one.
    const restarted = nextToken !== undefined && this.expiredTokens.delete(nextToken);
    const offset = nextToken === undefined || restarted ? 0 : Number(nextToken.split('@')[1]);
    const raw: Record<string, unknown>[] = accounts
      .slice(offset, offset + this.countPageSize)
      .map((deployment) => ({ AccountId: deployment.accountId, Status: deployment.status }));
    if (offset === 0) raw.push(...(this.extraRawRecords.get(`${region}/${pack}`) ?? []));
    const { counts, malformed } = countStatuses(raw);
    const next = offset + this.countPageSize;
    return { counts, malformed, restarted, ...(next < accounts.length ? { nextToken: `${pack}@${next}` } : {}) };
  }

  private existingPack(region: string, pack: string): Map<string, AccountDeployment> {
    const accounts = this.organization.get(region)?.get(pack);
    if (!accounts) throw new PackNotFoundError(region, pack);
    return accounts;
  }

  private packOf(region: string, pack: string): Map<string, AccountDeployment> {
    const packs = this.organization.get(region) ?? new Map<string, Map<string, AccountDeployment>>();
    this.organization.set(region, packs);
    const accounts = packs.get(pack) ?? new Map<string, AccountDeployment>();
    packs.set(pack, accounts);
    return accounts;
  }
}

export class InMemoryStateStore implements StateStore {
  readonly records = new Map<string, FailureRecord>();
  readonly applied: StateWrite[][] = [];
  failApply?: Error;

  readonly bookkeeping = new Map<string, RegionBookkeeping>();
  bookkeepingWrites = 0;

  /** Staged, unconfirmed changes by key, as the DynamoDB store keeps them beside the records. */
  readonly staged = new Map<string, UnconfirmedChange>();

  /** Every loadRecords call, as `region` or `region/pack`. */
  readonly recordReads: string[] = [];

  async loadBookkeeping(region: string): Promise<RegionBookkeeping> {
    return this.bookkeeping.get(region) ?? EMPTY_BOOKKEEPING;
  }

  async loadRecords(region: string, conformancePack?: string): Promise<StoredRecords> {
    this.recordReads.push(conformancePack === undefined ? region : `${region}/${conformancePack}`);
    const matches = (key: { region: string; conformancePack: string }) =>
      key.region === region && (conformancePack === undefined || key.conformancePack === conformancePack);
    return {
      failures: [...this.records.values()].filter(matches),
      unconfirmed: [...this.staged.values()].filter((item) => matches(item.change)),
    };
  }

  async saveBookkeeping(region: string, bookkeeping: RegionBookkeeping): Promise<void> {
    if (this.failApply) throw this.failApply;
    this.bookkeepingWrites += 1;
    this.bookkeeping.set(region, bookkeeping);
  }

  async apply(writes: readonly StateWrite[]): Promise<void> {
    if (this.failApply) throw this.failApply;
    this.applied.push([...writes]);
    for (const write of writes) {
      if (write.type === 'stage') {
        const key = keyOf(write.key);
        if (write.record) this.records.set(key, write.record);
        else this.records.delete(key);
        this.staged.set(key, { change: write.change, ...(write.record ? { record: write.record } : {}) });
        continue;
      }
      const key = keyOf(write.type === 'put' ? write.record : write.key);
      this.staged.delete(key);
      if (write.type === 'put') this.records.set(key, write.record);
      else this.records.delete(key);
    }
  }
}

function keyOf(key: { region: string; conformancePack: string; accountId: string }): string {
  return `${key.region}/${key.conformancePack}/${key.accountId}`;
}

export class RecordingNotifier implements Notifier {
  readonly published: AlertMessage[] = [];
  /** Publishes that succeed before every later one fails; undefined never fails. */
  failAfter?: number;

  async publish(message: AlertMessage): Promise<void> {
    if (this.failAfter !== undefined && this.published.length >= this.failAfter) throw new Error('SNS is down');
    this.published.push(message);
  }
}

export class ManualClock implements Clock {
  constructor(public current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(milliseconds: number): void {
    this.current = new Date(this.current.getTime() + milliseconds);
  }
}

export class RecordingLog implements Log {
  readonly lines: { level: string; message: string; attributes?: Record<string, unknown> }[] = [];
  info(message: string, attributes?: Record<string, unknown>) {
    this.lines.push({ level: 'info', message, ...(attributes ? { attributes } : {}) });
  }
  warn(message: string, attributes?: Record<string, unknown>) {
    this.lines.push({ level: 'warn', message, ...(attributes ? { attributes } : {}) });
  }
  error(message: string, attributes?: Record<string, unknown>) {
    this.lines.push({ level: 'error', message, ...(attributes ? { attributes } : {}) });
  }
}

export class InMemoryInventoryStore implements InventoryStore {
  readonly checkpoints = new Map<string, InventoryCheckpoint>();
  saves = 0;
  failSave?: Error;

  async loadInventory(region: string): Promise<InventoryCheckpoint> {
    return this.checkpoints.get(region) ?? {};
  }

  async saveInventory(region: string, checkpoint: InventoryCheckpoint): Promise<void> {
    if (this.failSave) throw this.failSave;
    this.saves += 1;
    // A copy, as a database would keep it: later changes to the caller's objects must not leak in.
    this.checkpoints.set(region, JSON.parse(JSON.stringify(checkpoint)) as InventoryCheckpoint);
  }
}

/** Keeps each pack's completed count, in order. */
export class RecordingStatusCountRecorder implements StatusCountRecorder {
  readonly counted: { region: string; conformancePack: string; counts: StatusCounts }[] = [];

  packCounted(region: string, conformancePack: string, counts: StatusCounts): void {
    this.counted.push({ region, conformancePack, counts });
  }
}
