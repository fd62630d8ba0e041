import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startLocalMonitor, type LocalMonitor } from '../../local/local-monitor.js';
import { evolveOrganization } from '../../local/organization-evolution.js';
import { loadBuiltInScenario } from '../../local/scenario.js';
import { changesOf, comparableChanges, decodeAlert, expectedChangesOf, failingPairsOf, pairKey, readStoredFailures, sortedKeys } from '../support/integration.js';

/**
 * The story the monitor exists for, end to end: the real handler, the real AWS SDK, real HTTP to the
 * emulated AWS Config, SNS and DynamoDB on 127.0.0.1.
 */

beforeAll(() => {
  // Before the handler module (and its Powertools logger and metrics) is first imported.
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
});

describe('a sweep of the demo organization, run after run', () => {
  let monitor: LocalMonitor;
  let regions: string[];

  beforeEach(async () => {
    const scenario = loadBuiltInScenario('demo');
    regions = Object.keys(scenario.regions);
    monitor = await startLocalMonitor({ scenario });
  });

  afterEach(async () => {
    await monitor?.stop();
  });

  it('alerts every failing account of the organization in one JSON-structured SNS publish on the first run', async () => {
    // Prepare
    const expected = failingPairsOf(monitor.aws.config, regions);
    expect(expected.length).toBeGreaterThan(0);

    // Act
    const { result, published } = await monitor.sweep();

    // Assess
    expect(published).toHaveLength(1);
    const { bodies, document, published: message } = decodeAlert(published[0]!);
    expect(message.topicArn).toBe(monitor.aws.topicArn);
    expect(document.schema).toBe('packwatch.alert/1');
    expect(document.sweepId).toBe(result.sweepId);
    expect(document.part).toBe(1);
    expect(document.parts).toBe(1);
    expect(Number.isNaN(Date.parse(document.generatedAt))).toBe(false);
    expect(document.summary).toEqual({
      newFailures: expected.length,
      changedFailures: 0,
      reminders: 0,
      recoveries: 0,
      stuck: 0,
      muted: 0,
      failingAccounts: expected.length,
    });
    expect(sortedKeys(document.changes)).toEqual(sortedKeys(expected));
    const byKey = new Map(expected.map((pair) => [pairKey(pair), pair]));
    for (const change of document.changes) {
      const pair = byKey.get(pairKey(change))!;
      expect(change).toMatchObject({
        kind: 'NEW_FAILURE',
        status: pair.status,
        previousStatus: null,
        errorCode: pair.errorCode ?? null,
        errorMessage: pair.errorMessage ?? null,
      });
    }
    expect(result.changes).toHaveLength(expected.length);
    expect(result.failingAccounts).toBe(expected.length);
    expect(result.messagesPublished).toBe(1);

    // The person's digest names every failing account.
    expect(typeof bodies.email).toBe('string');
    for (const pair of expected) expect(bodies.email as string).toContain(pair.accountId);

    // The chat body is an AWS Chatbot custom notification.
    const chat = JSON.parse(bodies.https as string) as Record<string, any>;
    expect(chat).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: { textType: 'client-markdown' },
      metadata: { eventType: expect.any(String), threadId: expect.any(String), summary: expect.any(String) },
    });
    expect(chat.content.title).toEqual(expect.any(String));
    expect(chat.content.description).toEqual(expect.any(String));

    // Attributes a subscriber can filter on.
    expect(message.messageAttributes.schema).toEqual({ dataType: 'String', value: 'packwatch.alert/1' });
    expect(message.messageAttributes.kinds?.dataType).toBe('String.Array');
    expect(JSON.parse(message.messageAttributes.kinds!.value)).toEqual(['NEW_FAILURE']);
    expect(message.messageAttributes.regions?.dataType).toBe('String.Array');
    expect((JSON.parse(message.messageAttributes.regions!.value) as string[]).sort()).toEqual(
      [...new Set(expected.map((pair) => pair.region))].sort(),
    );
    expect(message.subject).toEqual(expect.any(String));
    expect(message.subject!.length).toBeLessThan(100);
  });

  it('publishes nothing on a second run when nothing changed', async () => {
    // Prepare
    await monitor.sweep();

    // Act
    const { result, published } = await monitor.sweep();

    // Assess
    expect(published).toEqual([]);
    expect(result.changes).toEqual([]);
    expect(result.messagesPublished).toBe(0);
    expect(result.failingAccounts).toBe(failingPairsOf(monitor.aws.config, regions).length);
  });

  it('reports exactly the new failure, the changed failure and the recovery after the organization evolves', async () => {
    // Prepare
    await monitor.sweep();
    await monitor.sweep();
    const evolutions = evolveOrganization(monitor.aws.config, regions, new Date());
    expect(evolutions.map((evolution) => evolution.kind).sort()).toEqual(['changed failure', 'new failure', 'recovery']);

    // Act
    const { result, published } = await monitor.sweep();

    // Assess
    expect(published).toHaveLength(1);
    const changes = changesOf(published);
    expect(changes).toHaveLength(3);
    const expected = expectedChangesOf(evolutions);
    const actual = comparableChanges(changes);
    expect(actual).toEqual(expected);
    expect(decodeAlert(published[0]!).document.summary).toEqual({
      newFailures: 1,
      changedFailures: 1,
      reminders: 0,
      recoveries: 1,
      stuck: 0,
      muted: 0,
      failingAccounts: failingPairsOf(monitor.aws.config, regions).length,
    });
    expect(result.changes).toHaveLength(3);
  });

  it('keeps exactly the failing (region, pack, account) pairs in DynamoDB after the organization evolved', async () => {
    // Prepare
    await monitor.sweep();
    evolveOrganization(monitor.aws.config, regions, new Date());

    // Act
    await monitor.sweep();
    const stored = await readStoredFailures(monitor.aws, regions);

    // Assess
    const expected = failingPairsOf(monitor.aws.config, regions);
    expect(sortedKeys(stored)).toEqual(sortedKeys(expected));
    const byKey = new Map(expected.map((pair) => [pairKey(pair), pair]));
    for (const item of stored) {
      expect(item.status).toBe(byKey.get(pairKey(item))!.status);
      expect(item.pk).toBe(`REGION#${item.region}`);
      expect(Number.isNaN(Date.parse(item.lastAlertedAt))).toBe(false);
      expect(Number.isNaN(Date.parse(item.failingSince))).toBe(false);
    }
  });
});
