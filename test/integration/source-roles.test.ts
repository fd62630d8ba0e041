import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toEnvironmentVariables } from '../../lambda/env.js';
import { ConfigSimulator } from '../../local/config-simulator.js';
import { startEmulatedAws, type EmulatedAws } from '../../local/emulated-aws.js';
import { scheduledEvent } from '../../local/local-monitor.js';
import { loadBuiltInScenario, type Scenario } from '../../local/scenario.js';
import { changesOf, failingPairsOf } from '../support/integration.js';
import { startAccountRouter, startStsEmulator, type LoopbackServer } from '../support/sts-and-account-router.js';

const DELEGATED_ADMIN = '222222222222';
const SOURCE_ROLE = `arn:aws:iam::${DELEGATED_ADMIN}:role/PackwatchRead`;

// Packs the delegated administrator deployed: invisible to the management account, and the other way round.
const delegatedAdminOrganization: Scenario = {
  name: 'delegated-admin',
  regions: {
    'us-east-1': {
      packs: [
        {
          name: 'security-baseline',
          accounts: [
            { accountId: '333333333333', status: 'CREATE_FAILED', errorCode: 'AccessDenied', errorMessage: 'denied by SCP' },
            { accountId: '444444444444', status: 'CREATE_SUCCESSFUL' },
          ],
        },
      ],
    },
  },
};

let aws: EmulatedAws;
let delegatedAdmin: ConfigSimulator;
let sts: LoopbackServer;
let router: LoopbackServer;

beforeAll(async () => {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
  const management = loadBuiltInScenario('demo');
  aws = await startEmulatedAws({ scenario: { ...management, regions: { 'us-east-1': management.regions['us-east-1']! } } });
  delegatedAdmin = await ConfigSimulator.start({ scenario: delegatedAdminOrganization });
  sts = await startStsEmulator();
  router = await startAccountRouter(aws.config.url, { [DELEGATED_ADMIN]: delegatedAdmin.url });
  const variables = {
    ...aws.environment,
    AWS_ENDPOINT_URL_CONFIG_SERVICE: router.url,
    AWS_ENDPOINT_URL_STS: sts.url,
    ...toEnvironmentVariables({
      tableName: aws.tableName,
      topicArn: aws.topicArn,
      regions: ['us-east-1'],
      reminderIntervalSeconds: 86_400,
      regionConcurrency: 1,
      packConcurrency: 2,
      configMaxAttempts: 3,
      stuckAfterSeconds: 0,
      muteRules: [],
      configCallsPerSecond: 1000,
      fullReadIntervalSeconds: 0,
      inventoryIntervalSeconds: 0,
      sweepIntervalSeconds: 3600,
      sourceRoleArns: [SOURCE_ROLE],
    }),
  };
  for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await Promise.all([aws?.stop(), delegatedAdmin?.stop(), sts?.stop(), router?.stop()]);
});

describe('packs deployed from a delegated administrator', () => {
  it('are read through the assumed source role and alerted with their source account, beside the management account’s own', async () => {
    const { createHandler } = await import('../../lambda/handler.js');
    const handler = createHandler(() => process.env);

    const result = await handler(scheduledEvent(1));

    expect(result.skipped).toBe(false);
    const alerted = changesOf(aws.sns.published()).map((change) => `${change.conformancePack} ${change.accountId}`);
    const ownFailures = failingPairsOf(aws.config, ['us-east-1']).map((pair) => `${pair.conformancePack} ${pair.accountId}`);
    expect(alerted).toContain(`${DELEGATED_ADMIN}/security-baseline 333333333333`);
    expect(alerted).not.toContain(`${DELEGATED_ADMIN}/security-baseline 444444444444`);
    for (const own of ownFailures) expect(alerted).toContain(own);
    expect(alerted).toHaveLength(ownFailures.length + 1);
    expect(sts.requests).toEqual([`AssumeRole ${SOURCE_ROLE}`]);
    expect(delegatedAdmin.stats().calls).toBeGreaterThan(0);
    expect(router.requests).toContain(DELEGATED_ADMIN);
    const email = (JSON.parse(aws.sns.published()[0]!.message) as { email: string }).email;
    expect(email).toContain(`${DELEGATED_ADMIN}/security-baseline`);
  });

  it('keeps every record of the region, own packs too, when the source role cannot be used, and recovers the next run', async () => {
    const { createHandler } = await import('../../lambda/handler.js');
    const handler = createHandler(() => process.env);
    delegatedAdmin.setAccount('us-east-1', 'security-baseline', { accountId: '333333333333', status: 'UPDATE_SUCCESSFUL' });
    await sts.stop();
    aws.sns.clear();

    const broken = await handler(scheduledEvent(2));

    expect(broken.skipped).toBe(false);
    if (broken.skipped) return;
    expect(broken.regions[0]!.error).toMatch(/222222222222/);
    expect(aws.sns.published()).toEqual([]);
    sts = await startStsEmulator();
    vi.stubEnv('AWS_ENDPOINT_URL_STS', sts.url);
    const recovered = await createHandler(() => process.env)(scheduledEvent(3));
    expect(recovered.skipped).toBe(false);
    expect(changesOf(aws.sns.published()).map((change) => `${change.kind} ${change.conformancePack} ${change.accountId}`)).toEqual([
      `RECOVERED ${DELEGATED_ADMIN}/security-baseline 333333333333`,
    ]);
  });
});
