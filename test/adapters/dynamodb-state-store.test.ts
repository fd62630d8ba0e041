import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, GetCommand, PutCommand, DynamoDBDocumentClient, QueryCommand, type BatchWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbStateStore, StateWriteError } from '../../lambda/adapters/dynamodb-state-store.js';
import { STATE_TABLE_KEY } from '../../lambda/adapters/state-table.js';
import type { FailureRecord, StateWrite } from '../../lambda/domain/types.js';
import type { RegionBookkeeping } from '../../lambda/ports.js';

const TABLE = 'packwatch-state';
const REGION = 'us-east-1';

const documentMock = mockClient(DynamoDBDocumentClient);

let invalidItems: string[];
let store: DynamoDbStateStore;

beforeEach(() => {
  documentMock.reset();
  invalidItems = [];
  store = new DynamoDbStateStore({
    client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } })),
    tableName: TABLE,
    maxBatchAttempts: 3,
    baseBackoffMs: 1,
    onInvalidItem: (problem) => invalidItems.push(problem),
  });
});

function failure(accountId: string, overrides: Partial<FailureRecord> = {}): FailureRecord {
  return {
    region: REGION,
    conformancePack: 'baseline',
    accountId,
    status: 'CREATE_FAILED',
    failingSince: '2024-01-01T00:00:00.000Z',
    lastAlertedAt: '2024-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function storedItem(record: FailureRecord): Record<string, unknown> {
  return { pk: `REGION#${record.region}`, sk: `FAILURE#${record.conformancePack}#${record.accountId}`, ...record };
}

const put = (record: FailureRecord): StateWrite => ({ type: 'put', record });
const remove = (accountId: string, conformancePack = 'baseline'): StateWrite => ({
  type: 'delete',
  key: { region: REGION, conformancePack, accountId },
});

function accountNumber(index: number): string {
  return String(index).padStart(12, '0');
}

type WriteRequests = NonNullable<BatchWriteCommandInput['RequestItems']>[string];

function sentBatches(): WriteRequests[] {
  return documentMock.commandCalls(BatchWriteCommand).map((call) => call.args[0].input.RequestItems![TABLE]!);
}

describe('DynamoDbStateStore.loadRecords', () => {
  it('queries the failure records of the region partition with a consistent read', async () => {
    // Prepare
    documentMock.on(QueryCommand).resolves({ Items: [] });

    // Act
    await store.loadRecords('ap-northeast-1');

    // Assess
    expect(documentMock).toHaveReceivedCommandTimes(QueryCommand, 1);
    expect(documentMock).toHaveReceivedCommandWith(QueryCommand, {
      TableName: TABLE,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': STATE_TABLE_KEY.partitionKey, '#sk': STATE_TABLE_KEY.sortKey },
      ExpressionAttributeValues: { ':pk': 'REGION#ap-northeast-1', ':prefix': 'FAILURE#' },
      ConsistentRead: true,
    });
  });

  it("reads one pack's records by the pack's own prefix (another pack's name may start with it)", async () => {
    // Prepare
    documentMock.on(QueryCommand).resolves({ Items: [storedItem(failure('000000000001'))] });

    // Act
    const { failures } = await store.loadRecords(REGION, 'baseline');

    // Assess
    expect(failures).toEqual([failure('000000000001')]);
    expect(documentMock).toHaveReceivedCommandWith(QueryCommand, {
      ExpressionAttributeValues: { ':pk': `REGION#${REGION}`, ':prefix': 'FAILURE#baseline#' },
      ConsistentRead: true,
    });
  });

  it('returns staged changes as unconfirmed, with their record or as a staged recovery', async () => {
    // Prepare
    const staged = failure('000000000001');
    const change = { kind: 'NEW_FAILURE', region: REGION, conformancePack: 'baseline', accountId: '000000000001' };
    const recovery = { ...change, kind: 'RECOVERED', accountId: '000000000002' };
    documentMock.on(QueryCommand).resolves({
      Items: [
        { ...storedItem(staged), pendingChange: JSON.stringify(change) },
        { pk: `REGION#${REGION}`, sk: 'FAILURE#baseline#000000000002', stagedRecovery: true, pendingChange: JSON.stringify(recovery) },
      ],
    });

    // Act
    const { failures, unconfirmed } = await store.loadRecords(REGION, 'baseline');

    // Assess
    expect(failures).toEqual([staged]);
    expect(unconfirmed).toEqual([{ change, record: staged }, { change: recovery }]);
  });

  it('follows LastEvaluatedKey through every page and returns the records', async () => {
    // Prepare
    const first = failure('000000000001', { errorCode: 'E1', errorMessage: 'boom', lastUpdateTime: '2024-01-02T00:00:00.000Z' });
    const second = failure('000000000002', { status: 'DELETE_FAILED' });
    const third = failure('000000000003', { conformancePack: 'other', status: 'UPDATE_FAILED' });
    const keyAfterFirst = { pk: `REGION#${REGION}`, sk: 'FAILURE#baseline#000000000001' };
    const keyAfterSecond = { pk: `REGION#${REGION}`, sk: 'FAILURE#baseline#000000000002' };
    documentMock
      .on(QueryCommand)
      .resolvesOnce({ Items: [storedItem(first)], LastEvaluatedKey: keyAfterFirst })
      .resolvesOnce({ Items: [storedItem(second)], LastEvaluatedKey: keyAfterSecond })
      .resolvesOnce({ Items: [storedItem(third)] });

    // Act
    const records = (await store.loadRecords(REGION)).failures;

    // Assess
    expect(records).toEqual([first, second, third]);
    expect(documentMock.commandCalls(QueryCommand).map((call) => call.args[0].input.ExclusiveStartKey)).toEqual([
      undefined,
      keyAfterFirst,
      keyAfterSecond,
    ]);
  });

  it('continues past an empty page that carries a LastEvaluatedKey', async () => {
    // Prepare
    const record = failure('000000000009');
    documentMock
      .on(QueryCommand)
      .resolvesOnce({ Items: [], LastEvaluatedKey: { pk: `REGION#${REGION}`, sk: 'a' } })
      .resolvesOnce({ Items: [storedItem(record)] });

    // Act
    const records = (await store.loadRecords(REGION)).failures;

    // Assess
    expect(records).toEqual([record]);
    expect(documentMock).toHaveReceivedCommandTimes(QueryCommand, 2);
  });

  it.each([
    { problem: 'no accountId', item: { ...storedItem(failure('000000000001')), accountId: undefined }, expected: /has no accountId/ },
    { problem: 'no failingSince', item: { ...storedItem(failure('000000000001')), failingSince: undefined }, expected: /has no failingSince/ },
    { problem: 'a numeric lastAlertedAt', item: { ...storedItem(failure('000000000001')), lastAlertedAt: 1 }, expected: /has no lastAlertedAt/ },
    { problem: 'a status that is neither failed nor in progress', item: { ...storedItem(failure('000000000001')), status: 'CREATE_SUCCESSFUL' }, expected: /has status CREATE_SUCCESSFUL/ },
    { problem: 'no status', item: { ...storedItem(failure('000000000001')), status: undefined }, expected: /has status undefined/ },
  ])('skips an item with $problem and reports it, keeping the valid items', async ({ item, expected }) => {
    // Prepare
    const valid = failure('000000000002');
    documentMock.on(QueryCommand).resolves({ Items: [item, storedItem(valid)] });

    // Act
    const records = (await store.loadRecords(REGION)).failures;

    // Assess
    expect(records).toEqual([valid]);
    expect(invalidItems).toHaveLength(1);
    expect(invalidItems[0]).toMatch(expected);
    expect(invalidItems[0]).toContain('baseline#000000000001');
  });

  it('returns only the record fields, not the table keys', async () => {
    // Prepare
    documentMock.on(QueryCommand).resolves({ Items: [{ ...storedItem(failure('000000000001')), ttl: 5, extra: 'x' }] });

    // Act
    const [record] = (await store.loadRecords(REGION)).failures;

    // Assess
    expect(record).toEqual(failure('000000000001'));
  });
});

describe('DynamoDbStateStore.apply', () => {
  beforeEach(() => {
    documentMock.on(BatchWriteCommand).resolves({ UnprocessedItems: {} });
  });

  it('writes a put as an item keyed pk REGION#<region>, sk FAILURE#<pack>#<account>, and a delete by the same key', async () => {
    // Prepare
    const record = failure('000123456789', { errorCode: 'E', errorMessage: undefined });

    // Act
    await store.apply([put(record), remove('000000000007', 'other-pack')]);

    // Assess
    expect(sentBatches()).toEqual([
      [
        {
          PutRequest: {
            Item: {
              pk: 'REGION#us-east-1',
              sk: 'FAILURE#baseline#000123456789',
              region: REGION,
              conformancePack: 'baseline',
              accountId: '000123456789',
              status: 'CREATE_FAILED',
              errorCode: 'E',
              failingSince: '2024-01-01T00:00:00.000Z',
              lastAlertedAt: '2024-01-01T00:00:00.000Z',
            },
          },
        },
        { DeleteRequest: { Key: { pk: 'REGION#us-east-1', sk: 'FAILURE#other-pack#000000000007' } } },
      ],
    ]);
  });

  it.each([
    { writes: 0, batches: [] },
    { writes: 1, batches: [1] },
    { writes: 25, batches: [25] },
    { writes: 26, batches: [25, 1] },
    { writes: 60, batches: [25, 25, 10] },
  ])('splits $writes writes into batches of at most 25: $batches', async ({ writes, batches }) => {
    // Prepare
    const all = Array.from({ length: writes }, (_, index) => (index % 2 === 0 ? put(failure(accountNumber(index))) : remove(accountNumber(index))));

    // Act
    await store.apply(all);

    // Assess
    expect(sentBatches().map((batch) => batch.length)).toEqual(batches);
    const sortKeys = sentBatches()
      .flat()
      .map((request) => (request.PutRequest ? request.PutRequest.Item!.sk : request.DeleteRequest!.Key!.sk));
    expect(sortKeys).toEqual(Array.from({ length: writes }, (_, index) => `FAILURE#baseline#${accountNumber(index)}`));
  });

  it.each([
    { case: 'a put after a put', writes: [put(failure('000000000001')), put(failure('000000000001', { status: 'UPDATE_FAILED' }))], last: 'PutRequest' },
    { case: 'a delete after a put', writes: [put(failure('000000000001')), remove('000000000001')], last: 'DeleteRequest' },
    { case: 'a put after a delete', writes: [remove('000000000001'), put(failure('000000000001', { status: 'DELETE_FAILED' }))], last: 'PutRequest' },
  ])('sends one request per key, the last write winning ($case)', async ({ writes, last }) => {
    // Act
    await store.apply(writes);

    // Assess
    const [batch] = sentBatches();
    expect(batch).toHaveLength(1);
    expect(Object.keys(batch![0]!)).toEqual([last]);
    expect(batch![0]).toEqual(
      writes.at(-1)!.type === 'put'
        ? { PutRequest: { Item: storedItem((writes.at(-1) as Extract<StateWrite, { type: 'put' }>).record) } }
        : { DeleteRequest: { Key: { pk: 'REGION#us-east-1', sk: 'FAILURE#baseline#000000000001' } } },
    );
  });

  it('treats the same account in two packs or two regions as different keys', async () => {
    // Act
    await store.apply([
      put(failure('000000000001')),
      put(failure('000000000001', { conformancePack: 'other' })),
      put(failure('000000000001', { region: 'eu-west-1' })),
    ]);

    // Assess
    expect(sentBatches()[0]).toHaveLength(3);
  });

  it('retries the unprocessed items, and only them, until none is left', async () => {
    // Prepare
    const writes = [put(failure('000000000001')), put(failure('000000000002')), remove('000000000003')];
    const [, second, third] = writes.map((write) =>
      write.type === 'put'
        ? { PutRequest: { Item: storedItem(write.record) } }
        : { DeleteRequest: { Key: { pk: 'REGION#us-east-1', sk: `FAILURE#baseline#${write.key.accountId}` } } },
    );
    documentMock
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { [TABLE]: [second!, third!] } })
      .resolvesOnce({ UnprocessedItems: { [TABLE]: [third!] } })
      .resolvesOnce({});

    // Act
    await store.apply(writes);

    // Assess
    expect(sentBatches().map((batch) => batch.length)).toEqual([3, 2, 1]);
    expect(sentBatches()[2]).toEqual([third]);
  });

  it('fails with a StateWriteError naming how many writes were left after maxBatchAttempts', async () => {
    // Prepare
    documentMock.on(BatchWriteCommand).callsFake((input: BatchWriteCommandInput) => ({
      UnprocessedItems: { [TABLE]: input.RequestItems![TABLE]!.slice(1) },
    }));
    const writes = Array.from({ length: 5 }, (_, index) => put(failure(accountNumber(index))));

    // Act
    const result = store.apply(writes);

    // Assess: three attempts each take one item: 5 → 4 → 3 → 2 left
    await expect(result).rejects.toBeInstanceOf(StateWriteError);
    await expect(result).rejects.toMatchObject({ unwritten: 2 });
    await expect(result).rejects.toThrow('DynamoDB left 2 state write(s) unprocessed after every retry');
    expect(documentMock).toHaveReceivedCommandTimes(BatchWriteCommand, 3);
  });

  it('propagates an error thrown by BatchWriteItem', async () => {
    // Prepare
    const rejection = new Error('ProvisionedThroughputExceededException');
    documentMock.on(BatchWriteCommand).rejects(rejection);

    // Act
    const result = store.apply([remove('000000000001')]);

    // Assess
    await expect(result).rejects.toBe(rejection);
  });
});

describe('DynamoDbStateStore bookkeeping', () => {
  const digested: RegionBookkeeping = {
    deferredPacks: ['late-pack'],
    lastFullReadAt: '2026-11-27T00:00:00.000Z',
    recordedPacks: {
      baseline: { fingerprint: 'AbCdEfGhIj-_0123', failing: 3, oldestAlertedAt: '2026-11-26T10:00:00.000Z', inProgress: false },
      'stuck-pack': { fingerprint: 'AbCdEfGhIj-_0123', failing: 0, inProgress: true },
    },
    unsettledPacks: ['other'],
  };

  it('reads the bookkeeping item alone, with a consistent GetItem', async () => {
    documentMock.on(GetCommand).resolves({
      Item: { pk: `REGION#${REGION}`, sk: 'SWEEP', deferredPacks: ['late-pack'], accessDeniedAlertedAt: '2026-11-27T00:00:00.000Z' },
    });
    const bookkeeping = await store.loadBookkeeping(REGION);
    // Written before digests: no recordedPacks, so the sweep reads every record.
    expect(bookkeeping).toEqual({ deferredPacks: ['late-pack'], accessDeniedAlertedAt: '2026-11-27T00:00:00.000Z' });
    expect(documentMock).toHaveReceivedCommandWith(GetCommand, { TableName: TABLE, Key: { pk: `REGION#${REGION}`, sk: 'SWEEP' }, ConsistentRead: true });
    expect(documentMock).toHaveReceivedCommandTimes(QueryCommand, 0);
  });

  it('has empty bookkeeping for a region never swept', async () => {
    documentMock.on(GetCommand).resolves({});
    expect(await store.loadBookkeeping(REGION)).toEqual({ deferredPacks: [] });
  });

  it('saves the bookkeeping as one item in the region partition', async () => {
    documentMock.on(PutCommand).resolves({});
    await store.saveBookkeeping(REGION, { deferredPacks: ['a', 'b'] });
    expect(documentMock).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      Item: { pk: `REGION#${REGION}`, sk: 'SWEEP', deferredPacks: ['a', 'b'] },
    });
  });

  it('stores each digest as one short string and reads back what it saved', async () => {
    documentMock.on(PutCommand).resolves({});
    await store.saveBookkeeping(REGION, digested);
    const item = documentMock.commandCalls(PutCommand)[0]!.args[0].input.Item!;
    expect(item.recordedPacks).toEqual({ baseline: `AbCdEfGhIj-_0123.3.${Date.parse('2026-11-26T10:00:00.000Z') / 1000}.0`, 'stuck-pack': 'AbCdEfGhIj-_0123.0..1' });
    expect(item.unsettledPacks).toEqual(['other']);

    documentMock.on(GetCommand).resolves({ Item: item });
    expect(await store.loadBookkeeping(REGION)).toEqual(digested);
    expect(invalidItems).toEqual([]);
  });

  it.each([
    { problem: 'a digest that is not a map', recordedPacks: ['x'], unsettledPacks: undefined, expected: /recordedPacks \(not a map\)/ },
    { problem: 'a truncated digest', recordedPacks: { baseline: 'AbCdEfGhIj.3.1.0' }, unsettledPacks: undefined, expected: /entry of baseline/ },
    { problem: 'an impossible time', recordedPacks: { baseline: 'AbCdEfGhIj-_0123.3.99999999999999999.0' }, unsettledPacks: undefined, expected: /impossible time/ },
    { problem: 'unsettled packs that are not names', recordedPacks: {}, unsettledPacks: [1], expected: /unsettledPacks/ },
  ])('distrusts every digest when the item holds $problem, and reports it', async ({ recordedPacks, unsettledPacks, expected }) => {
    documentMock.on(GetCommand).resolves({
      Item: { pk: `REGION#${REGION}`, sk: 'SWEEP', deferredPacks: ['late-pack'], recordedPacks, ...(unsettledPacks ? { unsettledPacks } : {}) },
    });
    const bookkeeping = await store.loadBookkeeping(REGION);
    expect(bookkeeping).toEqual({ deferredPacks: ['late-pack'] });
    expect(invalidItems).toHaveLength(1);
    expect(invalidItems[0]).toMatch(expected);
  });
});
