import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseStatusCounts } from '../domain/status-counts.js';
import type { InventoryCheckpoint, InventoryStore, PackTally } from '../ports.js';
import { INVENTORY_SORT_KEY, STATE_TABLE_KEY, regionPartition } from './state-table.js';

export interface DynamoDbInventoryStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Told when the stored checkpoint cannot be read back; the region's inventory then starts over. */
  readonly onInvalidItem: (problem: string) => void;
}

/**
 * The inventory checkpoint of a region: one item, `REGION#<region>` / `INVENTORY`, in the state table.
 * Read with a consistent Query on its full key (one item, like a GetItem).
 */
export class DynamoDbInventoryStore implements InventoryStore {
  constructor(private readonly options: DynamoDbInventoryStoreOptions) {}

  async loadInventory(region: string): Promise<InventoryCheckpoint> {
    const page = await this.options.client.send(
      new QueryCommand({
        TableName: this.options.tableName,
        KeyConditionExpression: '#pk = :pk AND #sk = :sk',
        ExpressionAttributeNames: { '#pk': STATE_TABLE_KEY.partitionKey, '#sk': STATE_TABLE_KEY.sortKey },
        ExpressionAttributeValues: { ':pk': regionPartition(region), ':sk': INVENTORY_SORT_KEY },
        ConsistentRead: true,
      }),
    );
    const item = page.Items?.[0];
    if (!item) return {};
    const checkpoint = toCheckpoint(item);
    if (typeof checkpoint === 'string') {
      this.options.onInvalidItem(`inventory checkpoint of ${region}: ${checkpoint}`);
      return {};
    }
    return checkpoint;
  }

  async saveInventory(region: string, checkpoint: InventoryCheckpoint): Promise<void> {
    await this.options.client.send(
      new PutCommand({
        TableName: this.options.tableName,
        Item: {
          [STATE_TABLE_KEY.partitionKey]: regionPartition(region),
          [STATE_TABLE_KEY.sortKey]: INVENTORY_SORT_KEY,
          ...(checkpoint.lastCompletedAt ? { lastCompletedAt: checkpoint.lastCompletedAt } : {}),
          ...(checkpoint.current
            ? {
                startedAt: checkpoint.current.startedAt,
                pending: [...checkpoint.current.pending],
                open: checkpoint.current.open.map((tally) => ({ ...tally, counts: { ...tally.counts } })),
              }
            : {}),
        },
      }),
    );
  }
}

/** The checkpoint, or what is wrong with the item. */
function toCheckpoint(item: Record<string, unknown>): InventoryCheckpoint | string {
  if (item.lastCompletedAt !== undefined && typeof item.lastCompletedAt !== 'string') return 'lastCompletedAt is not text';
  const lastCompletedAt = item.lastCompletedAt as string | undefined;
  if (item.startedAt === undefined) return lastCompletedAt ? { lastCompletedAt } : {};
  if (typeof item.startedAt !== 'string') return 'startedAt is not text';
  if (!Array.isArray(item.pending) || item.pending.some((pack) => typeof pack !== 'string')) return 'pending is not a list of pack names';
  if (!Array.isArray(item.open)) return 'open is not a list';
  const open: PackTally[] = [];
  for (const raw of item.open as unknown[]) {
    const tally = toTally(raw);
    if (typeof tally === 'string') return tally;
    open.push(tally);
  }
  return {
    ...(lastCompletedAt ? { lastCompletedAt } : {}),
    current: { startedAt: item.startedAt, pending: item.pending as string[], open },
  };
}

function toTally(raw: unknown): PackTally | string {
  if (typeof raw !== 'object' || raw === null) return 'an open pack is not a map';
  const fields = raw as Record<string, unknown>;
  if (typeof fields.conformancePack !== 'string') return 'an open pack has no name';
  const counts = parseStatusCounts(fields.counts);
  if (!counts) return `the counts of ${fields.conformancePack} are not counts per status`;
  if (fields.nextToken !== undefined && typeof fields.nextToken !== 'string') return `the token of ${fields.conformancePack} is not text`;
  const whole = (value: unknown) => (Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : undefined);
  const malformedRecords = whole(fields.malformedRecords);
  const failedReads = whole(fields.failedReads);
  if (malformedRecords === undefined || failedReads === undefined) return `the counters of ${fields.conformancePack} are not whole numbers`;
  return {
    conformancePack: fields.conformancePack,
    ...(fields.nextToken !== undefined ? { nextToken: fields.nextToken as string } : {}),
    counts,
    malformedRecords,
    failedReads,
  };
}
