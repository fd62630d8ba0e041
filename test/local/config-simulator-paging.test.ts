import {
  DescribeOrganizationConformancePacksCommand,
  DescribeOrganizationConformancePackStatusesCommand,
  GetOrganizationConformancePackDetailedStatusCommand,
  paginateDescribeOrganizationConformancePacks,
  paginateGetOrganizationConformancePackDetailedStatus,
  type OrganizationConformancePackDetailedStatus,
} from '@aws-sdk/client-config-service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSimulator } from '../../local/config-simulator';
import type { Scenario } from '../../local/scenario';
import { configClient } from './local-clients';

const scenario: Scenario = {
  name: 'paging',
  managementAccountId: '999988887777',
  regions: {
    'us-east-1': {
      packs: [
        // 250 accounts from 000000000001 upwards: every ID has leading zeros.
        { name: 'pack-a', generate: { accounts: 250, failureRate: 0.1, seed: 3, firstAccountId: 1 } },
        {
          name: 'pack-b',
          accounts: [
            { accountId: '000123456789', status: 'CREATE_FAILED', errorCode: 'AccessDenied', errorMessage: 'denied' },
            { accountId: '123456789012', status: 'CREATE_SUCCESSFUL' },
          ],
        },
        { name: 'pack-c', accounts: [{ accountId: '123456789012', status: 'UPDATE_SUCCESSFUL' }] },
        { name: 'pack-stuck', summaryStatus: 'CREATE_IN_PROGRESS', accounts: [{ accountId: '123456789012', status: 'CREATE_FAILED' }] },
      ],
    },
    'eu-west-1': { packs: [{ name: 'pack-eu', accounts: [{ accountId: '210987654321', status: 'DELETE_FAILED' }] }] },
  },
};

async function readAll(client: ReturnType<typeof configClient>, pack: string, pageSize?: number) {
  const pages: OrganizationConformancePackDetailedStatus[][] = [];
  for await (const page of paginateGetOrganizationConformancePackDetailedStatus(
    { client, ...(pageSize !== undefined && { pageSize }) },
    { OrganizationConformancePackName: pack },
  )) {
    pages.push(page.OrganizationConformancePackDetailedStatuses ?? []);
  }
  return pages;
}

describe('ConfigSimulator paging (real @aws-sdk/client-config-service)', () => {
  let simulator: ConfigSimulator;
  let client: ReturnType<typeof configClient>;

  beforeAll(async () => {
    simulator = await ConfigSimulator.start({ scenario });
    client = configClient(simulator.url);
  });
  afterAll(async () => {
    client.destroy();
    await simulator.stop();
  });

  it('pages through every member account with the SDK paginator, ascending, IDs as 12-digit strings', async () => {
    simulator.resetStats();
    const pages = await readAll(client, 'pack-a', 100);
    expect(pages.map((page) => page.length)).toEqual([100, 100, 50]);
    const ids = pages.flat().map((status) => status.AccountId!);
    expect(new Set(ids).size).toBe(250);
    expect(ids[0]).toBe('000000000001');
    expect(ids[249]).toBe('000000000250');
    expect([...ids].sort()).toEqual(ids);
    const first = pages[0]![0]!;
    expect(first.ConformancePackName).toMatch(/^OrgConformsPack-pack-a-[0-9a-f]{8}$/);
    expect(first.LastUpdateTime).toBeInstanceOf(Date);
    expect(simulator.stats().byOperation).toEqual({ GetOrganizationConformancePackDetailedStatus: 3 });
  });

  it('uses the default page size of 100 when Limit is 0 or absent', async () => {
    for (const Limit of [0, undefined]) {
      const page = await client.send(
        new GetOrganizationConformancePackDetailedStatusCommand({ OrganizationConformancePackName: 'pack-a', ...(Limit !== undefined && { Limit }) }),
      );
      expect(page.OrganizationConformancePackDetailedStatuses).toHaveLength(100);
      expect(page.NextToken).toEqual(expect.any(String));
    }
  });

  it('answers Filters.Status with exactly the accounts in that status, across pages', async () => {
    const expected = simulator
      .listAccounts('us-east-1', 'pack-a')
      .filter((account) => account.status === 'CREATE_FAILED')
      .map((account) => account.accountId);
    expect(expected.length).toBeGreaterThan(3);
    const seen: string[] = [];
    for await (const page of paginateGetOrganizationConformancePackDetailedStatus(
      { client, pageSize: 3 },
      { OrganizationConformancePackName: 'pack-a', Filters: { Status: 'CREATE_FAILED' } },
    )) {
      for (const status of page.OrganizationConformancePackDetailedStatuses ?? []) {
        expect(status.Status).toBe('CREATE_FAILED');
        expect(status.ErrorCode).toEqual(expect.any(String));
        expect(status.ErrorMessage).toEqual(expect.any(String));
        seen.push(status.AccountId!);
      }
    }
    expect(seen).toEqual(expected);
  });

  it('answers Filters.AccountId with that one account, or an empty last page', async () => {
    const hit = await client.send(
      new GetOrganizationConformancePackDetailedStatusCommand({ OrganizationConformancePackName: 'pack-b', Filters: { AccountId: '000123456789' } }),
    );
    expect(hit.OrganizationConformancePackDetailedStatuses).toEqual([
      expect.objectContaining({ AccountId: '000123456789', Status: 'CREATE_FAILED', ErrorCode: 'AccessDenied', ErrorMessage: 'denied' }),
    ]);
    expect(hit.NextToken).toBeUndefined();
    const both = await client.send(
      new GetOrganizationConformancePackDetailedStatusCommand({
        OrganizationConformancePackName: 'pack-b',
        Filters: { AccountId: '000123456789', Status: 'CREATE_SUCCESSFUL' },
      }),
    );
    expect(both.OrganizationConformancePackDetailedStatuses).toEqual([]);
    expect(both.NextToken).toBeUndefined();
  });

  it('refuses a NextToken used for another pack, other filters, another region or another server', async () => {
    const first = await client.send(new GetOrganizationConformancePackDetailedStatusCommand({ OrganizationConformancePackName: 'pack-a', Limit: 5 }));
    const token = first.NextToken!;
    const invalid = { name: 'InvalidNextTokenException', $metadata: { httpStatusCode: 400 } };
    await expect(
      client.send(new GetOrganizationConformancePackDetailedStatusCommand({ OrganizationConformancePackName: 'pack-b', NextToken: token })),
    ).rejects.toMatchObject(invalid);
    await expect(
      client.send(
        new GetOrganizationConformancePackDetailedStatusCommand({
          OrganizationConformancePackName: 'pack-a',
          Filters: { Status: 'CREATE_FAILED' },
          NextToken: token,
        }),
      ),
    ).rejects.toMatchObject(invalid);
    await expect(client.send(new DescribeOrganizationConformancePacksCommand({ NextToken: token }))).rejects.toMatchObject(invalid);
    await expect(client.send(new GetOrganizationConformancePackDetailedStatusCommand({ OrganizationConformancePackName: 'pack-a', NextToken: `${token}x` }))).rejects.toMatchObject(invalid);
    await expect(client.send(new GetOrganizationConformancePackDetailedStatusCommand({ OrganizationConformancePackName: 'pack-a', NextToken: 'garbage' }))).rejects.toMatchObject(invalid);

    const other = await ConfigSimulator.start({ scenario });
    const otherClient = configClient(other.url);
    try {
      await expect(
        otherClient.send(new GetOrganizationConformancePackDetailedStatusCommand({ OrganizationConformancePackName: 'pack-a', NextToken: token })),
      ).rejects.toMatchObject(invalid);
    } finally {
      otherClient.destroy();
      await other.stop();
    }
    // The same token still works where it belongs, and a changed Limit is fine.
    const second = await client.send(
      new GetOrganizationConformancePackDetailedStatusCommand({ OrganizationConformancePackName: 'pack-a', NextToken: token, Limit: 2 }),
    );
    expect(second.OrganizationConformancePackDetailedStatuses!.map((status) => status.AccountId)).toEqual(['000000000006', '000000000007']);
  });

  it('keeps a NextToken valid while accounts change between pages, without repeating or skipping untouched accounts', async () => {
    const simulatorForChanges = await ConfigSimulator.start({ scenario });
    const changesClient = configClient(simulatorForChanges.url);
    try {
      const first = await changesClient.send(
        new GetOrganizationConformancePackDetailedStatusCommand({ OrganizationConformancePackName: 'pack-a', Limit: 10 }),
      );
      const firstIds = first.OrganizationConformancePackDetailedStatuses!.map((status) => status.AccountId!);
      expect(firstIds.at(-1)).toBe('000000000010');
      simulatorForChanges.setAccount('us-east-1', 'pack-a', { accountId: '000000000000', status: 'CREATE_FAILED' }); // before the cursor
      simulatorForChanges.removeAccount('us-east-1', 'pack-a', '000000000011'); // just after it
      simulatorForChanges.setAccount('us-east-1', 'pack-a', { accountId: '000000000012', status: 'UPDATE_FAILED', errorCode: 'E', errorMessage: 'm' });
      const second = await changesClient.send(
        new GetOrganizationConformancePackDetailedStatusCommand({ OrganizationConformancePackName: 'pack-a', Limit: 3, NextToken: first.NextToken }),
      );
      expect(second.OrganizationConformancePackDetailedStatuses!.map((status) => [status.AccountId, status.Status])).toEqual([
        ['000000000012', 'UPDATE_FAILED'],
        ['000000000013', expect.any(String)],
        ['000000000014', expect.any(String)],
      ]);
    } finally {
      changesClient.destroy();
      await simulatorForChanges.stop();
    }
  });

  it('lists the packs of the calling region with DescribeOrganizationConformancePacks, paged by Limit', async () => {
    const pages = [];
    for await (const page of paginateDescribeOrganizationConformancePacks({ client, pageSize: 3 }, {})) pages.push(page.OrganizationConformancePacks ?? []);
    expect(pages.map((page) => page.map((pack) => pack.OrganizationConformancePackName))).toEqual([
      ['pack-a', 'pack-b', 'pack-c'],
      ['pack-stuck'],
    ]);
    const pack = pages[0]![1]!;
    expect(pack.OrganizationConformancePackArn).toMatch(
      /^arn:aws:config:us-east-1:999988887777:organization-conformance-pack\/pack-b-[0-9a-f]{8}$/,
    );
    expect(pack.DeliveryS3Bucket).toMatch(/^awsconfigconforms/);
    expect(pack.ConformancePackInputParameters).toEqual([]);
    expect(pack.ExcludedAccounts).toEqual([]);
    expect(pack.LastUpdateTime).toEqual(new Date('2026-11-01T00:00:00Z'));

    const named = await client.send(new DescribeOrganizationConformancePacksCommand({ OrganizationConformancePackNames: ['pack-c', 'pack-a'] }));
    expect(named.OrganizationConformancePacks!.map((listed) => listed.OrganizationConformancePackName)).toEqual(['pack-a', 'pack-c']);
  });

  it('reads the region from the SigV4 credential scope: each region sees only its own packs', async () => {
    simulator.resetStats();
    const eu = configClient(simulator.url, 'eu-west-1');
    const ap = configClient(simulator.url, 'ap-southeast-2');
    try {
      const euPacks = await eu.send(new DescribeOrganizationConformancePacksCommand({}));
      expect(euPacks.OrganizationConformancePacks!.map((pack) => pack.OrganizationConformancePackName)).toEqual(['pack-eu']);
      expect(euPacks.OrganizationConformancePacks![0]!.OrganizationConformancePackArn).toContain(':eu-west-1:');
      const apPacks = await ap.send(new DescribeOrganizationConformancePacksCommand({}));
      expect(apPacks.OrganizationConformancePacks).toEqual([]);
      // pack-a exists in us-east-1 only.
      await expect(
        eu.send(new GetOrganizationConformancePackDetailedStatusCommand({ OrganizationConformancePackName: 'pack-a' })),
      ).rejects.toMatchObject({ name: 'NoSuchOrganizationConformancePackException' });
      expect(simulator.stats().byRegion).toEqual({ 'eu-west-1': 2, 'ap-southeast-2': 1 });
    } finally {
      eu.destroy();
      ap.destroy();
    }
  });

  it('summarises each pack with DescribeOrganizationConformancePackStatuses', async () => {
    const answer = await client.send(new DescribeOrganizationConformancePackStatusesCommand({}));
    const byName = Object.fromEntries(answer.OrganizationConformancePackStatuses!.map((status) => [status.OrganizationConformancePackName, status]));
    expect(byName['pack-b']).toMatchObject({ Status: 'CREATE_FAILED', ErrorCode: expect.any(String) });
    expect(byName['pack-b']!.LastUpdateTime).toBeInstanceOf(Date);
    expect(byName['pack-c']).toMatchObject({ Status: 'CREATE_SUCCESSFUL' });
    expect(byName['pack-c']!.ErrorCode).toBeUndefined();
    // The scenario override emulates the summary stuck at CREATE_IN_PROGRESS although an account failed.
    expect(byName['pack-stuck']).toMatchObject({ Status: 'CREATE_IN_PROGRESS' });

    simulator.setPackSummaryStatus('us-east-1', 'pack-c', 'UPDATE_IN_PROGRESS');
    const named = await client.send(new DescribeOrganizationConformancePackStatusesCommand({ OrganizationConformancePackNames: ['pack-c'] }));
    expect(named.OrganizationConformancePackStatuses).toEqual([expect.objectContaining({ OrganizationConformancePackName: 'pack-c', Status: 'UPDATE_IN_PROGRESS' })]);
    simulator.setPackSummaryStatus('us-east-1', 'pack-c', undefined);
    const paged = await client.send(new DescribeOrganizationConformancePackStatusesCommand({ Limit: 1 }));
    expect(paged.OrganizationConformancePackStatuses).toHaveLength(1);
    expect(paged.NextToken).toEqual(expect.any(String));
  });
});
