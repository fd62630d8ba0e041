import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { Agent, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { stateTableCreateInput } from '../lambda/adapters/state-table';
import { answerPlainFailure, listenOnLoopback, readRequestBody, serveOnLoopback } from './loopback-http-server';

export interface LocalDynamoDb {
  /** http://127.0.0.1:<port> — pass as `endpoint` to DynamoDBClient. */
  readonly url: string;
  readonly tableName: string;
  /** What the endpoint was asked since start (or the last `resetStats`); the table creation is not counted. */
  stats(): DynamoDbRequestStats;
  resetStats(): void;
  stop(): Promise<void>;
}

/**
 * Requests seen by the local DynamoDB endpoint, by `X-Amz-Target` operation, and the items and
 * request units they read or wrote. Units are estimated as on-demand DynamoDB bills them: a Query or
 * Scan costs one read unit per 4 KB of the items it read (half when eventually consistent), a write one
 * unit per 1 KB of each item put or deleted (a delete counts one unit: its item's size is not known here).
 */
export interface DynamoDbRequestStats {
  /** Every request received, answered or not. */
  readonly requests: number;
  readonly byOperation: Readonly<Record<string, number>>;
  /** Query, Scan, GetItem and BatchGetItem requests. */
  readonly readRequests: number;
  /** PutItem, UpdateItem, DeleteItem, BatchWriteItem and TransactWriteItems requests. */
  readonly writeRequests: number;
  /** Items returned by successful reads. */
  readonly itemsRead: number;
  /** Items put or deleted by successful writes (each entry of a BatchWriteItem that was processed). */
  readonly itemsWritten: number;
  readonly readRequestUnits: number;
  readonly writeRequestUnits: number;
}

const READ_OPERATIONS = new Set(['Query', 'Scan', 'GetItem', 'BatchGetItem']);
const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/**
 * DynamoDB in-process (dynalite, in memory) with Packwatch's state table already created
 * from the same definition the stack uses, so a local run cannot drift from the real schema.
 * Clients talk to a thin counting proxy in front of dynalite, so benchmarks can read what a
 * sweep cost in requests and request units (`stats()`).
 */
export async function startDynamoDb(options: { tableName: string; region?: string }): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const backend = await listenOnLoopback(server);
  const client = new DynamoDBClient({
    endpoint: backend.url,
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: 'packwatch-local', secretAccessKey: 'packwatch-local' },
  });
  try {
    await client.send(new CreateTableCommand(stateTableCreateInput(options.tableName)));
    await waitUntilActive(client, options.tableName);
  } catch (error) {
    await backend.stop();
    throw error;
  } finally {
    client.destroy();
  }
  const counter = new RequestCounter();
  let proxy: Awaited<ReturnType<typeof startCountingProxy>>;
  try {
    proxy = await startCountingProxy(backend.port, counter);
  } catch (error) {
    await backend.stop();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    url: proxy.url,
    tableName: options.tableName,
    stats: () => counter.snapshot(),
    resetStats: () => counter.reset(),
    stop: () => {
      stopping ??= proxy.stop().then(() => backend.stop());
      return stopping;
    },
  };
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

/** Forwards every request unchanged to dynalite on `backendPort` and counts it on the way back. */
async function startCountingProxy(backendPort: number, counter: RequestCounter) {
  const agent = new Agent({ keepAlive: true });
  const listener = await serveOnLoopback((incoming, outgoing) => forward(incoming, outgoing, backendPort, agent, counter), answerPlainFailure);
  return {
    url: listener.url,
    stop: async () => {
      await listener.stop();
      agent.destroy();
    },
  };
}

async function forward(incoming: IncomingMessage, outgoing: ServerResponse, backendPort: number, agent: Agent, counter: RequestCounter): Promise<void> {
  const target = incoming.headers['x-amz-target'];
  const operation = typeof target === 'string' ? target.slice(target.indexOf('.') + 1) : '(none)';
  counter.request(operation);
  const body = await readRequestBody(incoming, MAX_REQUEST_BYTES);
  const answer = await new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
    const upstream = httpRequest(
      { host: '127.0.0.1', port: backendPort, method: incoming.method, path: incoming.url, headers: incoming.headers, agent },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      },
    );
    upstream.on('error', reject);
    upstream.end(body);
  });
  outgoing.writeHead(answer.status, answer.headers);
  outgoing.end(answer.body);
  counter.answered(operation, answer.status, body, answer.body);
}

type AttributeValue = Record<string, unknown>;
type Item = Record<string, AttributeValue>;

class RequestCounter {
  private counts = RequestCounter.empty();

  private static empty() {
    return {
      requests: 0,
      byOperation: {} as Record<string, number>,
      readRequests: 0,
      writeRequests: 0,
      itemsRead: 0,
      itemsWritten: 0,
      readRequestUnits: 0,
      writeRequestUnits: 0,
    };
  }

  snapshot(): DynamoDbRequestStats {
    return { ...this.counts, byOperation: { ...this.counts.byOperation } };
  }

  reset(): void {
    this.counts = RequestCounter.empty();
  }

  request(operation: string): void {
    const counts = this.counts;
    counts.requests += 1;
    counts.byOperation[operation] = (counts.byOperation[operation] ?? 0) + 1;
    if (READ_OPERATIONS.has(operation)) counts.readRequests += 1;
    if (WRITE_OPERATIONS.has(operation)) counts.writeRequests += 1;
  }

  /** Adds the items and units of one answered request; a body that is not JSON counts nothing more. */
  answered(operation: string, status: number, requestBody: Buffer, responseBody: Buffer): void {
    const conditionFailed = status === 400 && responseBody.includes('ConditionalCheckFailedException');
    if (status !== 200 && !conditionFailed) return;
    const input = parse(requestBody);
    const output = status === 200 ? parse(responseBody) : {};
    const counts = this.counts;
    const consistent = input.ConsistentRead === true;
    const readUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 4096)) / (consistent ? 1 : 2);
    switch (operation) {
      case 'Query':
      case 'Scan': {
        const items = (output.Items ?? []) as Item[];
        counts.itemsRead += items.length;
        counts.readRequestUnits += readUnits(items.reduce((total, item) => total + itemSize(item), 0));
        break;
      }
      case 'GetItem': {
        const item = output.Item as Item | undefined;
        if (item) counts.itemsRead += 1;
        counts.readRequestUnits += readUnits(item ? itemSize(item) : 0);
        break;
      }
      case 'PutItem':
      case 'UpdateItem':
      case 'DeleteItem': {
        // A write refused by its condition still costs its units, but changes nothing.
        if (!conditionFailed) counts.itemsWritten += 1;
        const item = input.Item as Item | undefined;
        counts.writeRequestUnits += writeUnits(item);
        break;
      }
      case 'BatchWriteItem': {
        const requested = Object.values((input.RequestItems ?? {}) as Record<string, WriteRequest[]>).flat();
        const unprocessed = Object.values((output.UnprocessedItems ?? {}) as Record<string, WriteRequest[]>).flat().length;
        counts.itemsWritten += requested.length - unprocessed;
        // Units of the processed part: the unprocessed entries come last in practice; count by size in order.
        for (const entry of requested.slice(0, requested.length - unprocessed)) counts.writeRequestUnits += writeUnits(entry.PutRequest?.Item);
        break;
      }
      default:
        break;
    }
  }
}

interface WriteRequest {
  readonly PutRequest?: { readonly Item: Item };
  readonly DeleteRequest?: { readonly Key: Item };
}

function parse(body: Buffer): Record<string, unknown> {
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** One unit per started KB of the item put; a delete (no item given) counts one. */
function writeUnits(item: Item | undefined): number {
  return item ? Math.max(1, Math.ceil(itemSize(item) / 1024)) : 1;
}

/** DynamoDB's item size: attribute names plus values (strings and binaries by length, numbers about half their digits). */
export function itemSize(item: Item): number {
  return Object.entries(item).reduce((total, [name, value]) => total + Buffer.byteLength(name) + valueSize(value), 0);
}

function valueSize(value: AttributeValue): number {
  const [type, raw] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return Buffer.byteLength(String(raw));
    case 'B':
      return Buffer.from(String(raw), 'base64').length;
    case 'N':
      return Math.ceil(String(raw).replace(/^-|\./g, '').length / 2) + 1;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
    case 'NS':
    case 'BS':
      return (raw as unknown[]).reduce<number>((total, member) => total + valueSize({ [type.slice(0, 1)]: member }), 0);
    case 'L':
      return 3 + (raw as AttributeValue[]).reduce((total, member) => total + 1 + valueSize(member), 0);
    case 'M':
      return 3 + Object.entries(raw as Item).reduce((total, [name, member]) => total + 1 + Buffer.byteLength(name) + valueSize(member), 0);
    default:
      return 0;
  }
}
