import type { MuteRule } from '../lambda/domain/mute-rules.js';
import { toEnvironmentVariables } from '../lambda/env.js';
import type { SweepResult } from '../lambda/handler.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../lambda/observability-names.js';
import { startEmulatedAws, type EmulatedAws } from './emulated-aws.js';
import type { Scenario } from './scenario.js';
import type { RecordedEvent } from './eventbridge-sink.js';
import type { PublishedMessage } from './sns-sink.js';
import type { SimulatorFaultsPatch } from './simulator-faults.js';

export interface LocalMonitorOptions {
  readonly scenario: Scenario;
  readonly faults?: SimulatorFaultsPatch;
  /** 0 disables reminders. @default 86400 */
  readonly reminderIntervalSeconds?: number;
  /** @default every region of the scenario */
  readonly regions?: readonly string[];
  /** @default 8, as deployed */
  readonly configMaxAttempts?: number;
  /** AWS Config calls per second the sweep paces itself to. @default 1000 (no pacing to speak of) */
  readonly configCallsPerSecond?: number;
  /** 0 reads every pack in full every sweep. @default 0 */
  readonly fullReadIntervalSeconds?: number;
  /** Roles whose packs are read too (a delegated administrator). @default none */
  readonly sourceRoleArns?: readonly string[];
  /** 0 disables STUCK alerts. @default 0 */
  readonly stuckAfterSeconds?: number;
  /** @default none */
  readonly muteRules?: readonly MuteRule[];
  /**
   * How often the inventory (every account's status counted, AccountsByStatus) runs after a sweep; 0 turns it
   * off. @default 0: the local story and most tests are about the sweep's own calls
   */
  readonly inventoryIntervalSeconds?: number;
  /** The time between two scheduled sweeps: the inventory stops a margin before the next. @default 3600, as deployed */
  readonly sweepIntervalSeconds?: number;
  /** The EventBridge bus each change is put on; "none" turns events off. @default 'default' (the emulated bus), as deployed */
  readonly eventBus?: string;
  /** Send every per-sweep number as a metric, not only the essential ones. @default false, as deployed */
  readonly detailedMetrics?: boolean;
}

export interface LocalSweep {
  readonly result: SweepResult;
  /** What this sweep published to SNS. */
  readonly published: readonly PublishedMessage[];
  /** What this sweep put on the emulated EventBridge (accepted entries). */
  readonly events: readonly RecordedEvent[];
}

export interface LocalMonitor {
  readonly aws: EmulatedAws;
  /** The variables the real handler runs with: the stack's schema plus the standard SDK endpoint variables. */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * Invokes the real Lambda handler with a scheduled event, as EventBridge would; `scheduledAt` is the event's
   * time (the next sweep is one interval later). @default now
   */
  sweep(scheduledAt?: Date): Promise<LocalSweep>;
  stop(): Promise<void>;
}

/**
 * The real monitor (the Lambda handler, unchanged) wired to emulated AWS on loopback through the
 * standard SDK environment variables: what `npm start` and the integration tests run.
 * The handler reads its environment from process.env, so only one local monitor may run per process.
 */
export async function startLocalMonitor(options: LocalMonitorOptions): Promise<LocalMonitor> {
  const aws = await startEmulatedAws({ scenario: options.scenario, ...(options.faults ? { faults: options.faults } : {}) });
  const environment: Record<string, string> = {
    ...aws.environment,
    ...toEnvironmentVariables({
      tableName: aws.tableName,
      topicArn: aws.topicArn,
      regions: options.regions ?? Object.keys(options.scenario.regions),
      reminderIntervalSeconds: options.reminderIntervalSeconds ?? 86_400,
      regionConcurrency: 4,
      packConcurrency: 4,
      configMaxAttempts: options.configMaxAttempts ?? 8,
      stuckAfterSeconds: options.stuckAfterSeconds ?? 0,
      configCallsPerSecond: options.configCallsPerSecond ?? 1000,
      fullReadIntervalSeconds: options.fullReadIntervalSeconds ?? 0,
      sourceRoleArns: options.sourceRoleArns ?? [],
      muteRules: options.muteRules ?? [],
      eventBus: options.eventBus ?? 'default',
      detailedMetrics: options.detailedMetrics ?? false,
      inventoryIntervalSeconds: options.inventoryIntervalSeconds ?? 0,
      sweepIntervalSeconds: options.sweepIntervalSeconds ?? 3600,
    }),
    POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
  };
  const restore = applyEnvironment(environment);
  try {
    // Imported only now, so the module's Powertools and SDK set-up see this environment.
    const { createHandler } = await import('../lambda/handler.js');
    const handler = createHandler(() => process.env);
    let sweeps = 0;
    return {
      aws,
      environment,
      async sweep(scheduledAt) {
        sweeps += 1;
        const before = aws.sns.published().length;
        const eventsBefore = aws.eventBridge.events().length;
        const result = await handler(scheduledEvent(sweeps, scheduledAt));
        // Local sweeps run one at a time, so the lease is always free; a skip would be a bug.
        if (result.skipped) throw new Error(`Local sweep ${result.sweepId} was skipped: the sweep lease was held`);
        return { result, published: aws.sns.published().slice(before), events: aws.eventBridge.events().slice(eventsBefore) };
      },
      async stop() {
        restore();
        await aws.stop();
      },
    };
  } catch (error) {
    restore();
    await aws.stop();
    throw error;
  }
}

/** What EventBridge sends on a schedule. */
export function scheduledEvent(sequence: number, time = new Date()) {
  return {
    version: '0',
    id: `local-sweep-${sequence}-${time.getTime()}`,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: time.toISOString(),
    region: process.env.AWS_REGION ?? 'us-east-1',
    resources: ['arn:aws:events:us-east-1:000000000000:rule/packwatch-local'],
    detail: {},
  };
}

/** Sets variables on process.env and returns how to put the previous values back. */
function applyEnvironment(variables: Readonly<Record<string, string>>): () => void {
  const previous = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  Object.assign(process.env, variables);
  return () => {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
