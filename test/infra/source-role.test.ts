import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ConfigError, parsePackwatchContext } from '../../lib/config.js';
import { PackwatchStack, sweepRoleNameFor } from '../../lib/packwatch-stack.js';
import { PackwatchSourceRoleStack } from '../../lib/source-role-stack.js';
import { awsSolutionsViolations } from '../support/nag.js';

const SOURCE_ROLE = 'arn:aws:iam::222222222222:role/PackwatchRead';

function appWithoutBundling() {
  return new App({ context: { 'aws:cdk:bundling-stacks': [] } });
}

describe('delegated-administrator coverage', () => {
  it('lets the sweep assume exactly the configured source roles and passes them to the function', () => {
    const config = parsePackwatchContext({ sourceRoleArns: SOURCE_ROLE });
    const template = Template.fromStack(new PackwatchStack(appWithoutBundling(), 'Packwatch', { config, env: { region: 'us-east-1' } }));
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as Record<string, unknown>[],
    );
    expect(statements).toContainEqual({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: SOURCE_ROLE });
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { PACKWATCH_SOURCE_ROLE_ARNS: SOURCE_ROLE } } });
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'packwatch-sweep-us-east-1' });
  });

  it('sweeps every configured region at once by default', () => {
    const config = parsePackwatchContext({ regions: 'us-east-1,eu-west-1,ap-southeast-2' });
    const template = Template.fromStack(new PackwatchStack(appWithoutBundling(), 'Packwatch', { config }));
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { PACKWATCH_REGION_CONCURRENCY: '3' } } });
  });

  it('passes the pacing and full-read settings to the function', () => {
    const config = parsePackwatchContext({ configCallsPerSecond: '4', fullReadInterval: '1d' });
    const template = Template.fromStack(new PackwatchStack(appWithoutBundling(), 'Packwatch', { config }));
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { PACKWATCH_CONFIG_CALLS_PER_SECOND: '4', PACKWATCH_FULL_READ_INTERVAL_SECONDS: '86400' } },
    });
  });

  it.each([
    { context: { configCallsPerSecond: '0' }, setting: 'configCallsPerSecond' },
    { context: { configCallsPerSecond: 'fast' }, setting: 'configCallsPerSecond' },
    { context: { fullReadInterval: 'daily' }, setting: 'fullReadInterval' },
  ])('refuses $context naming $setting', ({ context, setting }) => {
    expect(() => parsePackwatchContext(context)).toThrow(`Invalid context "${setting}"`);
  });

  it('grants no sts:AssumeRole without source roles', () => {
    const template = Template.fromStack(new PackwatchStack(appWithoutBundling(), 'Packwatch', { config: parsePackwatchContext({}) }));
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).not.toContain('sts:AssumeRole');
  });

  it('creates a read-only role in the source account that trusts only the monitor sweep role', () => {
    const stack = new PackwatchSourceRoleStack(appWithoutBundling(), 'PackwatchSourceRole', {
      monitorAccountId: '111111111111',
      sweepRoleName: sweepRoleNameFor('us-east-1'),
      env: { account: '222222222222', region: 'us-east-1' },
    });
    const template = Template.fromStack(stack);
    const roles = Object.values(template.findResources('AWS::IAM::Role'));
    expect(roles).toHaveLength(1);
    expect(roles[0]!.Properties.RoleName).toBe('PackwatchRead');
    expect(roles[0]!.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:role/packwatch-sweep-us-east-1']] } },
      },
    ]);
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as Record<string, unknown>[],
    );
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
    ]);
  });

  it('passes the AwsSolutions checks, the monitor with source roles and the source role stack alike', () => {
    const violations = awsSolutionsViolations((app) => {
      new PackwatchStack(app, 'Packwatch', { config: parsePackwatchContext({ sourceRoleArns: SOURCE_ROLE }) });
      new PackwatchSourceRoleStack(app, 'PackwatchSourceRole', { monitorAccountId: '111111111111', sweepRoleName: sweepRoleNameFor('us-east-1') });
    });
    expect(violations).toEqual([]);
  });

  it.each([
    { context: { sourceRoleArns: 'arn:aws:iam::2222:role/x' }, setting: 'sourceRoleArns' },
    { context: { sourceRoleArns: 'PackwatchRead' }, setting: 'sourceRoleArns' },
    { context: { monitorAccountId: '111111111111' }, setting: 'monitorRegion' },
    { context: { monitorAccountId: '1111', monitorRegion: 'us-east-1' }, setting: 'monitorAccountId' },
  ])('refuses $context naming $setting', ({ context, setting }) => {
    expect(() => parsePackwatchContext(context)).toThrow(ConfigError);
    expect(() => parsePackwatchContext(context)).toThrow(`Invalid context "${setting}"`);
  });

  it('reads the monitor location for the source role stack', () => {
    expect(parsePackwatchContext({ monitorAccountId: '111111111111', monitorRegion: 'eu-west-1' }).monitor).toEqual({
      accountId: '111111111111',
      region: 'eu-west-1',
    });
  });
});
