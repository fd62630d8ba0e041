import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { itemSize, startDynamoDb, type LocalDynamoDb } from '../../local/dynamodb-local';
import { LOCAL_CREDENTIALS } from './local-clients';

describe('the request counter of the local DynamoDB', () => {
  let dynamodb: LocalDynamoDb;
  let client: DynamoDBClient;
  let documents: DynamoDBDocumentClient;

  beforeAll(async () => {
    dynamodb = await startDynamoDb({ tableName: 'counter-test' });
    client = new DynamoDBClient({ endpoint: dynamodb.url, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
    documents = DynamoDBDocumentClient.from(client);
  });
  afterAll(async () => {
    client.destroy();
    await dynamodb.stop();
  });
  beforeEach(() => dynamodb.resetStats());

  it('starts at zero: creating the table is not counted', async () => {
    // Prepare
    const fresh = await startDynamoDb({ tableName: 'fresh' });

    // Act
    const stats = fresh.stats();
    await fresh.stop();

    // Assess
    expect(stats).toEqual({
      requests: 0,
      byOperation: {},
      readRequests: 0,
      writeRequests: 0,
      itemsRead: 0,
      itemsWritten: 0,
      readRequestUnits: 0,
      writeRequestUnits: 0,
    });
  });

  it('counts requests by X-Amz-Target operation, items and units, while passing every answer through unchanged', async () => {
    // Prepare
    const items = Array.from({ length: 30 }, (_, index) => ({ pk: 'REGION#us-east-1', sk: `FAILURE#p#${String(index).padStart(12, '0')}`, note: 'x'.repeat(100) }));

    // Act
    for (let start = 0; start < items.length; start += 25) {
      await documents.send(new BatchWriteCommand({ RequestItems: { 'counter-test': items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
    await documents.send(new PutCommand({ TableName: 'counter-test', Item: { pk: 'LEASE', sk: 'SWEEP', big: 'y'.repeat(1500) } }));
    await documents.send(new DeleteCommand({ TableName: 'counter-test', Key: { pk: 'LEASE', sk: 'SWEEP' } }));
    const page = await documents.send(
      new QueryCommand({
        TableName: 'counter-test',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'REGION#us-east-1' },
        ConsistentRead: true,
      }),
    );

    // Assess
    expect(page.Items).toHaveLength(30);
    const stats = dynamodb.stats();
    expect(stats.requests).toBe(5);
    expect(stats.byOperation).toEqual({ BatchWriteItem: 2, PutItem: 1, DeleteItem: 1, Query: 1 });
    expect(stats.readRequests).toBe(1);
    expect(stats.writeRequests).toBe(4);
    expect(stats.itemsWritten).toBe(32);
    expect(stats.itemsRead).toBe(30);
    // 30 small items (1 unit each) + a 1.5 KB put (2 units) + a delete (1 unit).
    expect(stats.writeRequestUnits).toBe(33);
    // 30 items of about 150 bytes: about 4.5 KB read consistently, 2 units.
    const bytes = items.reduce((total, item) => total + itemSize({ pk: { S: item.pk }, sk: { S: item.sk }, note: { S: item.note } }), 0);
    expect(stats.readRequestUnits).toBe(Math.ceil(bytes / 4096));
    expect(stats.readRequestUnits).toBe(2);
  });

  it('counts a write refused by its condition as a request and its units, but not as an item written', async () => {
    // Prepare
    const put = new PutCommand({ TableName: 'counter-test', Item: { pk: 'LOCK', sk: 'x' }, ConditionExpression: 'attribute_not_exists(pk)' });
    await documents.send(put);
    dynamodb.resetStats();

    // Act
    await expect(documents.send(put)).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });

    // Assess
    expect(dynamodb.stats()).toMatchObject({ requests: 1, writeRequests: 1, itemsWritten: 0, writeRequestUnits: 1 });
  });

  it('sizes items as DynamoDB does: names plus values', () => {
    expect(itemSize({ ab: { S: 'xyz' } })).toBe(5);
    expect(itemSize({ n: { N: '12345' } })).toBe(1 + 4);
    expect(itemSize({ l: { L: [{ S: 'ab' }, { BOOL: true }] } })).toBe(1 + 3 + (1 + 2) + (1 + 1));
  });
});
