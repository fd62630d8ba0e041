import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MuteRule } from '../../lambda/domain/mute-rules.js';
import { startLocalMonitor, type LocalMonitor } from '../../local/local-monitor.js';
import type { Scenario } from '../../local/scenario.js';
import { decodeAlert, pairKey, readStoredFailures, sortedKeys } from '../support/integration.js';

/**
 * Routing and quieting end to end: the real handler, the real SDK, real HTTP to the emulated AWS
 * Config, SNS, DynamoDB and EventBridge on 127.0.0.1. Each change goes on the default event bus; a
 * muted failure is recorded and counted, listed in the JSON, and never reaches a person.
 */

const US = 'us-east-1';
const EU = 'eu-west-1';
const REGIONS = [US, EU];
const SANDBOX_ACCOUNT = '999900001111';
const MUTE_SANDBOX: MuteRule = { field: 'pack', pattern: 'sandbox-*' };

const SANDBOX_PACK = {
  name: 'sandbox-guardrails',
  accounts: [
    {
      accountId: SANDBOX_ACCOUNT,
      status: 'CREATE_FAILED',
      errorCode: 'AccessDenied',
      errorMessage: 'config:PutConformancePack is denied by the sandbox SCP',
      lastUpdateTime: '2026-11-20T10:00:00Z',
    },
  ],
} as const;

/** Two unmuted failures in two regions, and one failure in a pack the mute rule covers. */
const ORGANIZATION: Scenario = {
  name: 'alert-routing',
  regions: {
    [US]: {
      packs: [
        {
          name: 'security-baseline',
          accounts: [
            {
              accountId: '011122233344',
              status: 'CREATE_FAILED',
              errorCode: 'AccessDenied',
              errorMessage: 'denied by a service control policy',
              lastUpdateTime: '2026-11-20T10:00:00Z',
            },
            { accountId: '000123456789', status: 'CREATE_SUCCESSFUL', lastUpdateTime: '2026-11-10T00:00:00Z' },
          ],
        },
        SANDBOX_PACK,
      ],
    },
    [EU]: {
      packs: [
        {
          name: 'cis-aws-foundations-v3',
          accounts: [
            {
              accountId: '210987654321',
              status: 'UPDATE_FAILED',
              errorCode: 'ValidationException',
              errorMessage: 'Parameter MaxDays is invalid',
              lastUpdateTime: '2026-11-21T08:30:00Z',
            },
          ],
        },
      ],
    },
  },
};

/** Only the muted failure. */
const MUTED_ONLY: Scenario = { name: 'muted-only', regions: { [US]: { packs: [SANDBOX_PACK] } } };

let monitor: LocalMonitor | undefined;

beforeAll(() => {
  // Before the handler module (and its Powertools logger and metrics) is first imported.
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
});

afterEach(async () => {
  await monitor?.stop();
  monitor = undefined;
});

/** The (region, pack, account) key of an event's detail, as pairKey gives it for a change. */
function keyOfDetail(detail: Readonly<Record<string, unknown>>): string {
  return `${String(detail.region)}/${String(detail.conformancePack)}/${String(detail.accountId)}`;
}

async function start(scenario: Scenario): Promise<LocalMonitor> {
  monitor = await startLocalMonitor({ scenario, regions: Object.keys(scenario.regions), muteRules: [MUTE_SANDBOX] });
  return monitor;
}

describe('EventBridge events', () => {
  it('puts each change of a sweep on the default bus as one event carrying the change, the schema and the sweep ID', async () => {
    // Prepare
    const local = await start(ORGANIZATION);

    // Act
    const { result, events } = await local.sweep();

    // Assess
    expect(result.changes).toHaveLength(3);
    expect(events).toHaveLength(result.changes.length);
    for (const event of events) {
      expect(event).toMatchObject({ source: 'packwatch', detailType: 'Conformance Pack Deployment Change', eventBusName: 'default' });
    }
    const details = events.map((event) => event.detail).sort((a, b) => keyOfDetail(a).localeCompare(keyOfDetail(b)));
    const expected = result.changes
      .map((change) => ({ schema: 'packwatch.change/1', sweepId: result.sweepId, ...change }))
      .sort((a, b) => pairKey(a).localeCompare(pairKey(b)));
    expect(details).toEqual(expected);
  });
});

describe('a muted failure beside an unmuted one', () => {
  it('is counted and listed in the JSON alert, and is not in the email, the chat message or the attributes', async () => {
    // Prepare
    const local = await start(ORGANIZATION);

    // Act
    const { result, published } = await local.sweep();

    // Assess
    const muted = result.changes.filter((change) => change.muted);
    expect(muted.map(pairKey)).toEqual([`${US}/sandbox-guardrails/${SANDBOX_ACCOUNT}`]);
    expect(published).toHaveLength(1);
    const { document, bodies, published: message } = decodeAlert(published[0]!);
    expect(document.summary).toMatchObject({ newFailures: 2, muted: 1 });
    expect(document.changes.find((change) => change.accountId === SANDBOX_ACCOUNT)).toMatchObject({ kind: 'NEW_FAILURE', muted: true });
    expect(bodies.email as string).toContain('Muted and not shown: 1 change');
    expect(bodies.email as string).not.toContain(SANDBOX_ACCOUNT);
    expect(bodies.email as string).not.toContain('sandbox-guardrails');
    expect(bodies.https as string).not.toContain(SANDBOX_ACCOUNT);
    expect(bodies.https as string).not.toContain('sandbox-guardrails');
    expect(message.messageAttributes.packs).toEqual({ dataType: 'String.Array', value: '["cis-aws-foundations-v3","security-baseline"]' });
  });
});

describe('a sweep whose only change is muted', () => {
  it('publishes nothing, records the failure, and does not alert it on the next run', async () => {
    // Prepare
    const local = await start(MUTED_ONLY);

    // Act
    const first = await local.sweep();
    const second = await local.sweep();

    // Assess
    expect(first.published).toEqual([]);
    expect(first.result.changes).toEqual([expect.objectContaining({ accountId: SANDBOX_ACCOUNT, kind: 'NEW_FAILURE', muted: true })]);
    expect(first.events.map((event) => event.detail)).toEqual([expect.objectContaining({ accountId: SANDBOX_ACCOUNT, muted: true })]);
    expect(sortedKeys(await readStoredFailures(local.aws, [US]))).toEqual([`${US}/sandbox-guardrails/${SANDBOX_ACCOUNT}`]);
    expect(second.published).toEqual([]);
    expect(second.result.changes).toEqual([]);
    expect(second.events).toEqual([]);
  });
});

describe('EventBridge refusing every entry', () => {
  it('fails the sweep and records nothing, so the next healthy run sends the alert and the events again', async () => {
    // Prepare
    const local = await start(ORGANIZATION);
    local.aws.eventBridge.failEntries(Number.POSITIVE_INFINITY);

    // Act
    const failing = local.sweep();

    // Assess
    await expect(failing).rejects.toThrow(/EventBridge did not accept/);
    expect(local.aws.eventBridge.events()).toEqual([]);
    expect(await readStoredFailures(local.aws, REGIONS)).toEqual([]);

    // Act
    local.aws.eventBridge.failEntries(0);
    const healthy = await local.sweep();

    // Assess
    expect(healthy.published).toHaveLength(1);
    expect(healthy.events).toHaveLength(3);
    expect(decodeAlert(healthy.published[0]!).document.changes.map(pairKey).sort()).toEqual(healthy.events.map((event) => keyOfDetail(event.detail)).sort());
    expect(await readStoredFailures(local.aws, REGIONS)).toHaveLength(3);
  });
});
