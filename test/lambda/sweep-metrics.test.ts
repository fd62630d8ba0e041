import { describe, expect, it } from 'vitest';
import type { Change, ChangeKind } from '../../lambda/domain/types.js';
import { DETAILED_METRICS, ESSENTIAL_METRICS } from '../../lambda/observability-names.js';
import { newSweepCounters, type SweepCounters } from '../../lambda/sweep-counters.js';
import { sweepMetrics, type MetricValue, type SweepEnding } from '../../lambda/sweep-metrics.js';
import type { RegionReport, SweepReport } from '../../lambda/sweep.js';

function change(kind: ChangeKind, muted = false): Change {
  return {
    kind,
    region: 'us-east-1',
    conformancePack: 'baseline',
    accountId: '000123456789',
    status: kind === 'RECOVERED' ? 'CREATE_SUCCESSFUL' : 'CREATE_FAILED',
    previousStatus: null,
    errorCode: null,
    errorMessage: null,
    lastUpdateTime: null,
    failingSince: '2026-11-27T00:00:00.000Z',
    muted,
  };
}

function region(name: string, failingAccounts: number): RegionReport {
  return { region: name, packsListed: 3, packsRead: 2, packsUnreadable: 0, packsDeleted: 0, packsDeferred: 0, packsSkipped: 1, failingAccounts };
}

const REPORT: SweepReport = {
  sweepId: 'sweep-1',
  startedAt: '2026-11-27T00:00:00.000Z',
  regions: [region('us-east-1', 4), region('eu-west-1', 3)],
  changes: [change('NEW_FAILURE'), change('NEW_FAILURE'), change('NEW_FAILURE', true), change('CHANGED_FAILURE'), change('REMINDER'), change('RECOVERED'), change('STUCK')],
  messagesPublished: 2,
  failingAccounts: 7,
  packsSwept: 4,
  packsDeferred: 1,
  packsSkipped: 2,
  durationMs: 1234,
};

const COUNTERS: SweepCounters = { ...newSweepCounters(), apiCalls: 31, throttles: 2, malformedRecords: 1, sweepErrors: 3, deferredPacks: 1 };

/** name (or name@region) → value, so a table row reads like the metric set it expects. */
function byName(metrics: readonly MetricValue[]): Record<string, number> {
  return Object.fromEntries(metrics.map((metric) => [metric.region ? `${metric.name}@${metric.region}` : metric.name, metric.value]));
}

describe('sweepMetrics', () => {
  it.each<{ case: string; ending: SweepEnding; counters: SweepCounters; detailed: boolean; expected: Record<string, number> }>([
    {
      case: 'a finished sweep, essential metrics only',
      ending: { outcome: 'succeeded', report: REPORT },
      counters: COUNTERS,
      detailed: false,
      expected: { SweepSucceeded: 1, FailingAccounts: 7, NewFailures: 2, SweepIncomplete: 1 },
    },
    {
      case: 'a finished sweep with nothing deferred',
      ending: { outcome: 'succeeded', report: REPORT },
      counters: newSweepCounters(),
      detailed: false,
      expected: { SweepSucceeded: 1, FailingAccounts: 7, NewFailures: 2, SweepIncomplete: 0 },
    },
    {
      case: 'a failed invocation',
      ending: { outcome: 'failed' },
      counters: COUNTERS,
      detailed: false,
      expected: { SweepFailures: 1, SweepIncomplete: 1 },
    },
    {
      case: 'a skipped invocation (another sweep held the lease)',
      ending: { outcome: 'skipped' },
      counters: newSweepCounters(),
      detailed: false,
      expected: { SweepSkipped: 1, SweepIncomplete: 0 },
    },
    {
      case: 'a finished sweep with detailed metrics',
      ending: { outcome: 'succeeded', report: REPORT },
      counters: COUNTERS,
      detailed: true,
      expected: {
        SweepSucceeded: 1,
        FailingAccounts: 7,
        NewFailures: 2,
        ChangedFailures: 1,
        Reminders: 1,
        Recoveries: 1,
        StuckDeployments: 1,
        MutedFailures: 1,
        PacksSwept: 4,
        PacksSkipped: 2,
        AlertsPublished: 2,
        'FailingAccounts@us-east-1': 4,
        'FailingAccounts@eu-west-1': 3,
        SweepIncomplete: 1,
        ApiCalls: 31,
        Throttles: 2,
        SweepErrors: 3,
        MalformedRecords: 1,
        PacksDeferred: 1,
        SweepDurationMs: 5000,
      },
    },
    {
      case: 'a failed invocation with detailed metrics',
      ending: { outcome: 'failed' },
      counters: COUNTERS,
      detailed: true,
      expected: { SweepFailures: 1, SweepIncomplete: 1, ApiCalls: 31, Throttles: 2, SweepErrors: 3, MalformedRecords: 1, PacksDeferred: 1, SweepDurationMs: 5000 },
    },
  ])('$case', ({ ending, counters, detailed, expected }) => {
    // Act
    const metrics = sweepMetrics(ending, counters, 5000, detailed);

    // Assess
    expect(byName(metrics)).toEqual(expected);
    expect(metrics).toHaveLength(Object.keys(expected).length);
    for (const metric of metrics) expect(metric.unit).toBe(metric.name === 'SweepDurationMs' ? 'Milliseconds' : 'Count');
  });

  it('sends by default only the essential metrics, and every name it sends is declared', () => {
    // Act
    const essential = new Set<string>(Object.values(ESSENTIAL_METRICS));
    const declared = new Set<string>([...essential, ...Object.values(DETAILED_METRICS)]);
    const endings: SweepEnding[] = [{ outcome: 'succeeded', report: REPORT }, { outcome: 'failed' }, { outcome: 'skipped' }];

    // Assess
    for (const ending of endings) {
      for (const metric of sweepMetrics(ending, COUNTERS, 1, false)) expect(essential.has(metric.name), metric.name).toBe(true);
      for (const metric of sweepMetrics(ending, COUNTERS, 1, true)) expect(declared.has(metric.name), metric.name).toBe(true);
    }
  });
});
