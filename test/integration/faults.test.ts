import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FAILED_STATUSES } from '../../lambda/domain/deployment-status.js';
import { startLocalMonitor, type LocalMonitor, type LocalMonitorOptions } from '../../local/local-monitor.js';
import { loadBuiltInScenario, type Scenario } from '../../local/scenario.js';
import { startFailingRecheckProxy, type FailingRecheckProxy } from '../support/failing-recheck-proxy.js';
import { changesOf, decodeAlert, failingPairsOf, operatorAlertsOf, pairKey, readStoredFailures, sortedKeys } from '../support/integration.js';

/**
 * AWS misbehaving the ways it does in production, injected by the emulated AWS on 127.0.0.1, while the
 * real handler sweeps through the real SDK: the rules of behaviour of DESIGN.md must hold.
 */

const US = 'us-east-1';
const EU = 'eu-west-1';
const DEMO_REGIONS = [US, EU];

/** Healthy in the demo organization; used to add a failure that must still be alerted while something else goes wrong. */
const HEALTHY_IN_US_BASELINE = '111111111111';
/** Failing (CREATE_FAILED) in us-east-1 security-baseline in the demo organization. */
const FAILING_IN_US_BASELINE = '011122233344';

let monitor: LocalMonitor | undefined;
let proxy: FailingRecheckProxy | undefined;

beforeAll(() => {
  // Before the handler module (and its Powertools logger and metrics) is first imported.
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
});

afterEach(async () => {
  await monitor?.stop();
  monitor = undefined;
  await proxy?.stop();
  proxy = undefined;
});

async function start(options: Partial<LocalMonitorOptions> = {}): Promise<LocalMonitor> {
  monitor = await startLocalMonitor({ scenario: loadBuiltInScenario('demo'), ...options });
  return monitor;
}

function startFailing(aws: LocalMonitor['aws'], region: string, conformancePack: string, accountId: string): void {
  aws.config.setAccount(region, conformancePack, {
    accountId,
    status: 'UPDATE_FAILED',
    errorCode: 'ValidationException',
    errorMessage: 'Injected by the test',
  });
}

function keysOfKind(changes: ReturnType<typeof changesOf>, kind: string): string[] {
  return changes.filter((change) => change.kind === kind).map(pairKey).sort();
}

describe('throttling', () => {
  it('completes the sweep with every failure alerted when 30% of Config calls are throttled, and counts every throttle', async () => {
    // Prepare
    const local = await start({ faults: { throttleRate: 0.3, seed: 11 }, configMaxAttempts: 10 });
    const expected = failingPairsOf(local.aws.config, DEMO_REGIONS);

    // Act
    const { result, published } = await local.sweep();

    // Assess
    expect(sortedKeys(changesOf(published))).toEqual(sortedKeys(expected));
    expect(keysOfKind(changesOf(published), 'NEW_FAILURE')).toEqual(sortedKeys(expected));
    expect(result.counters.throttles).toBeGreaterThan(0);
    expect(result.counters.throttles).toBe(local.aws.config.stats().throttled);
    expect(result.counters.apiCalls).toBe(local.aws.config.stats().calls);
    expect(result.counters.sweepErrors).toBe(0);
  });
});

describe('pagination', () => {
  /** One pack of 350 accounts, 95% failing: at least one failed status needs a second page of 100. */
  const pagedScenario: Scenario = {
    name: 'paged',
    regions: { [US]: { packs: [{ name: 'wide-pack', generate: { accounts: 350, failureRate: 0.95, seed: 5 } }] } },
  };

  function expectMultiPage(expected: ReturnType<typeof failingPairsOf>): void {
    const largestStatus = Math.max(...FAILED_STATUSES.map((status) => expected.filter((pair) => pair.status === status).length));
    expect(largestStatus, 'one failed status must need a second page of 100').toBeGreaterThan(100);
  }

  it('alerts every failure of a pack spread over several pages exactly once despite empty first pages and an expired NextToken', async () => {
    // Prepare
    const local = await start({ scenario: pagedScenario, faults: { emptyPageWithToken: true, invalidNextTokenOnce: true } });
    const expected = failingPairsOf(local.aws.config, [US]);
    expectMultiPage(expected);

    // Act
    const { result, published } = await local.sweep();

    // Assess
    const changes = changesOf(published);
    const keys = changes.map(pairKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(sortedKeys(expected));
    expect(changes.every((change) => change.kind === 'NEW_FAILURE')).toBe(true);
    expect(result.failingAccounts).toBe(expected.length);
    expect(local.aws.config.stats().byError.InvalidNextTokenException).toBe(1);
    expect(local.aws.config.faults.invalidNextTokenOnce).toBeUndefined();
    // A digest over the SNS size limit is split into numbered parts; nothing is dropped.
    const documents = published.map((message) => decodeAlert(message).document);
    expect(documents.map((document) => [document.part, document.parts])).toEqual(documents.map((_, index) => [index + 1, published.length]));
    for (const message of published) expect(Buffer.byteLength(message.message)).toBeLessThanOrEqual(262_144);
    expect(sortedKeys(await readStoredFailures(local.aws, [US]))).toEqual(sortedKeys(expected));
  });

  it('restarts a multi-page read whose NextToken expired between pages without alerting the first pages twice', async () => {
    // Prepare: one pack and no empty pages, so the only requests carrying a NextToken are second pages of account statuses.
    const local = await start({ scenario: pagedScenario, faults: { invalidNextTokenOnce: true } });
    const expected = failingPairsOf(local.aws.config, [US]);
    expectMultiPage(expected);

    // Act
    const { published } = await local.sweep();

    // Assess
    expect(local.aws.config.stats().byError.InvalidNextTokenException).toBe(1);
    const keys = changesOf(published).map(pairKey);
    expect(keys).toHaveLength(expected.length);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(sortedKeys(expected));
  });
});

describe('a pack deleted during the sweep', () => {
  it('sends no alert about the pack, drops its stored state and still alerts the rest of the region', async () => {
    // Prepare
    const local = await start();
    await local.sweep();
    const doomed = 'operational-best-practices-s3';
    const doomedBefore = failingPairsOf(local.aws.config, [US]).filter((pair) => pair.conformancePack === doomed);
    expect(doomedBefore.length).toBeGreaterThan(0);
    startFailing(local.aws, US, doomed, HEALTHY_IN_US_BASELINE);
    startFailing(local.aws, US, 'security-baseline', HEALTHY_IN_US_BASELINE);
    local.aws.config.setFaults({ deletePackAfterListing: doomed });

    // Act
    const { result, published } = await local.sweep();

    // Assess
    expect(local.aws.config.listPacks(US)).not.toContain(doomed);
    const changes = changesOf(published);
    expect(changes.filter((change) => change.conformancePack === doomed)).toEqual([]);
    expect(changes.map((change) => [change.kind, pairKey(change)])).toEqual([
      ['NEW_FAILURE', pairKey({ region: US, conformancePack: 'security-baseline', accountId: HEALTHY_IN_US_BASELINE })],
    ]);
    expect(result.regions.find((region) => region.region === US)).toMatchObject({ packsDeleted: 1 });
    const stored = await readStoredFailures(local.aws, DEMO_REGIONS);
    expect(stored.filter((item) => item.conformancePack === doomed && item.region === US)).toEqual([]);
    expect(sortedKeys(stored)).toEqual(sortedKeys(failingPairsOf(local.aws.config, DEMO_REGIONS)));
  });
});

describe('a region where organization access is denied', () => {
  it('sweeps the other region, keeps the denied region state without a false recovery and reports the error', async () => {
    // Prepare
    const local = await start();
    await local.sweep();
    const euBefore = await readStoredFailures(local.aws, [EU]);
    expect(euBefore.length).toBeGreaterThan(0);
    // A naive monitor that treats "could not read" as "nothing failing" would report this as recovered.
    const euFailing = failingPairsOf(local.aws.config, [EU])[0]!;
    local.aws.config.setAccount(EU, euFailing.conformancePack, { accountId: euFailing.accountId, status: 'UPDATE_SUCCESSFUL' });
    startFailing(local.aws, US, 'security-baseline', HEALTHY_IN_US_BASELINE);
    local.aws.config.setFaults({ accessDeniedRegions: [EU] });

    // Act
    const { result, published } = await local.sweep();

    // Assess
    const changes = changesOf(published);
    expect(changes.map((change) => [change.kind, pairKey(change)])).toEqual([
      ['NEW_FAILURE', pairKey({ region: US, conformancePack: 'security-baseline', accountId: HEALTHY_IN_US_BASELINE })],
    ]);
    expect(changes.filter((change) => change.region === EU)).toEqual([]);
    const euReport = result.regions.find((region) => region.region === EU);
    expect(euReport?.error).toMatch(/OrganizationAccessDenied/);
    expect(euReport?.failingAccounts).toBe(euBefore.length);
    expect(result.regions.find((region) => region.region === US)?.error).toBeUndefined();
    expect(result.counters.sweepErrors).toBeGreaterThanOrEqual(1);
    const euAfter = await readStoredFailures(local.aws, [EU]);
    expect(euAfter).toEqual(euBefore);
    // Operators are told once, with the likely causes; not again while it lasts.
    expect(operatorAlertsOf(published)).toEqual([
      expect.objectContaining({ schema: 'packwatch.operator/1', problem: 'ORGANIZATION_ACCESS_DENIED', region: EU }),
    ]);
    const again = await local.sweep();
    expect(operatorAlertsOf(again.published)).toEqual([]);
    // Once the region reads again, it is swept as usual and a later denial is told again.
    local.aws.config.setFaults({ accessDeniedRegions: null });
    const restored = await local.sweep();
    expect(changesOf(restored.published).map((change) => [change.kind, pairKey(change)])).toEqual([['RECOVERED', pairKey(euFailing)]]);
    local.aws.config.setFaults({ accessDeniedRegions: [EU] });
    expect(operatorAlertsOf((await local.sweep()).published)).toHaveLength(1);
  });
});

describe('SNS refusing the alert', () => {
  it('fails the run loudly, records nothing, and delivers the same changes on the next run once SNS accepts', async () => {
    // Prepare
    const local = await start();
    const expected = failingPairsOf(local.aws.config, DEMO_REGIONS);
    local.aws.sns.setFailing(true);

    // Act
    const failed = local.sweep();

    // Assess
    await expect(failed).rejects.toMatchObject({ name: 'AlertDeliveryError' });
    expect(local.aws.sns.published()).toEqual([]);
    expect(local.aws.sns.rejected().length).toBeGreaterThan(0);
    expect(await readStoredFailures(local.aws, DEMO_REGIONS)).toEqual([]);

    // Act
    local.aws.sns.setFailing(false);
    const { published } = await local.sweep();

    // Assess
    expect(published).toHaveLength(1);
    expect(keysOfKind(changesOf(published), 'NEW_FAILURE')).toEqual(sortedKeys(expected));
    expect(changesOf(published)).toHaveLength(expected.length);
    expect(sortedKeys(await readStoredFailures(local.aws, DEMO_REGIONS))).toEqual(sortedKeys(expected));
  });
});

describe('a record with a status AWS Config does not document', () => {
  it('does not report a failing account as recovered when its status turns unknown, counts it once and completes the sweep', async () => {
    // Prepare
    const local = await start();
    await local.sweep();
    local.aws.config.setAccount(US, 'security-baseline', { accountId: FAILING_IN_US_BASELINE, status: 'EXPLODED' });
    startFailing(local.aws, US, 'security-baseline', HEALTHY_IN_US_BASELINE);

    // Act
    const { result, published } = await local.sweep();

    // Assess
    const changes = changesOf(published);
    expect(changes.filter((change) => change.accountId === FAILING_IN_US_BASELINE && change.region === US)).toEqual([]);
    expect(changes.map((change) => [change.kind, pairKey(change)])).toEqual([
      ['NEW_FAILURE', pairKey({ region: US, conformancePack: 'security-baseline', accountId: HEALTHY_IN_US_BASELINE })],
    ]);
    // An unknown status on an account that was failing is a malformed record, not a read error.
    expect(result.counters.malformedRecords).toBe(1);
    expect(result.counters.sweepErrors).toBe(0);
    const stored = await readStoredFailures(local.aws, [US]);
    expect(stored.find((item) => item.conformancePack === 'security-baseline' && item.accountId === FAILING_IN_US_BASELINE)).toMatchObject({
      status: 'CREATE_FAILED',
    });
  });
});

describe('a recheck of a failing account that AWS Config does not answer', () => {
  it('keeps the failure without a false recovery, counts a sweep error, and reports the recovery once the recheck succeeds', async () => {
    // Prepare: the simulator's faults are random or region-wide, so a loopback proxy fails just this account's recheck.
    const local = await start({ configMaxAttempts: 2 });
    proxy = await startFailingRecheckProxy({ target: local.aws.config.url, accountId: FAILING_IN_US_BASELINE });
    // Read by the SDK when the handler creates its Config clients on the first sweep; stop() restores it.
    process.env.AWS_ENDPOINT_URL_CONFIG_SERVICE = proxy.url;
    await local.sweep();
    local.aws.config.setAccount(US, 'security-baseline', { accountId: FAILING_IN_US_BASELINE, status: 'UPDATE_SUCCESSFUL' });
    startFailing(local.aws, US, 'security-baseline', HEALTHY_IN_US_BASELINE);

    // Act
    const { result, published } = await local.sweep();

    // Assess
    expect(proxy.refused()).toBeGreaterThan(0);
    expect(changesOf(published).map((change) => [change.kind, pairKey(change)])).toEqual([
      ['NEW_FAILURE', pairKey({ region: US, conformancePack: 'security-baseline', accountId: HEALTHY_IN_US_BASELINE })],
    ]);
    expect(result.counters.sweepErrors).toBe(1);
    const stored = await readStoredFailures(local.aws, [US]);
    expect(stored.map(pairKey)).toContain(pairKey({ region: US, conformancePack: 'security-baseline', accountId: FAILING_IN_US_BASELINE }));

    // Act
    proxy.setRefusing(false);
    const next = await local.sweep();

    // Assess
    expect(changesOf(next.published).map((change) => [change.kind, pairKey(change), change.status])).toEqual([
      ['RECOVERED', pairKey({ region: US, conformancePack: 'security-baseline', accountId: FAILING_IN_US_BASELINE }), 'UPDATE_SUCCESSFUL'],
    ]);
    expect(next.result.counters.sweepErrors).toBe(0);
  });
});
