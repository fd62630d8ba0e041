/**
 * The rules Amazon SNS applies to a Publish call, independent of the wire protocol that
 * carried it. Enforcing them locally means an alert that would be refused in AWS (too big,
 * bad subject, malformed per-protocol JSON) fails in tests, not in production.
 */

/** A Publish request decoded from either protocol. */
export interface PublishRequest {
  readonly topicArn?: string;
  readonly targetArn?: string;
  readonly phoneNumber?: string;
  readonly message?: string;
  readonly subject?: string;
  readonly messageStructure?: string;
  readonly messageAttributes: ReadonlyArray<PublishAttribute>;
}

export interface PublishAttribute {
  readonly name: string;
  readonly dataType?: string;
  readonly stringValue?: string;
  /** Base64, as both protocols carry it. */
  readonly binaryValue?: string;
}

export class SnsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = statusOf(code),
  ) {
    super(message);
    this.name = code;
  }

  get type(): 'Sender' | 'Receiver' {
    return this.statusCode >= 500 ? 'Receiver' : 'Sender';
  }
}

/** HTTP status per SNS error code, as the SDK's error table has them. */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  InternalError: 500,
  NotFound: 404,
  ResourceNotFound: 404,
  Throttled: 429,
  AuthorizationError: 403,
  InvalidSecurity: 403,
  KMSOptInRequired: 403,
};

function statusOf(code: string): number {
  return STATUS_BY_CODE[code] ?? 400;
}

export const MAX_MESSAGE_BYTES = 262_144;
const MAX_ATTRIBUTES = 10;
const TOPIC_ARN_PATTERN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256}(\.fifo)?)$/;
// C0 and C1 control characters; line breaks are among them.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

export interface PublishTarget {
  readonly topicArn: string;
  readonly region: string;
}

/** Checks everything SNS checks; returns the topic. `signedRegion` is the SigV4 region, if signed. */
export function validatePublish(
  request: PublishRequest,
  options: { knownTopics?: readonly string[]; signedRegion?: string },
): PublishTarget {
  const target = checkTarget(request, options);
  if (request.message === undefined) {
    throw new SnsError('ValidationError', "1 validation error detected: Value null at 'message' failed to satisfy constraint: Member must not be null");
  }
  if (request.message.length === 0) throw new SnsError('InvalidParameter', 'Invalid parameter: Empty message');
  if (request.subject !== undefined) checkSubject(request.subject);
  if (request.messageStructure !== undefined) checkMessageStructure(request.messageStructure, request.message);
  const attributeBytes = checkAttributes(request.messageAttributes);
  const totalBytes = Buffer.byteLength(request.message, 'utf8') + attributeBytes;
  if (totalBytes > MAX_MESSAGE_BYTES) {
    throw new SnsError(
      'InvalidParameter',
      `Invalid parameter: Message too long (${totalBytes} bytes of message and attributes; the limit is ${MAX_MESSAGE_BYTES})`,
    );
  }
  return target;
}

function checkTarget(request: PublishRequest, options: { knownTopics?: readonly string[]; signedRegion?: string }): PublishTarget {
  if (request.phoneNumber !== undefined) {
    throw new SnsError('InvalidParameter', 'Invalid parameter: PhoneNumber Reason: this emulator only publishes to topics');
  }
  if (request.topicArn !== undefined && request.targetArn !== undefined) {
    throw new SnsError('InvalidParameter', 'Invalid parameter: TopicArn Reason: Only one of TopicArn or TargetArn may be specified');
  }
  const arn = request.topicArn ?? request.targetArn;
  if (arn === undefined) {
    throw new SnsError('InvalidParameter', 'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter');
  }
  const match = TOPIC_ARN_PATTERN.exec(arn);
  if (!match) throw new SnsError('InvalidParameter', `Invalid parameter: TopicArn (${arn})`);
  const region = match[1]!;
  if (options.signedRegion !== undefined && options.signedRegion !== region) {
    throw new SnsError(
      'InvalidParameter',
      `Invalid parameter: TopicArn Reason: the topic is in ${region} but the request was signed for ${options.signedRegion}`,
    );
  }
  if (options.knownTopics && !options.knownTopics.includes(arn)) throw new SnsError('NotFound', 'Topic does not exist');
  return { topicArn: arn, region };
}

function checkSubject(subject: string): void {
  if (subject.length === 0) throw new SnsError('InvalidParameter', 'Invalid parameter: Subject Reason: must not be empty');
  const characters = [...subject].length;
  if (characters >= 100) {
    throw new SnsError('InvalidParameter', `Invalid parameter: Subject Reason: must be less than 100 characters long, got ${characters}`);
  }
  if (CONTROL_CHARACTERS.test(subject)) {
    throw new SnsError('InvalidParameter', 'Invalid parameter: Subject Reason: must not contain line breaks or control characters');
  }
}

/**
 * MessageStructure=json: a JSON object with a string "default". AWS documents that other
 * non-string values are ignored; the emulator refuses them, since a protocol body that is
 * silently dropped is always a bug in the sender.
 */
function checkMessageStructure(structure: string, message: string): void {
  if (structure !== 'json') {
    throw new SnsError('InvalidParameter', `Invalid parameter: MessageStructure Reason: must be "json", got "${structure}"`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw new SnsError('InvalidParameter', 'Invalid parameter: Message Structure - JSON message body failed to parse');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SnsError('InvalidParameter', 'Invalid parameter: Message Structure - JSON message body must be an object');
  }
  const body = parsed as Record<string, unknown>;
  if (typeof body.default !== 'string') {
    throw new SnsError('InvalidParameter', 'Invalid parameter: Message Structure - No default entry in JSON message body');
  }
  for (const [key, value] of Object.entries(body)) {
    if (typeof value !== 'string') {
      throw new SnsError('InvalidParameter', `Invalid parameter: Message Structure - the value of "${key}" must be a string`);
    }
  }
}

/** Validates the attributes and returns the bytes they add to the message size. */
function checkAttributes(attributes: ReadonlyArray<PublishAttribute>): number {
  if (attributes.length > MAX_ATTRIBUTES) {
    throw new SnsError(
      'InvalidParameter',
      `Invalid parameter: MessageAttributes Reason: Number of message attributes [${attributes.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}]`,
    );
  }
  const seen = new Set<string>();
  let bytes = 0;
  for (const attribute of attributes) {
    const { name, dataType } = attribute;
    if (!/^[A-Za-z0-9_.-]{1,256}$/.test(name) || /^\.|\.$|\.\./.test(name) || /^(aws|amazon)\./i.test(name)) {
      throw new SnsError('ParameterValueInvalid', `The message attribute name '${name}' is invalid.`);
    }
    if (seen.has(name)) throw new SnsError('ParameterValueInvalid', `The message attribute '${name}' is specified more than once.`);
    seen.add(name);
    if (dataType === undefined || !/^(String|Number|Binary)(\.[A-Za-z0-9_.-]{1,255})?$/.test(dataType)) {
      throw new SnsError(
        'ParameterValueInvalid',
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    }
    let valueBytes: number;
    if (dataType.startsWith('Binary')) {
      if (!attribute.binaryValue) {
        throw new SnsError('ParameterValueInvalid', `The message attribute '${name}' with type 'Binary' must use field 'Binary'.`);
      }
      valueBytes = Buffer.from(attribute.binaryValue, 'base64').length;
    } else {
      const value = attribute.stringValue;
      if (value === undefined || value === '') {
        throw new SnsError(
          'ParameterValueInvalid',
          `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`,
        );
      }
      if (dataType.startsWith('Number') && !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value.trim())) {
        throw new SnsError('ParameterValueInvalid', `Could not cast message attribute '${name}' value to number.`);
      }
      if (dataType === 'String.Array' && !isJsonArray(value)) {
        throw new SnsError('ParameterValueInvalid', `The message attribute '${name}' of type 'String.Array' must hold a JSON array.`);
      }
      valueBytes = Buffer.byteLength(value, 'utf8');
    }
    bytes += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(dataType, 'utf8') + valueBytes;
  }
  return bytes;
}

function isJsonArray(text: string): boolean {
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false;
  }
}
