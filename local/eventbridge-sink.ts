import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsServiceError, parseJsonObject, regionFromAuthorization, sendJson, sendJsonError } from './aws-json-protocol';
import { answerPlainFailure, readRequestBody, RequestTooLargeError, serveOnLoopback, type LoopbackListener } from './loopback-http-server';

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const PUT_EVENTS_TARGET = 'AWSEvents.PutEvents';
/** PutEvents takes 1 to 10 entries. */
export const MAX_ENTRIES_PER_CALL = 10;
/** The entries of one PutEvents call add up to at most 256 KiB, as EventBridge sizes them. */
export const MAX_ENTRIES_BYTES = 256 * 1024;
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

export interface EventBridgeSinkOptions {
  /** The event buses that exist (names); an entry for another bus fails. @default ['default'] */
  readonly buses?: readonly string[];
}

/** One entry EventBridge accepted, as a rule on the bus would see it. */
export interface RecordedEvent {
  readonly eventId: string;
  /** The bus name (an ARN in the request is reduced to its name). */
  readonly eventBusName: string;
  readonly source: string;
  readonly detailType: string;
  /** Detail, parsed: EventBridge only accepts a JSON object. */
  readonly detail: Readonly<Record<string, unknown>>;
  readonly resources: readonly string[];
  /** The region of the SigV4 credential scope. */
  readonly region: string;
  /** ISO-8601. */
  readonly receivedAt: string;
}

/** One entry EventBridge did not accept (invalid, or failed on purpose by failEntries). */
export interface FailedEntry {
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly source: unknown;
  readonly detailType: unknown;
}

/** One PutEvents call refused as a whole (invalid, or failed on purpose by failCalls). */
export interface RefusedCall {
  readonly code: string;
  readonly message: string;
}

/**
 * EventBridge `PutEvents` on 127.0.0.1, in the JSON 1.1 protocol the real SDK speaks
 * (`X-Amz-Target: AWSEvents.PutEvents`). It enforces EventBridge's limits (1–10 entries, 256 KiB,
 * Source, DetailType and a JSON-object Detail required, no `aws.` source), records what it accepted,
 * and can fail single entries (FailedEntryCount and a per-entry ErrorCode, as EventBridge does under
 * load) or whole calls, so tests check that no change event is lost.
 */
export class EventBridgeSink {
  private readonly accepted: RecordedEvent[] = [];
  private readonly failed: FailedEntry[] = [];
  private readonly refused: RefusedCall[] = [];
  private entryFailuresLeft = 0;
  private entryFailureCode = 'InternalFailure';
  private callFailuresLeft = 0;
  private callFailureCode = 'InternalException';
  private callCount = 0;
  private listener: LoopbackListener | undefined;
  private readonly buses: ReadonlySet<string>;

  private constructor(options: EventBridgeSinkOptions) {
    this.buses = new Set(options.buses ?? ['default']);
  }

  static async start(options: EventBridgeSinkOptions = {}): Promise<EventBridgeSink> {
    const sink = new EventBridgeSink(options);
    sink.listener = await serveOnLoopback((request, response) => sink.handle(request, response), answerPlainFailure);
    return sink;
  }

  /** http://127.0.0.1:<port> — pass as `endpoint` to EventBridgeClient, or as AWS_ENDPOINT_URL_EVENTBRIDGE. */
  get url(): string {
    return this.requireListener().url;
  }

  get port(): number {
    return this.requireListener().port;
  }

  /** Accepted events, oldest first (a copy). */
  events(): RecordedEvent[] {
    return [...this.accepted];
  }

  /** Entries answered with an ErrorCode, oldest first (a copy). */
  failedEntries(): FailedEntry[] {
    return [...this.failed];
  }

  /** Calls refused as a whole, oldest first (a copy). */
  refusedCalls(): RefusedCall[] {
    return [...this.refused];
  }

  /** PutEvents calls received, refused ones included. */
  calls(): number {
    return this.callCount;
  }

  clear(): void {
    this.accepted.length = 0;
    this.failed.length = 0;
    this.refused.length = 0;
    this.callCount = 0;
  }

  /**
   * The next `count` valid entries (across calls) are not accepted: the call succeeds with
   * FailedEntryCount and `code` on each of them. `Infinity` fails every entry until `failEntries(0)`.
   */
  failEntries(count: number, code = 'InternalFailure'): void {
    this.entryFailuresLeft = count;
    this.entryFailureCode = code;
  }

  /**
   * The next `count` calls fail as a whole with `code` (`InternalException` answers HTTP 500, which the
   * SDK retries; other codes answer 400). `Infinity` fails every call until `failCalls(0)`.
   */
  failCalls(count: number, code = 'InternalException'): void {
    this.callFailuresLeft = count;
    this.callFailureCode = code;
  }

  stop(): Promise<void> {
    return this.listener?.stop() ?? Promise.resolve();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.callCount += 1;
    try {
      const body = await readRequestBody(request, MAX_REQUEST_BYTES);
      sendJson(response, 200, this.answer(request, body), CONTENT_TYPE);
    } catch (caught) {
      const error = toServiceError(caught);
      this.refused.push({ code: error.code, message: error.message });
      sendJsonError(response, error, CONTENT_TYPE);
    }
  }

  private answer(request: IncomingMessage, body: Buffer): Record<string, unknown> {
    const target = headerValue(request, 'x-amz-target');
    if (request.method !== 'POST' || target !== PUT_EVENTS_TARGET) {
      throw new AwsServiceError('UnknownOperationException', `Operation ${target ?? '(none)'} is not supported by this emulator (only ${PUT_EVENTS_TARGET}).`);
    }
    const contentType = headerValue(request, 'content-type') ?? '';
    if (!contentType.startsWith(CONTENT_TYPE)) {
      throw new AwsServiceError('SerializationException', `Content-Type must be ${CONTENT_TYPE}, not ${JSON.stringify(contentType)}.`);
    }
    const region = regionFromAuthorization(headerValue(request, 'authorization'));
    if (!region) {
      throw new AwsServiceError('MissingAuthenticationTokenException', 'Request is missing Authentication Token: sign it with SigV4.');
    }
    if (this.callFailuresLeft > 0) {
      this.callFailuresLeft -= 1;
      throw new AwsServiceError(this.callFailureCode, `Injected failure (${this.callFailureCode})`, this.callFailureCode === 'InternalException' ? 500 : 400);
    }
    const entries = parseJsonObject(body).Entries;
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES_PER_CALL) {
      throw new AwsServiceError(
        'ValidationException',
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES_PER_CALL}`,
      );
    }
    if (entries.reduce((total: number, entry: unknown) => total + entryBytes(entry), 0) > MAX_ENTRIES_BYTES) {
      throw new AwsServiceError('ValidationException', 'Total size of the entries in the request is over the limit.');
    }
    const receivedAt = new Date().toISOString();
    const results = entries.map((entry: unknown) => this.put(entry, region, receivedAt));
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  }

  /** Accepts or fails one entry; the result is what EventBridge answers for it. */
  private put(entry: unknown, region: string, receivedAt: string): { EventId: string } | { ErrorCode: string; ErrorMessage: string } {
    const fields = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const fail = (errorCode: string, errorMessage: string) => {
      this.failed.push({ errorCode, errorMessage, source: fields.Source, detailType: fields.DetailType });
      return { ErrorCode: errorCode, ErrorMessage: errorMessage };
    };
    for (const name of ['Source', 'DetailType', 'Detail'] as const) {
      if (typeof fields[name] !== 'string' || fields[name] === '') {
        return fail('InvalidArgument', `Parameter ${name} is not valid. Reason: ${name} is a required argument.`);
      }
    }
    const detail = parseDetail(fields.Detail as string);
    if (!detail) return fail('MalformedDetail', 'Detail is malformed.');
    if ((fields.Source as string).startsWith('aws.')) {
      return fail('NotAuthorizedForSourceException', `Not authorized for the source ${fields.Source as string}.`);
    }
    const eventBusName = busName(fields.EventBusName);
    if (!this.buses.has(eventBusName)) return fail('ResourceNotFoundException', `Event bus ${eventBusName} does not exist.`);
    if (this.entryFailuresLeft > 0) {
      this.entryFailuresLeft -= 1;
      return fail(this.entryFailureCode, `Injected failure (${this.entryFailureCode})`);
    }
    const eventId = randomUUID();
    this.accepted.push({
      eventId,
      eventBusName,
      source: fields.Source as string,
      detailType: fields.DetailType as string,
      detail,
      resources: Array.isArray(fields.Resources) ? fields.Resources.filter((item): item is string => typeof item === 'string') : [],
      region,
      receivedAt,
    });
    return { EventId: eventId };
  }

  private requireListener(): LoopbackListener {
    if (!this.listener) throw new Error('the EventBridge sink is not listening');
    return this.listener;
  }
}

/** Starts an EventBridgeSink; same as EventBridgeSink.start. */
export function startEventBridgeSink(options: EventBridgeSinkOptions = {}): Promise<EventBridgeSink> {
  return EventBridgeSink.start(options);
}

/**
 * An entry's size as EventBridge counts it: UTF-8 bytes of Source, DetailType, Detail and each
 * Resource, plus 14 bytes for a Time.
 */
export function entryBytes(entry: unknown): number {
  if (typeof entry !== 'object' || entry === null) return 0;
  const fields = entry as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? Buffer.byteLength(value) : 0);
  const resources = Array.isArray(fields.Resources) ? fields.Resources.reduce((total: number, item: unknown) => total + text(item), 0) : 0;
  return (fields.Time !== undefined ? 14 : 0) + text(fields.Source) + text(fields.DetailType) + text(fields.Detail) + resources;
}

function parseDetail(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** "default" when absent; the name part of an event bus ARN. */
function busName(value: unknown): string {
  if (typeof value !== 'string' || value === '') return 'default';
  const arn = /^arn:[^:]+:events:[^:]*:\d{12}:event-bus\/(.+)$/.exec(value);
  return arn ? arn[1]! : value;
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function toServiceError(error: unknown): AwsServiceError {
  if (error instanceof AwsServiceError) return error;
  if (error instanceof RequestTooLargeError) return new AwsServiceError('ValidationException', error.message, 413);
  return new AwsServiceError('InternalException', `The EventBridge emulator failed: ${String(error)}`, 500);
}
