import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJsonObject, regionFromAuthorization, AwsServiceError } from './aws-json-protocol';
import { answerPlainFailure, readRequestBody, RequestTooLargeError, serveOnLoopback, type LoopbackListener } from './loopback-http-server';
import { SnsError, validatePublish, type PublishRequest } from './sns-publish-rules';
import { errorResponseXml, publishFromJson, publishFromQuery, publishResponseXml } from './sns-wire-formats';

const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

export interface SnsSinkOptions {
  /** If given, only these topic ARNs exist; publishing elsewhere gets NotFound "Topic does not exist". */
  readonly topics?: readonly string[];
}

/** One accepted Publish, as a subscriber would see it. */
export interface PublishedMessage {
  readonly messageId: string;
  readonly topicArn: string;
  readonly subject: string | undefined;
  readonly message: string;
  readonly messageStructure: string | undefined;
  /** Binary values are kept as base64. */
  readonly messageAttributes: Readonly<Record<string, { readonly dataType: string; readonly value: string }>>;
  /** ISO-8601. */
  readonly receivedAt: string;
  readonly protocol: 'query' | 'json';
}

/** One refused Publish: invalid, or failed on purpose by failNext/setFailing. */
export interface RejectedPublish {
  readonly code: string;
  readonly message: string;
  readonly receivedAt: string;
  readonly protocol: 'query' | 'json';
}

/**
 * An SNS endpoint that accepts Publish in both wire protocols, enforces SNS's limits and
 * records what was published, so tests assert on the alerts themselves and can make SNS fail
 * to check that no alert is lost.
 */
export class SnsSink {
  private readonly accepted: PublishedMessage[] = [];
  private readonly refused: RejectedPublish[] = [];
  private failuresLeft = 0;
  private failureCode = 'InternalError';
  private failing = false;
  private listener: LoopbackListener | undefined;

  private constructor(private readonly options: SnsSinkOptions) {}

  static async start(options: SnsSinkOptions = {}): Promise<SnsSink> {
    const sink = new SnsSink(options);
    sink.listener = await serveOnLoopback((request, response) => sink.handle(request, response), answerPlainFailure);
    return sink;
  }

  /** http://127.0.0.1:<port> — pass as `endpoint` to SNSClient. */
  get url(): string {
    return this.requireListener().url;
  }

  get port(): number {
    return this.requireListener().port;
  }

  /** Accepted publishes, oldest first (a copy). */
  published(): PublishedMessage[] {
    return [...this.accepted];
  }

  rejected(): RejectedPublish[] {
    return [...this.refused];
  }

  clear(): void {
    this.accepted.length = 0;
    this.refused.length = 0;
  }

  /** The next `count` publishes fail with `code` (InternalError answers HTTP 500, which the SDK retries). */
  failNext(count: number, code = 'InternalError'): void {
    this.failuresLeft = count;
    this.failureCode = code;
  }

  /** While on, every publish fails with `code`. */
  setFailing(failing: boolean, code = 'InternalError'): void {
    this.failing = failing;
    this.failureCode = code;
  }

  stop(): Promise<void> {
    return this.listener?.stop() ?? Promise.resolve();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = request.headers['x-amz-target'];
    const protocol = typeof target === 'string' ? 'json' : 'query';
    const receivedAt = new Date().toISOString();
    try {
      if (request.method !== 'POST') throw new SnsError('InvalidAction', 'Only POST requests are supported by this emulator.');
      const body = await readRequestBody(request, MAX_REQUEST_BYTES);
      const publish = protocol === 'json' ? decodeJson(target as string, body) : decodeQuery(body);
      this.injectedFailure();
      const { topicArn } = validatePublish(publish, {
        ...(this.options.topics && { knownTopics: this.options.topics }),
        ...signedRegion(request),
      });
      const messageId = randomUUID();
      this.accepted.push(record(publish, { messageId, topicArn, receivedAt, protocol }));
      const requestId = randomUUID();
      if (protocol === 'json') {
        sendBody(response, 200, JSON_CONTENT_TYPE, JSON.stringify({ MessageId: messageId }), requestId);
      } else {
        sendBody(response, 200, 'text/xml', publishResponseXml(messageId, requestId), requestId);
      }
    } catch (caught) {
      const error = toSnsError(caught);
      this.refused.push({ code: error.code, message: error.message, receivedAt, protocol });
      const requestId = randomUUID();
      if (protocol === 'json') {
        sendBody(response, error.statusCode, JSON_CONTENT_TYPE, JSON.stringify({ __type: error.code, message: error.message }), requestId, {
          'x-amzn-errortype': error.code,
          'x-amzn-query-error': `${error.code};${error.type}`,
        });
      } else {
        sendBody(response, error.statusCode, 'text/xml', errorResponseXml(error, requestId), requestId);
      }
    }
  }

  private injectedFailure(): void {
    if (this.failing) throw new SnsError(this.failureCode, `Injected failure (${this.failureCode})`);
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new SnsError(this.failureCode, `Injected failure (${this.failureCode})`);
    }
  }

  private requireListener(): LoopbackListener {
    if (!this.listener) throw new Error('the SNS sink is not listening');
    return this.listener;
  }
}

/** Starts an SnsSink; same as SnsSink.start. */
export function startSnsSink(options: SnsSinkOptions = {}): Promise<SnsSink> {
  return SnsSink.start(options);
}

function decodeJson(target: string, body: Buffer): PublishRequest {
  if (target !== 'AmazonSNS.Publish') {
    throw new SnsError('UnknownOperationException', `Operation ${target} is not supported by this emulator (only AmazonSNS.Publish).`);
  }
  try {
    return publishFromJson(parseJsonObject(body));
  } catch (error) {
    if (error instanceof AwsServiceError) throw new SnsError(error.code, error.message);
    throw error;
  }
}

function decodeQuery(body: Buffer): PublishRequest {
  const form = new URLSearchParams(body.toString('utf8'));
  const action = form.get('Action');
  if (action !== 'Publish') {
    throw new SnsError('InvalidAction', `The action ${action ?? '(none)'} is not valid for this web service (the emulator supports Publish).`);
  }
  return publishFromQuery(form);
}

function signedRegion(request: IncomingMessage): { signedRegion?: string } {
  const region = regionFromAuthorization(request.headers.authorization);
  return region === undefined ? {} : { signedRegion: region };
}

function record(
  publish: PublishRequest,
  meta: { messageId: string; topicArn: string; receivedAt: string; protocol: 'query' | 'json' },
): PublishedMessage {
  const messageAttributes: Record<string, { dataType: string; value: string }> = {};
  for (const attribute of publish.messageAttributes) {
    messageAttributes[attribute.name] = {
      dataType: attribute.dataType!,
      value: (attribute.dataType!.startsWith('Binary') ? attribute.binaryValue : attribute.stringValue)!,
    };
  }
  return {
    messageId: meta.messageId,
    topicArn: meta.topicArn,
    subject: publish.subject,
    message: publish.message!,
    messageStructure: publish.messageStructure,
    messageAttributes,
    receivedAt: meta.receivedAt,
    protocol: meta.protocol,
  };
}

function toSnsError(error: unknown): SnsError {
  if (error instanceof SnsError) return error;
  if (error instanceof RequestTooLargeError) return new SnsError('RequestEntityTooLarge', error.message, 413);
  return new SnsError('InternalError', `The SNS emulator failed: ${String(error)}`, 500);
}

function sendBody(
  response: ServerResponse,
  statusCode: number,
  contentType: string,
  body: string,
  requestId: string,
  extraHeaders: Record<string, string> = {},
): void {
  const payload = Buffer.from(body, 'utf8');
  response.writeHead(statusCode, {
    'Content-Type': contentType,
    'Content-Length': payload.length,
    'x-amzn-RequestId': requestId,
    ...extraHeaders,
  });
  response.end(payload);
}
