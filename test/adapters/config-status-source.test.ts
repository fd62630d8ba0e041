import 'aws-sdk-client-mock-vitest/extend';
import {
  ConfigServiceClient,
  ConfigServiceServiceException,
  DescribeOrganizationConformancePacksCommand,
  GetOrganizationConformancePackDetailedStatusCommand,
  InvalidNextTokenException,
  NoSuchOrganizationConformancePackException,
  OrganizationAccessDeniedException,
  type GetOrganizationConformancePackDetailedStatusCommandInput,
  type GetOrganizationConformancePackDetailedStatusCommandOutput,
  type OrganizationConformancePackDetailedStatus,
} from '@aws-sdk/client-config-service';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigStatusSource } from '../../lambda/adapters/config-status-source.js';
import { MalformedRecordError, OrganizationAccessDeniedError, PackNotFoundError } from '../../lambda/ports.js';
import { newSweepCounters, type SweepCounters } from '../../lambda/sweep-counters.js';

/*
 * aws-sdk-client-mock replaces `Client#send` with a sinon stub: the command's middleware stack (and so the
 * SDK's retry loop and Packwatch's attempt-counting middleware) never runs here. Retries and
 * `counters.apiCalls` / `counters.throttles` are covered through the real SDK pipeline in
 * config-status-source.retry.test.ts.
 */

const REGION = 'eu-west-1';
const PACK = 'OrgConformsPack-baseline';
const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };

const configMock = mockClient(ConfigServiceClient);

interface Reported {
  readonly region: string;
  readonly conformancePack: string;
  readonly problem: string;
}

let counters: SweepCounters;
let reported: Reported[];
let clientRegions: string[];
let source: ConfigStatusSource;

beforeEach(() => {
  configMock.reset();
  counters = newSweepCounters();
  reported = [];
  clientRegions = [];
  source = new ConfigStatusSource({
    clientFor: (region) => {
      clientRegions.push(region);
      return new ConfigServiceClient({ region, credentials, maxAttempts: 1 });
    },
    counters,
    onMalformedRecord: (region, conformancePack, problem) => reported.push({ region, conformancePack, problem }),
  });
});

function record(accountId: unknown, status: unknown, extra: Partial<OrganizationConformancePackDetailedStatus> = {}) {
  return {
    AccountId: accountId,
    ConformancePackName: `${PACK}-abcd`,
    Status: status,
    ...extra,
  } as OrganizationConformancePackDetailedStatus;
}

/** A pack as DescribeOrganizationConformancePacks returns it. */
function pack(name: string) {
  return {
    OrganizationConformancePackName: name,
    OrganizationConformancePackArn: `arn:aws:config:${REGION}:000123456789:organization-conformance-pack/${name}-abcd`,
    LastUpdateTime: new Date('2024-01-01T00:00:00Z'),
  };
}

type Page = { readonly records: OrganizationConformancePackDetailedStatus[]; readonly next?: string };

/** Serves detailed-status pages keyed by the query's filter value (a status or an account ID) and NextToken. */
function serveDetailedStatus(pagesByFilter: Readonly<Record<string, readonly Page[]>>): void {
  configMock.on(GetOrganizationConformancePackDetailedStatusCommand).callsFake(
    (input: GetOrganizationConformancePackDetailedStatusCommandInput): GetOrganizationConformancePackDetailedStatusCommandOutput => {
      const filter = input.Filters?.Status ?? input.Filters?.AccountId ?? '';
      const pages = pagesByFilter[filter] ?? [{ records: [] }];
      const index = input.NextToken === undefined ? 0 : Number(input.NextToken.split('#')[1]);
      const page = pages[index];
      if (!page) throw new Error(`test served no page ${index} for ${filter}`);
      return {
        OrganizationConformancePackDetailedStatuses: page.records,
        ...(index + 1 < pages.length ? { NextToken: `${filter}#${index + 1}` } : {}),
        $metadata: {},
      };
    },
  );
}

function sentDetailedStatusInputs(): GetOrganizationConformancePackDetailedStatusCommandInput[] {
  return configMock.commandCalls(GetOrganizationConformancePackDetailedStatusCommand).map((call) => call.args[0].input);
}

const invalidNextToken = () => new InvalidNextTokenException({ message: 'The nextToken provided is invalid', $metadata: {} });

describe('ConfigStatusSource.listPacks', () => {
  it('follows NextToken through three pages, including an empty page that still carries a token', async () => {
    // Prepare
    configMock
      .on(DescribeOrganizationConformancePacksCommand)
      .resolvesOnce({ OrganizationConformancePacks: [pack('alpha'), pack('beta')], NextToken: 't1' })
      .resolvesOnce({ OrganizationConformancePacks: [], NextToken: 't2' })
      .resolvesOnce({ OrganizationConformancePacks: [pack('gamma')] });

    // Act
    const packs = await source.listPacks(REGION);

    // Assess
    expect(packs).toEqual(['alpha', 'beta', 'gamma']);
    expect(configMock).toHaveReceivedCommandTimes(DescribeOrganizationConformancePacksCommand, 3);
    expect(configMock).toHaveReceivedNthCommandWith(DescribeOrganizationConformancePacksCommand, 1, { Limit: 100, NextToken: undefined });
    expect(configMock).toHaveReceivedNthCommandWith(DescribeOrganizationConformancePacksCommand, 2, { Limit: 100, NextToken: 't1' });
    expect(configMock).toHaveReceivedNthCommandWith(DescribeOrganizationConformancePacksCommand, 3, { Limit: 100, NextToken: 't2' });
  });

  it('asks for the Config client of the region being swept', async () => {
    // Prepare
    configMock.on(DescribeOrganizationConformancePacksCommand).resolves({ OrganizationConformancePacks: [] });

    // Act
    await source.listPacks('ap-southeast-2');

    // Assess
    expect(clientRegions).toEqual(['ap-southeast-2']);
  });

  it('restarts from the first page once when a later NextToken is rejected, without duplicating packs', async () => {
    // Prepare
    configMock
      .on(DescribeOrganizationConformancePacksCommand)
      .resolvesOnce({ OrganizationConformancePacks: [pack('alpha')], NextToken: 'stale' })
      .rejectsOnce(invalidNextToken())
      .resolvesOnce({ OrganizationConformancePacks: [pack('alpha')], NextToken: 'fresh' })
      .resolvesOnce({ OrganizationConformancePacks: [pack('beta')] });

    // Act
    const packs = await source.listPacks(REGION);

    // Assess
    expect(packs).toEqual(['alpha', 'beta']);
    expect(configMock.commandCalls(DescribeOrganizationConformancePacksCommand).map((call) => call.args[0].input.NextToken)).toEqual([
      undefined,
      'stale',
      undefined,
      'fresh',
    ]);
  });

  it('fails when the NextToken is rejected a second time', async () => {
    // Prepare
    configMock
      .on(DescribeOrganizationConformancePacksCommand)
      .resolvesOnce({ OrganizationConformancePacks: [pack('alpha')], NextToken: 'stale' })
      .rejectsOnce(invalidNextToken())
      .resolvesOnce({ OrganizationConformancePacks: [pack('alpha')], NextToken: 'stale-again' })
      .rejectsOnce(invalidNextToken());

    // Act
    const result = source.listPacks(REGION);

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'InvalidNextTokenException' });
    expect(configMock).toHaveReceivedCommandTimes(DescribeOrganizationConformancePacksCommand, 4);
  });

  it('does not restart when the first page itself is answered with InvalidNextTokenException', async () => {
    // Prepare
    configMock.on(DescribeOrganizationConformancePacksCommand).rejects(invalidNextToken());

    // Act
    const result = source.listPacks(REGION);

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'InvalidNextTokenException' });
    expect(configMock).toHaveReceivedCommandTimes(DescribeOrganizationConformancePacksCommand, 1);
  });

  it('maps OrganizationAccessDeniedException to an error naming the region and the trusted service', async () => {
    // Prepare
    configMock
      .on(DescribeOrganizationConformancePacksCommand)
      .rejects(new OrganizationAccessDeniedException({ message: 'not the management account', $metadata: {} }));

    // Act
    const result = source.listPacks(REGION);

    // Assess
    await expect(result).rejects.toBeInstanceOf(OrganizationAccessDeniedError);
    await expect(result).rejects.toMatchObject({ region: REGION });
    await expect(result).rejects.toThrow(/eu-west-1/);
    await expect(result).rejects.toThrow(/config-multiaccountsetup\.amazonaws\.com/);
    await expect(result).rejects.toThrow(/not the management account/);
  });
});

describe('ConfigStatusSource.listFailingAccounts', () => {
  it('sends exactly one query chain per failed status, filtered by status, for the pack, 100 per page', async () => {
    // Prepare
    serveDetailedStatus({});

    // Act
    await source.listFailingAccounts(REGION, PACK);

    // Assess
    expect(sentDetailedStatusInputs()).toEqual([
      { OrganizationConformancePackName: PACK, Filters: { Status: 'CREATE_FAILED' }, Limit: 100, NextToken: undefined },
      { OrganizationConformancePackName: PACK, Filters: { Status: 'UPDATE_FAILED' }, Limit: 100, NextToken: undefined },
      { OrganizationConformancePackName: PACK, Filters: { Status: 'DELETE_FAILED' }, Limit: 100, NextToken: undefined },
    ]);
  });

  it('merges every page of every status query, empty pages with a NextToken included', async () => {
    // Prepare
    serveDetailedStatus({
      CREATE_FAILED: [
        { records: [record('111111111111', 'CREATE_FAILED')] },
        { records: [] },
        { records: [record('222222222222', 'CREATE_FAILED')] },
      ],
      UPDATE_FAILED: [{ records: [] }],
      DELETE_FAILED: [{ records: [record('333333333333', 'DELETE_FAILED')] }, { records: [record('444444444444', 'DELETE_FAILED')] }],
    });

    // Act
    const failing = await source.listFailingAccounts(REGION, PACK);

    // Assess
    expect(failing.map((deployment) => [deployment.accountId, deployment.status])).toEqual([
      ['111111111111', 'CREATE_FAILED'],
      ['222222222222', 'CREATE_FAILED'],
      ['333333333333', 'DELETE_FAILED'],
      ['444444444444', 'DELETE_FAILED'],
    ]);
    expect(configMock).toHaveReceivedCommandTimes(GetOrganizationConformancePackDetailedStatusCommand, 6);
    expect(configMock).toHaveReceivedCommandWith(GetOrganizationConformancePackDetailedStatusCommand, {
      Filters: { Status: 'CREATE_FAILED' },
      NextToken: 'CREATE_FAILED#2',
    });
  });

  it('keeps account IDs with leading zeros as 12-character strings and maps the record fields', async () => {
    // Prepare
    const lastUpdateTime = new Date('2024-05-06T07:08:09.000Z');
    serveDetailedStatus({
      UPDATE_FAILED: [
        {
          records: [
            record('000123456789', 'UPDATE_FAILED', { ErrorCode: 'ConformancePackCreationFailed', ErrorMessage: 'rule failed', LastUpdateTime: lastUpdateTime }),
          ],
        },
      ],
    });

    // Act
    const failing = await source.listFailingAccounts(REGION, PACK);

    // Assess
    expect(failing).toEqual([
      {
        accountId: '000123456789',
        status: 'UPDATE_FAILED',
        errorCode: 'ConformancePackCreationFailed',
        errorMessage: 'rule failed',
        lastUpdateTime: '2024-05-06T07:08:09.000Z',
      },
    ]);
  });

  it.each([
    { problem: 'an account ID of 11 digits', bad: record('12345678901', 'CREATE_FAILED'), expected: /AccountId "12345678901"/ },
    { problem: 'an account ID of 13 digits', bad: record('1234567890123', 'CREATE_FAILED'), expected: /AccountId "1234567890123"/ },
    { problem: 'an account ID given as a number', bad: record(123456789012, 'CREATE_FAILED'), expected: /AccountId 123456789012 / },
    { problem: 'a missing account ID', bad: record(undefined, 'CREATE_FAILED'), expected: /AccountId undefined/ },
    { problem: 'an unknown status', bad: record('555555555555', 'CREATE_EXPLODED'), expected: /Status "CREATE_EXPLODED"/ },
    { problem: 'an invalid LastUpdateTime', bad: record('555555555555', 'CREATE_FAILED', { LastUpdateTime: new Date('nope') }), expected: /LastUpdateTime/ },
  ])('skips a record with $problem, counts it and reports it, and keeps the valid records', async ({ bad, expected }) => {
    // Prepare
    serveDetailedStatus({
      CREATE_FAILED: [{ records: [record('111111111111', 'CREATE_FAILED'), bad, record('222222222222', 'CREATE_FAILED')] }],
    });

    // Act
    const failing = await source.listFailingAccounts(REGION, PACK);

    // Assess
    expect(failing.map((deployment) => deployment.accountId)).toEqual(['111111111111', '222222222222']);
    expect(counters.malformedRecords).toBe(1);
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({ region: REGION, conformancePack: PACK });
    expect(reported[0]!.problem).toMatch(expected);
  });

  it('restarts a status query from its first page once when its NextToken is rejected, without duplicates', async () => {
    // Prepare
    let createFailedCalls = 0;
    configMock.on(GetOrganizationConformancePackDetailedStatusCommand).callsFake((input: GetOrganizationConformancePackDetailedStatusCommandInput) => {
      if (input.Filters?.Status !== 'CREATE_FAILED') return { OrganizationConformancePackDetailedStatuses: [], $metadata: {} };
      createFailedCalls += 1;
      if (input.NextToken === undefined) {
        return { OrganizationConformancePackDetailedStatuses: [record('111111111111', 'CREATE_FAILED')], NextToken: `page2-${createFailedCalls}`, $metadata: {} };
      }
      if (input.NextToken === 'page2-1') throw invalidNextToken();
      return { OrganizationConformancePackDetailedStatuses: [record('222222222222', 'CREATE_FAILED')], $metadata: {} };
    });

    // Act
    const failing = await source.listFailingAccounts(REGION, PACK);

    // Assess
    expect(failing.map((deployment) => deployment.accountId)).toEqual(['111111111111', '222222222222']);
    expect(createFailedCalls).toBe(4);
  });

  it('counts and reports a malformed record once when the query restarts after a rejected NextToken', async () => {
    // Prepare
    let createFailedCalls = 0;
    configMock.on(GetOrganizationConformancePackDetailedStatusCommand).callsFake((input: GetOrganizationConformancePackDetailedStatusCommandInput) => {
      if (input.Filters?.Status !== 'CREATE_FAILED') return { OrganizationConformancePackDetailedStatuses: [], $metadata: {} };
      createFailedCalls += 1;
      if (input.NextToken === undefined) {
        return { OrganizationConformancePackDetailedStatuses: [record('not-an-account', 'CREATE_FAILED')], NextToken: `page2-${createFailedCalls}`, $metadata: {} };
      }
      if (input.NextToken === 'page2-1') throw invalidNextToken();
      return { OrganizationConformancePackDetailedStatuses: [record('222222222222', 'CREATE_FAILED')], $metadata: {} };
    });

    // Act
    const failing = await source.listFailingAccounts(REGION, PACK);

    // Assess
    expect(failing.map((deployment) => deployment.accountId)).toEqual(['222222222222']);
    expect(createFailedCalls).toBe(4);
    expect(counters.malformedRecords).toBe(1);
    expect(reported).toHaveLength(1);
  });

  it('maps NoSuchOrganizationConformancePackException to PackNotFoundError naming region and pack', async () => {
    // Prepare
    configMock
      .on(GetOrganizationConformancePackDetailedStatusCommand)
      .rejects(new NoSuchOrganizationConformancePackException({ message: 'gone', $metadata: {} }));

    // Act
    const result = source.listFailingAccounts(REGION, PACK);

    // Assess
    await expect(result).rejects.toBeInstanceOf(PackNotFoundError);
    await expect(result).rejects.toMatchObject({ region: REGION, conformancePack: PACK });
  });

  it('maps OrganizationAccessDeniedException to OrganizationAccessDeniedError', async () => {
    // Prepare
    configMock
      .on(GetOrganizationConformancePackDetailedStatusCommand)
      .rejects(new OrganizationAccessDeniedException({ message: 'trusted access disabled', $metadata: {} }));

    // Act
    const result = source.listFailingAccounts(REGION, PACK);

    // Assess
    await expect(result).rejects.toBeInstanceOf(OrganizationAccessDeniedError);
    await expect(result).rejects.toThrow(/eu-west-1.*config-multiaccountsetup\.amazonaws\.com/s);
  });

  it('passes any other service error through unchanged (the mocked send does not retry it)', async () => {
    // Prepare
    const throttled = new ConfigServiceServiceException({
      name: 'ThrottlingException',
      $fault: 'client',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400 },
      $retryable: { throttling: true },
    });
    configMock.on(GetOrganizationConformancePackDetailedStatusCommand).rejects(throttled);

    // Act
    const result = source.listFailingAccounts(REGION, PACK);

    // Assess
    await expect(result).rejects.toBe(throttled);
  });
});

describe('ConfigStatusSource.getAccountDeployment', () => {
  const ACCOUNT = '000000000042';

  it('queries only that account, 100 per page, and returns its deployment', async () => {
    // Prepare
    serveDetailedStatus({ [ACCOUNT]: [{ records: [record(ACCOUNT, 'CREATE_SUCCESSFUL')] }] });

    // Act
    const deployment = await source.getAccountDeployment(REGION, PACK, ACCOUNT);

    // Assess
    expect(deployment).toEqual({ accountId: ACCOUNT, status: 'CREATE_SUCCESSFUL' });
    expect(sentDetailedStatusInputs()).toEqual([
      { OrganizationConformancePackName: PACK, Filters: { AccountId: ACCOUNT }, Limit: 100, NextToken: undefined },
    ]);
  });

  it('finds the account on a later page after an empty page with a NextToken', async () => {
    // Prepare
    serveDetailedStatus({ [ACCOUNT]: [{ records: [] }, { records: [record(ACCOUNT, 'UPDATE_FAILED')] }] });

    // Act
    const deployment = await source.getAccountDeployment(REGION, PACK, ACCOUNT);

    // Assess
    expect(deployment).toEqual({ accountId: ACCOUNT, status: 'UPDATE_FAILED' });
    expect(configMock).toHaveReceivedCommandTimes(GetOrganizationConformancePackDetailedStatusCommand, 2);
  });

  it.each([
    { case: 'AWS reports no record', records: [] },
    { case: 'AWS reports only other accounts', records: [record('999999999999', 'CREATE_FAILED')] },
  ])('returns null when $case', async ({ records }) => {
    // Prepare
    serveDetailedStatus({ [ACCOUNT]: [{ records }] });

    // Act
    const deployment = await source.getAccountDeployment(REGION, PACK, ACCOUNT);

    // Assess
    expect(deployment).toBeNull();
  });

  it('throws MalformedRecordError instead of skipping a malformed record', async () => {
    // Prepare
    serveDetailedStatus({ [ACCOUNT]: [{ records: [record(ACCOUNT, 'SOMETHING_NEW')] }] });

    // Act
    const result = source.getAccountDeployment(REGION, PACK, ACCOUNT);

    // Assess
    await expect(result).rejects.toBeInstanceOf(MalformedRecordError);
    await expect(result).rejects.toMatchObject({ region: REGION, conformancePack: PACK });
    await expect(result).rejects.toThrow(/SOMETHING_NEW/);
  });

  it('maps NoSuchOrganizationConformancePackException to PackNotFoundError', async () => {
    // Prepare
    configMock
      .on(GetOrganizationConformancePackDetailedStatusCommand)
      .rejects(new NoSuchOrganizationConformancePackException({ message: 'deleted mid-sweep', $metadata: {} }));

    // Act
    const result = source.getAccountDeployment(REGION, PACK, ACCOUNT);

    // Assess
    await expect(result).rejects.toBeInstanceOf(PackNotFoundError);
    await expect(result).rejects.toThrow(`Organization conformance pack ${PACK} no longer exists in ${REGION}`);
  });
});
