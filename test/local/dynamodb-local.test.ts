import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATE_TABLE_KEY, stateTableCreateInput } from '../../lambda/adapters/state-table';
import { startDynamoDb, type LocalDynamoDb } from '../../local/dynamodb-local';
import { LOCAL_CREDENTIALS } from './local-clients';

describe('startDynamoDb (dynalite in-process)', () => {
  let dynamodb: LocalDynamoDb;
  let client: DynamoDBClient;

  beforeAll(async () => {
    dynamodb = await startDynamoDb({ tableName: 'packwatch-state-test' });
    client = new DynamoDBClient({ endpoint: dynamodb.url, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  });
  afterAll(async () => {
    client.destroy();
    await dynamodb.stop();
  });

  it('creates the state table, ACTIVE, with the key schema of lambda/adapters/state-table.ts', async () => {
    expect(dynamodb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'packwatch-state-test' }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual(stateTableCreateInput('x').KeySchema);
    expect(Table?.AttributeDefinitions).toEqual(expect.arrayContaining(stateTableCreateInput('x').AttributeDefinitions));
  });

  it('stores and queries items by partition key, sort key ascending', async () => {
    const documents = DynamoDBDocumentClient.from(client);
    const { partitionKey: pk, sortKey: sk } = STATE_TABLE_KEY;
    const partition = 'STATE#us-east-1#security-baseline';
    for (const accountId of ['210987654321', '000123456789']) {
      await documents.send(
        new PutCommand({ TableName: dynamodb.tableName, Item: { [pk]: partition, [sk]: `ACCOUNT#${accountId}`, status: 'CREATE_FAILED' } }),
      );
    }
    await documents.send(new PutCommand({ TableName: dynamodb.tableName, Item: { [pk]: 'OTHER', [sk]: 'x' } }));
    const { Items } = await documents.send(
      new QueryCommand({
        TableName: dynamodb.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': pk },
        ExpressionAttributeValues: { ':pk': partition },
      }),
    );
    expect(Items?.map((item) => item[sk])).toEqual(['ACCOUNT#000123456789', 'ACCOUNT#210987654321']);
  });

  it('refuses writes with conditions that fail, as DynamoDB does (the no-duplicate-alert guard relies on it)', async () => {
    const documents = DynamoDBDocumentClient.from(client);
    const item = { [STATE_TABLE_KEY.partitionKey]: 'LOCK', [STATE_TABLE_KEY.sortKey]: 'sweep' };
    const put = new PutCommand({ TableName: dynamodb.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' });
    await documents.send(put);
    await expect(documents.send(put)).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  });
});
