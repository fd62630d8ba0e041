import {
  DescribeOrganizationConformancePacksCommand,
  DescribeOrganizationConformancePackStatusesCommand,
  GetOrganizationConformancePackDetailedStatusCommand,
} from '@aws-sdk/client-config-service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSimulator } from '../../local/config-simulator';
import { configClient, rawConfigCall, rawPost, fakeSigV4 } from './local-clients';

describe('ConfigSimulator request validation and errors', () => {
  let simulator: ConfigSimulator;
  let client: ReturnType<typeof configClient>;

  beforeAll(async () => {
    simulator = await ConfigSimulator.start({
      scenario: {
        name: 'validation',
        regions: { 'us-east-1': { packs: [{ name: 'security-baseline', accounts: [{ accountId: '000123456789', status: 'CREATE_FAILED' }] }] } },
      },
    });
    client = configClient(simulator.url, 'us-east-1', { maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await simulator.stop();
  });

  const detailed = (input: Record<string, unknown>) =>
    client.send(new GetOrganizationConformancePackDetailedStatusCommand(input as never));

  it.each([
    [{}, "Value null at 'organizationConformancePackName' failed to satisfy constraint: Member must not be null"],
    [{ OrganizationConformancePackName: '' }, 'Member must have length greater than or equal to 1'],
    [{ OrganizationConformancePackName: 'a'.repeat(129) }, 'Member must have length less than or equal to 128'],
    [{ OrganizationConformancePackName: '1-starts-with-digit' }, 'Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*'],
    [{ OrganizationConformancePackName: 'has_underscore' }, 'Member must satisfy regular expression pattern'],
    [{ OrganizationConformancePackName: 'security-baseline', Filters: { AccountId: '12345678901' } }, "at 'filters.accountId'"],
    [{ OrganizationConformancePackName: 'security-baseline', Filters: { AccountId: '12345678901a' } }, 'pattern: \\d{12}'],
    [{ OrganizationConformancePackName: 'security-baseline', Filters: { Status: 'FAILED' } }, "Value 'FAILED' at 'filters.status'"],
  ])('GetOrganizationConformancePackDetailedStatus %j → ValidationException', async (input, message) => {
    const error = await detailed(input).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).toMatch(/^1 validation error detected: /);
  });

  it('reports every problem of one request in a single ValidationException', async () => {
    const error = await detailed({ OrganizationConformancePackName: '9', Filters: { AccountId: 'x', Status: 'NOPE' } }).catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/^3 validation errors detected: /);
  });

  it.each([-1, 101, 1000])('Limit %d → InvalidLimitException', async (Limit) => {
    await expect(detailed({ OrganizationConformancePackName: 'security-baseline', Limit })).rejects.toMatchObject({ name: 'InvalidLimitException' });
    await expect(client.send(new DescribeOrganizationConformancePacksCommand({ Limit }))).rejects.toMatchObject({ name: 'InvalidLimitException' });
    await expect(client.send(new DescribeOrganizationConformancePackStatusesCommand({ Limit }))).rejects.toMatchObject({
      name: 'InvalidLimitException',
    });
  });

  it('accepts the Limit bounds 1 and 100', async () => {
    for (const Limit of [1, 100]) {
      const answer = await detailed({ OrganizationConformancePackName: 'security-baseline', Limit });
      expect(answer.OrganizationConformancePackDetailedStatuses).toHaveLength(1);
    }
  });

  it('answers an unknown pack with NoSuchOrganizationConformancePackException, in every operation', async () => {
    await expect(detailed({ OrganizationConformancePackName: 'no-such-pack' })).rejects.toMatchObject({
      name: 'NoSuchOrganizationConformancePackException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      client.send(new DescribeOrganizationConformancePacksCommand({ OrganizationConformancePackNames: ['security-baseline', 'no-such-pack'] })),
    ).rejects.toMatchObject({ name: 'NoSuchOrganizationConformancePackException', message: expect.stringContaining('no-such-pack') });
    await expect(
      client.send(new DescribeOrganizationConformancePackStatusesCommand({ OrganizationConformancePackNames: ['no-such-pack'] })),
    ).rejects.toMatchObject({ name: 'NoSuchOrganizationConformancePackException' });
  });

  it('validates OrganizationConformancePackNames: at most 25, each matching the pattern', async () => {
    const names = Array.from({ length: 26 }, (_, index) => `pack-${index}`);
    await expect(client.send(new DescribeOrganizationConformancePacksCommand({ OrganizationConformancePackNames: names }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Member must have length less than or equal to 25'),
    });
    await expect(
      client.send(new DescribeOrganizationConformancePackStatusesCommand({ OrganizationConformancePackNames: ['bad name'] })),
    ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining("'organizationConformancePackNames.1.member'") });
  });

  it('speaks the JSON 1.1 error shape on the wire: HTTP 400, __type, x-amzn-errortype', async () => {
    const answer = await rawConfigCall(simulator.url, 'GetOrganizationConformancePackDetailedStatus', { OrganizationConformancePackName: 'nope' });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(answer.headers.get('x-amzn-errortype')).toBe('NoSuchOrganizationConformancePackException');
    expect(JSON.parse(answer.text)).toEqual({ __type: 'NoSuchOrganizationConformancePackException', message: expect.any(String) });

    const ok = await rawConfigCall(simulator.url, 'GetOrganizationConformancePackDetailedStatus', { OrganizationConformancePackName: 'security-baseline' });
    expect(ok.status).toBe(200);
    const [status] = JSON.parse(ok.text).OrganizationConformancePackDetailedStatuses as Array<Record<string, unknown>>;
    // JSON 1.1 timestamps travel as epoch seconds.
    expect(status).toMatchObject({ AccountId: '000123456789', LastUpdateTime: Date.parse('2026-11-01T00:00:00Z') / 1000 });
  });

  it('rejects a request without a SigV4 Authorization header (MissingAuthenticationTokenException)', async () => {
    const answer = await rawConfigCall(simulator.url, 'DescribeOrganizationConformancePacks', {}, null);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text).__type).toBe('MissingAuthenticationTokenException');
  });

  it('rejects an unknown X-Amz-Target (UnknownOperationException)', async () => {
    for (const target of ['StarlingDoveService.PutOrganizationConformancePack', 'StarlingDoveService.toString', 'Nonsense']) {
      const answer = await rawPost(
        simulator.url,
        { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': target, Authorization: fakeSigV4('us-east-1') },
        '{}',
      );
      expect(answer.status).toBe(400);
      expect(answer.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    }
  });

  it('rejects a body that is not JSON, or members of the wrong JSON type (SerializationException)', async () => {
    const notJson = await rawConfigCall(simulator.url, 'DescribeOrganizationConformancePacks', '{not json');
    expect(JSON.parse(notJson.text).__type).toBe('SerializationException');
    const wrongType = await rawConfigCall(simulator.url, 'GetOrganizationConformancePackDetailedStatus', {
      OrganizationConformancePackName: 'security-baseline',
      Limit: '10',
    });
    expect(JSON.parse(wrongType.text).__type).toBe('SerializationException');
  });
});
