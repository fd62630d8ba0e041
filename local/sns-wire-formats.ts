import type { PublishAttribute, PublishRequest, SnsError } from './sns-publish-rules';

/**
 * The two ways a Publish reaches SNS: the classic query protocol (form fields in, XML out;
 * what @aws-sdk/client-sns 3.x sends) and the JSON 1.0 protocol (X-Amz-Target AmazonSNS.Publish).
 */

const SNS_XML_NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';

/** Decodes `Action=Publish&TopicArn=…&MessageAttributes.entry.N.Name=…` form fields. */
export function publishFromQuery(form: URLSearchParams): PublishRequest {
  const attributes = new Map<string, { name?: string; dataType?: string; stringValue?: string; binaryValue?: string }>();
  for (const [key, value] of form) {
    const match = /^MessageAttributes\.entry\.(\d+)\.(Name|Value\.DataType|Value\.StringValue|Value\.BinaryValue)$/.exec(key);
    if (!match) continue;
    const entry = attributes.get(match[1]!) ?? {};
    if (match[2] === 'Name') entry.name = value;
    else if (match[2] === 'Value.DataType') entry.dataType = value;
    else if (match[2] === 'Value.StringValue') entry.stringValue = value;
    else entry.binaryValue = value;
    attributes.set(match[1]!, entry);
  }
  return {
    ...optional('topicArn', form.get('TopicArn')),
    ...optional('targetArn', form.get('TargetArn')),
    ...optional('phoneNumber', form.get('PhoneNumber')),
    ...optional('message', form.get('Message')),
    ...optional('subject', form.get('Subject')),
    ...optional('messageStructure', form.get('MessageStructure')),
    messageAttributes: [...attributes.entries()]
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, entry]) => ({ ...entry, name: entry.name ?? '' })),
  };
}

/** Decodes a JSON 1.0 Publish body, where MessageAttributes is a map of name → value. */
export function publishFromJson(body: Record<string, unknown>): PublishRequest {
  const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : undefined);
  const rawAttributes = body.MessageAttributes;
  const messageAttributes: PublishAttribute[] = [];
  if (rawAttributes && typeof rawAttributes === 'object' && !Array.isArray(rawAttributes)) {
    for (const [name, raw] of Object.entries(rawAttributes as Record<string, unknown>)) {
      const value = (raw ?? {}) as Record<string, unknown>;
      messageAttributes.push({
        name,
        ...optional('dataType', typeof value.DataType === 'string' ? value.DataType : undefined),
        ...optional('stringValue', typeof value.StringValue === 'string' ? value.StringValue : undefined),
        ...optional('binaryValue', typeof value.BinaryValue === 'string' ? value.BinaryValue : undefined),
      });
    }
  }
  return {
    ...optional('topicArn', text('TopicArn')),
    ...optional('targetArn', text('TargetArn')),
    ...optional('phoneNumber', text('PhoneNumber')),
    ...optional('message', text('Message')),
    ...optional('subject', text('Subject')),
    ...optional('messageStructure', text('MessageStructure')),
    messageAttributes,
  };
}

export function publishResponseXml(messageId: string, requestId: string): string {
  return (
    `<PublishResponse xmlns="${SNS_XML_NAMESPACE}"><PublishResult><MessageId>${escapeXml(messageId)}</MessageId></PublishResult>` +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></PublishResponse>`
  );
}

export function errorResponseXml(error: SnsError, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${SNS_XML_NAMESPACE}"><Error><Type>${error.type}</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`
  );
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function optional<K extends string>(key: K, value: string | null | undefined): { [P in K]?: string } {
  return (value === null || value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
