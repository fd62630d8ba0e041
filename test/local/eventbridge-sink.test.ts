import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { entryBytes, EventBridgeSink, MAX_ENTRIES_BYTES } from '../../local/eventbridge-sink';
import { fakeSigV4, LOCAL_CREDENTIALS, rawPost } from './local-clients';

const entry = (overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  Source: 'packwatch',
  DetailType: 'Conformance Pack Deployment Change',
  Detail: JSON.stringify({ schema: 'packwatch.change/1', accountId: '000123456789' }),
  ...overrides,
});

describe('EventBridgeSink', () => {
  let sink: EventBridgeSink;
  let events: EventBridgeClient;

  beforeAll(async () => {
    sink = await EventBridgeSink.start({ buses: ['default', 'packwatch-bus'] });
    // One attempt: an injected failure is seen as is, not hidden by the SDK's retries.
    events = new EventBridgeClient({ endpoint: sink.url, region: 'eu-west-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  });
  afterAll(async () => {
    events.destroy();
    await sink.stop();
  });
  beforeEach(() => {
    sink.failEntries(0);
    sink.failCalls(0);
    sink.clear();
  });

  const put = (entries: PutEventsRequestEntry[]) => events.send(new PutEventsCommand({ Entries: entries }));

  it('listens on 127.0.0.1 only', () => {
    expect(sink.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('records the entries the real SDK client puts, with the signed region and the bus name from an ARN', async () => {
    const answer = await put([
      entry({ Resources: ['arn:aws:config:eu-west-1:000123456789:conformance-pack/x'] }),
      entry({ EventBusName: 'arn:aws:events:eu-west-1:999988887777:event-bus/packwatch-bus', Detail: '{"n":2}' }),
    ]);
    expect(answer.FailedEntryCount).toBe(0);
    expect(answer.Entries).toEqual([{ EventId: expect.any(String) }, { EventId: expect.any(String) }]);
    expect(sink.events()).toEqual([
      {
        eventId: answer.Entries![0]!.EventId,
        eventBusName: 'default',
        source: 'packwatch',
        detailType: 'Conformance Pack Deployment Change',
        detail: { schema: 'packwatch.change/1', accountId: '000123456789' },
        resources: ['arn:aws:config:eu-west-1:000123456789:conformance-pack/x'],
        region: 'eu-west-1',
        receivedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      },
      expect.objectContaining({ eventId: answer.Entries![1]!.EventId, eventBusName: 'packwatch-bus', detail: { n: 2 } }),
    ]);
  });

  it.each([
    { case: 'no Source', entry: entry({ Source: undefined }), code: 'InvalidArgument', message: 'Parameter Source is not valid' },
    { case: 'no DetailType', entry: entry({ DetailType: '' }), code: 'InvalidArgument', message: 'Parameter DetailType is not valid' },
    { case: 'no Detail', entry: entry({ Detail: undefined }), code: 'InvalidArgument', message: 'Parameter Detail is not valid' },
    { case: 'Detail not JSON', entry: entry({ Detail: '{oops' }), code: 'MalformedDetail', message: 'Detail is malformed.' },
    { case: 'Detail a JSON array', entry: entry({ Detail: '[1,2]' }), code: 'MalformedDetail', message: 'Detail is malformed.' },
    { case: 'Detail a JSON string', entry: entry({ Detail: '"text"' }), code: 'MalformedDetail', message: 'Detail is malformed.' },
    { case: 'an aws. source', entry: entry({ Source: 'aws.config' }), code: 'NotAuthorizedForSourceException', message: 'aws.config' },
    { case: 'an unknown bus', entry: entry({ EventBusName: 'nope' }), code: 'ResourceNotFoundException', message: 'Event bus nope does not exist.' },
  ])('fails an entry with $case as EventBridge does, accepting the others', async ({ entry: bad, code, message }) => {
    const answer = await put([entry(), bad, entry()]);
    expect(answer.FailedEntryCount).toBe(1);
    expect(answer.Entries![0]).toEqual({ EventId: expect.any(String) });
    expect(answer.Entries![1]).toEqual({ ErrorCode: code, ErrorMessage: expect.stringContaining(message) });
    expect(answer.Entries![2]).toEqual({ EventId: expect.any(String) });
    expect(sink.events()).toHaveLength(2);
    expect(sink.failedEntries()).toEqual([expect.objectContaining({ errorCode: code })]);
  });

  it.each([
    { case: 'no entry', entries: [] as PutEventsRequestEntry[] },
    { case: '11 entries', entries: Array.from({ length: 11 }, () => entry()) },
  ])('refuses a call with $case (ValidationException)', async ({ entries }) => {
    await expect(put(entries)).rejects.toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    expect(sink.events()).toEqual([]);
  });

  it('accepts entries of exactly 256 KiB together and refuses one byte more', async () => {
    const frame = entryBytes(entry({ Detail: '{"x":""}' }));
    const fits = entry({ Detail: JSON.stringify({ x: 'x'.repeat(MAX_ENTRIES_BYTES - frame) }) });
    expect(entryBytes(fits)).toBe(MAX_ENTRIES_BYTES);
    await expect(put([fits])).resolves.toMatchObject({ FailedEntryCount: 0 });
    const over = entry({ Detail: JSON.stringify({ x: 'x'.repeat(MAX_ENTRIES_BYTES - frame + 1) }) });
    await expect(put([over])).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('over the limit') });
    await expect(put([entry({ Detail: '{"x":"é"}' }), fits])).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('fails the next entries on demand with FailedEntryCount and a per-entry ErrorCode, across calls', async () => {
    sink.failEntries(3, 'ThrottlingException');
    const first = await put([entry(), entry()]);
    expect(first.FailedEntryCount).toBe(2);
    expect(first.Entries).toEqual([
      { ErrorCode: 'ThrottlingException', ErrorMessage: 'Injected failure (ThrottlingException)' },
      { ErrorCode: 'ThrottlingException', ErrorMessage: 'Injected failure (ThrottlingException)' },
    ]);
    const second = await put([entry(), entry()]);
    expect(second.FailedEntryCount).toBe(1);
    expect(second.Entries![1]).toEqual({ EventId: expect.any(String) });
    expect(sink.events()).toHaveLength(1);
  });

  it('fails every entry while failEntries(Infinity) is on', async () => {
    sink.failEntries(Number.POSITIVE_INFINITY);
    for (let call = 0; call < 3; call += 1) expect((await put([entry()])).FailedEntryCount).toBe(1);
    sink.failEntries(0);
    expect((await put([entry()])).FailedEntryCount).toBe(0);
  });

  it.each([
    { code: 'InternalException', status: 500 },
    { code: 'AccessDeniedException', status: 400 },
  ])('fails whole calls on demand with $code (HTTP $status)', async ({ code, status }) => {
    sink.failCalls(1, code);
    await expect(put([entry()])).rejects.toMatchObject({ name: code, $metadata: { httpStatusCode: status } });
    await expect(put([entry()])).resolves.toMatchObject({ FailedEntryCount: 0 });
    expect(sink.refusedCalls()).toEqual([{ code, message: `Injected failure (${code})` }]);
    expect(sink.calls()).toBe(2);
  });

  it('lets the SDK retry a call that failed with InternalException', async () => {
    const retrying = new EventBridgeClient({ endpoint: sink.url, region: 'eu-west-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 2 });
    try {
      sink.failCalls(1);
      await expect(retrying.send(new PutEventsCommand({ Entries: [entry()] }))).resolves.toMatchObject({ FailedEntryCount: 0 });
      expect(sink.calls()).toBe(2);
    } finally {
      retrying.destroy();
    }
  });

  it.each([
    { case: 'another operation', headers: { 'X-Amz-Target': 'AWSEvents.PutRule' }, code: 'UnknownOperationException' },
    { case: 'the JSON 1.0 content type', headers: { 'Content-Type': 'application/x-amz-json-1.0' }, code: 'SerializationException' },
    { case: 'no signature', headers: { Authorization: '' }, code: 'MissingAuthenticationTokenException' },
  ])('refuses $case on the wire', async ({ headers, code }) => {
    const answer = await rawPost(
      sink.url,
      {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'AWSEvents.PutEvents',
        Authorization: fakeSigV4('us-east-1', 'events'),
        ...headers,
      },
      JSON.stringify({ Entries: [entry()] }),
    );
    expect(answer.status).toBe(400);
    expect(answer.headers.get('x-amzn-errortype')).toBe(code);
    expect(JSON.parse(answer.text)).toMatchObject({ __type: code });
  });
});
