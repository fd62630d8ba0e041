import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { setTimeout as sleep } from 'node:timers/promises';
import { stateTableCreateInput } from '../lambda/adapters/state-table';
import { listenOnLoopback } from './loopback-http-server';

export interface LocalDynamoDb {
  /** http://127.0.0.1:<port> — pass as `endpoint` to DynamoDBClient. */
  readonly url: string;
  readonly tableName: string;
  stop(): Promise<void>;
}

/**
 * DynamoDB in-process (dynalite, in memory) with Packwatch's state table already created
 * from the same definition the stack uses, so a local run cannot drift from the real schema.
 */
export async function startDynamoDb(options: { tableName: string; region?: string }): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const listener = await listenOnLoopback(server);
  const client = new DynamoDBClient({
    endpoint: listener.url,
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: 'packwatch-local', secretAccessKey: 'packwatch-local' },
  });
  try {
    await client.send(new CreateTableCommand(stateTableCreateInput(options.tableName)));
    await waitUntilActive(client, options.tableName);
  } catch (error) {
    await listener.stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { url: listener.url, tableName: options.tableName, stop: listener.stop };
}

/** dynalite flips CREATING to ACTIVE on a timer even at createTableMs 0, so wait for it. */
async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await sleep(5);
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}
