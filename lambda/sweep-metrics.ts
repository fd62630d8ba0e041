import { summarize } from './domain/alert-document.js';
import { DETAILED_METRICS, ESSENTIAL_METRICS } from './observability-names.js';
import type { SweepCounters } from './sweep-counters.js';
import type { SweepReport } from './sweep.js';

/** One metric value to send: with dimension `service` only, or also `Region`. */
export interface MetricValue {
  readonly name: string;
  readonly unit: 'Count' | 'Milliseconds';
  readonly value: number;
  readonly region?: string;
}

/** How an invocation ended, with what it knows then. */
export type SweepEnding =
  | { readonly outcome: 'succeeded'; readonly report: SweepReport }
  | { readonly outcome: 'failed' }
  | { readonly outcome: 'skipped' };

/**
 * The metrics of one invocation: the essential few always (see ESSENTIAL_METRICS), every per-sweep number as well
 * when `detailed` is on. The "Sweep finished" log line carries every number either way.
 */
export function sweepMetrics(ending: SweepEnding, counters: SweepCounters, durationMs: number, detailed: boolean): MetricValue[] {
  const count = (name: string, value: number): MetricValue => ({ name, unit: 'Count', value });
  const metrics: MetricValue[] = [];
  if (ending.outcome === 'succeeded') {
    const { report } = ending;
    const summary = summarize(report.changes, report.failingAccounts);
    metrics.push(
      count(ESSENTIAL_METRICS.sweepSucceeded, 1),
      count(ESSENTIAL_METRICS.failingAccounts, report.failingAccounts),
      count(ESSENTIAL_METRICS.newFailures, summary.newFailures),
    );
    if (detailed) {
      metrics.push(
        count(DETAILED_METRICS.changedFailures, summary.changedFailures),
        count(DETAILED_METRICS.reminders, summary.reminders),
        count(DETAILED_METRICS.recoveries, summary.recoveries),
        count(DETAILED_METRICS.stuckDeployments, summary.stuck),
        count(DETAILED_METRICS.mutedFailures, summary.muted),
        count(DETAILED_METRICS.packsSwept, report.packsSwept),
        count(DETAILED_METRICS.packsSkipped, report.packsSkipped),
        count(DETAILED_METRICS.alertsPublished, report.messagesPublished),
        ...report.regions.map((region) => ({ ...count(ESSENTIAL_METRICS.failingAccounts, region.failingAccounts), region: region.region })),
      );
    }
  }
  if (ending.outcome === 'failed') metrics.push(count(ESSENTIAL_METRICS.sweepFailures, 1));
  if (ending.outcome === 'skipped') metrics.push(count(ESSENTIAL_METRICS.sweepSkipped, 1));
  metrics.push(count(ESSENTIAL_METRICS.sweepIncomplete, counters.deferredPacks > 0 ? 1 : 0));
  if (detailed) {
    metrics.push(
      count(DETAILED_METRICS.apiCalls, counters.apiCalls),
      count(DETAILED_METRICS.throttles, counters.throttles),
      count(DETAILED_METRICS.sweepErrors, counters.sweepErrors),
      count(DETAILED_METRICS.malformedRecords, counters.malformedRecords),
      count(DETAILED_METRICS.packsDeferred, counters.deferredPacks),
      { name: DETAILED_METRICS.sweepDurationMs, unit: 'Milliseconds', value: durationMs },
    );
  }
  return metrics;
}
