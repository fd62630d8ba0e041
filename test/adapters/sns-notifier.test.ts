import 'aws-sdk-client-mock-vitest/extend';
import { PublishCommand, SNSClient, SNSServiceException } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SnsNotifier } from '../../lambda/adapters/sns-notifier.js';
import type { AlertMessage } from '../../lambda/domain/alert-message.js';

const TOPIC_ARN = 'arn:aws:sns:us-east-1:000123456789:packwatch-alerts';

const snsMock = mockClient(SNSClient);

let notifier: SnsNotifier;

beforeEach(() => {
  snsMock.reset();
  notifier = new SnsNotifier({
    client: new SNSClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
    topicArn: TOPIC_ARN,
  });
});

function alertMessage(overrides: Partial<AlertMessage> = {}): AlertMessage {
  return {
    subject: 'Packwatch: 1 new failure in us-east-1',
    message: JSON.stringify({ default: '{"schema":"packwatch.alert/1"}', email: 'Account 000123456789 failed', https: '{}' }),
    attributes: {
      schema: { dataType: 'String', value: 'packwatch.alert/1' },
      kinds: { dataType: 'String.Array', value: '["NEW_FAILURE"]' },
      severity: { dataType: 'String', value: 'failure' },
    },
    changes: [],
    ...overrides,
  };
}

describe('SnsNotifier.publish', () => {
  it('sends one Publish with the topic, subject, message, JSON message structure and mapped attributes', async () => {
    // Prepare
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const message = alertMessage();

    // Act
    await notifier.publish(message);

    // Assess
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(snsMock.commandCalls(PublishCommand)[0]!.args[0].input).toEqual({
      TopicArn: TOPIC_ARN,
      Subject: message.subject,
      Message: message.message,
      MessageStructure: 'json',
      MessageAttributes: {
        schema: { DataType: 'String', StringValue: 'packwatch.alert/1' },
        kinds: { DataType: 'String.Array', StringValue: '["NEW_FAILURE"]' },
        severity: { DataType: 'String', StringValue: 'failure' },
      },
    });
  });

  it('sends an empty attribute map when the message has no attributes', async () => {
    // Prepare
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-2' });

    // Act
    await notifier.publish(alertMessage({ attributes: {} }));

    // Assess
    expect(snsMock).toHaveReceivedCommandWith(PublishCommand, { MessageAttributes: {} });
  });

  it.each([
    { case: 'a service error', error: new SNSServiceException({ name: 'AuthorizationErrorException', $fault: 'client', $metadata: {}, message: 'not allowed' }) },
    { case: 'a network error', error: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) },
  ])('rejects with $case so the alert is not recorded as sent', async ({ error }) => {
    // Prepare
    snsMock.on(PublishCommand).rejects(error);

    // Act
    const result = notifier.publish(alertMessage());

    // Assess
    await expect(result).rejects.toBe(error);
  });
});
