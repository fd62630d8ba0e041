import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbInventoryStore } from '../../lambda/adapters/dynamodb-inventory-store.js';
import { DynamoDbStateStore } from '../../lambda/adapters/dynamodb-state-store.js';
import type { InventoryCheckpoint } from '../../lambda/ports.js';

const TABLE = 'packwatch-state';
const REGION = 'us-east-1';
const documentMock = mockClient(DynamoDBDocumentClient);

let invalidItems: string[];
let store: DynamoDbInventoryStore;

const client = () => DynamoDBDocumentClient.from(new DynamoDBClient({ region: REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));

beforeEach(() => {
  documentMock.reset();
  invalidItems = [];
  store = new DynamoDbInventoryStore({ client: client(), tableName: TABLE, onInvalidItem: (problem) => invalidItems.push(problem) });
});

const IN_PROGRESS: InventoryCheckpoint = {
  lastCompletedAt: '2026-11-26T12:05:00.000Z',
  current: {
    startedAt: '2026-11-27T12:00:30.000Z',
    pending: ['pack-c', 'pack-d'],
    open: [
      { conformancePack: 'pack-a', nextToken: 'token-7', counts: { CREATE_SUCCESSFUL: 690, UPDATE_FAILED: 10 }, malformedRecords: 1, failedReads: 0 },
      { conformancePack: '222222222222/pack-b', counts: {}, malformedRecords: 0, failedReads: 2 },
    ],
  },
};

describe('DynamoDbInventoryStore', () => {
  it('writes the checkpoint as its own item in the region partition, sort key INVENTORY', async () => {
    documentMock.on(PutCommand).resolves({});

    await store.saveInventory(REGION, IN_PROGRESS);

    expect(documentMock).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      Item: {
        pk: 'REGION#us-east-1',
        sk: 'INVENTORY',
        lastCompletedAt: IN_PROGRESS.lastCompletedAt,
        startedAt: IN_PROGRESS.current!.startedAt,
        pending: ['pack-c', 'pack-d'],
        open: IN_PROGRESS.current!.open,
      },
    });
  });

  it('reads it back with a consistent Query on its full key, as it was written', async () => {
    documentMock.on(PutCommand).resolves({});
    await store.saveInventory(REGION, IN_PROGRESS);
    const item = documentMock.commandCalls(PutCommand)[0]!.args[0].input.Item;
    documentMock.on(QueryCommand).resolves({ Items: [item!] });

    expect(await store.loadInventory(REGION)).toEqual(IN_PROGRESS);
    expect(documentMock).toHaveReceivedCommandWith(QueryCommand, {
      TableName: TABLE,
      KeyConditionExpression: '#pk = :pk AND #sk = :sk',
      ExpressionAttributeValues: { ':pk': 'REGION#us-east-1', ':sk': 'INVENTORY' },
      ConsistentRead: true,
    });
  });

  it.each([
    { name: 'no item: nothing counted yet', items: [], checkpoint: {} },
    { name: 'a completed inventory', items: [{ pk: 'REGION#us-east-1', sk: 'INVENTORY', lastCompletedAt: '2026-11-26T12:05:00.000Z' }], checkpoint: { lastCompletedAt: '2026-11-26T12:05:00.000Z' } },
  ])('loads $name', async ({ items, checkpoint }) => {
    documentMock.on(QueryCommand).resolves({ Items: items });
    expect(await store.loadInventory(REGION)).toEqual(checkpoint);
    expect(invalidItems).toEqual([]);
  });

  it.each([
    { name: 'pending is no list', fields: { startedAt: '2026-11-27T12:00:00Z', pending: 'pack-a', open: [] }, problem: 'pending is not a list of pack names' },
    { name: 'counts of an unknown status', fields: { startedAt: '2026-11-27T12:00:00Z', pending: [], open: [{ conformancePack: 'p', counts: { EXPLODED: 1 }, malformedRecords: 0, failedReads: 0 }] }, problem: 'the counts of p are not counts per status' },
    { name: 'a negative counter', fields: { startedAt: '2026-11-27T12:00:00Z', pending: [], open: [{ conformancePack: 'p', counts: {}, malformedRecords: -1, failedReads: 0 }] }, problem: 'the counters of p are not whole numbers' },
    { name: 'a numeric completion time', fields: { lastCompletedAt: 5 }, problem: 'lastCompletedAt is not text' },
  ])('starts over, reporting it, from an item where $name', async ({ fields, problem }) => {
    documentMock.on(QueryCommand).resolves({ Items: [{ pk: 'REGION#us-east-1', sk: 'INVENTORY', ...fields }] });
    expect(await store.loadInventory(REGION)).toEqual({});
    expect(invalidItems).toEqual([`inventory checkpoint of us-east-1: ${problem}`]);
  });
});

describe('DynamoDbStateStore.loadRecords beside the inventory checkpoint', () => {
  it('queries only the FAILURE# sort keys, so the INVENTORY item is never read as a record', async () => {
    const stateInvalid: string[] = [];
    const state = new DynamoDbStateStore({ client: client(), tableName: TABLE, onInvalidItem: (problem) => stateInvalid.push(problem) });
    documentMock.on(QueryCommand).resolves({ Items: [] });

    const records = await state.loadRecords(REGION);

    expect(records.failures).toEqual([]);
    expect(stateInvalid).toEqual([]);
    const input = documentMock.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(input.KeyConditionExpression).toContain('begins_with');
    expect(input.ExpressionAttributeValues?.[':prefix']).toBe('FAILURE#');
  });
});
