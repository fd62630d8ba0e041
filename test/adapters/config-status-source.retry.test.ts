import { Readable } from 'node:stream';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { HttpRequest, HttpResponse } from '@smithy/types';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigStatusSource } from '../../lambda/adapters/config-status-source.js';
import { OrganizationAccessDeniedError, PackNotFoundError } from '../../lambda/ports.js';
import { newSweepCounters, type SweepCounters } from '../../lambda/sweep-counters.js';

/*
 * aws-sdk-client-mock stubs `Client#send`, so neither the SDK's retry loop nor the attempt-counting middleware
 * (lambda/adapters/count-attempts.ts, deserialize step) runs under it. These tests keep the whole SDK pipeline
 * (serialize, sign, retry, deserialize) and replace only the HTTP handler with an in-process fake: nothing is
 * sent anywhere, not even to loopback. The retry strategy is the SDK's standard one with a 1 ms backoff.
 */

const REGION = 'us-east-1';
const MAX_ATTEMPTS = 3;

interface FakeReply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly errorType?: string;
}

const ok = (body: Record<string, unknown>): FakeReply => ({ status: 200, body });
const awsError = (errorType: string, status = 400): FakeReply => ({
  status,
  errorType,
  body: { __type: errorType, message: `${errorType} from the fake endpoint` },
});

/** An HTTP handler that answers AWS JSON 1.1 requests from a script, one reply per request, and records the requests. */
class ScriptedConfigEndpoint {
  readonly requests: { target: string; body: Record<string, unknown> }[] = [];

  constructor(private readonly replies: FakeReply[]) {}

  async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
    const target = String(request.headers['x-amz-target'] ?? '');
    const text = request.body === undefined ? '{}' : new TextDecoder().decode(request.body as Uint8Array);
    this.requests.push({ target, body: JSON.parse(text) as Record<string, unknown> });
    const reply = this.replies.shift();
    if (!reply) throw new Error(`the fake endpoint has no reply left for ${target}`);
    return {
      response: {
        statusCode: reply.status,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          ...(reply.errorType ? { 'x-amzn-errortype': reply.errorType } : {}),
        },
        body: Readable.from([Buffer.from(JSON.stringify(reply.body))]),
      },
    };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
}

let counters: SweepCounters;

beforeEach(() => {
  counters = newSweepCounters();
});

function sourceServedBy(endpoint: ScriptedConfigEndpoint): ConfigStatusSource {
  return new ConfigStatusSource({
    clientFor: (region) =>
      new ConfigServiceClient({
        region,
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
        requestHandler: endpoint,
        retryStrategy: new ConfiguredRetryStrategy(MAX_ATTEMPTS, 1),
      }),
    counters,
    onMalformedRecord: () => {
      throw new Error('no malformed record expected');
    },
  });
}

const onePack = ok({ OrganizationConformancePacks: [{ OrganizationConformancePackName: 'baseline' }] });

describe('ConfigStatusSource through the SDK pipeline: retries and attempt counters', () => {
  it.each([
    { error: 'ThrottlingException', status: 400 },
    { error: 'TooManyRequestsException', status: 429 },
  ])('retries $error (HTTP $status) twice and succeeds, counting 3 calls and 2 throttles', async ({ error, status }) => {
    // Prepare
    const endpoint = new ScriptedConfigEndpoint([awsError(error, status), awsError(error, status), onePack]);
    const source = sourceServedBy(endpoint);

    // Act
    const packs = await source.listPacks(REGION);

    // Assess
    expect(packs).toEqual(['baseline']);
    expect(endpoint.requests.map((request) => request.target)).toEqual(
      Array.from({ length: 3 }, () => 'StarlingDoveService.DescribeOrganizationConformancePacks'),
    );
    expect(counters).toMatchObject({ apiCalls: 3, throttles: 2 });
  });

  it('gives up after the configured attempts when every attempt is throttled, having counted each one', async () => {
    // Prepare
    const endpoint = new ScriptedConfigEndpoint(Array.from({ length: MAX_ATTEMPTS }, () => awsError('ThrottlingException')));
    const source = sourceServedBy(endpoint);

    // Act
    const result = source.listFailingAccounts(REGION, 'baseline');

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(endpoint.requests).toHaveLength(MAX_ATTEMPTS);
    expect(counters).toMatchObject({ apiCalls: MAX_ATTEMPTS, throttles: MAX_ATTEMPTS });
  });

  it('counts one call per page and no throttle when nothing is throttled', async () => {
    // Prepare
    const endpoint = new ScriptedConfigEndpoint([
      ok({ OrganizationConformancePacks: [{ OrganizationConformancePackName: 'alpha' }], NextToken: 't1' }),
      ok({ OrganizationConformancePacks: [], NextToken: 't2' }),
      ok({ OrganizationConformancePacks: [{ OrganizationConformancePackName: 'beta' }] }),
    ]);
    const source = sourceServedBy(endpoint);

    // Act
    const packs = await source.listPacks(REGION);

    // Assess
    expect(packs).toEqual(['alpha', 'beta']);
    expect(endpoint.requests.map((request) => request.body)).toEqual([{ Limit: 100 }, { Limit: 100, NextToken: 't1' }, { Limit: 100, NextToken: 't2' }]);
    expect(counters).toMatchObject({ apiCalls: 3, throttles: 0 });
  });

  it('sends the status filter on the wire and keeps a leading-zero account ID a string', async () => {
    // Prepare
    const endpoint = new ScriptedConfigEndpoint([
      ok({ OrganizationConformancePackDetailedStatuses: [{ AccountId: '000123456789', ConformancePackName: 'x', Status: 'CREATE_FAILED', LastUpdateTime: 1714979289 }] }),
      ok({ OrganizationConformancePackDetailedStatuses: [] }),
      ok({ OrganizationConformancePackDetailedStatuses: [] }),
    ]);
    const source = sourceServedBy(endpoint);

    // Act
    const failing = await source.listFailingAccounts(REGION, 'baseline');

    // Assess
    expect(failing).toEqual([{ accountId: '000123456789', status: 'CREATE_FAILED', lastUpdateTime: '2024-05-06T07:08:09.000Z' }]);
    expect(endpoint.requests.map((request) => request.body)).toEqual(
      ['CREATE_FAILED', 'UPDATE_FAILED', 'DELETE_FAILED'].map((status) => ({
        OrganizationConformancePackName: 'baseline',
        Filters: { Status: status },
        Limit: 100,
      })),
    );
    expect(counters).toMatchObject({ apiCalls: 3, throttles: 0 });
  });

  it.each([
    { error: 'NoSuchOrganizationConformancePackException', expected: PackNotFoundError },
    { error: 'OrganizationAccessDeniedException', expected: OrganizationAccessDeniedError },
  ])('maps $error decoded from the wire without retrying it', async ({ error, expected }) => {
    // Prepare
    const endpoint = new ScriptedConfigEndpoint([awsError(error)]);
    const source = sourceServedBy(endpoint);

    // Act
    const result = source.getAccountDeployment(REGION, 'baseline', '000000000001');

    // Assess
    await expect(result).rejects.toBeInstanceOf(expected);
    expect(endpoint.requests).toHaveLength(1);
    expect(counters).toMatchObject({ apiCalls: 1, throttles: 0 });
  });
});
