import { ArnFormat, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { BillingMode } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  AxisPosition,
  DefaultDashboardFactory,
  MetricStatistic,
  MonitoringFacade,
  SnsAlarmActionStrategy,
  type AlarmWithAnnotation,
  type CustomMetric,
  type CustomMetricGroup,
  type MetricWithAlarmSupport,
} from 'cdk-monitoring-constructs';
import { Construct } from 'constructs';
import {
  ESSENTIAL_METRICS,
  METRICS_NAMESPACE,
  PACK_SWEPT_MESSAGE,
  REGION_SWEPT_MESSAGE,
  SERVICE_NAME,
  SWEEP_FAILED_MESSAGE,
  SWEEP_FINISHED_MESSAGE,
} from '../lambda/observability-names.js';
import { MAX_SWEEP_INTERVAL_SECONDS } from './config.js';

export { PACK_SWEPT_MESSAGE, REGION_SWEPT_MESSAGE, SWEEP_FINISHED_MESSAGE };

export interface SweepMonitoringProps {
  /** The sweep function: its errors and duration are graphed, and any error alarms. */
  readonly sweepFunction: lambda.IFunction;
  /** The state table: graphed (capacity, latency, throttles, system errors). */
  readonly stateTable: dynamodb.ITable;
  /** The alerts topic: graphed; it receives the alarms unless `operationsEmails` is given. */
  readonly alertsTopic: sns.ITopic;
  /** The sweep's dead-letter queue: alarms as soon as it holds a message. */
  readonly deadLetterQueue: sqs.IQueue;
  /** The sweep's log group: the Logs Insights widgets (by pack, by region, recent errors) query it. */
  readonly logGroup: logs.ILogGroup;
  /**
   * The customer managed key that encrypts the alerts topic; it also encrypts the operations topic. Its key policy
   * must let `cloudwatch.amazonaws.com` use it (kms:Decrypt, kms:GenerateDataKey*), or alarm notifications are dropped.
   */
  readonly encryptionKey: kms.IKey;
  /**
   * The time between two scheduled sweeps; the alarm windows are derived from it. At most 84 hours: "no
   * successful sweep in two intervals" must fit CloudWatch's 7-day evaluation limit.
   * @default Duration.hours(1)
   */
  readonly sweepInterval?: Duration;
  /**
   * The sweep function's timeout, drawn as a line on the sweep duration graph.
   * @default - no line
   */
  readonly sweepTimeout?: Duration;
  /**
   * Email addresses subscribed to a separate operations topic (encrypted with `encryptionKey`, TLS only) that then
   * receives the alarms instead of the alerts topic.
   * @default - no operations topic: the alarms go to the alerts topic
   */
  readonly operationsEmails?: readonly string[];
  /**
   * Start of every alarm name (alarm names are unique per account and region).
   * @default - the stack name and the construct path to this construct's parent, joined with "-"
   */
  readonly alarmNamePrefix?: string;
  /**
   * The dashboard's name (dashboard names are unique per account, across regions).
   * @default - the alarm name prefix and the stack's region, joined with "-"
   */
  readonly dashboardName?: string;
  /**
   * The time range the dashboard opens with.
   * @default Duration.days(7)
   */
  readonly dashboardRange?: Duration;
}

/** One alarm's evaluation: `datapointsToAlarm` breaching periods among the last `evaluationPeriods` of `period`. */
export interface AlarmWindow {
  readonly period: Duration;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

/** The periods the sweep's own alarms and graphs use, derived from the time between two sweeps. */
export interface SweepAlarmWindows {
  /** `SweepSucceeded` Sum < 1 in every period of two sweep intervals. */
  readonly noSuccessfulSweep: AlarmWindow;
  /** `SweepIncomplete` ≥ 1 in three consecutive sweeps. */
  readonly sweepsIncomplete: AlarmWindow;
  /** The period of the per-sweep graphs: one sweep per point where the interval allows it. */
  readonly graphPeriod: Duration;
}

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;
/** CloudWatch's limits on period × evaluation periods: one day for periods under an hour, seven days otherwise. */
const MAX_EVALUATION_RANGE_SHORT_PERIODS = DAY;
const MAX_EVALUATION_RANGE = 7 * DAY;
/** Alarms on AWS service metrics (function errors, dead-letter queue) look at five-minute periods. */
const SERVICE_ALARM_PERIOD = Duration.minutes(5);

/**
 * The alarm windows for a sweep every `sweepInterval`. A period is one interval (at most a day, the longest
 * period used here), so "no successful sweep in two intervals" is two consecutive empty periods and "incomplete
 * three times in a row" three consecutive incomplete periods; for intervals over a day, day-long periods cover the
 * same window. Every window respects CloudWatch's evaluation range limits.
 */
export function sweepAlarmWindows(sweepInterval: Duration): SweepAlarmWindows {
  const interval = Math.ceil(sweepInterval.toSeconds() / MINUTE) * MINUTE;
  if (interval < MINUTE || interval > MAX_SWEEP_INTERVAL_SECONDS) {
    throw new Error(
      `sweepInterval (${sweepInterval.toHumanString()}) must be between 1 minute and 84 hours: the "no successful sweep in two intervals" alarm cannot look back further than CloudWatch's 7 days`,
    );
  }
  const periodSeconds = Math.min(interval, DAY);
  const maxRange = periodSeconds < HOUR ? MAX_EVALUATION_RANGE_SHORT_PERIODS : MAX_EVALUATION_RANGE;
  const period = Duration.seconds(periodSeconds);

  const heartbeatPeriods = Math.ceil((2 * interval) / periodSeconds);
  const incompletePeriods = Math.min(Math.ceil((3 * interval) / periodSeconds), Math.floor(maxRange / periodSeconds));
  const sweepsInIncompleteWindow = Math.max(1, Math.floor((incompletePeriods * periodSeconds) / interval));
  return {
    noSuccessfulSweep: { period, evaluationPeriods: heartbeatPeriods, datapointsToAlarm: heartbeatPeriods },
    sweepsIncomplete: { period, evaluationPeriods: incompletePeriods, datapointsToAlarm: Math.min(3, sweepsInIncompleteWindow) },
    graphPeriod: Duration.seconds(Math.min(Math.max(interval, 5 * MINUTE), DAY)),
  };
}

/**
 * Watches the monitor itself: a CloudWatch dashboard of the sweep (failing accounts by region and by pack, changes
 * per sweep, duration, AWS Config calls and throttles, errors and incomplete sweeps, and the function, table, topic
 * and dead-letter queue) and four alarms that tell operations when Packwatch stops watching.
 *
 * Built with cdklabs' `MonitoringFacade` (cdk-monitoring-constructs): the standard Lambda, DynamoDB, SNS and SQS
 * sections come from it, and Packwatch's few custom metrics (ESSENTIAL_METRICS: what the alarms and the main graph
 * need) go through its custom-metric support. Every other per-sweep number is graphed by Logs Insights from the
 * sweep's log lines, which costs nothing until the dashboard is opened (custom metrics cost $0.30 each a month);
 * those widgets are plain `aws-cloudwatch` (the facade's log section lists matching lines but cannot run
 * `stats … by`), added to the facade's dashboard through `addWidget`.
 */
export class SweepMonitoring extends Construct {
  /** The facade that built the dashboard and alarms; add more sections to it if you embed the monitor. */
  readonly facade: MonitoringFacade;
  readonly dashboard: cloudwatch.Dashboard;
  /** Where the alarms are sent: the operations topic when there is one, else the alerts topic. */
  readonly alarmTopic: sns.ITopic;
  /** The operations topic, when `operationsEmails` was given. */
  readonly operationsTopic?: sns.Topic;
  /** Any error of the sweep function in five minutes. */
  readonly functionErrorsAlarm: cloudwatch.AlarmBase;
  /** No successful sweep in two sweep intervals (missing data breaches). */
  readonly noSuccessfulSweepAlarm: cloudwatch.AlarmBase;
  /** The dead-letter queue holds at least one failed invocation. */
  readonly deadLetterQueueAlarm: cloudwatch.AlarmBase;
  /** Sweeps ran out of time (packs deferred) several times in a row. */
  readonly sweepsIncompleteAlarm: cloudwatch.AlarmBase;
  /** The alarm windows derived from the sweep interval. */
  readonly windows: SweepAlarmWindows;

  constructor(scope: Construct, id: string, props: SweepMonitoringProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const sweepInterval = props.sweepInterval ?? Duration.hours(1);
    this.windows = sweepAlarmWindows(sweepInterval);
    const { noSuccessfulSweep, sweepsIncomplete, graphPeriod } = this.windows;
    const alarmNamePrefix = props.alarmNamePrefix ?? defaultAlarmNamePrefix(this);

    const operationsEmails = props.operationsEmails ?? [];
    if (operationsEmails.length > 0) {
      this.operationsTopic = new sns.Topic(this, 'OperationsTopic', {
        displayName: 'Packwatch operations: alarms about the monitor itself',
        masterKey: props.encryptionKey,
        enforceSSL: true,
      });
      for (const email of operationsEmails) {
        this.operationsTopic.addSubscription(new subscriptions.EmailSubscription(email));
      }
    }
    this.alarmTopic = this.operationsTopic ?? props.alertsTopic;
    // A topic policy replaces SNS's default one, so CloudWatch must be allowed to publish explicitly, and only for
    // these alarms. (An imported topic keeps whatever policy it has: addToResourcePolicy does nothing on it.)
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowPackwatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: `${alarmNamePrefix}-*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );

    const dashboards = new DefaultDashboardFactory(this, 'Dashboards', {
      dashboardNamePrefix: props.dashboardName ?? dashboardNameFrom(alarmNamePrefix, stack.region),
      detailDashboardRange: props.dashboardRange ?? Duration.days(7),
      createDashboard: true,
      createSummaryDashboard: false,
      createAlarmDashboard: false,
    });
    this.facade = new MonitoringFacade(this, 'Facade', {
      metricFactoryDefaults: { namespace: METRICS_NAMESPACE, period: graphPeriod },
      alarmFactoryDefaults: {
        alarmNamePrefix,
        actionsEnabled: true,
        action: new SnsAlarmActionStrategy({ onAlarmTopic: this.alarmTopic }),
        datapointsToAlarm: 1,
      },
      dashboardFactory: dashboards,
    });
    this.dashboard = dashboards.dashboard!;
    const metricFactory = this.facade.createMetricFactory();
    const packwatchMetric = (name: string, statistic: MetricStatistic, label?: string) =>
      metricFactory.createMetric(name, statistic, label, { service: SERVICE_NAME });

    this.facade.addLargeHeader('Packwatch: organization conformance pack sweep');

    const logGroupNames = [props.logGroup.logGroupName];
    const bin = `bin(${graphPeriod.toSeconds()}s)`;
    // Numbers the handler logs once per sweep, in both its finished and its failed line.
    const sweepLines = `filter message in ["${SWEEP_FINISHED_MESSAGE}", "${SWEEP_FAILED_MESSAGE}"]`;
    const logGraph = (title: string, queryLines: string[], width = 8) =>
      new cloudwatch.LogQueryWidget({ title, logGroupNames, view: cloudwatch.LogQueryVisualizationType.LINE, width, height: 6, queryLines });
    const logTable = (title: string, queryLines: string[]) =>
      new cloudwatch.LogQueryWidget({ title, logGroupNames, view: cloudwatch.LogQueryVisualizationType.TABLE, width: 12, height: 8, queryLines });

    // Organization health: what the sweep found.
    this.facade.monitorCustom({
      humanReadableName: 'What the sweep found',
      alarmFriendlyName: 'Findings',
      description:
        'Accounts whose organization conformance pack deployment is CREATE_FAILED, UPDATE_FAILED or DELETE_FAILED, and what changed in each sweep. ' +
        'Alerts for these go to the alerts topic; the alarms further down are about Packwatch itself.',
      metricGroups: [
        {
          title: 'Failing accounts and new failures',
          metrics: [
            packwatchMetric(ESSENTIAL_METRICS.failingAccounts, MetricStatistic.MAX, 'Failing accounts (all regions)'),
            asRightAxis(packwatchMetric(ESSENTIAL_METRICS.newFailures, MetricStatistic.SUM, 'New failures')),
          ],
          graphWidgetAxis: { min: 0, label: 'accounts' },
          graphWidgetRightAxis: { min: 0, label: 'new failures' },
        },
      ],
    });
    // Plain aws-cloudwatch: the facade's log section (monitorLog) lists matching lines; these need `stats … by`.
    this.facade.addWidget(
      new cloudwatch.Row(
        logGraph('Failing accounts by region', [
          `filter message = "${REGION_SWEPT_MESSAGE}"`,
          `stats max(failingAccounts) as failingAccounts by ${bin}, region`,
        ]),
        logGraph('Changes per sweep', [
          `filter message = "${SWEEP_FINISHED_MESSAGE}"`,
          'stats sum(summary.newFailures) as newFailures, sum(summary.changedFailures) as changedFailures, sum(summary.recoveries) as recoveries, ' +
            `sum(summary.stuck) as stuck, sum(summary.reminders) as reminders, sum(summary.muted) as muted by ${bin}`,
        ]),
        logGraph('Packs swept and alerts published', [
          `filter message = "${SWEEP_FINISHED_MESSAGE}"`,
          `stats sum(packsSwept) as packsSwept, sum(packsSkipped) as packsSkipped, sum(messagesPublished) as alertMessages by ${bin}`,
        ]),
      ),
    );
    this.facade.addWidget(
      new cloudwatch.Row(
        logTable('Failing accounts by pack', [
          `filter message = "${PACK_SWEPT_MESSAGE}"`,
          'stats latest(failingAccounts) as failingNow, earliest(failingAccounts) as atRangeStart, max(failingAccounts) as peak, latest(outcome) as lastOutcome by region, conformancePack',
          'sort failingNow desc',
          'limit 100',
        ]),
        logTable('Last sweep of each region', [
          `filter message = "${REGION_SWEPT_MESSAGE}"`,
          'stats latest(@timestamp) as sweptAt, latest(failingAccounts) as failingAccounts, latest(packs) as packs, latest(deferred) as deferredPacks, latest(changes) as changes by region',
          'sort failingAccounts desc',
        ]),
      ),
    );

    // Sweep health: is Packwatch itself doing its job?
    const heartbeat: AlarmWithAnnotation[] = [];
    const incomplete: AlarmWithAnnotation[] = [];
    const sweepTimeout = props.sweepTimeout;
    this.facade.monitorCustom({
      humanReadableName: 'Is the sweep healthy?',
      alarmFriendlyName: 'Sweep',
      useCreatedAlarms: {
        consume: (alarms) => {
          heartbeat.push(...alarms.filter((alarm) => alarm.alarmNameSuffix === 'NoSuccessfulSweep'));
          incomplete.push(...alarms.filter((alarm) => alarm.alarmNameSuffix === 'SweepsIncomplete'));
        },
      },
      metricGroups: [
        {
          title: 'Sweeps: succeeded, failed, skipped',
          metrics: [
            {
              metric: packwatchMetric(ESSENTIAL_METRICS.sweepSucceeded, MetricStatistic.SUM, 'Succeeded'),
              alarmFriendlyName: 'NoSuccessfulSweep',
              addAlarm: {
                Critical: {
                  threshold: 1,
                  comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
                  treatMissingDataOverride: cloudwatch.TreatMissingData.BREACHING,
                  ...noSuccessfulSweep,
                  alarmNameOverride: `${alarmNamePrefix}-NoSuccessfulSweep`,
                  alarmDescriptionOverride: noSuccessfulSweepDescription(sweepInterval, noSuccessfulSweep),
                },
              },
            },
            packwatchMetric(ESSENTIAL_METRICS.sweepFailures, MetricStatistic.SUM, 'Failed'),
            packwatchMetric(ESSENTIAL_METRICS.sweepSkipped, MetricStatistic.SUM, 'Skipped (another sweep held the lease)'),
          ],
          graphWidgetAxis: { min: 0, label: 'sweeps' },
        },
        {
          title: 'Incomplete sweeps',
          metrics: [
            {
              metric: packwatchMetric(ESSENTIAL_METRICS.sweepIncomplete, MetricStatistic.MAX, 'Sweep incomplete (packs deferred)'),
              alarmFriendlyName: 'SweepsIncomplete',
              addAlarm: {
                Warning: {
                  threshold: 1,
                  comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                  treatMissingDataOverride: cloudwatch.TreatMissingData.NOT_BREACHING,
                  ...sweepsIncomplete,
                  alarmNameOverride: `${alarmNamePrefix}-SweepsIncomplete`,
                  alarmDescriptionOverride: sweepsIncompleteDescription(sweepInterval, sweepsIncomplete),
                },
              },
            },
          ],
          graphWidgetAxis: { min: 0, label: 'sweeps' },
        },
        {
          // AWS/Lambda Duration: a free service metric, with the timeout drawn on it.
          title: 'Sweep duration',
          metrics: [
            props.sweepFunction.metricDuration({ statistic: MetricStatistic.MAX, period: graphPeriod, label: 'Longest' }),
            props.sweepFunction.metricDuration({ statistic: MetricStatistic.AVERAGE, period: graphPeriod, label: 'Average' }),
          ],
          graphWidgetAxis: { min: 0, label: 'ms' },
          ...(sweepTimeout
            ? { horizontalAnnotations: [{ value: sweepTimeout.toMilliseconds(), label: 'Function timeout', color: cloudwatch.Color.RED }] }
            : {}),
        },
      ] satisfies CustomMetricGroup[],
    });
    this.facade.addWidget(
      new cloudwatch.Row(
        logGraph('AWS Config API calls and throttles', [sweepLines, `stats sum(counters.apiCalls) as apiCalls, sum(counters.throttles) as throttles by ${bin}`], 12),
        logGraph(
          'Sweep errors, malformed records, deferred packs',
          [
            sweepLines,
            `stats sum(counters.sweepErrors) as sweepErrors, sum(counters.malformedRecords) as malformedRecords, sum(counters.deferredPacks) as deferredPacks by ${bin}`,
          ],
          12,
        ),
      ),
    );

    // The standard sections, straight from the facade.
    const functionErrors: AlarmWithAnnotation[] = [];
    this.facade.monitorLambdaFunction({
      lambdaFunction: props.sweepFunction,
      humanReadableName: 'Sweep function',
      alarmFriendlyName: 'SweepFunction',
      // Invoked on a schedule, not by a stream: no iterator-age graph.
      isIterator: false,
      addFaultCountAlarm: {
        Critical: {
          maxErrorCount: 0,
          period: SERVICE_ALARM_PERIOD,
          evaluationPeriods: 1,
          datapointsToAlarm: 1,
          alarmNameOverride: `${alarmNamePrefix}-SweepFunctionErrors`,
          alarmDescriptionOverride: FUNCTION_ERRORS_DESCRIPTION,
        },
      },
      useCreatedAlarms: { consume: (alarms) => functionErrors.push(...alarms) },
    });
    const deadLetters: AlarmWithAnnotation[] = [];
    this.facade.monitorSqsQueue({
      queue: props.deadLetterQueue,
      humanReadableName: 'Sweep dead-letter queue',
      alarmFriendlyName: 'DeadLetterQueue',
      addQueueMaxSizeAlarm: {
        Critical: {
          maxMessageCount: 0,
          period: SERVICE_ALARM_PERIOD,
          evaluationPeriods: 1,
          datapointsToAlarm: 1,
          // SQS stops reporting an idle queue after a few hours: missing data keeps the alarm in ALARM until the queue is emptied.
          treatMissingDataOverride: cloudwatch.TreatMissingData.MISSING,
          alarmNameOverride: `${alarmNamePrefix}-DeadLetterQueueNotEmpty`,
          alarmDescriptionOverride: DEAD_LETTER_QUEUE_DESCRIPTION,
        },
      },
      useCreatedAlarms: { consume: (alarms) => deadLetters.push(...alarms) },
    });
    this.facade.monitorDynamoTable({ table: props.stateTable, billingMode: BillingMode.PAY_PER_REQUEST, humanReadableName: 'State table', alarmFriendlyName: 'StateTable' });
    this.facade.monitorSnsTopic({ topic: props.alertsTopic, humanReadableName: 'Alerts topic', alarmFriendlyName: 'AlertsTopic' });
    this.facade.monitorLog({
      logGroupName: props.logGroup.logGroupName,
      humanReadableName: 'Sweep log',
      alarmFriendlyName: 'SweepLog',
      title: 'Recent errors and warnings',
      filterExpressions: ['level in ["ERROR", "WARN"] or @message like /Task timed out/'],
      limit: 10,
    });

    this.functionErrorsAlarm = only(functionErrors, 'function errors').alarm;
    this.deadLetterQueueAlarm = only(deadLetters, 'dead-letter queue').alarm;
    this.noSuccessfulSweepAlarm = only(heartbeat, 'no successful sweep').alarm;
    this.sweepsIncompleteAlarm = only(incomplete, 'sweeps incomplete').alarm;
  }
}

function asRightAxis(metric: MetricWithAlarmSupport): CustomMetric {
  // A CustomMetricWithAlarm without alarms is the facade's way to put a plain metric on the right axis.
  return { metric, alarmFriendlyName: 'RightAxis', addAlarm: {}, position: AxisPosition.RIGHT };
}

function only(alarms: AlarmWithAnnotation[], what: string): AlarmWithAnnotation {
  if (alarms.length !== 1) throw new Error(`Expected exactly one ${what} alarm, found ${alarms.length}`);
  return alarms[0]!;
}

/** `<stack name>-<ids from the stack down to the parent>`: unique per account and region, readable in the console. */
function defaultAlarmNamePrefix(construct: Construct): string {
  const stack = Stack.of(construct);
  const scopes = construct.node.scopes;
  const ids = scopes.slice(scopes.indexOf(stack) + 1, -1).map((scope) => scope.node.id);
  return [stack.stackName, ...ids].join('-').replace(/[^A-Za-z0-9_-]/g, '-');
}

function dashboardNameFrom(alarmNamePrefix: string, region: string): string {
  const name = `${alarmNamePrefix}-${region}`;
  return Token.isUnresolved(region) ? name : name.replace(/[^A-Za-z0-9_-]/g, '-');
}

function windowText(window: AlarmWindow): string {
  return Duration.seconds(window.period.toSeconds() * window.evaluationPeriods).toHumanString();
}

const FUNCTION_ERRORS_DESCRIPTION =
  'Packwatch: the sweep function failed at least once in the last 5 minutes (AWS/Lambda Errors > 0). ' +
  'While it fails nobody hears about conformance pack failures; no alert is lost (state is written only after SNS accepted an alert) and the next sweep sends it again. ' +
  'What to do: in the sweep log group find "Sweep failed" (level ERROR) or "Task timed out" and read errorName and errorMessage. ' +
  'Typical causes: OrganizationAccessDenied or AccessDenied from AWS Config (not the management account or delegated administrator, or trusted access for config-multiaccountsetup.amazonaws.com disabled), ' +
  'an SNS or KMS publish error, a timeout (raise the function timeout or sweep fewer regions), or a bad PACKWATCH_* variable after a manual change. ' +
  'Lambda retries twice; after that the invocation lands in the dead-letter queue.';

const DEAD_LETTER_QUEUE_DESCRIPTION =
  'Packwatch: a sweep invocation failed three times (one try and two Lambda retries) and was put in the dead-letter queue. ' +
  'What to do: read the message (requestPayload is the scheduled event; responsePayload has errorType and errorMessage) and fix the cause using the sweep log group. ' +
  'Then purge the queue: nothing needs replaying, because every sweep reads the whole organization again and unsent alerts are resent. ' +
  'The alarm stays in ALARM while the queue holds messages.';

function noSuccessfulSweepDescription(sweepInterval: Duration, window: AlarmWindow): string {
  return (
    `Packwatch: no sweep finished successfully in ${windowText(window)} (two schedule intervals of ${sweepInterval.toHumanString()}; ` +
    'Packwatch SweepSucceeded Sum < 1, missing data breaching). Conformance pack failures are going unseen. ' +
    'What to do: check that the sweep schedule (EventBridge rule) is ENABLED and targets the sweep function; look at the sweep function errors and the dead-letter queue alarm, which usually say why; ' +
    'on the dashboard, "Skipped" sweeps mean another sweep held the lease (it frees itself after the function timeout). ' +
    'To test, invoke the function (stack output SweepFunctionName) with a Scheduled Event and read its log. ' +
    'Right after the first deployment it can fire once, until the first scheduled sweep has run. With a cron schedule it assumes at least one sweep per UTC day.'
  );
}

function sweepsIncompleteDescription(sweepInterval: Duration, window: AlarmWindow): string {
  return (
    `Packwatch: ${window.datapointsToAlarm} sweeps within ${windowText(window)} (schedule interval ${sweepInterval.toHumanString()}) ran out of time and deferred packs to the next sweep ` +
    '(Packwatch SweepIncomplete >= 1). Deferred packs go first next time, so nothing is lost, but their failures and recoveries are seen late. ' +
    'What to do: on the dashboard compare "Sweep duration" with the function timeout and check "AWS Config API calls and throttles". ' +
    'If AWS Config throttles, lower the sweep\'s pace (the monitor\'s configCallsPerSecond or packConcurrency); if it does not, raise the pace or the function timeout, or sweep fewer regions per stack.'
  );
}
