import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/**
 * The server side of the AWS JSON RPC protocols (1.0 and 1.1): what the SDK sends and the
 * exact error shape it parses (`__type` body field and `x-amzn-errortype` header).
 */
export class AwsServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = code;
  }
}

/**
 * The region of a SigV4-signed request, read from the credential scope:
 * `Authorization: AWS4-HMAC-SHA256 Credential=AKID/20261127/us-east-1/config/aws4_request, …`.
 * The SDK signs with the region it was configured for, so this is how a regional endpoint
 * emulated on one port knows which region is asked.
 */
export function regionFromAuthorization(authorization: string | undefined): string | undefined {
  const match = /Credential=[^/,\s]+\/\d{8}\/([^/,\s]+)\/[^/,\s]+\/aws4_request/.exec(authorization ?? '');
  return match?.[1];
}

export function sendJson(response: ServerResponse, statusCode: number, body: unknown, contentType: string): void {
  const payload = Buffer.from(JSON.stringify(body));
  response.writeHead(statusCode, {
    'Content-Type': contentType,
    'Content-Length': payload.length,
    'x-amzn-RequestId': randomUUID(),
  });
  response.end(payload);
}

export function sendJsonError(
  response: ServerResponse,
  error: AwsServiceError,
  contentType: string,
  extraHeaders: Record<string, string> = {},
): void {
  const payload = Buffer.from(JSON.stringify({ __type: error.code, message: error.message }));
  response.writeHead(error.statusCode, {
    'Content-Type': contentType,
    'Content-Length': payload.length,
    'x-amzn-RequestId': randomUUID(),
    'x-amzn-errortype': error.code,
    ...extraHeaders,
  });
  response.end(payload);
}

/** Parses a JSON request body into an object, or fails as AWS does with SerializationException. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AwsServiceError('SerializationException', 'The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AwsServiceError('SerializationException', 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}
