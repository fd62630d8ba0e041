import { ConfigSimulator } from './config-simulator';
import { startDynamoDb, type LocalDynamoDb } from './dynamodb-local';
import { EventBridgeSink } from './eventbridge-sink';
import { validateScenario, type Scenario } from './scenario';
import type { SimulatorFaultsPatch } from './simulator-faults';
import { SnsSink } from './sns-sink';

export interface EmulatedAwsOptions {
  readonly scenario: Scenario;
  /** Default "packwatch-state". */
  readonly tableName?: string;
  /** Default "packwatch-alerts". */
  readonly topicName?: string;
  /** Applied on top of the scenario's faults. */
  readonly faults?: SimulatorFaultsPatch;
}

export interface EmulatedAws {
  readonly config: ConfigSimulator;
  readonly sns: SnsSink;
  readonly dynamodb: LocalDynamoDb;
  /** EventBridge PutEvents, with the account's "default" bus. */
  readonly eventBridge: EventBridgeSink;
  /** arn:aws:sns:<first scenario region>:000000000000:<topicName>; the only topic the sink accepts. */
  readonly topicArn: string;
  readonly tableName: string;
  /** Standard AWS SDK variables pointing every client at the emulators. */
  readonly environment: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/** Account that owns the emulated topic, as in LocalStack-style ARNs. */
const LOCAL_ACCOUNT_ID = '000000000000';

/**
 * Everything Packwatch talks to, on loopback: AWS Config (the scenario's organization), SNS
 * (recording alerts), DynamoDB (the state table) and EventBridge (recording change events). The returned `environment` uses only the
 * SDK's standard variables, so the unmodified Lambda code runs against it.
 */
export async function startEmulatedAws(options: EmulatedAwsOptions): Promise<EmulatedAws> {
  const scenario = validateScenario(options.scenario);
  const region = Object.keys(scenario.regions)[0]!;
  const tableName = options.tableName ?? 'packwatch-state';
  const topicArn = `arn:aws:sns:${region}:${LOCAL_ACCOUNT_ID}:${options.topicName ?? 'packwatch-alerts'}`;

  const started = await Promise.allSettled([
    ConfigSimulator.start({ scenario, ...(options.faults && { faults: options.faults }) }),
    SnsSink.start({ topics: [topicArn] }),
    startDynamoDb({ tableName, region }),
    EventBridgeSink.start(),
  ] as const);
  const [config, sns, dynamodb, eventBridge] = started;
  if (config.status === 'rejected' || sns.status === 'rejected' || dynamodb.status === 'rejected' || eventBridge.status === 'rejected') {
    // Do not leak the servers that did start.
    await Promise.all(started.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)));
    const failure = started.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    throw failure.reason;
  }

  const environment = {
    AWS_ENDPOINT_URL_CONFIG_SERVICE: config.value.url,
    AWS_ENDPOINT_URL_SNS: sns.value.url,
    AWS_ENDPOINT_URL_DYNAMODB: dynamodb.value.url,
    AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.value.url,
    AWS_ACCESS_KEY_ID: 'packwatch-local',
    AWS_SECRET_ACCESS_KEY: 'packwatch-local',
    AWS_REGION: region,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  let stopping: Promise<void> | undefined;
  return {
    config: config.value,
    sns: sns.value,
    dynamodb: dynamodb.value,
    eventBridge: eventBridge.value,
    topicArn,
    tableName,
    environment,
    stop: () => {
      stopping ??= Promise.all([config.value.stop(), sns.value.stop(), dynamodb.value.stop(), eventBridge.value.stop()]).then(() => undefined);
      return stopping;
    },
  };
}
