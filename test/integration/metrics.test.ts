import { afterEach, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { startLocalMonitor, type LocalMonitor } from '../../local/local-monitor.js';
import { evolveOrganization } from '../../local/organization-evolution.js';
import { loadBuiltInScenario } from '../../local/scenario.js';
import { failingPairsOf, pairKey } from '../support/integration.js';

/**
 * What CloudWatch would receive: Powertools writes EMF documents through the global console when
 * POWERTOOLS_DEV is set (and POWERTOOLS_METRICS_DISABLED is set to false, which dev mode otherwise implies).
 */

interface EmfDocument {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: readonly { readonly Name: string; readonly Unit?: string }[];
    }[];
  };
  readonly [key: string]: unknown;
}

/** Every per-sweep metric of detailedMetrics, besides the essential ones. */
const DETAILED_SWEEP_METRICS = [
  'NewFailures',
  'ChangedFailures',
  'Reminders',
  'Recoveries',
  'FailingAccounts',
  'PacksSwept',
  'ApiCalls',
  'Throttles',
  'SweepErrors',
  'SweepDurationMs',
] as const;

/** What every deployment sends by default: the alarms' and the main graph's metrics. */
const ESSENTIAL_SWEEP_METRICS = ['SweepSucceeded', 'FailingAccounts', 'NewFailures', 'SweepIncomplete'];

function jsonArguments(spy: MockInstance): Record<string, unknown>[] {
  return spy.mock.calls.flatMap((call) => {
    const [first] = call as unknown[];
    if (typeof first !== 'string') return [];
    try {
      const parsed: unknown = JSON.parse(first);
      return typeof parsed === 'object' && parsed !== null ? [parsed as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });
}

function emfDocuments(spy: MockInstance): EmfDocument[] {
  return jsonArguments(spy).filter((value): value is EmfDocument => typeof value._aws === 'object' && value._aws !== null);
}

beforeAll(() => {
  // Before the handler module creates its Powertools Metrics and Logger.
  vi.stubEnv('POWERTOOLS_DEV', 'true');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
});

describe('the metrics and logs of a sweep', () => {
  let monitor: LocalMonitor | undefined;

  afterEach(async () => {
    vi.restoreAllMocks();
    await monitor?.stop();
    monitor = undefined;
  });

  /** A second sweep with every kind of change, a throttled Config API and one unreadable record. */
  async function sweepWithEveryKindOfChange(detailedMetrics: boolean) {
    const scenario = loadBuiltInScenario('demo');
    const regions = Object.keys(scenario.regions);
    monitor = await startLocalMonitor({ scenario, reminderIntervalSeconds: 1, configMaxAttempts: 10, detailedMetrics });
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await monitor.sweep();
    const evolutions = evolveOrganization(monitor.aws.config, regions, new Date());
    const touched = new Set(evolutions.map(pairKey));
    const untouched = failingPairsOf(monitor.aws.config, regions).filter((pair) => !touched.has(pairKey(pair)));
    expect(untouched.length).toBeGreaterThan(1);
    const unreadable = untouched[0]!;
    monitor.aws.config.setAccount(unreadable.region, unreadable.conformancePack, { accountId: unreadable.accountId, status: 'EXPLODED' });
    monitor.aws.config.setFaults({ throttleRate: 0.25, seed: 3 });
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // past the 1 s reminder interval
    log.mockClear();
    info.mockClear();

    const { result } = await monitor.sweep();
    return { result, documents: emfDocuments(log), logLines: jsonArguments(info) };
  }

  it('by default emits only the essential metrics, in namespace Packwatch without a Region dimension, and every number in the "Sweep finished" log line', async () => {
    // Act
    const { result, documents, logLines } = await sweepWithEveryKindOfChange(false);

    // Assess
    const declared = documents.flatMap((document) => document._aws.CloudWatchMetrics.flatMap((directive) => directive.Metrics.map((metric) => metric.Name)));
    expect(declared.sort()).toEqual([...ESSENTIAL_SWEEP_METRICS].sort());
    for (const document of documents) {
      for (const directive of document._aws.CloudWatchMetrics) {
        expect(directive.Namespace).toBe('Packwatch');
        expect(directive.Dimensions).toEqual([['service']]);
      }
    }
    const count = (kind: string) => result.changes.filter((change) => change.kind === kind && !change.muted).length;
    expect(count('NEW_FAILURE')).toBeGreaterThan(0);
    const [sweep] = documents;
    expect({ SweepSucceeded: sweep!.SweepSucceeded, FailingAccounts: sweep!.FailingAccounts, NewFailures: sweep!.NewFailures, SweepIncomplete: sweep!.SweepIncomplete }).toEqual({
      SweepSucceeded: 1,
      FailingAccounts: result.failingAccounts,
      NewFailures: count('NEW_FAILURE'),
      SweepIncomplete: 0,
    });

    const finished = logLines.find((line) => line.message === 'Sweep finished');
    expect(finished, 'a "Sweep finished" log line').toBeDefined();
    expect(finished).toMatchObject({
      sweepId: result.sweepId,
      summary: {
        newFailures: count('NEW_FAILURE'),
        changedFailures: count('CHANGED_FAILURE'),
        reminders: count('REMINDER'),
        recoveries: count('RECOVERED'),
        failingAccounts: result.failingAccounts,
      },
      counters: result.counters,
      messagesPublished: result.messagesPublished,
      packsSwept: result.packsSwept,
      packsSkipped: result.packsSkipped,
      packsDeferred: result.packsDeferred,
      durationMs: result.durationMs,
    });
    expect(result.counters.throttles).toBeGreaterThan(0);
  });

  it('emits one EMF document in namespace Packwatch whose values match the sweep with detailedMetrics, with no account ID in any dimension, and logs with the sweepId', async () => {
    // Act
    const { result, documents, logLines } = await sweepWithEveryKindOfChange(true);

    // Assess
    expect(documents.length).toBeGreaterThan(0);
    for (const document of documents) {
      for (const directive of document._aws.CloudWatchMetrics) expect(directive.Namespace).toBe('Packwatch');
    }
    const sweepDocuments = documents.filter((document) => 'NewFailures' in document);
    expect(sweepDocuments).toHaveLength(1);
    const sweep = sweepDocuments[0]!;
    const declared = sweep._aws.CloudWatchMetrics.flatMap((directive) => directive.Metrics.map((metric) => metric.Name));
    for (const name of DETAILED_SWEEP_METRICS) expect(declared, `metric ${name} declared`).toContain(name);

    const count = (kind: string) => result.changes.filter((change) => change.kind === kind).length;
    expect(count('NEW_FAILURE')).toBeGreaterThan(0);
    expect(count('CHANGED_FAILURE')).toBeGreaterThan(0);
    expect(count('REMINDER')).toBeGreaterThan(0);
    expect(count('RECOVERED')).toBeGreaterThan(0);
    expect(result.counters.throttles).toBeGreaterThan(0);
    expect(result.counters.malformedRecords).toBeGreaterThan(0);
    expect({
      NewFailures: sweep.NewFailures,
      ChangedFailures: sweep.ChangedFailures,
      Reminders: sweep.Reminders,
      Recoveries: sweep.Recoveries,
      FailingAccounts: sweep.FailingAccounts,
      PacksSwept: sweep.PacksSwept,
      ApiCalls: sweep.ApiCalls,
      Throttles: sweep.Throttles,
      SweepErrors: sweep.SweepErrors,
      MalformedRecords: sweep.MalformedRecords,
    }).toEqual({
      NewFailures: count('NEW_FAILURE'),
      ChangedFailures: count('CHANGED_FAILURE'),
      Reminders: count('REMINDER'),
      Recoveries: count('RECOVERED'),
      FailingAccounts: result.failingAccounts,
      PacksSwept: result.packsSwept,
      ApiCalls: result.counters.apiCalls,
      Throttles: result.counters.throttles,
      SweepErrors: result.counters.sweepErrors,
      MalformedRecords: result.counters.malformedRecords,
    });
    expect(sweep.SweepDurationMs).toEqual(expect.any(Number));
    expect(sweep.SweepDurationMs as number).toBeGreaterThanOrEqual(result.durationMs);
    expect(sweep.SweepDurationMs as number).toBeLessThan(result.durationMs + 1_000);

    // No dimension of any document carries an account ID.
    for (const document of documents) {
      const names = document._aws.CloudWatchMetrics.flatMap((directive) => directive.Dimensions.flat());
      for (const name of names) {
        expect(String(document[name]), `dimension ${name}`).not.toMatch(/\d{12}/);
        expect(name).not.toMatch(/\d{12}/);
      }
    }

    // One FailingAccounts per swept region, with the Region dimension.
    const perRegion = documents.filter((document) => document._aws.CloudWatchMetrics.some((directive) => directive.Dimensions.some((names) => names.includes('Region'))));
    expect(Object.fromEntries(perRegion.map((document) => [document.Region, document.FailingAccounts]))).toEqual(
      Object.fromEntries(result.regions.map((region) => [region.region, region.failingAccounts])),
    );

    // Logger lines carry the sweep's ID.
    const finished = logLines.find((line) => line.message === 'Sweep finished');
    expect(finished, 'a "Sweep finished" log line').toBeDefined();
    expect(finished!.sweepId).toBe(result.sweepId);
    expect(logLines.every((line) => line.sweepId === result.sweepId)).toBe(true);
  });
});
