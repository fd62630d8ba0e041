import {
  DescribeOrganizationConformancePacksCommand,
  DescribeOrganizationConformancePackStatusesCommand,
  GetOrganizationConformancePackDetailedStatusCommand,
  paginateGetOrganizationConformancePackDetailedStatus,
} from '@aws-sdk/client-config-service';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigSimulator } from '../../local/config-simulator';
import type { Scenario } from '../../local/scenario';
import type { SimulatorFaultsPatch } from '../../local/simulator-faults';
import { SlidingWindowRateLimiter } from '../../local/sliding-window-rate-limiter';
import { configClient } from './local-clients';

const scenario: Scenario = {
  name: 'faults',
  regions: {
    'us-east-1': {
      packs: [
        { name: 'pack-a', generate: { accounts: 30, failureRate: 0, seed: 1, firstAccountId: 1 } },
        { name: 'pack-b', accounts: [{ accountId: '000123456789', status: 'UPDATE_FAILED' }] },
      ],
    },
    'eu-west-1': { packs: [{ name: 'pack-eu', accounts: [{ accountId: '000123456789', status: 'CREATE_SUCCESSFUL' }] }] },
  },
};

const running: Array<{ stop(): Promise<void> } | { destroy(): void }> = [];
afterEach(async () => {
  for (const resource of running.splice(0)) {
    if ('destroy' in resource) resource.destroy();
    else await resource.stop();
  }
});

async function start(faults: SimulatorFaultsPatch = {}) {
  const simulator = await ConfigSimulator.start({ scenario, faults });
  running.push(simulator);
  return simulator;
}

function client(simulator: ConfigSimulator, region = 'us-east-1', maxAttempts = 1) {
  const made = configClient(simulator.url, region, { maxAttempts });
  running.push(made);
  return made;
}

const listPacks = new DescribeOrganizationConformancePacksCommand({});

/** true = answered, false = throttled; anything else fails the test. */
async function outcome(promise: Promise<unknown>): Promise<boolean> {
  try {
    await promise;
    return true;
  } catch (error) {
    expect(error).toMatchObject({ name: 'ThrottlingException', message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
    return false;
  }
}

describe('ConfigSimulator faults', () => {
  it('throttleRate refuses about that share of calls with ThrottlingException, identically for the same seed', async () => {
    const runs: boolean[][] = [];
    for (let run = 0; run < 2; run += 1) {
      const simulator = await start({ throttleRate: 0.3, seed: 11 });
      const config = client(simulator);
      const results: boolean[] = [];
      for (let call = 0; call < 150; call += 1) results.push(await outcome(config.send(listPacks)));
      const throttled = results.filter((answered) => !answered).length;
      expect(throttled).toBeGreaterThan(25);
      expect(throttled).toBeLessThan(70);
      expect(simulator.stats()).toMatchObject({ calls: 150, throttled, errors: 0, byError: { ThrottlingException: throttled } });
      runs.push(results);
    }
    expect(runs[1]).toEqual(runs[0]);
  });

  it('rateLimitPerSecond admits that many calls per region and throttles the rest of a burst', async () => {
    const simulator = await start({ rateLimitPerSecond: 5 });
    const us = client(simulator, 'us-east-1');
    const eu = client(simulator, 'eu-west-1');
    const burst = await Promise.all([
      ...Array.from({ length: 12 }, () => outcome(us.send(listPacks))),
      ...Array.from({ length: 8 }, () => outcome(eu.send(listPacks))),
    ]);
    expect(burst.slice(0, 12).filter(Boolean)).toHaveLength(5);
    expect(burst.slice(12).filter(Boolean)).toHaveLength(5);
    expect(simulator.stats().throttled).toBe(10);
  });

  it('the rate limit window slides: capacity returns exactly one window after each admitted call', () => {
    const limiter = new SlidingWindowRateLimiter(1000);
    expect([0, 100, 200].map((now) => limiter.tryAdmit('r', 2, now))).toEqual([true, true, false]);
    expect(limiter.tryAdmit('r', 2, 999)).toBe(false);
    expect(limiter.tryAdmit('r', 2, 1000)).toBe(true); // the call at 0 left the window
    expect(limiter.tryAdmit('r', 2, 1050)).toBe(false);
    expect(limiter.tryAdmit('r', 2, 1100)).toBe(true); // the call at 100 left the window
    expect(limiter.tryAdmit('other', 2, 1100)).toBe(true);
  });

  it('errorRate answers HTTP 500 InternalFailure, which the SDK retries', async () => {
    const simulator = await start({ errorRate: 1 });
    await expect(client(simulator).send(listPacks)).rejects.toMatchObject({
      name: 'InternalFailure',
      $fault: 'server',
      $metadata: { httpStatusCode: 500 },
    });
    await expect(client(simulator, 'us-east-1', 2).send(listPacks)).rejects.toMatchObject({ $metadata: { attempts: 2 } });
    expect(simulator.stats()).toMatchObject({ calls: 3, errors: 3, byError: { InternalFailure: 3 } });

    simulator.setFaults({ errorRate: 0.3, seed: 4 });
    const retrying = client(simulator, 'us-east-1', 5);
    const answers = await Promise.all(Array.from({ length: 10 }, () => retrying.send(listPacks)));
    expect(answers.every((answer) => answer.OrganizationConformancePacks?.length === 2)).toBe(true);
    expect(simulator.stats().errors).toBeGreaterThan(3);
  });

  it('invalidNextTokenOnce fails the next request that carries a NextToken, once', async () => {
    const simulator = await start();
    const config = client(simulator);
    const first = await config.send(new GetOrganizationConformancePackDetailedStatusCommand({ OrganizationConformancePackName: 'pack-a', Limit: 10 }));
    simulator.setFaults({ invalidNextTokenOnce: true });
    // A first page carries no token, so it is not affected.
    await config.send(new GetOrganizationConformancePackDetailedStatusCommand({ OrganizationConformancePackName: 'pack-a', Limit: 10 }));
    const next = new GetOrganizationConformancePackDetailedStatusCommand({
      OrganizationConformancePackName: 'pack-a',
      Limit: 10,
      NextToken: first.NextToken,
    });
    await expect(config.send(next)).rejects.toMatchObject({ name: 'InvalidNextTokenException' });
    expect(simulator.faults.invalidNextTokenOnce).toBeUndefined();
    const retried = await config.send(next);
    expect(retried.OrganizationConformancePackDetailedStatuses![0]!.AccountId).toBe('000000000011');
  });

  it('deletePackAfterListing removes the pack right after a listing names it, as if deleted mid-sweep', async () => {
    const simulator = await start({ deletePackAfterListing: 'pack-b' });
    const config = client(simulator);
    // A listing that does not include the pack leaves it alone.
    await config.send(new DescribeOrganizationConformancePacksCommand({ OrganizationConformancePackNames: ['pack-a'] }));
    expect(simulator.listPacks('us-east-1')).toEqual(['pack-a', 'pack-b']);
    const listed = await config.send(listPacks);
    expect(listed.OrganizationConformancePacks!.map((pack) => pack.OrganizationConformancePackName)).toEqual(['pack-a', 'pack-b']);
    await expect(
      config.send(new GetOrganizationConformancePackDetailedStatusCommand({ OrganizationConformancePackName: 'pack-b' })),
    ).rejects.toMatchObject({ name: 'NoSuchOrganizationConformancePackException' });
    expect(simulator.listPacks('us-east-1')).toEqual(['pack-a']);
    expect(simulator.faults.deletePackAfterListing).toBeUndefined();
  });

  it('accessDeniedRegions answers OrganizationAccessDeniedException to every call in those regions only', async () => {
    const simulator = await start({ accessDeniedRegions: ['eu-west-1'] });
    const eu = client(simulator, 'eu-west-1');
    const denied = { name: 'OrganizationAccessDeniedException', $metadata: { httpStatusCode: 400 } };
    const error = await eu.send(listPacks).catch((caught: unknown) => caught);
    expect(error).toMatchObject(denied);
    expect((error as Error).message).toMatch(/management account/);
    expect((error as Error).message).toMatch(/delegated administrator/);
    expect((error as Error).message).toContain('config-multiaccountsetup.amazonaws.com');
    await expect(eu.send(new DescribeOrganizationConformancePackStatusesCommand({}))).rejects.toMatchObject(denied);
    await expect(
      eu.send(new GetOrganizationConformancePackDetailedStatusCommand({ OrganizationConformancePackName: 'pack-eu' })),
    ).rejects.toMatchObject(denied);
    const us = await client(simulator, 'us-east-1').send(listPacks);
    expect(us.OrganizationConformancePacks).toHaveLength(2);
  });

  it('emptyPageWithToken: the SDK paginator does NOT stop on an empty page that carries a NextToken', async () => {
    const simulator = await start({ emptyPageWithToken: true });
    const config = client(simulator);
    const first = await config.send(new GetOrganizationConformancePackDetailedStatusCommand({ OrganizationConformancePackName: 'pack-a' }));
    expect(first.OrganizationConformancePackDetailedStatuses).toEqual([]);
    expect(first.NextToken).toEqual(expect.any(String));
    const packs = await config.send(listPacks);
    expect(packs.OrganizationConformancePacks).toEqual([]);
    expect(packs.NextToken).toEqual(expect.any(String));

    simulator.resetStats();
    const sizes: number[] = [];
    for await (const page of paginateGetOrganizationConformancePackDetailedStatus(
      { client: config, pageSize: 20 },
      { OrganizationConformancePackName: 'pack-a' },
    )) {
      sizes.push(page.OrganizationConformancePackDetailedStatuses!.length);
    }
    // The paginator continues while NextToken is truthy, whatever the page holds.
    expect(sizes).toEqual([0, 20, 10]);
    expect(simulator.stats().calls).toBe(3);
  });

  it('latencyMs delays every answer; stop() does not wait for a delayed call', async () => {
    const simulator = await start({ latencyMs: 150 });
    const config = client(simulator);
    const started = performance.now();
    await config.send(listPacks);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    simulator.setFaults({ latencyMs: null });
    const fastStart = performance.now();
    await config.send(listPacks);
    expect(performance.now() - fastStart).toBeLessThan(100);

    simulator.setFaults({ latencyMs: 5_000 });
    const pending = config.send(listPacks).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const stopStart = performance.now();
    await simulator.stop();
    expect(performance.now() - stopStart).toBeLessThan(500);
    expect(await pending).toBeInstanceOf(Error);
  });

  it('setFaults validates, names the bad field, merges, and null switches a fault off', async () => {
    const simulator = await start({ latencyMs: 1 });
    expect(() => simulator.setFaults({ throttleRate: 2 })).toThrow(/faults\.throttleRate: must be between 0 and 1/);
    expect(() => simulator.setFaults({ latency: 5 } as never)).toThrow(/faults\.latency: unknown field/);
    expect(() => simulator.setFaults({ accessDeniedRegions: ['us-east-1', 3] } as never)).toThrow(/faults\.accessDeniedRegions\[1\]/);
    expect(simulator.setFaults({ errorRate: 0.1 })).toEqual({ latencyMs: 1, errorRate: 0.1 });
    expect(simulator.setFaults({ latencyMs: null, errorRate: undefined })).toEqual({});
  });

  it('counts calls by operation, region and outcome, and resets', async () => {
    const simulator = await start({ accessDeniedRegions: ['eu-west-1'] });
    const us = client(simulator);
    await us.send(listPacks);
    await us.send(new GetOrganizationConformancePackDetailedStatusCommand({ OrganizationConformancePackName: 'pack-a' }));
    await us.send(new GetOrganizationConformancePackDetailedStatusCommand({ OrganizationConformancePackName: 'gone' })).catch(() => undefined);
    await client(simulator, 'eu-west-1').send(listPacks).catch(() => undefined);
    expect(simulator.stats()).toEqual({
      calls: 4,
      byOperation: { DescribeOrganizationConformancePacks: 2, GetOrganizationConformancePackDetailedStatus: 2 },
      byRegion: { 'us-east-1': 3, 'eu-west-1': 1 },
      byError: { NoSuchOrganizationConformancePackException: 1, OrganizationAccessDeniedException: 1 },
      throttled: 0,
      errors: 2,
    });
    simulator.resetStats();
    expect(simulator.stats()).toEqual({ calls: 0, byOperation: {}, byRegion: {}, byError: {}, throttled: 0, errors: 0 });
  });
});
