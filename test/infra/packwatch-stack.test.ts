import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { STATE_TABLE_KEY } from '../../lambda/adapters/state-table.js';
import { ENVIRONMENT_VARIABLES } from '../../lambda/env.js';
import { parsePackwatchContext } from '../../lib/config.js';
import { ConformancePackMonitor } from '../../lib/conformance-pack-monitor.js';
import { awsSolutionsViolations } from '../support/nag.js';
import { PackwatchStack } from '../../lib/packwatch-stack.js';

/** An app that skips asset bundling: template tests need the template, not the Lambda bundle. */
function appWithoutBundling(): App {
  return new App({ context: { 'aws:cdk:bundling-stacks': [] } });
}

/** Synthesizes the Packwatch stack the way bin/ does: raw context through parsePackwatchContext. */
function synthesize(context: Readonly<Record<string, unknown>> = {}): Template {
  const stack = new PackwatchStack(appWithoutBundling(), 'Packwatch', { config: parsePackwatchContext(context) });
  return Template.fromStack(stack);
}

function onlyResource(template: Template, type: string): { logicalId: string; resource: Record<string, any> } {
  const resources = Object.entries(template.findResources(type));
  expect(resources, `exactly one ${type}`).toHaveLength(1);
  const [logicalId, resource] = resources[0]!;
  return { logicalId, resource };
}

function sweepFunction(template: Template) {
  return onlyResource(template, 'AWS::Lambda::Function');
}

function environmentOf(template: Template): Record<string, unknown> {
  return sweepFunction(template).resource.Properties.Environment.Variables;
}

describe('PackwatchStack with the default context', () => {
  let template: Template;
  let ids: { table: string; topic: string; logGroup: string; role: string; fn: string; rule: string; key: string; queue: string };

  beforeAll(() => {
    template = synthesize();
    ids = {
      table: onlyResource(template, 'AWS::DynamoDB::Table').logicalId,
      key: onlyResource(template, 'AWS::KMS::Key').logicalId,
      queue: onlyResource(template, 'AWS::SQS::Queue').logicalId,
      topic: onlyResource(template, 'AWS::SNS::Topic').logicalId,
      logGroup: onlyResource(template, 'AWS::Logs::LogGroup').logicalId,
      role: onlyResource(template, 'AWS::IAM::Role').logicalId,
      fn: sweepFunction(template).logicalId,
      rule: onlyResource(template, 'AWS::Events::Rule').logicalId,
    };
  });

  it('schedules the sweep every hour and targets the sweep function', () => {
    // Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [ids.fn, 'Arn'] } })],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [ids.fn, 'Arn'] },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [ids.rule, 'Arn'] },
    });
  });

  it('runs the sweep on Node.js 24, arm64, handler index.handler, with its own role and log group', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Role: { 'Fn::GetAtt': [ids.role, 'Arn'] },
      LoggingConfig: { LogGroup: { Ref: ids.logGroup } },
    });
  });

  it('reserves one concurrent execution: one sweep at a time', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 1 });
  });

  it('sets every variable of the environment schema, and no other Packwatch variable', () => {
    // Act
    const environment = environmentOf(template);

    // Assess
    const packwatchNames = Object.keys(environment).filter((name) => name.startsWith('PACKWATCH_'));
    expect(packwatchNames.sort()).toEqual(Object.values(ENVIRONMENT_VARIABLES).sort());
  });

  it('points the environment at the stack resources with the default settings', () => {
    // Act
    const environment = environmentOf(template);

    // Assess
    expect(environment).toEqual({
      [ENVIRONMENT_VARIABLES.tableName]: { Ref: ids.table },
      [ENVIRONMENT_VARIABLES.topicArn]: { Ref: ids.topic },
      [ENVIRONMENT_VARIABLES.regions]: { Ref: 'AWS::Region' },
      [ENVIRONMENT_VARIABLES.reminderIntervalSeconds]: '86400',
      // One region by default, swept alone; with N regions, all N at once (each has its own limit).
      [ENVIRONMENT_VARIABLES.regionConcurrency]: '1',
      [ENVIRONMENT_VARIABLES.packConcurrency]: '4',
      [ENVIRONMENT_VARIABLES.configMaxAttempts]: '8',
      [ENVIRONMENT_VARIABLES.stuckAfterSeconds]: '21600',
      [ENVIRONMENT_VARIABLES.muteRules]: '',
      [ENVIRONMENT_VARIABLES.eventBus]: 'default',
      [ENVIRONMENT_VARIABLES.configCallsPerSecond]: '10',
      [ENVIRONMENT_VARIABLES.fullReadIntervalSeconds]: '21600',
      [ENVIRONMENT_VARIABLES.sourceRoleArns]: '',
      // The essential metrics only (lib/config.ts detailedMetrics).
      [ENVIRONMENT_VARIABLES.detailedMetrics]: 'false',
      // Daily, stopping before the next sweep of the default hourly schedule.
      [ENVIRONMENT_VARIABLES.inventoryIntervalSeconds]: '86400',
      [ENVIRONMENT_VARIABLES.sweepIntervalSeconds]: '3600',
      POWERTOOLS_SERVICE_NAME: 'packwatch',
      POWERTOOLS_METRICS_NAMESPACE: 'Packwatch',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
  });

  it('grants the sweep role exactly the actions the code calls, on exactly its resources', () => {
    // Act
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
      (policy.Properties.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: ids.role })),
    );
    const statements = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement as Record<string, unknown>[]);

    // Assess
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'config:DescribeOrganizationConformancePacks',
          'config:DescribeOrganizationConformancePackStatuses',
          'config:GetOrganizationConformancePackDetailedStatus',
        ],
        Resource: '*',
      },
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'], Resource: { 'Fn::GetAtt': [ids.table, 'Arn'] } },
      { Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: ids.topic } },
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [ids.logGroup, 'Arn'] } },
      {
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Resource: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':event-bus/default']],
        },
      },
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
        Resource: { 'Fn::GetAtt': [ids.key, 'Arn'] },
      },
      {
        Effect: 'Allow',
        Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        Resource: { 'Fn::GetAtt': [ids.queue, 'Arn'] },
      },
    ]);
  });

  it('gives the role no managed policy, no inline policy and no other policy resource', () => {
    // Act
    const { resource: role } = onlyResource(template, 'AWS::IAM::Role');

    // Assess
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.Policies).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
    template.resourceCountIs('AWS::IAM::Policy', 1);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  });

  it('keeps state in a pay-per-request table keyed by the shared key schema, with PITR, retained on delete', () => {
    // Assess
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        KeySchema: [
          { AttributeName: STATE_TABLE_KEY.partitionKey, KeyType: 'HASH' },
          { AttributeName: STATE_TABLE_KEY.sortKey, KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayEquals([
          { AttributeName: STATE_TABLE_KEY.partitionKey, AttributeType: 'S' },
          { AttributeName: STATE_TABLE_KEY.sortKey, AttributeType: 'S' },
        ]),
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      },
    });
  });

  it('denies any publish to the alerts topic that does not use TLS', () => {
    // Assess
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: ids.topic }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Principal: '*',
            Resource: { Ref: ids.topic },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('subscribes no email address when none is given', () => {
    // Assess
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('outputs the topic ARN, the function name and the table name', () => {
    // Assess
    template.hasOutput('AlertsTopicArn', { Value: { Ref: ids.topic } });
    template.hasOutput('SweepFunctionName', { Value: { Ref: ids.fn } });
    template.hasOutput('StateTableName', { Value: { Ref: ids.table } });
  });
});

describe('PackwatchStack configured through context', () => {
  it.each([
    { schedule: 'rate(15 minutes)' },
    { schedule: 'cron(0 6 * * ? *)' },
  ])('schedules the sweep with $schedule', ({ schedule }) => {
    // Act
    const template = synthesize({ schedule });

    // Assess
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: schedule });
  });

  it.each([
    { context: { regions: 'us-east-1,eu-west-1' }, variable: ENVIRONMENT_VARIABLES.regions, value: 'us-east-1,eu-west-1' },
    { context: { regions: ['ap-south-1'] }, variable: ENVIRONMENT_VARIABLES.regions, value: 'ap-south-1' },
    { context: { reminderInterval: '30m' }, variable: ENVIRONMENT_VARIABLES.reminderIntervalSeconds, value: '1800' },
    { context: { reminderInterval: '0' }, variable: ENVIRONMENT_VARIABLES.reminderIntervalSeconds, value: '0' },
    { context: { detailedMetrics: 'true' }, variable: ENVIRONMENT_VARIABLES.detailedMetrics, value: 'true' },
  ])('sets $variable to $value for context $context', ({ context, variable, value }) => {
    // Act
    const environment = environmentOf(synthesize(context));

    // Assess
    expect(environment[variable]).toBe(value);
  });

  it('subscribes each context address by email, once', () => {
    // Act
    const template = synthesize({ alertEmails: 'ops@example.com,sec@example.org,ops@example.com' });

    // Assess
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    const topic = onlyResource(template, 'AWS::SNS::Topic').logicalId;
    for (const email of ['ops@example.com', 'sec@example.org']) {
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: email, TopicArn: { Ref: topic } });
    }
  });

  it.each([
    { setting: 'alertEmails', value: 'not-an-email' },
    { setting: 'regions', value: 'moon-1' },
    { setting: 'schedule', value: 'rate(1 hours)' },
    { setting: 'reminderInterval', value: '24x' },
  ])('refuses to build with an invalid $setting, naming it', ({ setting, value }) => {
    // Act
    const build = () => synthesize({ [setting]: value });

    // Assess
    expect(build).toThrow(setting);
  });
});

describe('ConformancePackMonitor embedded in another stack', () => {
  it('builds with its defaults inside any stack', () => {
    // Prepare
    const stack = new Stack(appWithoutBundling(), 'SomeoneElsesStack');

    // Act
    const monitor = new ConformancePackMonitor(stack, 'PackMonitor');
    const template = Template.fromStack(stack);

    // Assess
    expect(monitor.sweepFunction).toBeDefined();
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 hour)' });
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 900,
      MemorySize: 256,
      Environment: {
        Variables: Match.objectLike({
          [ENVIRONMENT_VARIABLES.regions]: { Ref: 'AWS::Region' },
          [ENVIRONMENT_VARIABLES.reminderIntervalSeconds]: '86400',
        }),
      },
    });
  });

  it('lives beside a second monitor in the same stack without name clashes', () => {
    // Prepare
    const stack = new Stack(appWithoutBundling(), 'TwoMonitors');

    // Act
    new ConformancePackMonitor(stack, 'Management', { regions: ['us-east-1'] });
    new ConformancePackMonitor(stack, 'DelegatedAdmin', { regions: ['eu-west-1'] });
    const template = Template.fromStack(stack);

    // Assess
    template.resourceCountIs('AWS::Lambda::Function', 2);
    template.resourceCountIs('AWS::DynamoDB::Table', 2);
    template.resourceCountIs('AWS::SNS::Topic', 2);
  });
});

describe('PackwatchStack under cdk-nag', () => {
  it('passes the AwsSolutions checks (DESIGN: "cdk-nag (AwsSolutions) clean, every acknowledgement next to its resource")', () => {
    // Act
    const violations = awsSolutionsViolations((app) => {
      new PackwatchStack(app, 'Packwatch', { config: parsePackwatchContext({ alertEmails: 'ops@example.com' }) });
    });

    // Assess
    expect(violations).toEqual([]);
  });
});
