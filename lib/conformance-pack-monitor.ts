import * as path from 'node:path';
import { Arn, Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { STATE_TABLE_KEY } from '../lambda/adapters/state-table.js';
import type { MuteRule } from '../lambda/domain/mute-rules.js';
import { toEnvironmentVariables } from '../lambda/env.js';
import { ChatChannels, type SlackChannel, type TeamsChannel } from './chat-channels.js';
import { scheduleIntervalSeconds } from './config.js';
import { SweepMonitoring } from './sweep-monitoring.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../lambda/observability-names.js';

/** Enough for a mass failure of 25,000 changes in one sweep (about 185 MB peak), and half the cost of 512. */
const DEFAULT_MEMORY_SIZE_MB = 256;

/** The AWS Config read actions the sweep calls: nothing else. */
export const CONFIG_READ_ACTIONS = [
  'config:DescribeOrganizationConformancePacks',
  'config:DescribeOrganizationConformancePackStatuses',
  'config:GetOrganizationConformancePackDetailedStatus',
] as const;

export interface ConformancePackMonitorProps {
  /**
   * Regions whose organization conformance packs are swept (packs are regional).
   * @default - the stack's own region
   */
  readonly regions?: readonly string[];
  /**
   * Email addresses subscribed to the alerts topic; each must confirm the subscription.
   * @default - no email subscription
   */
  readonly alertEmails?: readonly string[];
  /**
   * How often the sweep runs.
   * @default events.Schedule.rate(Duration.hours(1))
   */
  readonly schedule?: events.Schedule;
  /**
   * How long after an alert a failure that persists is alerted again as a reminder; zero disables reminders.
   * @default Duration.hours(24)
   */
  readonly reminderInterval?: Duration;
  /**
   * An account whose deployment stays *_IN_PROGRESS this long is alerted once as STUCK; zero disables
   * (and saves three Config calls per pack and sweep).
   * @default Duration.hours(6)
   */
  readonly stuckAfter?: Duration;
  /**
   * Failures kept out of email and chat (still recorded, counted in the log line "Sweep finished" as summary.muted and listed in the JSON alert).
   * @default - nothing muted
   */
  readonly muteRules?: readonly MuteRule[];
  /**
   * Put each change on the account's default EventBridge bus (source `packwatch`).
   * @default true
   */
  readonly eventBridge?: boolean;
  /**
   * A Slack channel (AWS Chatbot) subscribed to the alerts, with a read-only guardrail.
   * @default - no Slack channel
   */
  readonly slack?: SlackChannel;
  /**
   * A Microsoft Teams channel (AWS Chatbot) subscribed to the alerts, with a read-only guardrail.
   * @default - no Teams channel
   */
  readonly teams?: TeamsChannel;
  /**
   * Regions swept at the same time. Each region has its own AWS Config limit and its own pacing, so
   * sweeping them all at once costs no extra throttling and shortens the invocation.
   * @default - the number of regions, at most 32
   */
  readonly regionConcurrency?: number;
  /**
   * Packs (and account rechecks) read at the same time within one region.
   * @default 4
   */
  readonly packConcurrency?: number;
  /**
   * Roles in other accounts whose organization conformance packs are swept too: a delegated
   * administrator sees only the packs it deployed, and the management account only its own.
   * The function may assume exactly these roles (see `SourceReadRole` for the role itself).
   * @default - only the packs of this account
   */
  readonly sourceRoleArns?: readonly string[];
  /**
   * A fixed name for the sweep function's role, so a source role in another account can trust it by ARN.
   * @default - a generated name
   */
  readonly sweepRoleName?: string;
  /**
   * AWS Config calls per second and region the sweep paces itself to (AWS publishes no limit; lower it
   * if the dashboard shows throttles: counters.throttles in the "Sweep finished" log line).
   * @default 10
   */
  readonly configCallsPerSecond?: number;
  /**
   * How often every pack is read in full. In between, packs whose summary status is *_SUCCESSFUL and
   * that have nothing recorded are skipped (summaries can lag, so they never prove a recovery).
   * Zero reads every pack in full on every sweep.
   * @default Duration.hours(6)
   */
  readonly fullReadInterval?: Duration;
  /**
   * Send every per-sweep number (changes by kind, packs, Config calls and throttles, errors, duration, failing
   * accounts per region) as a CloudWatch custom metric. Off, only the few the alarms and the dashboard's main graph
   * need are sent (each custom metric costs $0.30 a month); every number is in the "Sweep finished" log line either way.
   * @default false
   */
  readonly detailedMetrics?: boolean;
  /**
   * How often every account's deployment status of every pack is counted (the inventory: unfiltered reads,
   * about 100 accounts per call) to send the `AccountsByStatus` metrics per region, pack and status. It runs
   * after the failure sweep, in the time left before the next scheduled sweep (so it never delays one),
   * paced with the sweep, and continues over as many invocations as it needs. Zero turns it off.
   * @default Duration.days(1)
   */
  readonly inventoryInterval?: Duration;
  /**
   * Attempts per AWS Config request, throttling retries included (adaptive retry mode).
   * @default 8
   */
  readonly configMaxAttempts?: number;
  /**
   * Concurrent executions reserved for the sweep. One sweep at a time is also enforced by a lease
   * in the table; the reservation keeps a burst of invokes from even starting.
   * @default 1
   */
  readonly reservedConcurrency?: number;
  /**
   * The sweep function's timeout.
   * @default Duration.minutes(15)
   */
  readonly timeout?: Duration;
  /**
   * The sweep function's memory, in MB. At the default, a sweep with 25,000 changes at once (5% of
   * 50 packs × 10,000 accounts failing) peaks at about 185 MB under the heap limits Lambda derives from it (bench/RESULTS.md).
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * How long the sweep's logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Email addresses subscribed to a separate operations topic (encrypted with the monitor's key, TLS only) that
   * receives the alarms about the monitor itself; each must confirm the subscription.
   * @default - no operations topic: the alarms go to the alerts topic
   */
  readonly operationsEmails?: readonly string[];
  /**
   * The time between two scheduled sweeps, from which the alarm windows are derived (at most 84 hours); the
   * inventory also stops a margin before the next sweep is due. Set it with a `cron(…)` schedule that runs
   * more often than daily, or the inventory may run into the next sweep (which then skips, finding the lease held).
   * @default - the rate of `schedule`; one day when `schedule` is a cron expression
   */
  readonly sweepInterval?: Duration;
}

/**
 * Watches the deployment of every AWS Config organization conformance pack to every member account and
 * alerts through SNS when accounts are in CREATE_FAILED, UPDATE_FAILED or DELETE_FAILED.
 */
export class ConformancePackMonitor extends Construct {
  /** Alerts (schema packwatch.alert/1); subscribe email, AWS Chatbot, SQS or Lambda to it. */
  readonly alertsTopic: sns.Topic;
  /** Last known failure per (region, pack, account). */
  readonly stateTable: dynamodb.Table;
  readonly sweepFunction: NodejsFunction;
  readonly schedule: events.Rule;
  /** Encrypts the table, the topic and the dead-letter queue; rotated yearly. */
  readonly key: kms.Key;
  /** Failed asynchronous invocations, after Lambda's retries. */
  readonly deadLetterQueue: sqs.Queue;
  /** AWS Chatbot channels, when Slack or Teams is configured. */
  readonly chatChannels?: ChatChannels;
  /** The dashboard and the alarms that watch the monitor itself. */
  readonly monitoring: SweepMonitoring;

  constructor(scope: Construct, id: string, props: ConformancePackMonitorProps = {}) {
    super(scope, id);

    // One customer managed key for everything Packwatch keeps or sends: the table, the topic, the dead-letter queue.
    this.key = new kms.Key(this, 'Key', {
      description: 'Packwatch: encrypts the state table, the alerts topic and the dead-letter queue',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.stateTable = new dynamodb.Table(this, 'StateTable', {
      partitionKey: { name: STATE_TABLE_KEY.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: STATE_TABLE_KEY.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      // Losing the state would re-alert every failure: keep it when the stack goes.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.alertsTopic = new sns.Topic(this, 'AlertsTopic', {
      displayName: 'Packwatch conformance pack alerts',
      masterKey: this.key,
      enforceSSL: true,
    });

    // Invocations that still fail after Lambda's own retries land here, so none is lost unseen.
    this.deadLetterQueue = new sqs.Queue(this, 'SweepDeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter destination of the sweep function; a dead-letter queue of a dead-letter queue adds nothing.',
    });
    for (const email of props.alertEmails ?? []) {
      this.alertsTopic.addSubscription(new subscriptions.EmailSubscription(email));
    }

    const logGroup = new logs.LogGroup(this, 'SweepLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const role = new iam.Role(this, 'SweepRole', {
      ...(props.sweepRoleName ? { roleName: props.sweepRoleName } : {}),
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Packwatch sweep: reads organization conformance pack status, keeps its state, publishes alerts',
    });
    // Exactly the actions the code calls. The Config organization read actions have no resource-level permissions.
    role.addToPolicy(new iam.PolicyStatement({ actions: [...CONFIG_READ_ACTIONS], resources: ['*'] }));
    role.addToPolicy(
      new iam.PolicyStatement({
        // GetItem for the region bookkeeping, Query and BatchWriteItem for the failure records, PutItem (bookkeeping,
        // lease) and DeleteItem for the sweep lease.
        actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        resources: [this.stateTable.tableArn],
      }),
    );
    role.addToPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [this.alertsTopic.topicArn] }));
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
    );
    const eventBusArn = Arn.format({ service: 'events', resource: 'event-bus', resourceName: 'default' }, Stack.of(this));
    if (props.eventBridge ?? true) {
      role.addToPolicy(new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [eventBusArn] }));
    }
    if (props.sourceRoleArns && props.sourceRoleArns.length > 0) {
      role.addToPolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [...props.sourceRoleArns] }));
    }
    // DynamoDB, SNS and SQS (the Lambda destination) call the key on the function's behalf.
    this.key.grantEncryptDecrypt(role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'config:DescribeOrganizationConformancePacks, config:DescribeOrganizationConformancePackStatuses and ' +
        'config:GetOrganizationConformancePackDetailedStatus support no resource-level permissions (Service Authorization ' +
        'Reference), so "*" is the only resource they accept; only these three read actions have it.',
    });
    for (const action of ['kms:ReEncrypt*', 'kms:GenerateDataKey*']) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason:
          "CDK's standard encrypt/decrypt grant on Packwatch's own key only (resource is that key's ARN): DynamoDB, SNS and SQS " +
          'choose among GenerateDataKey, GenerateDataKeyWithoutPlaintext and ReEncrypt variants themselves.',
      });
    }

    const reminderInterval = props.reminderInterval ?? Duration.hours(24);
    const sweepInterval =
      props.sweepInterval ??
      Duration.seconds(scheduleIntervalSeconds((props.schedule ?? events.Schedule.rate(Duration.hours(1))).expressionString));
    this.sweepFunction = new NodejsFunction(this, 'SweepFunction', {
      entry: path.join(__dirname, '..', 'lambda', 'handler.ts'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: props.timeout ?? Duration.minutes(15),
      memorySize: props.memorySize ?? DEFAULT_MEMORY_SIZE_MB,
      reservedConcurrentExecutions: props.reservedConcurrency ?? 1,
      role,
      logGroup,
      description: 'Packwatch: sweeps organization conformance pack deployments and alerts on failures',
      environment: {
        ...toEnvironmentVariables({
          tableName: this.stateTable.tableName,
          topicArn: this.alertsTopic.topicArn,
          regions: props.regions ?? [Aws.REGION],
          reminderIntervalSeconds: reminderInterval.toSeconds(),
          regionConcurrency: props.regionConcurrency ?? Math.min(32, Math.max(1, props.regions?.length ?? 1)),
          packConcurrency: props.packConcurrency ?? 4,
          configMaxAttempts: props.configMaxAttempts ?? 8,
          stuckAfterSeconds: (props.stuckAfter ?? Duration.hours(6)).toSeconds(),
          muteRules: props.muteRules ?? [],
          ...((props.eventBridge ?? true) ? { eventBus: 'default' } : {}),
          configCallsPerSecond: props.configCallsPerSecond ?? 10,
          fullReadIntervalSeconds: (props.fullReadInterval ?? Duration.hours(6)).toSeconds(),
          sourceRoleArns: props.sourceRoleArns ?? [],
          detailedMetrics: props.detailedMetrics ?? false,
          inventoryIntervalSeconds: (props.inventoryInterval ?? Duration.days(1)).toSeconds(),
          // The inventory stops before the next scheduled sweep: it needs to know when that is.
          sweepIntervalSeconds: sweepInterval.toSeconds(),
        }),
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
      bundling: {
        // The SDK is bundled: the deployed code runs the versions the tests ran.
        externalModules: [],
        format: OutputFormat.CJS,
        // Node 20 runs this output too, so the bundle can be exercised locally.
        target: 'node20',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        forceDockerBundling: false,
      },
    });

    this.sweepFunction.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
    });

    if (props.slack || props.teams) {
      this.chatChannels = new ChatChannels(this, 'ChatChannels', {
        topic: this.alertsTopic,
        ...(props.slack ? { slack: props.slack } : {}),
        ...(props.teams ? { teams: props.teams } : {}),
      });
    }

    this.schedule = new events.Rule(this, 'SweepSchedule', {
      description: 'Packwatch: runs the conformance pack sweep',
      schedule: props.schedule ?? events.Schedule.rate(Duration.hours(1)),
      targets: [new targets.LambdaFunction(this.sweepFunction)],
    });

    // CloudWatch encrypts alarm notifications for the topics under this key itself, as the service principal.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToUseTheKeyForEncryptedTopics',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.monitoring = new SweepMonitoring(this, 'Monitoring', {
      sweepFunction: this.sweepFunction,
      stateTable: this.stateTable,
      alertsTopic: this.alertsTopic,
      deadLetterQueue: this.deadLetterQueue,
      logGroup,
      encryptionKey: this.key,
      sweepInterval,
      sweepTimeout: props.timeout ?? Duration.minutes(15),
      ...(props.operationsEmails ? { operationsEmails: props.operationsEmails } : {}),
    });
  }
}
