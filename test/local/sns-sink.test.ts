import { PublishCommand, type PublishCommandInput } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES } from '../../local/sns-publish-rules';
import { SnsSink } from '../../local/sns-sink';
import { fakeSigV4, rawPost, snsClient } from './local-clients';

const TOPIC = 'arn:aws:sns:eu-west-1:000000000000:packwatch-alerts';

describe('SnsSink', () => {
  let sink: SnsSink;
  let sns: ReturnType<typeof snsClient>;
  let snsNoRetry: ReturnType<typeof snsClient>;

  beforeAll(async () => {
    sink = await SnsSink.start({ topics: [TOPIC] });
    sns = snsClient(sink.url, 'eu-west-1');
    snsNoRetry = snsClient(sink.url, 'eu-west-1', { maxAttempts: 1 });
  });
  afterAll(async () => {
    sns.destroy();
    snsNoRetry.destroy();
    await sink.stop();
  });
  beforeEach(() => {
    sink.setFailing(false);
    sink.failNext(0);
    sink.clear();
  });

  const publish = (input: Omit<PublishCommandInput, 'TopicArn'> & { TopicArn?: string }, client = snsNoRetry) =>
    client.send(new PublishCommand({ TopicArn: TOPIC, ...input }));

  it('records a Publish from the real SDK client (query protocol), with subject, structure and attributes', async () => {
    const message = JSON.stringify({ default: '{"schema":"packwatch.alert/1"}', email: 'Packwatch: 1 new failure — üñí', https: '{}' });
    const answer = await publish({
      Message: message,
      Subject: 'Packwatch: 1 new failure & 2 recoveries',
      MessageStructure: 'json',
      MessageAttributes: {
        kinds: { DataType: 'String.Array', StringValue: '["NEW_FAILURE"]' },
        newFailures: { DataType: 'Number', StringValue: '1' },
        raw: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
      },
    });
    expect(answer.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.$metadata.requestId).toEqual(expect.any(String));
    const [published] = sink.published();
    expect(published).toEqual({
      messageId: answer.MessageId,
      topicArn: TOPIC,
      subject: 'Packwatch: 1 new failure & 2 recoveries',
      message,
      messageStructure: 'json',
      messageAttributes: {
        kinds: { dataType: 'String.Array', value: '["NEW_FAILURE"]' },
        newFailures: { dataType: 'Number', value: '1' },
        raw: { dataType: 'Binary', value: 'AQID' },
      },
      receivedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      protocol: 'query',
    });
    expect(sink.published()).toHaveLength(1);
    sink.clear();
    expect(sink.published()).toEqual([]);
  });

  it('accepts a message of exactly 262,144 UTF-8 bytes and refuses one byte more, attributes included', async () => {
    await publish({ Message: 'x'.repeat(MAX_MESSAGE_BYTES) });
    // 'é' is two bytes in UTF-8: the limit is in bytes, not characters.
    await expect(publish({ Message: 'é'.repeat(MAX_MESSAGE_BYTES / 2) + 'x' })).rejects.toMatchObject({
      name: 'InvalidParameterException',
      $metadata: { httpStatusCode: 400 },
      message: expect.stringContaining('Message too long'),
    });
    // name (1) + type (6) + value (1) = 8 bytes of attributes push the total over.
    await expect(
      publish({ Message: 'x'.repeat(MAX_MESSAGE_BYTES - 7), MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await publish({ Message: 'x'.repeat(MAX_MESSAGE_BYTES - 8), MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } });
    expect(sink.published()).toHaveLength(2);
    expect(sink.rejected().map((rejection) => rejection.code)).toEqual(['InvalidParameter', 'InvalidParameter']);
  });

  it.each([
    ['99 characters', 'a'.repeat(99), true],
    ['100 characters', 'a'.repeat(100), false],
    ['a line break', 'first\nsecond', false],
    ['a carriage return', 'first\rsecond', false],
    ['a tab', 'tab\there', false],
    ['a C1 control character', 'bell\u0085', false],
    ['an empty subject', '', false],
    ['non-ASCII UTF-8 text', 'Échec du déploiement — 3 comptes', true],
  ])('subject with %s → accepted: %s', async (_label, Subject, accepted) => {
    const result = publish({ Message: 'm', Subject });
    if (accepted) await expect(result).resolves.toMatchObject({ MessageId: expect.any(String) });
    else await expect(result).rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('Subject') });
  });

  it.each([
    ['not JSON', '{"default": ', 'failed to parse'],
    ['a JSON array', '["default"]', 'must be an object'],
    ['no default key', '{"email":"x"}', 'No default entry'],
    ['a non-string default', '{"default":{"a":1}}', 'No default entry'],
    ['a non-string protocol value', '{"default":"x","email":42}', 'the value of "email" must be a string'],
  ])('MessageStructure=json with %s → InvalidParameter', async (_label, Message, problem) => {
    await expect(publish({ Message, MessageStructure: 'json' })).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining(problem),
    });
  });

  it('refuses other MessageStructure values, empty messages and bad attributes', async () => {
    await expect(publish({ Message: '{"default":"x"}', MessageStructure: 'JSON' })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(publish({ Message: '' })).rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('Empty message') });
    await expect(publish({ Message: 'm', MessageAttributes: { n: { DataType: 'Number', StringValue: 'ten' } } })).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
    await expect(publish({ Message: 'm', MessageAttributes: { 'AWS.reserved': { DataType: 'String', StringValue: 'x' } } })).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
    await expect(publish({ Message: 'm', MessageAttributes: { s: { DataType: 'Text', StringValue: 'x' } } })).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, index) => [`a${index}`, { DataType: 'String', StringValue: 'x' }]));
    await expect(publish({ Message: 'm', MessageAttributes: eleven })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    expect(sink.published()).toEqual([]);
  });

  it('knows only its topics, and only in the region the request was signed for', async () => {
    await expect(publish({ TopicArn: 'arn:aws:sns:eu-west-1:000000000000:other', Message: 'm' })).rejects.toMatchObject({
      name: 'NotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
    await expect(publish({ TopicArn: 'not-an-arn', Message: 'm' })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    const usClient = snsClient(sink.url, 'us-east-1', { maxAttempts: 1 });
    try {
      await expect(usClient.send(new PublishCommand({ TopicArn: TOPIC, Message: 'm' }))).rejects.toMatchObject({
        name: 'InvalidParameterException',
        message: expect.stringContaining('signed for us-east-1'),
      });
    } finally {
      usClient.destroy();
    }
  });

  it('failNext(n) fails that many publishes with HTTP 500 InternalError; the SDK retries them', async () => {
    sink.failNext(1);
    await expect(publish({ Message: 'lost?' })).rejects.toMatchObject({ name: 'InternalErrorException', $fault: 'server', $metadata: { httpStatusCode: 500 } });
    await publish({ Message: 'after' });
    expect(sink.published().map((published) => published.message)).toEqual(['after']);

    sink.failNext(2);
    const retried = await publish({ Message: 'retried' }, sns);
    expect(retried.$metadata.attempts).toBe(3);
    expect(sink.published().map((published) => published.message)).toEqual(['after', 'retried']);
    expect(sink.rejected().map((rejection) => rejection.code)).toEqual(['InternalError', 'InternalError', 'InternalError']);
  });

  it('failNext with another code answers that error (status from the SNS error table)', async () => {
    sink.failNext(1, 'Throttled');
    await expect(publish({ Message: 'm' })).rejects.toMatchObject({ name: 'ThrottledException', $metadata: { httpStatusCode: 429 } });
    sink.failNext(1, 'KMSDisabled');
    await expect(publish({ Message: 'm' })).rejects.toMatchObject({ name: 'KMSDisabledException', $metadata: { httpStatusCode: 400 } });
  });

  it('setFailing(true) fails every publish until switched off', async () => {
    sink.setFailing(true);
    await expect(publish({ Message: 'one' }, sns)).rejects.toMatchObject({ name: 'InternalErrorException', $metadata: { attempts: 3 } });
    await expect(publish({ Message: 'two' })).rejects.toMatchObject({ name: 'InternalErrorException' });
    sink.setFailing(false);
    await publish({ Message: 'three' });
    expect(sink.published().map((published) => published.message)).toEqual(['three']);
  });

  it('answers query-protocol errors as SNS XML', async () => {
    const answer = await rawPost(
      sink.url,
      { 'Content-Type': 'application/x-www-form-urlencoded' },
      new URLSearchParams({ Action: 'Publish', Version: '2010-03-31', TopicArn: TOPIC, Message: 'm', Subject: 'a\nb' }).toString(),
    );
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(
      /^<ErrorResponse xmlns="http:\/\/sns\.amazonaws\.com\/doc\/2010-03-31\/"><Error><Type>Sender<\/Type><Code>InvalidParameter<\/Code><Message>Invalid parameter: Subject[^<]*<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/,
    );
    const other = await rawPost(sink.url, { 'Content-Type': 'application/x-www-form-urlencoded' }, 'Action=CreateTopic&Name=x');
    expect(other.text).toContain('<Code>InvalidAction</Code>');
  });

  describe('JSON 1.0 protocol (X-Amz-Target: AmazonSNS.Publish; not used by the installed client, so raw HTTP)', () => {
    const jsonPublish = (body: unknown, target = 'AmazonSNS.Publish') =>
      rawPost(
        sink.url,
        { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': target, Authorization: fakeSigV4('eu-west-1', 'sns') },
        JSON.stringify(body),
      );

    it('records a publish and answers {MessageId}', async () => {
      const answer = await jsonPublish({
        TopicArn: TOPIC,
        Message: '{"default":"d","email":"e"}',
        MessageStructure: 'json',
        Subject: 'hello',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'NEW_FAILURE' }, bin: { DataType: 'Binary', BinaryValue: 'AQID' } },
      });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('application/x-amz-json-1.0');
      const { MessageId } = JSON.parse(answer.text);
      expect(sink.published()).toEqual([
        expect.objectContaining({
          messageId: MessageId,
          protocol: 'json',
          subject: 'hello',
          messageStructure: 'json',
          messageAttributes: { kind: { dataType: 'String', value: 'NEW_FAILURE' }, bin: { dataType: 'Binary', value: 'AQID' } },
        }),
      ]);
    });

    it('applies the same rules and answers JSON errors with __type and x-amzn-query-error', async () => {
      const tooBig = await jsonPublish({ TopicArn: TOPIC, Message: 'x'.repeat(MAX_MESSAGE_BYTES + 1) });
      expect(tooBig.status).toBe(400);
      expect(JSON.parse(tooBig.text)).toEqual({ __type: 'InvalidParameter', message: expect.stringContaining('Message too long') });
      expect(tooBig.headers.get('x-amzn-query-error')).toBe('InvalidParameter;Sender');
      const noDefault = await jsonPublish({ TopicArn: TOPIC, Message: '{"email":"x"}', MessageStructure: 'json' });
      expect(JSON.parse(noDefault.text).__type).toBe('InvalidParameter');
      sink.failNext(1);
      const failed = await jsonPublish({ TopicArn: TOPIC, Message: 'm' });
      expect(failed.status).toBe(500);
      expect(failed.headers.get('x-amzn-query-error')).toBe('InternalError;Receiver');
      const unknown = await jsonPublish({}, 'AmazonSNS.CreateTopic');
      expect(JSON.parse(unknown.text).__type).toBe('UnknownOperationException');
      expect(sink.published()).toEqual([]);
    });
  });
});
