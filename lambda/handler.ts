import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { AwsClients } from './adapters/clients.js';
import { ConfigStatusSource } from './adapters/config-status-source.js';
import { DynamoDbStateStore } from './adapters/dynamodb-state-store.js';
import { SnsNotifier } from './adapters/sns-notifier.js';
import { systemClock } from './adapters/system-clock.js';
import { summarize } from './domain/alert-document.js';
import { parseEnvironment, type SweepEnvironment } from './env.js';
import { errorAttributes } from './log.js';
import { logger, metrics, sweepLog } from './observability.js';
import { sweepIdFrom } from './scheduled-event.js';
import { newSweepCounters, type SweepCounters } from './sweep-counters.js';
import { runSweep, type SweepReport } from './sweep.js';

/** What an invocation returns: the sweep report and its counters, for people and tests to read. */
export interface SweepResult extends SweepReport {
  readonly counters: SweepCounters;
}

interface Runtime {
  readonly environment: SweepEnvironment;
  readonly clients: AwsClients;
}

let runtime: Runtime | undefined;

/** Parsed on the first invocation: a bad variable fails it with a message that names the variable. */
function getRuntime(): Runtime {
  if (!runtime) {
    const environment = parseEnvironment(process.env);
    runtime = { environment, clients: new AwsClients(environment.configMaxAttempts) };
  }
  return runtime;
}

/** The composition root: EventBridge scheduled event in, one sweep, metrics out. */
export async function handler(event: unknown): Promise<SweepResult> {
  const { environment, clients } = getRuntime();
  const sweepId = sweepIdFrom(event);
  logger.appendKeys({ sweepId });
  const counters = newSweepCounters();
  const started = Date.now();
  try {
    const report = await runSweep(
      sweepId,
      {
        regions: environment.regions,
        reminderIntervalMs: environment.reminderIntervalSeconds * 1000,
        regionConcurrency: environment.regionConcurrency,
        packConcurrency: environment.packConcurrency,
      },
      {
        source: new ConfigStatusSource({
          clientFor: (region) => clients.configFor(region),
          counters,
          onMalformedRecord: (region, conformancePack, problem) =>
            logger.warn('Skipped a malformed detailed status record', { region, conformancePack, problem }),
        }),
        store: new DynamoDbStateStore({
          client: clients.documentClient(),
          tableName: environment.tableName,
          onInvalidItem: (problem) => logger.warn('Skipped an invalid state item', { problem }),
        }),
        notifier: new SnsNotifier({ client: clients.snsClient(), topicArn: environment.topicArn }),
        clock: systemClock,
        log: sweepLog,
        counters,
      },
    );
    recordSweepMetrics(report);
    logger.info('Sweep finished', {
      summary: summarize(report.changes, report.failingAccounts),
      messagesPublished: report.messagesPublished,
      packsSwept: report.packsSwept,
      regions: report.regions,
      counters,
      durationMs: report.durationMs,
    });
    return { ...report, counters };
  } catch (error) {
    metrics.addMetric('SweepFailures', MetricUnit.Count, 1);
    logger.error('Sweep failed', { ...errorAttributes(error), counters });
    throw error;
  } finally {
    metrics.addMetric('ApiCalls', MetricUnit.Count, counters.apiCalls);
    metrics.addMetric('Throttles', MetricUnit.Count, counters.throttles);
    metrics.addMetric('SweepErrors', MetricUnit.Count, counters.sweepErrors);
    metrics.addMetric('MalformedRecords', MetricUnit.Count, counters.malformedRecords);
    metrics.addMetric('SweepDurationMs', MetricUnit.Milliseconds, Date.now() - started);
    metrics.publishStoredMetrics();
  }
}

function recordSweepMetrics(report: SweepReport): void {
  const summary = summarize(report.changes, report.failingAccounts);
  metrics.addMetric('NewFailures', MetricUnit.Count, summary.newFailures);
  metrics.addMetric('ChangedFailures', MetricUnit.Count, summary.changedFailures);
  metrics.addMetric('Reminders', MetricUnit.Count, summary.reminders);
  metrics.addMetric('Recoveries', MetricUnit.Count, summary.recoveries);
  metrics.addMetric('FailingAccounts', MetricUnit.Count, report.failingAccounts);
  metrics.addMetric('PacksSwept', MetricUnit.Count, report.packsSwept);
  metrics.addMetric('AlertsPublished', MetricUnit.Count, report.messagesPublished);
  // Heartbeat for the "no successful sweep" alarm.
  metrics.addMetric('SweepSucceeded', MetricUnit.Count, 1);
  for (const region of report.regions) {
    const perRegion = metrics.singleMetric();
    perRegion.addDimension('Region', region.region);
    perRegion.addMetric('FailingAccounts', MetricUnit.Count, region.failingAccounts);
  }
}
