import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startLocalMonitor, type LocalMonitor } from '../../local/local-monitor.js';
import { evolveOrganization } from '../../local/organization-evolution.js';
import { loadBuiltInScenario } from '../../local/scenario.js';
import { LOCAL_CREDENTIALS, changesOf, comparableChanges, expectedChangesOf } from '../support/integration.js';

/**
 * What a sweep reads from DynamoDB, counted by the emulator's proxy: the real handler over real HTTP.
 * Nothing changed: one GetItem per region (its bookkeeping). Something changed: plus one Query per
 * pack that changed. A table written before digests: one Query per region, once.
 */

beforeAll(() => {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
});

describe('DynamoDB reads per sweep', () => {
  let monitor: LocalMonitor;
  let regions: string[];

  beforeEach(async () => {
    const scenario = loadBuiltInScenario('demo');
    regions = Object.keys(scenario.regions);
    monitor = await startLocalMonitor({ scenario });
    await monitor.sweep();
    monitor.aws.dynamodb.resetStats();
  });

  afterEach(async () => {
    await monitor?.stop();
  });

  it('reads only the bookkeeping item of each region when nothing changed', async () => {
    const { published } = await monitor.sweep();
    const reads = monitor.aws.dynamodb.stats();
    expect(published).toEqual([]);
    expect(reads.byOperation).not.toHaveProperty('Query');
    expect(reads.byOperation.GetItem).toBe(regions.length);
    expect(reads.readRequestUnits).toBe(regions.length);
  });

  it('reads the records of the packs that changed, and only those, and alerts exactly the changes', async () => {
    const evolutions = evolveOrganization(monitor.aws.config, regions, new Date());
    const changedPacks = new Set(evolutions.map((evolution) => `${evolution.region}/${evolution.conformancePack}`));
    const { published } = await monitor.sweep();
    expect(comparableChanges(changesOf(published))).toEqual(expectedChangesOf(evolutions));
    expect(monitor.aws.dynamodb.stats().byOperation.Query).toBe(changedPacks.size);
    // Their digests were saved as written: the next sweep reads no record again.
    monitor.aws.dynamodb.resetStats();
    expect((await monitor.sweep()).published).toEqual([]);
    expect(monitor.aws.dynamodb.stats().byOperation).not.toHaveProperty('Query');
  });

  it('reads each region whole once when its bookkeeping has no digests (a table written before them), then digests it', async () => {
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: monitor.aws.dynamodb.url, region: 'us-east-1', credentials: LOCAL_CREDENTIALS }));
    try {
      for (const region of regions) {
        await client.send(
          new UpdateCommand({ TableName: monitor.aws.tableName, Key: { pk: `REGION#${region}`, sk: 'SWEEP' }, UpdateExpression: 'REMOVE recordedPacks, unsettledPacks' }),
        );
      }
    } finally {
      client.destroy();
    }
    monitor.aws.dynamodb.resetStats();
    expect((await monitor.sweep()).published).toEqual([]);
    expect(monitor.aws.dynamodb.stats().byOperation.Query).toBe(regions.length);
    monitor.aws.dynamodb.resetStats();
    expect((await monitor.sweep()).published).toEqual([]);
    expect(monitor.aws.dynamodb.stats().byOperation).not.toHaveProperty('Query');
  });
});
