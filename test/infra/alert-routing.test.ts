import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENVIRONMENT_VARIABLES, NO_EVENT_BUS } from '../../lambda/env.js';
import { parsePackwatchContext } from '../../lib/config.js';
import { awsSolutionsViolations } from '../support/nag.js';
import { PackwatchStack } from '../../lib/packwatch-stack.js';

/**
 * Alert routing in the template: AWS Chatbot channels, EventBridge permission, mute rules and the stuck
 * threshold. A synthesis takes a second or more, so a few contexts serve every check: each leaves the
 * settings it does not name at their defaults.
 */

const CHAT_CONTEXT = {
  slackWorkspaceId: 'T07EA123LEP',
  slackChannelId: 'C07EZ1ABC23',
  teamsTeamId: '5f6c1c4e-1b2a-4c3d-9e8f-0a1b2c3d4e5f',
  teamsChannelId: '19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2',
  teamsTenantId: 'a1b2c3d4-e5f6-4a5b-8c9d-0e1f2a3b4c5d',
};

const READ_ONLY_ACCESS = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/ReadOnlyAccess']] };

/** Mute rules and a stuck threshold, set together so one synthesis serves both checks. */
const QUIETING_CONTEXT = { mute: 'pack:legacy-*, account:012345678901@2026-12-31,errorCode:ResourceInUse*', stuckAfter: '2h' };
/** Events and stuck alerts both off, set together for the same reason. */
const SWITCHED_OFF_CONTEXT = { eventBridge: 'false', stuckAfter: '0' };

const templates = new Map<string, Template>();

/**
 * Synthesizes the stack the way bin/ does (raw context through parsePackwatchContext), without bundling
 * the Lambda; once per context, since a synthesis takes about a second.
 */
function synthesize(context: Readonly<Record<string, unknown>> = {}): Template {
  const key = JSON.stringify(context);
  let template = templates.get(key);
  if (!template) {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    template = Template.fromStack(new PackwatchStack(app, 'Packwatch', { config: parsePackwatchContext(context) }));
    templates.set(key, template);
  }
  return template;
}

function only(template: Template, type: string): { logicalId: string; properties: Record<string, any> } {
  const resources = Object.entries(template.findResources(type));
  expect(resources, `exactly one ${type}`).toHaveLength(1);
  return { logicalId: resources[0]![0], properties: resources[0]![1].Properties };
}

function environmentOf(template: Template): Record<string, unknown> {
  return only(template, 'AWS::Lambda::Function').properties.Environment.Variables;
}

/** Every statement of every IAM policy attached to the role. */
function statementsOfRole(template: Template, roleLogicalId: string): Record<string, unknown>[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId })))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Record<string, unknown>[]);
}

function sweepRoleId(template: Template): string {
  return (only(template, 'AWS::Lambda::Function').properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
}

describe('AWS Chatbot channels from slack and teams context', () => {
  let template: Template;
  let topic: string;

  beforeAll(() => {
    template = synthesize(CHAT_CONTEXT);
    topic = only(template, 'AWS::SNS::Topic').logicalId;
  });

  it('subscribes a Slack channel configuration to the alerts topic, with the ReadOnlyAccess guardrail', () => {
    const slack = only(template, 'AWS::Chatbot::SlackChannelConfiguration').properties;
    expect(slack).toMatchObject({ SlackWorkspaceId: 'T07EA123LEP', SlackChannelId: 'C07EZ1ABC23', SnsTopicArns: [{ Ref: topic }] });
    expect(slack.GuardrailPolicies).toEqual([READ_ONLY_ACCESS]);
  });

  it('subscribes a Microsoft Teams channel configuration to the alerts topic, with the ReadOnlyAccess guardrail', () => {
    const teams = only(template, 'AWS::Chatbot::MicrosoftTeamsChannelConfiguration').properties;
    expect(teams).toMatchObject({
      TeamId: CHAT_CONTEXT.teamsTeamId,
      TeamsChannelId: CHAT_CONTEXT.teamsChannelId,
      TeamsTenantId: CHAT_CONTEXT.teamsTenantId,
      SnsTopicArns: [{ Ref: topic }],
    });
    expect(teams.GuardrailPolicies).toEqual([READ_ONLY_ACCESS]);
  });

  it('never grants AdministratorAccess anywhere in the template', () => {
    expect(JSON.stringify(template.toJSON())).not.toContain('AdministratorAccess');
  });

  it('gives both channels one role that AWS Chatbot assumes and that has no permission at all', () => {
    const slackRole = only(template, 'AWS::Chatbot::SlackChannelConfiguration').properties.IamRoleArn;
    const teamsRole = only(template, 'AWS::Chatbot::MicrosoftTeamsChannelConfiguration').properties.IamRoleArn;
    expect(teamsRole).toEqual(slackRole);
    const roleId = (slackRole as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const role = template.toJSON().Resources[roleId];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'chatbot.amazonaws.com' } },
    ]);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.Policies).toBeUndefined();
    expect(statementsOfRole(template, roleId)).toEqual([]);
  });

  it('creates no channel configuration without chat context', () => {
    const plain = synthesize(QUIETING_CONTEXT);
    plain.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 0);
    plain.resourceCountIs('AWS::Chatbot::MicrosoftTeamsChannelConfiguration', 0);
  });

});

describe('EventBridge events', () => {
  const putEvents = {
    Effect: 'Allow',
    Action: 'events:PutEvents',
    Resource: {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':event-bus/default']],
    },
  };

  it('lets the sweep put events on the default bus, and only there, by default', () => {
    // The chat context leaves eventBridge unset.
    const template = synthesize(CHAT_CONTEXT);
    const statements = statementsOfRole(template, sweepRoleId(template));
    expect(statements.filter((statement) => JSON.stringify(statement.Action).includes('events:'))).toEqual([putEvents]);
    expect(environmentOf(template)[ENVIRONMENT_VARIABLES.eventBus]).toBe('default');
  });

  it('drops the permission and turns events off with eventBridge=false', () => {
    const template = synthesize(SWITCHED_OFF_CONTEXT);
    const statements = statementsOfRole(template, sweepRoleId(template));
    expect(JSON.stringify(statements)).not.toContain('events:');
    expect(environmentOf(template)[ENVIRONMENT_VARIABLES.eventBus]).toBe(NO_EVENT_BUS);
  });
});

describe('quieting settings reach the sweep function', () => {
  it.each([
    { context: CHAT_CONTEXT, expected: '' },
    { context: QUIETING_CONTEXT, expected: 'pack:legacy-*,account:012345678901@2027-01-01T00:00:00.000Z,errorCode:ResourceInUse*' },
  ])('sets PACKWATCH_MUTE_RULES to "$expected" when mute=$context.mute', ({ context, expected }) => {
    expect(environmentOf(synthesize(context))[ENVIRONMENT_VARIABLES.muteRules]).toBe(expected);
  });

  it.each([
    { context: CHAT_CONTEXT, seconds: '21600' },
    { context: QUIETING_CONTEXT, seconds: '7200' },
    { context: SWITCHED_OFF_CONTEXT, seconds: '0' },
  ])('sets PACKWATCH_STUCK_AFTER_SECONDS to $seconds when stuckAfter=$context.stuckAfter', ({ context, seconds }) => {
    expect(environmentOf(synthesize(context))[ENVIRONMENT_VARIABLES.stuckAfterSeconds]).toBe(seconds);
  });
});

describe('PackwatchStack with Slack and Teams under cdk-nag', () => {
  it('passes the AwsSolutions checks, every acknowledgement next to its resource', () => {
    // Act
    const violations = awsSolutionsViolations((app) => {
      new PackwatchStack(app, 'Packwatch', { config: parsePackwatchContext({ ...CHAT_CONTEXT, alertEmails: 'ops@example.com', mute: 'pack:legacy-*' }) });
    });

    // Assess
    expect(violations).toEqual([]);
  });
});
