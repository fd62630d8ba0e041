import { BatchWriteCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isWatchedStatus } from '../domain/deployment-status.js';
import type { PackRecordsDigest } from '../domain/pack-records-digest.js';
import type { Change, FailureKey, FailureRecord, StateWrite, UnconfirmedChange } from '../domain/types.js';
import { EMPTY_BOOKKEEPING, type RegionBookkeeping, type StateStore, type StoredRecords } from '../ports.js';
import { mapWithConcurrency } from '../map-with-concurrency.js';
import { STATE_TABLE_KEY, regionPartition } from './state-table.js';

/** BatchWriteItem takes at most 25 requests. */
const BATCH_SIZE = 25;
/** Batches in flight at once: a large sweep's writes must not eat its time budget. */
const BATCH_CONCURRENCY = 8;
const FAILURE_PREFIX = 'FAILURE#';
const BOOKKEEPING_SORT_KEY = 'SWEEP';
/** The JSON of a change staged with the item and not yet confirmed. */
const PENDING_CHANGE = 'pendingChange';
/** Marks an item that stands for a staged recovery (the record itself is already gone). */
const STAGED_RECOVERY = 'stagedRecovery';
/** Bookkeeping attribute: pack name → its records' digest, `<fingerprint>.<failing>.<oldest alert, epoch s>.<1 if in progress>`. */
const RECORDED_PACKS = 'recordedPacks';
const UNSETTLED_PACKS = 'unsettledPacks';
/** Short on purpose: 50 packs of digests must fit the bookkeeping item in one 4 KB read unit. */
const DIGEST_PATTERN = /^([A-Za-z0-9_-]{16})\.(\d+)\.(\d*)\.([01])$/;

export interface DynamoDbStateStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Attempts at writing items DynamoDB left unprocessed before the sweep fails. @default 6 */
  readonly maxBatchAttempts?: number;
  /** First backoff between those attempts; it doubles each time. @default 50 */
  readonly baseBackoffMs?: number;
  /** Told about a stored item that is not a valid failure record; it is skipped. */
  readonly onInvalidItem: (problem: string) => void;
}

/** Raised when DynamoDB would not take every write after the bounded retries. */
export class StateWriteError extends Error {
  constructor(readonly unwritten: number) {
    super(`DynamoDB left ${unwritten} state write(s) unprocessed after every retry`);
    this.name = 'StateWriteError';
  }
}

/**
 * One partition per region, `REGION#<region>`: failure records sort under `FAILURE#<pack>#<account>`,
 * the region's bookkeeping under `SWEEP`. The bookkeeping (one item, one read unit) carries a digest of
 * each pack's records, so a sweep reads records only for the packs where something may have changed.
 */
export class DynamoDbStateStore implements StateStore {
  constructor(private readonly options: DynamoDbStateStoreOptions) {}

  async loadBookkeeping(region: string): Promise<RegionBookkeeping> {
    const { Item: item } = await this.options.client.send(
      new GetCommand({
        TableName: this.options.tableName,
        Key: { [STATE_TABLE_KEY.partitionKey]: regionPartition(region), [STATE_TABLE_KEY.sortKey]: BOOKKEEPING_SORT_KEY },
        // A sweep must see what the previous sweep recorded.
        ConsistentRead: true,
      }),
    );
    return item ? this.toBookkeeping(item) : EMPTY_BOOKKEEPING;
  }

  async loadRecords(region: string, conformancePack?: string): Promise<StoredRecords> {
    const failures: FailureRecord[] = [];
    const unconfirmed: UnconfirmedChange[] = [];
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.options.client.send(
        new QueryCommand({
          TableName: this.options.tableName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ExpressionAttributeNames: { '#pk': STATE_TABLE_KEY.partitionKey, '#sk': STATE_TABLE_KEY.sortKey },
          // Pack names cannot hold '#', so the pack's prefix matches no other pack.
          ExpressionAttributeValues: { ':pk': regionPartition(region), ':prefix': conformancePack === undefined ? FAILURE_PREFIX : `${FAILURE_PREFIX}${conformancePack}#` },
          // A sweep must see what the previous sweep recorded.
          ConsistentRead: true,
          ExclusiveStartKey: exclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const pending = toPendingChange(item);
        if (typeof pending === 'string') {
          this.options.onInvalidItem(pending);
          continue;
        }
        // A staged recovery holds only its change: it is no record.
        if (item[STAGED_RECOVERY] === true) {
          if (pending) unconfirmed.push({ change: pending });
          continue;
        }
        const record = toFailureRecord(item);
        if (typeof record === 'string') {
          this.options.onInvalidItem(record);
          continue;
        }
        failures.push(record);
        if (pending) unconfirmed.push({ change: pending, record });
      }
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey);
    return { failures, unconfirmed };
  }

  async apply(writes: readonly StateWrite[]): Promise<void> {
    // BatchWriteItem rejects two requests for one key: the last write for a key wins.
    const byKey = new Map<string, StateWrite>();
    for (const write of writes) byKey.set(keyTextOf(write.type === 'put' ? write.record : write.key), write);
    const unique = [...byKey.values()];
    byKey.clear();
    const batches: StateWrite[][] = [];
    for (let start = 0; start < unique.length; start += BATCH_SIZE) batches.push(unique.slice(start, start + BATCH_SIZE));
    // Each batch's items are built when it is sent: a mass failure's items are never all in memory at once.
    await mapWithConcurrency(batches, BATCH_CONCURRENCY, (batch) => this.writeBatch(batch.map((write) => this.toRequest(write))));
  }

  async saveBookkeeping(region: string, bookkeeping: RegionBookkeeping): Promise<void> {
    await this.options.client.send(
      new PutCommand({
        TableName: this.options.tableName,
        Item: {
          [STATE_TABLE_KEY.partitionKey]: regionPartition(region),
          [STATE_TABLE_KEY.sortKey]: BOOKKEEPING_SORT_KEY,
          deferredPacks: [...bookkeeping.deferredPacks],
          ...(bookkeeping.accessDeniedAlertedAt ? { accessDeniedAlertedAt: bookkeeping.accessDeniedAlertedAt } : {}),
          ...(bookkeeping.lastFullReadAt ? { lastFullReadAt: bookkeeping.lastFullReadAt } : {}),
          ...(bookkeeping.recordedPacks ? { [RECORDED_PACKS]: encodeDigests(bookkeeping.recordedPacks) } : {}),
          ...(bookkeeping.unsettledPacks?.length ? { [UNSETTLED_PACKS]: [...bookkeeping.unsettledPacks] } : {}),
        },
      }),
    );
  }

  private toBookkeeping(item: Record<string, unknown>): RegionBookkeeping {
    const deferred = Array.isArray(item.deferredPacks) ? item.deferredPacks.filter((pack): pack is string => typeof pack === 'string') : [];
    const digests = decodeDigests(item[RECORDED_PACKS]);
    const unsettled = item[UNSETTLED_PACKS];
    const unsettledReadable = unsettled === undefined || (Array.isArray(unsettled) && unsettled.every((pack) => typeof pack === 'string'));
    if (typeof digests === 'string' || !unsettledReadable) {
      // Safe default: without trustworthy digests the sweep reads every record (and writes them anew).
      this.options.onInvalidItem(`the bookkeeping of ${String(item[STATE_TABLE_KEY.partitionKey])} has unreadable ${typeof digests === 'string' ? `${RECORDED_PACKS} (${digests})` : UNSETTLED_PACKS}`);
    }
    const trusted = typeof digests !== 'string' && unsettledReadable;
    return {
      deferredPacks: deferred,
      ...(typeof item.accessDeniedAlertedAt === 'string' ? { accessDeniedAlertedAt: item.accessDeniedAlertedAt } : {}),
      ...(typeof item.lastFullReadAt === 'string' ? { lastFullReadAt: item.lastFullReadAt } : {}),
      ...(trusted && digests ? { recordedPacks: digests } : {}),
      ...(trusted && Array.isArray(unsettled) && unsettled.length > 0 ? { unsettledPacks: unsettled as string[] } : {}),
    };
  }

  private async writeBatch(requests: WriteRequest[]): Promise<void> {
    const maxAttempts = this.options.maxBatchAttempts ?? 6;
    const baseBackoffMs = this.options.baseBackoffMs ?? 50;
    let pending = requests;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > maxAttempts) throw new StateWriteError(pending.length);
      if (attempt > 1) await sleep(baseBackoffMs * 2 ** (attempt - 2));
      const result = await this.options.client.send(
        new BatchWriteCommand({ RequestItems: { [this.options.tableName]: pending } }),
      );
      pending = (result.UnprocessedItems?.[this.options.tableName] ?? []) as WriteRequest[];
    }
  }

  private toRequest(write: StateWrite): WriteRequest {
    switch (write.type) {
      case 'delete':
        return { DeleteRequest: { Key: keyOf(write.key) } };
      case 'put':
        return { PutRequest: { Item: { ...keyOf(write.record), ...withoutUndefined(write.record) } } };
      case 'stage':
        return {
          PutRequest: {
            Item: {
              ...keyOf(write.key),
              ...(write.record ? withoutUndefined(write.record) : { [STAGED_RECOVERY]: true }),
              [PENDING_CHANGE]: JSON.stringify(write.change),
            },
          },
        };
    }
  }
}

type WriteRequest =
  | { DeleteRequest: { Key: Record<string, string> } }
  | { PutRequest: { Item: Record<string, unknown> } };


/** A key as one string, for telling writes to the same item apart. */
function keyTextOf(key: FailureKey): string {
  return `${key.region}\u0000${key.conformancePack}\u0000${key.accountId}`;
}

function keyOf(key: FailureKey): Record<string, string> {
  return {
    [STATE_TABLE_KEY.partitionKey]: regionPartition(key.region),
    [STATE_TABLE_KEY.sortKey]: `${FAILURE_PREFIX}${key.conformancePack}#${key.accountId}`,
  };
}

/** The staged change of an item, undefined when it has none, or what is wrong with it. */
function toPendingChange(item: Record<string, unknown>): Change | undefined | string {
  const text = item[PENDING_CHANGE];
  if (text === undefined) return undefined;
  try {
    const change = JSON.parse(String(text)) as Change;
    if (typeof change?.kind === 'string' && typeof change.accountId === 'string') return change;
  } catch {
    // Reported below, like any other invalid item.
  }
  return `state item ${String(item[STATE_TABLE_KEY.sortKey])} has an unreadable ${PENDING_CHANGE}`;
}

function withoutUndefined(record: FailureRecord): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

function encodeDigests(digests: Readonly<Record<string, PackRecordsDigest>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(digests).map(([pack, digest]) => {
      const oldest = digest.oldestAlertedAt === undefined ? '' : String(Math.floor(Date.parse(digest.oldestAlertedAt) / 1000));
      return [pack, `${digest.fingerprint}.${digest.failing}.${oldest}.${digest.inProgress ? 1 : 0}`];
    }),
  );
}

/** The digests; undefined when the item has none (written before digests); what is wrong with them otherwise. */
function decodeDigests(value: unknown): Readonly<Record<string, PackRecordsDigest>> | undefined | string {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a map';
  const digests: Record<string, PackRecordsDigest> = {};
  for (const [pack, text] of Object.entries(value)) {
    const match = typeof text === 'string' ? DIGEST_PATTERN.exec(text) : null;
    if (!match) return `the entry of ${pack} reads ${String(text)}`;
    const [, fingerprint, failing, oldestSeconds, inProgress] = match;
    const oldestMs = Number(oldestSeconds) * 1000;
    if (oldestSeconds && !Number.isFinite(new Date(oldestMs).getTime())) return `the entry of ${pack} has an impossible time`;
    digests[pack] = {
      fingerprint: fingerprint!,
      failing: Number(failing),
      ...(oldestSeconds ? { oldestAlertedAt: new Date(oldestMs).toISOString() } : {}),
      inProgress: inProgress === '1',
    };
  }
  return digests;
}

/** Returns the record, or a description of what is wrong with the stored item. */
function toFailureRecord(item: Record<string, unknown>): FailureRecord | string {
  const required = ['region', 'conformancePack', 'accountId', 'failingSince', 'lastAlertedAt'] as const;
  for (const field of required) {
    if (typeof item[field] !== 'string') return `state item ${String(item[STATE_TABLE_KEY.sortKey])} has no ${field}`;
  }
  if (!isWatchedStatus(item.status)) return `state item ${String(item[STATE_TABLE_KEY.sortKey])} has status ${String(item.status)}`;
  const optional = (field: string) => (typeof item[field] === 'string' ? { [field]: item[field] as string } : {});
  return {
    region: item.region as string,
    conformancePack: item.conformancePack as string,
    accountId: item.accountId as string,
    status: item.status,
    failingSince: item.failingSince as string,
    lastAlertedAt: item.lastAlertedAt as string,
    ...optional('errorCode'),
    ...optional('errorMessage'),
    ...optional('lastUpdateTime'),
  };
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
