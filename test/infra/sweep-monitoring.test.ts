import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { dashboardBodyOf, renderMarkdown, renderSvg, escapeTableCell, escapeXml, synthesizeDashboardBody, widgetsOf } from '../../bin/dashboard-picture.js';
import { parsePackwatchContext } from '../../lib/config.js';
import { awsSolutionsViolations } from '../support/nag.js';
import { PackwatchStack } from '../../lib/packwatch-stack.js';
import { sweepAlarmWindows } from '../../lib/sweep-monitoring.js';
import { ESSENTIAL_METRICS, PACK_SWEPT_MESSAGE, REGION_SWEPT_MESSAGE, SWEEP_FAILED_MESSAGE, SWEEP_FINISHED_MESSAGE } from '../../lambda/observability-names.js';

/** An app that skips asset bundling: template tests need the template, not the Lambda bundle. */
function appWithoutBundling(): App {
  return new App({ context: { 'aws:cdk:bundling-stacks': [] } });
}

function synthesize(context: Readonly<Record<string, unknown>> = {}): Template {
  return Template.fromStack(new PackwatchStack(appWithoutBundling(), 'Packwatch', { config: parsePackwatchContext(context) }));
}

type Resource = { Type: string; Properties: Record<string, any> };

function logicalIdsOf(template: Template, type: string): string[] {
  return Object.keys(template.findResources(type));
}

function onlyLogicalId(template: Template, type: string, props: Record<string, unknown> = {}): string {
  const ids = Object.keys(template.findResources(type, { Properties: props }));
  expect(ids, `exactly one ${type} with ${JSON.stringify(props)}`).toHaveLength(1);
  return ids[0]!;
}

function alarmNamed(template: Template, name: string): Record<string, any> {
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: name } })) as Resource[];
  expect(alarms, `alarm ${name}`).toHaveLength(1);
  return alarms[0]!.Properties;
}

/** The metric an alarm watches, whether CDK wrote it flat or as a one-entry `Metrics` query. */
function alarmMetric(alarm: Record<string, any>) {
  if (alarm.MetricName) {
    return { namespace: alarm.Namespace, name: alarm.MetricName, stat: alarm.Statistic, period: alarm.Period, dimensions: alarm.Dimensions ?? [] };
  }
  expect(alarm.Metrics).toHaveLength(1);
  const { MetricStat: stat } = alarm.Metrics[0];
  return { namespace: stat.Metric.Namespace, name: stat.Metric.MetricName, stat: stat.Stat, period: stat.Period, dimensions: stat.Metric.Dimensions ?? [] };
}

interface Widget {
  type: string;
  properties: Record<string, any>;
}

function dashboardWidgets(template: Template): Widget[] {
  return (JSON.parse(dashboardBodyOf(template.toJSON() as never)) as { widgets: Widget[] }).widgets;
}

function widgetTitled(widgets: Widget[], title: string): Widget {
  const found = widgets.filter((widget) => widget.properties.title === title);
  expect(found, `one widget titled "${title}"`).toHaveLength(1);
  return found[0]!;
}

/** Metric names of a graph widget's metric arrays (`[namespace, name, ...dimensions, options]`) and expressions. */
function graphedMetrics(widget: Widget): string[] {
  return (widget.properties.metrics as unknown[][]).map((entry) =>
    typeof entry[0] === 'string' ? `${entry[0]}/${entry[1]}` : `expression: ${(entry[0] as { expression: string }).expression}`,
  );
}

const HOUR = 3600;
const DAY = 86_400;
const PACKWATCH_DIMENSIONS = [{ Name: 'service', Value: 'packwatch' }];

describe('sweepAlarmWindows', () => {
  it.each([
    { interval: Duration.minutes(1), period: 60, heartbeat: [2, 2], incomplete: [3, 3], graph: 300 },
    { interval: Duration.minutes(15), period: 900, heartbeat: [2, 2], incomplete: [3, 3], graph: 900 },
    { interval: Duration.hours(1), period: HOUR, heartbeat: [2, 2], incomplete: [3, 3], graph: HOUR },
    { interval: Duration.hours(12), period: 12 * HOUR, heartbeat: [2, 2], incomplete: [3, 3], graph: 12 * HOUR },
    { interval: Duration.days(1), period: DAY, heartbeat: [2, 2], incomplete: [3, 3], graph: DAY },
    { interval: Duration.hours(36), period: DAY, heartbeat: [3, 3], incomplete: [5, 3], graph: DAY },
    { interval: Duration.days(2), period: DAY, heartbeat: [4, 4], incomplete: [6, 3], graph: DAY },
    { interval: Duration.hours(84), period: DAY, heartbeat: [7, 7], incomplete: [7, 2], graph: DAY },
  ])('for a sweep every $interval: period $period s, heartbeat $heartbeat, incomplete $incomplete', ({ interval, period, heartbeat, incomplete, graph }) => {
    // Act
    const windows = sweepAlarmWindows(interval);

    // Assess
    expect(windows.noSuccessfulSweep.period.toSeconds()).toBe(period);
    expect([windows.noSuccessfulSweep.evaluationPeriods, windows.noSuccessfulSweep.datapointsToAlarm]).toEqual(heartbeat);
    expect(windows.sweepsIncomplete.period.toSeconds()).toBe(period);
    expect([windows.sweepsIncomplete.evaluationPeriods, windows.sweepsIncomplete.datapointsToAlarm]).toEqual(incomplete);
    expect(windows.graphPeriod.toSeconds()).toBe(graph);
  });

  it.each([1, 5, 59, 60, 61, 90, 720, 1440, 2160, 2880, 5040].map((minutes) => Duration.minutes(minutes)))(
    'keeps within CloudWatch limits and covers two sweeps without a success for a sweep every %s',
    (interval) => {
      // Act
      const windows = sweepAlarmWindows(interval);

      // Assess
      for (const window of [windows.noSuccessfulSweep, windows.sweepsIncomplete]) {
        const period = window.period.toSeconds();
        expect(period % 60).toBe(0);
        expect(period).toBeLessThanOrEqual(DAY);
        expect(period * window.evaluationPeriods).toBeLessThanOrEqual(period < HOUR ? DAY : 7 * DAY);
        expect(window.datapointsToAlarm).toBeGreaterThanOrEqual(1);
        expect(window.datapointsToAlarm).toBeLessThanOrEqual(window.evaluationPeriods);
      }
      const heartbeatWindow = windows.noSuccessfulSweep.period.toSeconds() * windows.noSuccessfulSweep.evaluationPeriods;
      expect(heartbeatWindow).toBeGreaterThanOrEqual(2 * interval.toSeconds());
      expect(windows.noSuccessfulSweep.datapointsToAlarm).toBe(windows.noSuccessfulSweep.evaluationPeriods);
    },
  );

  it.each([Duration.seconds(0), Duration.hours(85), Duration.days(7)])('refuses a sweep every %s, naming sweepInterval', (interval) => {
    expect(() => sweepAlarmWindows(interval)).toThrow(/sweepInterval/);
  });
});

describe('SweepMonitoring with the default context (hourly, stack region, no operations topic)', () => {
  let template: Template;
  let widgets: Widget[];
  let ids: { topic: string; key: string; fn: string; queue: string; logGroup: string };

  beforeAll(() => {
    template = synthesize();
    widgets = dashboardWidgets(template);
    ids = {
      topic: onlyLogicalId(template, 'AWS::SNS::Topic'),
      key: onlyLogicalId(template, 'AWS::KMS::Key'),
      fn: onlyLogicalId(template, 'AWS::Lambda::Function'),
      queue: onlyLogicalId(template, 'AWS::SQS::Queue'),
      logGroup: onlyLogicalId(template, 'AWS::Logs::LogGroup'),
    };
  });

  it('creates one dashboard, named after the stack, the monitor and the region, opening on the last 7 days', () => {
    // Assess
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: { 'Fn::Join': ['', ['Packwatch-Monitor-', { Ref: 'AWS::Region' }]] },
    });
    expect(JSON.parse(dashboardBodyOf(template.toJSON() as never)).start).toBe('-P7D');
  });

  it('outputs the dashboard name', () => {
    template.hasOutput('DashboardName', { Value: { Ref: onlyLogicalId(template, 'AWS::CloudWatch::Dashboard') } });
  });

  it('has a widget for each thing the on-call engineer looks at', () => {
    // Act
    const titles = widgets.map((widget) => widget.properties.title).filter(Boolean);

    // Assess
    expect(titles).toEqual(
      expect.arrayContaining([
        'Failing accounts and new failures',
        'Failing accounts by region',
        'Failing accounts by pack',
        'Last sweep of each region',
        'Changes per sweep',
        'Sweeps: succeeded, failed, skipped',
        'Incomplete sweeps',
        'Sweep duration',
        'AWS Config API calls and throttles',
        'Sweep errors, malformed records, deferred packs',
        'Packs swept and alerts published',
        'Recent errors and warnings',
        // From the facade's Lambda section: errors and duration (Latency).
        'Errors',
        'Latency',
      ]),
    );
  });

  it('graphs failing accounts (all regions) and new failures from the two essential finding metrics', () => {
    // Act
    const metrics = graphedMetrics(widgetTitled(widgets, 'Failing accounts and new failures'));

    // Assess
    expect(metrics).toEqual(['Packwatch/FailingAccounts', 'Packwatch/NewFailures']);
  });

  it.each([
    { title: 'Failing accounts by region', message: REGION_SWEPT_MESSAGE, stats: /stats max\(failingAccounts\) as failingAccounts by bin\(3600s\), region/ },
    { title: 'Changes per sweep', message: SWEEP_FINISHED_MESSAGE, stats: /sum\(summary\.newFailures\).*sum\(summary\.recoveries\).* by bin\(3600s\)/ },
    { title: 'Packs swept and alerts published', message: SWEEP_FINISHED_MESSAGE, stats: /sum\(packsSwept\).*sum\(messagesPublished\).* by bin\(3600s\)/ },
    { title: 'AWS Config API calls and throttles', message: SWEEP_FAILED_MESSAGE, stats: /sum\(counters\.apiCalls\).*sum\(counters\.throttles\).* by bin\(3600s\)/ },
    {
      title: 'Sweep errors, malformed records, deferred packs',
      message: SWEEP_FINISHED_MESSAGE,
      stats: /sum\(counters\.sweepErrors\).*sum\(counters\.malformedRecords\).*sum\(counters\.deferredPacks\).* by bin\(3600s\)/,
    },
  ])('draws "$title" over time with Logs Insights from the "$message" log lines, not from a custom metric', ({ title, message, stats }) => {
    // Act
    const widget = widgetTitled(widgets, title);

    // Assess
    expect(widget.type).toBe('log');
    expect(widget.properties.view).toBe('timeSeries');
    expect(widget.properties.query).toContain(`SOURCE '{${ids.logGroup}}'`);
    expect(widget.properties.query).toContain(`"${message}"`);
    expect(widget.properties.query).toMatch(stats);
  });

  it('reads in alarms and graphs only the Packwatch metrics the handler sends by default', () => {
    // Act
    const alarmed = (Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Resource[])
      .map((alarm) => alarmMetric(alarm.Properties))
      .filter((metric) => metric.namespace === 'Packwatch')
      .map((metric) => metric.name);
    const graphed = widgets
      .filter((widget) => widget.type === 'metric')
      .flatMap((widget) => (widget.properties.metrics as unknown[][]).filter((entry) => entry[0] === 'Packwatch').map((entry) => entry[1] as string));
    const expressions = widgets
      .filter((widget) => widget.type === 'metric')
      .flatMap((widget) => (widget.properties.metrics as unknown[][]).filter((entry) => typeof entry[0] !== 'string'))
      .map((entry) => (entry[0] as { expression: string }).expression)
      .filter((expression) => expression.includes('SEARCH') && expression.includes('Packwatch'));

    // Assess
    const sentByDefault: string[] = Object.values(ESSENTIAL_METRICS);
    expect(alarmed.sort()).toEqual(['SweepIncomplete', 'SweepSucceeded']);
    expect(graphed.length).toBeGreaterThan(0);
    for (const name of [...alarmed, ...graphed]) expect(sentByDefault, name).toContain(name);
    expect(expressions, 'no SEARCH expression over Packwatch metrics (it would find only metrics not sent)').toEqual([]);
  });

  it('draws failing accounts by pack from the sweep log with Logs Insights, not a per-pack metric', () => {
    // Act
    const widget = widgetTitled(widgets, 'Failing accounts by pack');

    // Assess
    expect(widget.type).toBe('log');
    expect(widget.properties.query).toContain(`SOURCE '{${ids.logGroup}}'`);
    expect(widget.properties.query).toContain(`filter message = "${PACK_SWEPT_MESSAGE}"`);
    expect(widget.properties.query).toMatch(/stats latest\(failingAccounts\) as failingNow.* by region, conformancePack/);
    expect(widgetTitled(widgets, 'Last sweep of each region').properties.query).toContain('filter message = "Region swept"');
  });

  it.each([
    { title: 'Failing accounts and new failures', metrics: ['FailingAccounts', 'NewFailures'] },
    { title: 'Sweeps: succeeded, failed, skipped', metrics: ['SweepSucceeded', 'SweepFailures', 'SweepSkipped'] },
    { title: 'Incomplete sweeps', metrics: ['SweepIncomplete'] },
  ])('graphs $metrics in "$title", one point per hourly sweep', ({ title, metrics }) => {
    // Act
    const widget = widgetTitled(widgets, title);

    // Assess
    expect(graphedMetrics(widget)).toEqual(metrics.map((name) => `Packwatch/${name}`));
    for (const entry of widget.properties.metrics as unknown[][]) {
      expect(entry.slice(2, 4)).toEqual(['service', 'packwatch']);
      expect((entry.at(-1) as { period: number }).period).toBe(3600);
    }
  });

  it('graphs the sweep duration from the free AWS/Lambda Duration metric, longest and average', () => {
    // Act
    const widget = widgetTitled(widgets, 'Sweep duration');

    // Assess
    expect(graphedMetrics(widget)).toEqual(['AWS/Lambda/Duration', 'AWS/Lambda/Duration']);
    expect((widget.properties.metrics as unknown[][]).map((entry) => (entry.at(-1) as { stat?: string }).stat ?? 'Average')).toEqual(['Maximum', 'Average']);
  });

  it('draws the function timeout on the sweep duration graph', () => {
    expect(widgetTitled(widgets, 'Sweep duration').properties.annotations.horizontal).toEqual([
      expect.objectContaining({ value: 900_000, label: 'Function timeout' }),
    ]);
  });

  it('graphs the Lambda errors and duration of the sweep function', () => {
    // Act
    const lambdaMetrics = widgets
      .filter((widget) => widget.type === 'metric')
      .flatMap((widget) => (widget.properties.metrics as unknown[][]).filter((entry) => entry[0] === 'AWS/Lambda').map((entry) => entry[1]));

    // Assess
    expect(lambdaMetrics).toEqual(expect.arrayContaining(['Errors', 'Duration', 'Invocations', 'Throttles']));
  });

  it('creates exactly four alarms, each sent to the alerts topic, each saying what it means and what to do', () => {
    // Act
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Resource[];

    // Assess
    expect(alarms.map((alarm) => alarm.Properties.AlarmName).sort()).toEqual([
      'Packwatch-Monitor-DeadLetterQueueNotEmpty',
      'Packwatch-Monitor-NoSuccessfulSweep',
      'Packwatch-Monitor-SweepFunctionErrors',
      'Packwatch-Monitor-SweepsIncomplete',
    ]);
    for (const alarm of alarms) {
      expect(alarm.Properties.ActionsEnabled).toBe(true);
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: ids.topic }]);
      expect(alarm.Properties.AlarmDescription).toMatch(/^Packwatch: .+What to do: /s);
      expect(alarm.Properties.AlarmDescription.length).toBeLessThanOrEqual(1024);
    }
  });

  it('alarms on any sweep function error in 5 minutes', () => {
    // Act
    const alarm = alarmNamed(template, 'Packwatch-Monitor-SweepFunctionErrors');

    // Assess
    expect(alarmMetric(alarm)).toEqual({
      namespace: 'AWS/Lambda',
      name: 'Errors',
      stat: 'Sum',
      period: 300,
      dimensions: [{ Name: 'FunctionName', Value: { Ref: ids.fn } }],
    });
    expect(alarm).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: 'notBreaching' });
  });

  it('alarms when no sweep succeeded in two hourly periods, missing data breaching', () => {
    // Act
    const alarm = alarmNamed(template, 'Packwatch-Monitor-NoSuccessfulSweep');

    // Assess
    expect(alarmMetric(alarm)).toEqual({ namespace: 'Packwatch', name: 'SweepSucceeded', stat: 'Sum', period: 3600, dimensions: PACKWATCH_DIMENSIONS });
    expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'LessThanThreshold', EvaluationPeriods: 2, DatapointsToAlarm: 2, TreatMissingData: 'breaching' });
    expect(alarm.AlarmDescription).toContain('no sweep finished successfully in 2 hours');
  });

  it('alarms as soon as the dead-letter queue holds a message, keeping its state while SQS reports nothing', () => {
    // Act
    const alarm = alarmNamed(template, 'Packwatch-Monitor-DeadLetterQueueNotEmpty');

    // Assess
    expect(alarmMetric(alarm)).toEqual({
      namespace: 'AWS/SQS',
      name: 'ApproximateNumberOfMessagesVisible',
      stat: 'Maximum',
      period: 300,
      dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [ids.queue, 'QueueName'] } }],
    });
    expect(alarm).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: 'missing' });
  });

  it('alarms when three sweeps in a row were incomplete, a sweep that did not run counting as not incomplete', () => {
    // Act
    const alarm = alarmNamed(template, 'Packwatch-Monitor-SweepsIncomplete');

    // Assess
    expect(alarmMetric(alarm)).toEqual({ namespace: 'Packwatch', name: 'SweepIncomplete', stat: 'Maximum', period: 3600, dimensions: PACKWATCH_DIMENSIONS });
    expect(alarm).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
    });
  });

  it('lets CloudWatch use the key for the encrypted topics, for this account only', () => {
    // Act
    const key = template.findResources('AWS::KMS::Key')[ids.key]!;

    // Assess
    expect(key.Properties.KeyPolicy.Statement).toContainEqual({
      Sid: 'AllowCloudWatchAlarmsToUseTheKeyForEncryptedTopics',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
  });

  it("lets only this stack's alarms publish to the alerts topic, and still only over TLS", () => {
    // Assess
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: ids.topic }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          {
            Sid: 'AllowPackwatchAlarmsToPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: ids.topic },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:Packwatch-Monitor-*']],
                },
              },
            },
          },
        ]),
      },
    });
  });

  it('keeps the sweep logs for a year', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });
});

describe('SweepMonitoring configured through context', () => {
  it('draws every swept region from the log, whatever regions are configured, and bins by the schedule period', () => {
    // Act
    const widget = widgetTitled(dashboardWidgets(synthesize({ regions: 'us-east-1,eu-west-1', schedule: 'rate(5 minutes)' })), 'Failing accounts by region');

    // Assess
    expect(widget.type).toBe('log');
    expect(widget.properties.query).toMatch(/by bin\(300s\), region/);
  });

  it.each([
    { schedule: 'rate(15 minutes)', period: 900 },
    // A cron expression's spacing can vary: the alarms assume one sweep a day.
    { schedule: 'cron(0 6 * * ? *)', period: DAY },
  ])('derives the alarm periods from $schedule: $period s', ({ schedule, period }) => {
    // Act
    const template = synthesize({ schedule });

    // Assess
    const heartbeat = alarmNamed(template, 'Packwatch-Monitor-NoSuccessfulSweep');
    expect(alarmMetric(heartbeat).period).toBe(period);
    expect(heartbeat).toMatchObject({ EvaluationPeriods: 2, DatapointsToAlarm: 2, TreatMissingData: 'breaching' });
    const incomplete = alarmNamed(template, 'Packwatch-Monitor-SweepsIncomplete');
    expect(alarmMetric(incomplete).period).toBe(period);
    expect(incomplete).toMatchObject({ EvaluationPeriods: 3, DatapointsToAlarm: 3 });
  });

  it('covers two 3-day intervals with day-long periods for rate(3 days), within CloudWatch\'s 7-day limit', () => {
    // Act
    const heartbeat = alarmNamed(synthesize({ schedule: 'rate(3 days)' }), 'Packwatch-Monitor-NoSuccessfulSweep');

    // Assess
    expect(alarmMetric(heartbeat).period).toBe(DAY);
    expect(heartbeat).toMatchObject({ EvaluationPeriods: 6, DatapointsToAlarm: 6 });
  });

  it.each([
    { logRetentionDays: '90', days: 90 },
  ])('keeps the sweep logs $days days for logRetentionDays=$logRetentionDays', ({ logRetentionDays, days }) => {
    synthesize({ logRetentionDays }).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: days });
  });

  it.each([
    { setting: 'opsEmails', value: 'ops@example.com,pager' },
    { setting: 'logRetentionDays', value: '366' },
    { setting: 'logRetentionDays', value: '0' },
    { setting: 'schedule', value: 'rate(4 days)' },
  ])('refuses to build with $setting=$value, naming the setting', ({ setting, value }) => {
    expect(() => synthesize({ [setting]: value })).toThrow(`Invalid context "${setting}"`);
  });
});

describe('SweepMonitoring with opsEmails', () => {
  let template: Template;
  let ids: { alerts: string; ops: string; key: string };

  beforeAll(() => {
    template = synthesize({ opsEmails: 'oncall@example.com,platform@example.org', alertEmails: 'compliance@example.com' });
    const topics = logicalIdsOf(template, 'AWS::SNS::Topic');
    ids = {
      alerts: onlyLogicalId(template, 'AWS::SNS::Topic', { DisplayName: 'Packwatch conformance pack alerts' }),
      ops: topics.find((id) => id.includes('OperationsTopic'))!,
      key: onlyLogicalId(template, 'AWS::KMS::Key'),
    };
  });

  it('creates an operations topic encrypted with the monitor key, publishing over TLS only', () => {
    // Assess
    template.resourceCountIs('AWS::SNS::Topic', 2);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [ids.key, 'Arn'] }, DisplayName: Match.stringLikeRegexp('operations') });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: ids.ops }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: { Ref: ids.ops } }),
        ]),
      },
    });
  });

  it('subscribes each operations address to the operations topic, and the alert addresses to the alerts topic', () => {
    // Assess
    template.resourceCountIs('AWS::SNS::Subscription', 3);
    for (const email of ['oncall@example.com', 'platform@example.org']) {
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: email, TopicArn: { Ref: ids.ops } });
    }
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'compliance@example.com', TopicArn: { Ref: ids.alerts } });
  });

  it('sends every alarm to the operations topic, none to the alerts topic', () => {
    // Act
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Resource[];

    // Assess
    expect(alarms).toHaveLength(4);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: ids.ops }]);
  });

  it('gives CloudWatch no publish right on the alerts topic', () => {
    // Act
    const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy')) as Resource[];
    const alertsPolicy = policies.find((policy) => JSON.stringify(policy.Properties.Topics) === JSON.stringify([{ Ref: ids.alerts }]))!;

    // Assess
    expect(JSON.stringify(alertsPolicy.Properties.PolicyDocument)).not.toContain('cloudwatch.amazonaws.com');
  });
});

describe('SweepMonitoring under cdk-nag', () => {
  it('keeps the whole stack AwsSolutions-clean with an operations topic and configured regions', () => {
    // Act
    const violations = awsSolutionsViolations((app) => {
      new PackwatchStack(app, 'Packwatch', {
        config: parsePackwatchContext({ opsEmails: 'oncall@example.com', alertEmails: 'ops@example.com', regions: 'us-east-1,eu-west-1', logRetentionDays: 90 }),
      });
    });

    // Assess
    expect(violations).toEqual([]);
  });
});

describe('the dashboard picture (bin/render-dashboard.ts)', () => {
  let body: string;

  beforeAll(() => {
    body = synthesizeDashboardBody();
  });

  it('lists every widget of the synthesized dashboard, with its position and size', () => {
    // Act
    const widgets = widgetsOf(body);
    const markdown = renderMarkdown(widgets);

    // Assess
    expect(widgets).toHaveLength((JSON.parse(body) as { widgets: unknown[] }).widgets.length);
    for (const widget of widgets) {
      expect(markdown).toContain(`| ${widget.y} | ${widget.x} | ${widget.width}×${widget.height} | ${widget.type} | ${escapeTableCell(widget.title)} |`);
    }
    expect(widgets.map((widget) => widget.title)).toEqual(expect.arrayContaining(['Failing accounts by pack', 'Failing accounts by region', 'Sweep duration']));
  });

  it('draws every widget in the SVG picture', () => {
    // Act
    const widgets = widgetsOf(body);
    const svg = renderSvg(widgets);

    // Assess
    for (const widget of widgets) expect(svg).toContain(`<title>${escapeXml(widget.title)}</title>`);
    expect(svg.match(/<g>/g)).toHaveLength(widgets.length);
  });

  it('matches docs/dashboard.md and docs/dashboard.svg (regenerate with npx tsx bin/render-dashboard.ts)', () => {
    // Act
    const widgets = widgetsOf(body);

    // Assess
    const docs = path.join(__dirname, '..', '..', 'docs');
    expect(readFileSync(path.join(docs, 'dashboard.md'), 'utf8'), 'npx tsx bin/render-dashboard.ts > docs/dashboard.md').toBe(renderMarkdown(widgets));
    expect(readFileSync(path.join(docs, 'dashboard.svg'), 'utf8'), 'npx tsx bin/render-dashboard.ts --svg > docs/dashboard.svg').toBe(renderSvg(widgets));
  });
});
