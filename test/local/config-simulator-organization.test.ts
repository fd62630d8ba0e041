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
import { loadBuiltInScenario } from '../../local/scenario';
import { configClient } from './local-clients';

const FAILED = ['CREATE_FAILED', 'UPDATE_FAILED', 'DELETE_FAILED'] as const;

describe('ConfigSimulator organization changes between sweeps', () => {
  let simulator: ConfigSimulator;
  let client: ReturnType<typeof configClient>;

  beforeAll(async () => {
    simulator = await ConfigSimulator.start({ scenario: loadBuiltInScenario('demo') });
    client = configClient(simulator.url);
  });
  afterAll(async () => {
    client.destroy();
    await simulator.stop();
  });

  const failing = async (pack: string) => {
    const found: OrganizationConformancePackDetailedStatus[] = [];
    for (const Status of FAILED) {
      const page = await client.send(
        new GetOrganizationConformancePackDetailedStatusCommand({ OrganizationConformancePackName: pack, Filters: { Status } }),
      );
      found.push(...(page.OrganizationConformancePackDetailedStatuses ?? []));
    }
    return found.map((status) => `${status.AccountId}:${status.Status}`).sort();
  };

  it('serves the demo scenario: failures with realistic errors, IDs with leading zeros', async () => {
    expect(await failing('security-baseline')).toEqual(['011122233344:CREATE_FAILED', '444455556666:UPDATE_FAILED']);
    const [denied] = (
      await client.send(
        new GetOrganizationConformancePackDetailedStatusCommand({
          OrganizationConformancePackName: 'security-baseline',
          Filters: { AccountId: '011122233344' },
        }),
      )
    ).OrganizationConformancePackDetailedStatuses!;
    expect(denied).toMatchObject({ ErrorCode: 'AccessDenied', ErrorMessage: expect.stringContaining('AWSServiceRoleForConfigMultiAccountSetup') });
    expect(denied!.LastUpdateTime).toEqual(new Date('2026-11-20T10:00:00Z'));
  });

  it('setAccount, removeAccount, addPack and removePack are visible to the next call', async () => {
    simulator.setAccount('us-east-1', 'security-baseline', { accountId: '011122233344', status: 'UPDATE_SUCCESSFUL' }); // recovered
    simulator.setAccount('us-east-1', 'security-baseline', {
      accountId: '000000000042',
      status: 'DELETE_FAILED',
      errorCode: 'ResourceInUseException',
      errorMessage: 'in use',
      lastUpdateTime: '2026-11-27T09:00:00Z',
    });
    expect(await failing('security-baseline')).toEqual(['000000000042:DELETE_FAILED', '444455556666:UPDATE_FAILED']);
    expect(simulator.listAccounts('us-east-1', 'security-baseline')[0]).toEqual({
      accountId: '000000000042',
      status: 'DELETE_FAILED',
      errorCode: 'ResourceInUseException',
      errorMessage: 'in use',
      lastUpdateTime: '2026-11-27T09:00:00.000Z',
    });

    expect(simulator.removeAccount('us-east-1', 'security-baseline', '444455556666')).toBe(true);
    expect(simulator.removeAccount('us-east-1', 'security-baseline', '444455556666')).toBe(false);
    expect(await failing('security-baseline')).toEqual(['000000000042:DELETE_FAILED']);

    simulator.addPack('us-east-1', 'new-pack');
    simulator.setAccount('us-east-1', 'new-pack', { accountId: '123456789012', status: 'CREATE_FAILED' });
    expect(await failing('new-pack')).toEqual(['123456789012:CREATE_FAILED']);
    const names = (await client.send(new DescribeOrganizationConformancePacksCommand({}))).OrganizationConformancePacks!.map(
      (pack) => pack.OrganizationConformancePackName,
    );
    expect(names).toEqual(['new-pack', 'operational-best-practices-s3', 'security-baseline']);

    expect(simulator.removePack('us-east-1', 'new-pack')).toBe(true);
    await expect(
      client.send(new GetOrganizationConformancePackDetailedStatusCommand({ OrganizationConformancePackName: 'new-pack' })),
    ).rejects.toMatchObject({ name: 'NoSuchOrganizationConformancePackException' });
  });

  it('can emit a status AWS does not document, so consumers can prove they survive one', async () => {
    simulator.setAccount('eu-west-1', 'cis-aws-foundations-v3', { accountId: '222233334444', status: 'ROLLBACK_IN_PROGRESS' });
    const eu = configClient(simulator.url, 'eu-west-1');
    try {
      const page = await eu.send(
        new GetOrganizationConformancePackDetailedStatusCommand({
          OrganizationConformancePackName: 'cis-aws-foundations-v3',
          Filters: { AccountId: '222233334444' },
        }),
      );
      expect(page.OrganizationConformancePackDetailedStatuses![0]!.Status).toBe('ROLLBACK_IN_PROGRESS');
    } finally {
      eu.destroy();
    }
  });

  it('refuses bad programmatic changes with a message naming the problem', () => {
    expect(() => simulator.setAccount('us-east-1', 'no-such-pack', { accountId: '123456789012', status: 'CREATE_FAILED' })).toThrow(
      /no organization conformance pack no-such-pack in us-east-1/,
    );
    expect(() => simulator.setAccount('us-east-1', 'security-baseline', { accountId: '12345', status: 'CREATE_FAILED' })).toThrow(/accountId/);
    expect(() => simulator.setAccount('us-east-1', 'security-baseline', { accountId: '123456789012', status: '' })).toThrow(/status/);
    expect(() => simulator.addPack('us-east-1', 'security-baseline')).toThrow(/already exists/);
    expect(() => simulator.addPack('us-east-1', '9-bad')).toThrow(/invalid organization conformance pack name/);
  });
});

describe('ConfigSimulator at organization scale (large scenario: 50 packs × 10,000 accounts)', () => {
  let simulator: ConfigSimulator;
  let client: ReturnType<typeof configClient>;

  beforeAll(async () => {
    const started = performance.now();
    simulator = await ConfigSimulator.start({ scenario: loadBuiltInScenario('large') });
    expect(performance.now() - started).toBeLessThan(1000);
    client = configClient(simulator.url);
  });
  afterAll(async () => {
    client.destroy();
    await simulator.stop();
  });

  it('answers a Filters.Status sweep of all 50 packs (150 calls) quickly, finding about 0.1% failing', async () => {
    const started = performance.now();
    const packs: string[] = [];
    for await (const page of paginateDescribeOrganizationConformancePacks({ client }, {})) {
      packs.push(...page.OrganizationConformancePacks!.map((pack) => pack.OrganizationConformancePackName!));
    }
    expect(packs).toHaveLength(50);
    const calls = packs.flatMap((pack) =>
      FAILED.map((Status) =>
        client.send(new GetOrganizationConformancePackDetailedStatusCommand({ OrganizationConformancePackName: pack, Filters: { Status } })),
      ),
    );
    const pages = await Promise.all(calls);
    const failingCount = pages.reduce((sum, page) => sum + page.OrganizationConformancePackDetailedStatuses!.length, 0);
    expect(failingCount).toBeGreaterThan(300);
    expect(failingCount).toBeLessThan(700);
    expect(pages.every((page) => page.NextToken === undefined)).toBe(true);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('serves a full per-account read of one 10,000-account pack in 100 pages', async () => {
    simulator.resetStats();
    let accounts = 0;
    let previous = '';
    for await (const page of paginateGetOrganizationConformancePackDetailedStatus(
      { client },
      { OrganizationConformancePackName: 'org-pack-17' },
    )) {
      for (const status of page.OrganizationConformancePackDetailedStatuses!) {
        expect(status.AccountId! > previous).toBe(true);
        previous = status.AccountId!;
        accounts += 1;
      }
    }
    expect(accounts).toBe(10_000);
    expect(simulator.stats().calls).toBe(100);
  });

  it('summarises all 50 packs in one DescribeOrganizationConformancePackStatuses call', async () => {
    const answer = await client.send(new DescribeOrganizationConformancePackStatusesCommand({}));
    expect(answer.OrganizationConformancePackStatuses).toHaveLength(50);
    expect(answer.OrganizationConformancePackStatuses!.every((status) => FAILED.includes(status.Status as (typeof FAILED)[number]))).toBe(true);
  });
});
