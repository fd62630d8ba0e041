import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbSweepLease } from '../../lambda/adapters/dynamodb-sweep-lease.js';
import { startDynamoDb } from '../../local/dynamodb-local.js';

// The lease is a conditional write: tested against dynalite (real conditional semantics), not a mock.
let dynamo: Awaited<ReturnType<typeof startDynamoDb>>;
let lease: DynamoDbSweepLease;
const T0 = new Date('2026-11-27T12:00:00.000Z');
const minutes = (count: number) => new Date(T0.getTime() + count * 60_000);

beforeAll(async () => {
  dynamo = await startDynamoDb({ tableName: 'lease-test' });
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  );
  lease = new DynamoDbSweepLease({ client, tableName: 'lease-test' });
});

afterAll(async () => {
  await dynamo.stop();
});

describe('DynamoDbSweepLease', () => {
  it('grants the lease to one sweep at a time, then to the next once released', async () => {
    expect(await lease.acquire('sweep-a', T0, minutes(15))).toBe(true);
    expect(await lease.acquire('sweep-b', minutes(1), minutes(16))).toBe(false);
    expect(await lease.release('sweep-a')).toBe(true);
    expect(await lease.acquire('sweep-b', minutes(2), minutes(17))).toBe(true);
    expect(await lease.release('sweep-b')).toBe(true);
  });

  it('lets a new sweep take a lease that expired (its holder died)', async () => {
    expect(await lease.acquire('crashed', T0, minutes(15))).toBe(true);
    expect(await lease.acquire('next', minutes(16), minutes(31))).toBe(true);
    expect(await lease.release('crashed')).toBe(false);
    expect(await lease.acquire('third', minutes(17), minutes(32))).toBe(false);
    expect(await lease.release('next')).toBe(true);
  });

  it('decides between simultaneous sweeps: exactly one wins', async () => {
    const outcomes = await Promise.all(['a', 'b', 'c', 'd'].map((owner) => lease.acquire(owner, T0, minutes(15))));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const winner = ['a', 'b', 'c', 'd'][outcomes.indexOf(true)]!;
    expect(await lease.release(winner)).toBe(true);
  });
});
