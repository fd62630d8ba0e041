import 'aws-sdk-client-mock-vitest/extend';
import {
  ConfigServiceClient,
  ConfigServiceServiceException,
  GetOrganizationConformancePackDetailedStatusCommand,
  InvalidNextTokenException,
  NoSuchOrganizationConformancePackException,
  OrganizationAccessDeniedException,
  type GetOrganizationConformancePackDetailedStatusCommandInput,
  type OrganizationConformancePackDetailedStatus,
} from '@aws-sdk/client-config-service';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigStatusSource } from '../../lambda/adapters/config-status-source.js';
import { MultiAccountStatusSource } from '../../lambda/adapters/multi-account-status-source.js';
import { OrganizationAccessDeniedError, PackNotFoundError } from '../../lambda/ports.js';
import { newSweepCounters, type SweepCounters } from '../../lambda/sweep-counters.js';

/*
 * The inventory's page read: unfiltered, one page at a time, counted by status. aws-sdk-client-mock stubs
 * `send`, so pacing and attempt counting are not exercised here (see config-status-source.retry.test.ts).
 */

const REGION = 'eu-west-1';
const PACK = 'OrgConformsPack-baseline';
const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };
const configMock = mockClient(ConfigServiceClient);

let counters: SweepCounters;
let reported: string[];
let source: ConfigStatusSource;

beforeEach(() => {
  configMock.reset();
  counters = newSweepCounters();
  reported = [];
  source = new ConfigStatusSource({
    clientFor: (region) => new ConfigServiceClient({ region, credentials, maxAttempts: 1 }),
    counters,
    onMalformedRecord: (_region, _pack, problem) => reported.push(problem),
  });
});

/** A record as AWS returns it; the status is any text, as an unknown one must be handled too. */
const record = (accountId: string, status: string) =>
  ({ AccountId: accountId, ConformancePackName: `${PACK}-abcd`, Status: status }) as OrganizationConformancePackDetailedStatus;

function sentInputs(): GetOrganizationConformancePackDetailedStatusCommandInput[] {
  return configMock.commandCalls(GetOrganizationConformancePackDetailedStatusCommand).map((call) => call.args[0].input);
}

describe('ConfigStatusSource.readStatusCountPage', () => {
  it('reads one unfiltered page of 100 from the token given, counts it by status and returns the next token', async () => {
    // Prepare
    configMock.on(GetOrganizationConformancePackDetailedStatusCommand).resolves({
      OrganizationConformancePackDetailedStatuses: [
        record('000000000001', 'CREATE_SUCCESSFUL'),
        record('000000000002', 'CREATE_SUCCESSFUL'),
        record('000000000003', 'UPDATE_FAILED'),
        record('000000000004', 'CREATE_IN_PROGRESS'),
      ],
      NextToken: 'token-3',
    });

    // Act
    const page = await source.readStatusCountPage(REGION, PACK, 'token-2');

    // Assess
    expect(page).toEqual({ counts: { CREATE_SUCCESSFUL: 2, UPDATE_FAILED: 1, CREATE_IN_PROGRESS: 1 }, malformed: [], nextToken: 'token-3', restarted: false });
    expect(sentInputs()).toEqual([{ OrganizationConformancePackName: PACK, Limit: 100, NextToken: 'token-2' }]);
    expect(sentInputs()[0]!.Filters).toBeUndefined();
  });

  it('returns no token on the last page, and an empty page that carries a token as such', async () => {
    configMock
      .on(GetOrganizationConformancePackDetailedStatusCommand, { NextToken: undefined })
      .resolves({ OrganizationConformancePackDetailedStatuses: [], NextToken: 'more' })
      .on(GetOrganizationConformancePackDetailedStatusCommand, { NextToken: 'more' })
      .resolves({ OrganizationConformancePackDetailedStatuses: [record('000000000001', 'DELETE_SUCCESSFUL')] });

    expect(await source.readStatusCountPage(REGION, PACK, undefined)).toEqual({ counts: {}, malformed: [], nextToken: 'more', restarted: false });
    expect(await source.readStatusCountPage(REGION, PACK, 'more')).toEqual({ counts: { DELETE_SUCCESSFUL: 1 }, malformed: [], restarted: false });
  });

  it('returns malformed records apart, uncounted, and leaves counting them to the inventory', async () => {
    configMock.on(GetOrganizationConformancePackDetailedStatusCommand).resolves({
      OrganizationConformancePackDetailedStatuses: [record('000000000001', 'EXPLODED'), record('42', 'CREATE_FAILED'), record('000000000003', 'CREATE_FAILED')],
    });

    const page = await source.readStatusCountPage(REGION, PACK, undefined);

    expect(page.counts).toEqual({ CREATE_FAILED: 1 });
    expect(page.malformed).toEqual(['Status "EXPLODED" of account 000000000001 is unknown', 'AccountId "42" is not 12 digits']);
    expect(counters.malformedRecords).toBe(0);
    expect(reported).toEqual([]);
  });

  it('starts the pack over from its first page when AWS no longer accepts the token, and says so', async () => {
    configMock
      .on(GetOrganizationConformancePackDetailedStatusCommand, { NextToken: 'stale' })
      .rejects(new InvalidNextTokenException({ message: 'The nextToken provided is invalid', $metadata: {} }))
      .on(GetOrganizationConformancePackDetailedStatusCommand, { NextToken: undefined })
      .resolves({ OrganizationConformancePackDetailedStatuses: [record('000000000001', 'CREATE_SUCCESSFUL')], NextToken: 'fresh' });

    const page = await source.readStatusCountPage(REGION, PACK, 'stale');

    expect(page).toEqual({ counts: { CREATE_SUCCESSFUL: 1 }, malformed: [], nextToken: 'fresh', restarted: true });
    expect(sentInputs().map((input) => input.NextToken)).toEqual(['stale', undefined]);
  });

  it('does not restart when the first page itself is refused with InvalidNextTokenException', async () => {
    configMock
      .on(GetOrganizationConformancePackDetailedStatusCommand)
      .rejects(new InvalidNextTokenException({ message: 'The nextToken provided is invalid', $metadata: {} }));

    await expect(source.readStatusCountPage(REGION, PACK, undefined)).rejects.toBeInstanceOf(InvalidNextTokenException);
    expect(sentInputs()).toHaveLength(1);
  });

  it.each([
    {
      name: 'a deleted pack as PackNotFoundError',
      error: new NoSuchOrganizationConformancePackException({ message: 'gone', $metadata: {} }),
      expected: PackNotFoundError,
    },
    {
      name: 'denied organization access as OrganizationAccessDeniedError',
      error: new OrganizationAccessDeniedException({ message: 'trusted access disabled', $metadata: {} }),
      expected: OrganizationAccessDeniedError,
    },
    {
      name: 'any other service error unchanged',
      error: new ConfigServiceServiceException({ name: 'InternalFailure', $fault: 'server', message: 'boom', $metadata: {} }),
      expected: ConfigServiceServiceException,
    },
  ])('maps $name, also on the restarted read', async ({ error, expected }) => {
    configMock.on(GetOrganizationConformancePackDetailedStatusCommand).rejects(error);
    await expect(source.readStatusCountPage(REGION, PACK, undefined)).rejects.toBeInstanceOf(expected);

    configMock
      .reset()
      .on(GetOrganizationConformancePackDetailedStatusCommand, { NextToken: 'stale' })
      .rejects(new InvalidNextTokenException({ message: 'invalid', $metadata: {} }))
      .on(GetOrganizationConformancePackDetailedStatusCommand, { NextToken: undefined })
      .rejects(error);
    await expect(source.readStatusCountPage(REGION, PACK, 'stale')).rejects.toBeInstanceOf(expected);
  });

  it('passes the abort signal to the SDK, so a request can be abandoned with its retries', async () => {
    configMock.on(GetOrganizationConformancePackDetailedStatusCommand).resolves({ OrganizationConformancePackDetailedStatuses: [] });
    const controller = new AbortController();

    await source.readStatusCountPage(REGION, PACK, undefined, controller.signal);

    // The stub records every argument of `send`; its typing lists only the command.
    const args = configMock.commandCalls(GetOrganizationConformancePackDetailedStatusCommand)[0]!.args as unknown[];
    expect(args[1]).toEqual({ abortSignal: controller.signal });
  });
});

describe('MultiAccountStatusSource.readStatusCountPage', () => {
  it('reads a source account’s pack by its own name through that account’s source', async () => {
    configMock.on(GetOrganizationConformancePackDetailedStatusCommand).resolves({
      OrganizationConformancePackDetailedStatuses: [record('000000000001', 'CREATE_SUCCESSFUL')],
    });
    const delegated = new ConfigStatusSource({
      clientFor: (region) => new ConfigServiceClient({ region, credentials, maxAttempts: 1 }),
      counters,
      onMalformedRecord: () => undefined,
    });
    const own = new ConfigStatusSource({
      clientFor: () => {
        throw new Error('the calling account’s client must not read the delegated administrator’s pack');
      },
      counters,
      onMalformedRecord: () => undefined,
    });
    const multi = new MultiAccountStatusSource([{ source: own }, { sourceAccount: '222222222222', source: delegated }]);

    const page = await multi.readStatusCountPage(REGION, `222222222222/${PACK}`, undefined);

    expect(page.counts).toEqual({ CREATE_SUCCESSFUL: 1 });
    expect(sentInputs().map((input) => input.OrganizationConformancePackName)).toEqual([PACK]);
  });
});
