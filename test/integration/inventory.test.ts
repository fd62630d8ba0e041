import { ConfigServiceClient, GetOrganizationConformancePackDetailedStatusCommand } from '@aws-sdk/client-config-service';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { DynamoDbInventoryStore } from '../../lambda/adapters/dynamodb-inventory-store.js';
import { countStatuses, type StatusCounts } from '../../lambda/domain/status-counts.js';
import type { InventoryCheckpoint } from '../../lambda/ports.js';
import { startLocalMonitor, type LocalMonitor } from '../../local/local-monitor.js';
import type { Scenario } from '../../local/scenario.js';
import { LOCAL_CREDENTIALS, changesOf, sortedKeys } from '../support/integration.js';

/**
 * The inventory over real HTTP through the real SDK against the emulated AWS: the real handler sweeps, then
 * counts every account's status of every pack (unfiltered pages), checkpoints in the real (emulated) DynamoDB
 * and emits AccountsByStatus as EMF. Powertools writes EMF and logs to the console in dev mode.
 */

const US = 'us-east-1';
const EU = 'eu-west-1';
/** Several pages per pack (100 accounts a page), some accounts failing. */
const SCENARIO: Scenario = {
  name: 'inventory',
  regions: {
    [US]: {
      packs: [
        { name: 'pack-a', generate: { accounts: 250, failureRate: 0.05, seed: 3 } },
        { name: 'pack-b', generate: { accounts: 230, failureRate: 0.2, seed: 4 } },
      ],
    },
    [EU]: { packs: [{ name: 'pack-eu', generate: { accounts: 150, failureRate: 0.1, seed: 5 } }] },
  },
};
/** Pages of each pack at 100 accounts a page. */
const PAGES = { [`${US}/pack-a`]: 3, [`${US}/pack-b`]: 3, [`${EU}/pack-eu`]: 2 };

let monitor: LocalMonitor | undefined;
let consoleSpies: MockInstance[] = [];

beforeAll(() => {
  // Before the handler module creates its Powertools Metrics and Logger.
  vi.stubEnv('POWERTOOLS_DEV', 'true');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
});

afterEach(async () => {
  vi.restoreAllMocks();
  consoleSpies = [];
  await monitor?.stop();
  monitor = undefined;
});

async function start(inventoryIntervalSeconds: number): Promise<LocalMonitor> {
  await monitor?.stop();
  monitor = await startLocalMonitor({ scenario: SCENARIO, inventoryIntervalSeconds });
  consoleSpies = ['log', 'info', 'warn', 'error', 'debug'].map((method) => vi.spyOn(console, method as 'log').mockImplementation(() => undefined));
  return monitor;
}

/** Every JSON document written to the console since the last call (EMF documents and log lines). */
function takeConsoleJson(): Record<string, unknown>[] {
  const documents = consoleSpies.flatMap((spy) =>
    spy.mock.calls.flatMap((call) => {
      try {
        const parsed: unknown = JSON.parse(String(call[0]));
        return typeof parsed === 'object' && parsed !== null ? [parsed as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    }),
  );
  for (const spy of consoleSpies) spy.mockClear();
  return documents;
}

interface AccountsByStatusValue {
  readonly Region: string;
  readonly ConformancePack: string;
  readonly Status: string;
  readonly value: number;
  readonly dimensions: readonly string[];
}

function accountsByStatus(documents: readonly Record<string, unknown>[]): AccountsByStatusValue[] {
  return documents
    .filter((document) => JSON.stringify((document._aws as { CloudWatchMetrics?: unknown } | undefined)?.CloudWatchMetrics ?? []).includes('"AccountsByStatus"'))
    .map((document) => ({
      Region: document.Region as string,
      ConformancePack: document.ConformancePack as string,
      Status: document.Status as string,
      value: document.AccountsByStatus as number,
      dimensions: (document._aws as { CloudWatchMetrics: { Dimensions: string[][] }[] }).CloudWatchMetrics[0]!.Dimensions[0]!,
    }));
}

/** What the metrics must say, computed from the simulator's own organization. */
function expectedValues(local: LocalMonitor): Omit<AccountsByStatusValue, 'dimensions'>[] {
  return [US, EU].flatMap((region) =>
    local.aws.config.listPacks(region).flatMap((pack) => {
      const counts = countStatuses(local.aws.config.listAccounts(region, pack).map((account) => ({ AccountId: account.accountId, Status: account.status }))).counts;
      return Object.entries(counts).map(([Status, value]) => ({ Region: region, ConformancePack: pack, Status, value }));
    }),
  );
}

const byKey = <T extends { Region: string; ConformancePack: string; Status: string }>(values: readonly T[]) =>
  [...values].sort((a, b) => `${a.Region}/${a.ConformancePack}/${a.Status}`.localeCompare(`${b.Region}/${b.ConformancePack}/${b.Status}`));

function inventoryStore(local: LocalMonitor): DynamoDbInventoryStore {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: local.aws.dynamodb.url, region: US, credentials: LOCAL_CREDENTIALS }));
  return new DynamoDbInventoryStore({ client, tableName: local.aws.tableName, onInvalidItem: (problem) => { throw new Error(problem); } });
}

describe('the inventory after the sweep', () => {
  it('counts every account of every pack once, emits AccountsByStatus per region, pack and status with accounts, and leaves the sweep as it was', async () => {
    // Prepare: the same sweep with the inventory off, as the reference.
    const off = await start(0);
    const reference = await off.sweep();
    const referenceCalls = off.aws.config.stats().calls;

    // Act
    const local = await start(86_400);
    const { result, published } = await local.sweep();
    const documents = takeConsoleJson();

    // Assess: the sweep alerted the same changes with the same calls.
    expect(sortedKeys(changesOf(published))).toEqual(sortedKeys(changesOf(reference.published)));
    expect(result.counters.apiCalls).toBe(reference.result.counters.apiCalls);
    expect(result.counters.apiCalls).toBe(referenceCalls);
    // The inventory: one listing per region, then each page of each pack once, unfiltered.
    const pages = Object.values(PAGES).reduce((total, count) => total + count, 0);
    expect(result.inventory?.counters.apiCalls).toBe(2 + pages);
    expect(local.aws.config.stats().calls).toBe(referenceCalls + 2 + pages);
    expect(result.inventory?.regions.map((region) => [region.region, region.state, region.packsCounted])).toEqual([
      [US, 'completed', 2],
      [EU, 'completed', 1],
    ]);
    // The metrics: exactly the organization's counts, statuses without accounts left out, no account ID.
    const values = accountsByStatus(documents);
    expect(byKey(values.map(({ dimensions: _dimensions, ...value }) => value))).toEqual(byKey(expectedValues(local)));
    expect(values.every((value) => value.value > 0)).toBe(true);
    for (const value of values) expect([...value.dimensions].sort()).toEqual(['ConformancePack', 'Region', 'Status', 'service']);
    expect(JSON.stringify(values)).not.toMatch(/\d{12}/);
    // One log line per pack for Logs Insights.
    const packLines = documents.filter((document) => document.message === 'Pack inventoried');
    expect(packLines.map((line) => `${String(line.region)}/${String(line.conformancePack)}`).sort()).toEqual(Object.keys(PAGES).sort());
    // Completion recorded in the region's own item.
    expect((await inventoryStore(local).loadInventory(US)).lastCompletedAt).toBeDefined();
    expect((await inventoryStore(local).loadInventory(US)).current).toBeUndefined();

    // Act again: the next sweep, within the interval.
    local.aws.config.resetStats();
    const next = await local.sweep();

    // Assess: no inventory call, no metric.
    expect(next.result.inventory?.counters.apiCalls).toBe(0);
    expect(next.result.inventory?.regions.map((region) => region.state)).toEqual(['not-due', 'not-due']);
    expect(local.aws.config.stats().calls).toBe(next.result.counters.apiCalls);
    expect(accountsByStatus(takeConsoleJson())).toEqual([]);
  });

  it('reads nothing when the next scheduled sweep is too close: it never runs into it', async () => {
    const local = await start(86_400);

    // An event scheduled almost an hour ago (the local schedule is hourly): the next sweep is due now.
    const { result } = await local.sweep(new Date(Date.now() - 3_590_000));

    expect(result.inventory?.regions.map((region) => region.state)).toEqual(['postponed', 'postponed']);
    expect(result.inventory?.counters.apiCalls).toBe(0);
    expect(local.aws.config.stats().calls).toBe(result.counters.apiCalls);
    expect(accountsByStatus(takeConsoleJson())).toEqual([]);
  });

  it('continues from the checkpoint an earlier invocation left, reading only the pages it had not read', async () => {
    // Prepare: an earlier invocation read pack-a's first page, through the real API, then stopped.
    const local = await start(86_400);
    const config = new ConfigServiceClient({ endpoint: local.aws.config.url, region: US, credentials: LOCAL_CREDENTIALS });
    const first = await config.send(new GetOrganizationConformancePackDetailedStatusCommand({ OrganizationConformancePackName: 'pack-a', Limit: 100 }));
    config.destroy();
    const partial = countStatuses(first.OrganizationConformancePackDetailedStatuses ?? []).counts;
    const checkpoint: InventoryCheckpoint = {
      current: {
        startedAt: new Date(Date.now() - 3_600_000).toISOString(),
        pending: ['pack-b'],
        open: [{ conformancePack: 'pack-a', nextToken: first.NextToken!, counts: partial, malformedRecords: 0, failedReads: 0 }],
      },
    };
    await inventoryStore(local).saveInventory(US, checkpoint);
    local.aws.config.resetStats();

    // Act
    const { result } = await local.sweep();

    // Assess: us-east-1 read pack-a's 2 remaining pages and pack-b's 3, without listing again; eu-west-1 started afresh.
    expect(result.inventory?.counters.apiCalls).toBe(2 + 3 + (1 + PAGES[`${EU}/pack-eu`]!));
    const values = accountsByStatus(takeConsoleJson()).map(({ dimensions: _dimensions, ...value }) => value);
    // pack-a's metrics add the checkpointed first page to the pages read now: the organization's counts.
    expect(byKey(values)).toEqual(byKey(expectedValues(local)));
    expect(result.inventory?.regions.every((region) => region.state === 'completed')).toBe(true);
  });

  it('counts a pack again from its first page when its checkpointed token is no longer accepted, discarding the partial counts', async () => {
    const local = await start(86_400);
    const stale: StatusCounts = { CREATE_SUCCESSFUL: 999 };
    await inventoryStore(local).saveInventory(US, {
      current: {
        startedAt: new Date().toISOString(),
        pending: [],
        open: [{ conformancePack: 'pack-a', nextToken: 'a-token-from-another-day', counts: stale, malformedRecords: 0, failedReads: 0 }],
      },
    });

    const { result } = await local.sweep();

    const values = accountsByStatus(takeConsoleJson()).filter((value) => value.Region === US);
    expect(byKey(values.map(({ dimensions: _dimensions, ...value }) => value))).toEqual(byKey(expectedValues(local).filter((value) => value.ConformancePack === 'pack-a')));
    expect(result.inventory?.counters.sweepErrors).toBe(0);
    expect(local.aws.config.stats().byError.InvalidNextTokenException).toBe(1);
  });
});
