import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePackwatchContext } from '../../lib/config.js';
import { PackwatchStack } from '../../lib/packwatch-stack.js';

let template: Template;

beforeAll(() => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  template = Template.fromStack(new PackwatchStack(app, 'Packwatch', { config: parsePackwatchContext({}) }));
});

function logicalIdOf(type: string): string {
  const ids = Object.keys(template.findResources(type));
  expect(ids, `exactly one ${type}`).toHaveLength(1);
  return ids[0]!;
}

describe('failed invocations are seen', () => {
  it('retries an asynchronous invocation twice within an hour, then sends it to the dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalIdOf('AWS::SQS::Queue'), 'Arn'] } } },
    });
  });

  it('keeps the dead-letter queue encrypted with the customer managed key, TLS only, for 14 days', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [logicalIdOf('AWS::KMS::Key'), 'Arn'] },
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('encryption at rest', () => {
  it('uses one customer managed key with rotation, kept when the stack is deleted', () => {
    template.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
  });

  it('encrypts the table and the topic with that key', () => {
    const key = logicalIdOf('AWS::KMS::Key');
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] } },
      DeletionProtectionEnabled: true,
    });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] } });
  });
});
