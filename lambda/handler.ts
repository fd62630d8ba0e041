import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { CallPacer } from './adapters/call-pacer.js';
import { AwsClients } from './adapters/clients.js';
import { ConfigStatusSource } from './adapters/config-status-source.js';
import { MultiAccountStatusSource } from './adapters/multi-account-status-source.js';
import { ROLE_ARN } from './env.js';
import { DynamoDbInventoryStore } from './adapters/dynamodb-inventory-store.js';
import { DynamoDbStateStore } from './adapters/dynamodb-state-store.js';
import { DynamoDbSweepLease } from './adapters/dynamodb-sweep-lease.js';
import { EventBridgeChangeBus } from './adapters/eventbridge-change-bus.js';
import { SnsNotifier } from './adapters/sns-notifier.js';
import { systemClock } from './adapters/system-clock.js';
import { summarize } from './domain/alert-document.js';
import { REGION_DIMENSION, SWEEP_FAILED_MESSAGE, SWEEP_FINISHED_MESSAGE } from './observability-names.js';
import { inventoryWindow } from './domain/inventory-schedule.js';
import { runInventory, type InventoryReport } from './inventory.js';
import { parseEnvironment, type SweepEnvironment } from './env.js';
import { errorAttributes } from './log.js';
import { accountsByStatusRecorder, logger, metrics, sweepLog } from './observability.js';
import { scheduledTimeOf, sweepIdFrom } from './scheduled-event.js';
import { newSweepCounters, type SweepCounters } from './sweep-counters.js';
import { sweepMetrics, type MetricValue, type SweepEnding } from './sweep-metrics.js';
import { runExclusiveSweep, type SweepReport } from './sweep.js';
import { randomUUID } from 'node:crypto';

/** What an invocation returns: the sweep report and its counters, for people and tests to read. */
export interface SweepResult extends SweepReport {
  readonly skipped: false;
  /** The sweep's own counters (the inventory's are apart). */
  readonly counters: SweepCounters;
  /** What the inventory did after the sweep; absent when it is off. */
  readonly inventory?: InventoryResult;
}

export interface InventoryResult extends InventoryReport {
  /** The inventory's Config calls, throttles, malformed records and errors. */
  readonly counters: SweepCounters;
}

/** Returned when another sweep held the lease: this invocation did nothing. */
export interface SkippedSweep {
  readonly sweepId: string;
  readonly skipped: true;
}

/** The part of the Lambda context the sweep uses. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/** Without a Lambda context (local runs), a sweep may take as long as the deployed function: 15 minutes. */
const DEFAULT_TIME_LIMIT_MS = 15 * 60_000;
/** The lease outlives the invocation's time limit a little, then frees itself if the sweep died. */
const LEASE_MARGIN_MS = 30_000;
/** Time kept after reading for publishing and recording: a minute, or a fifth of a short limit. */
const PUBLISH_RESERVE_MS = 60_000;

interface Runtime {
  readonly environment: SweepEnvironment;
  readonly clients: AwsClients;
  /** One pacer per region, kept across invocations of the same process. */
  readonly pacers: Map<string, CallPacer>;
}

/** A scheduled-event handler bound to the environment `variables` returns (read on its first invocation). */
export type SweepHandler = (event: unknown, context?: InvocationContext) => Promise<SweepResult | SkippedSweep>;

/**
 * The composition root: EventBridge scheduled event in, one sweep, metrics out. The environment is
 * parsed on the first invocation, so a bad variable fails it with a message that names the variable;
 * SDK clients are created then too and reused by later invocations.
 */
export function createHandler(variables: () => Readonly<Record<string, string | undefined>>): SweepHandler {
  let runtime: Runtime | undefined;
  return async (event, context) => {
    if (!runtime) {
      const environment = parseEnvironment(variables());
      runtime = { environment, clients: new AwsClients(environment.configMaxAttempts), pacers: new Map() };
    }
    const started = Date.now();
    return sweepOnce(runtime, sweepIdFrom(event), {
      started,
      scheduledAt: scheduledTimeOf(event, new Date(started)).getTime(),
      timeLimitMs: context?.getRemainingTimeInMillis() ?? DEFAULT_TIME_LIMIT_MS,
    });
  };
}

/** The Lambda entry point. */
export const handler: SweepHandler = createHandler(() => process.env);

interface InvocationTimes {
  /** When the invocation began (ms). */
  readonly started: number;
  /** When the event that started it was scheduled (ms): the next sweep is one interval later. */
  readonly scheduledAt: number;
  readonly timeLimitMs: number;
}

async function sweepOnce(runtime: Runtime, sweepId: string, { started, scheduledAt, timeLimitMs }: InvocationTimes): Promise<SweepResult | SkippedSweep> {
  const { environment, clients } = runtime;
  logger.appendKeys({ sweepId });
  const counters = newSweepCounters();
  let ending: SweepEnding = { outcome: 'failed' };
  const inventoryCounters = newSweepCounters();
  let inventory: InventoryReport | undefined;
  try {
    const outcome = await runExclusiveSweep(
      sweepId,
      {
        regions: environment.regions,
        reminderIntervalMs: environment.reminderIntervalSeconds * 1000,
        regionConcurrency: environment.regionConcurrency,
        packConcurrency: environment.packConcurrency,
        stuckAfterMs: environment.stuckAfterSeconds * 1000,
        muteRules: environment.muteRules,
        deadline: new Date(started + timeLimitMs - Math.min(PUBLISH_RESERVE_MS, timeLimitMs / 5)),
        fullReadIntervalMs: environment.fullReadIntervalSeconds * 1000,
      },
      {
        source: statusSource(runtime, counters),
        store: new DynamoDbStateStore({
          client: clients.documentClient(),
          tableName: environment.tableName,
          onInvalidItem: (problem) => logger.warn('Skipped an invalid state item', { problem }),
        }),
        notifier: new SnsNotifier({ client: clients.snsClient(), topicArn: environment.topicArn }),
        ...(environment.eventBus
          ? { eventBus: new EventBridgeChangeBus({ client: clients.eventBridgeClient(), eventBusName: environment.eventBus }) }
          : {}),
        clock: systemClock,
        log: sweepLog,
        counters,
        lease: new DynamoDbSweepLease({ client: clients.documentClient(), tableName: environment.tableName }),
        leaseOwner: `${sweepId}#${randomUUID()}`,
        leaseDurationMs: timeLimitMs + LEASE_MARGIN_MS,
        ...(environment.inventoryIntervalSeconds > 0
          ? {
              afterSweep: async () => {
                inventory = await inventoryAfterSweep(runtime, inventoryCounters, { started, scheduledAt, timeLimitMs });
              },
            }
          : {}),
      },
    );
    if (outcome.outcome === 'skipped') {
      ending = { outcome: 'skipped' };
      return { sweepId, skipped: true };
    }
    const { report } = outcome;
    ending = { outcome: 'succeeded', report };
    // Every number of the sweep, the per-region list last (Logs Insights discovers only the first 200 fields of a
    // JSON line); the dashboard graphs from this line what is not a metric.
    logger.info(SWEEP_FINISHED_MESSAGE, {
      summary: summarize(report.changes, report.failingAccounts),
      counters,
      messagesPublished: report.messagesPublished,
      packsSwept: report.packsSwept,
      packsSkipped: report.packsSkipped,
      packsDeferred: report.packsDeferred,
      durationMs: report.durationMs,
      regions: report.regions,
    });
    return { ...report, skipped: false, counters, ...(inventory ? { inventory: { ...inventory, counters: inventoryCounters } } : {}) };
  } catch (error) {
    logger.error(SWEEP_FAILED_MESSAGE, { ...errorAttributes(error), counters });
    throw error;
  } finally {
    // The inventory's calls, throttles, errors and malformed records count with the sweep's: same limit, same data.
    const invocationCounters: SweepCounters = {
      apiCalls: counters.apiCalls + inventoryCounters.apiCalls,
      throttles: counters.throttles + inventoryCounters.throttles,
      sweepErrors: counters.sweepErrors + inventoryCounters.sweepErrors,
      malformedRecords: counters.malformedRecords + inventoryCounters.malformedRecords,
      deferredPacks: counters.deferredPacks,
    };
    publishMetrics(sweepMetrics(ending, invocationCounters, Date.now() - started, environment.detailedMetrics));
  }
}

function publishMetrics(values: readonly MetricValue[]): void {
  for (const { name, unit, value, region } of values) {
    const metricUnit = unit === 'Milliseconds' ? MetricUnit.Milliseconds : MetricUnit.Count;
    if (region === undefined) {
      metrics.addMetric(name, metricUnit, value);
    } else {
      // A document of its own: its dimensions differ from the sweep's.
      const perRegion = metrics.singleMetric();
      perRegion.addDimension(REGION_DIMENSION, region);
      perRegion.addMetric(name, metricUnit, value);
    }
  }
  metrics.publishStoredMetrics();
}

/**
 * The inventory, run under the sweep's lease once the sweep is done, reading only until shortly before the
 * next scheduled sweep and the invocation's end. Through the same pacers as the sweep, so together they keep
 * to each region's rate.
 */
async function inventoryAfterSweep(runtime: Runtime, counters: SweepCounters, times: InvocationTimes): Promise<InventoryReport> {
  const { environment, clients } = runtime;
  const window = inventoryWindow({
    sweepStartedAt: new Date(times.scheduledAt),
    sweepIntervalMs: environment.sweepIntervalSeconds * 1000,
    invocationEndsAt: new Date(times.started + times.timeLimitMs),
  });
  const report = await runInventory(
    {
      regions: environment.regions,
      regionConcurrency: environment.regionConcurrency,
      packConcurrency: environment.packConcurrency,
      intervalMs: environment.inventoryIntervalSeconds * 1000,
      stopAt: window.stopAt,
      abortAt: window.abortAt,
    },
    {
      source: statusSource(runtime, counters),
      store: new DynamoDbInventoryStore({
        client: clients.documentClient(),
        tableName: environment.tableName,
        onInvalidItem: (problem) => logger.warn('Skipped an invalid inventory checkpoint; the inventory starts over', { problem }),
      }),
      recorder: accountsByStatusRecorder,
      clock: systemClock,
      log: sweepLog,
      counters,
    },
  );
  if (report.regions.some((region) => region.state !== 'not-due')) {
    logger.info('Inventory finished for now', { regions: report.regions, counters, stopAt: window.stopAt.toISOString() });
  }
  return report;
}

/**
 * The packs of the calling account and, through each source role, of the accounts that deployed
 * packs of their own (a delegated administrator). Each account and region is paced on its own.
 */
function statusSource({ environment, clients, pacers }: Runtime, counters: SweepCounters) {
  const sourceFor = (roleArn?: string) =>
    new ConfigStatusSource({
      clientFor: (region) => clients.configFor(region, roleArn),
      pacerFor: (region) => {
        const key = `${region}|${roleArn ?? ''}`;
        let pacer = pacers.get(key);
        if (!pacer) pacers.set(key, (pacer = new CallPacer(environment.configCallsPerSecond)));
        return pacer;
      },
      counters,
      onMalformedRecord: (region, conformancePack, problem) =>
        logger.warn('Skipped a malformed detailed status record', { region, conformancePack, problem }),
    });
  if (environment.sourceRoleArns.length === 0) return sourceFor();
  return new MultiAccountStatusSource([
    { source: sourceFor() },
    ...environment.sourceRoleArns.map((roleArn) => ({ sourceAccount: ROLE_ARN.exec(roleArn)![1]!, source: sourceFor(roleArn) })),
  ]);
}
