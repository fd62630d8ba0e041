import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { scheduledEvent, startLocalMonitor, type LocalMonitor } from '../../local/local-monitor.js';
import { loadBuiltInScenario } from '../../local/scenario.js';
import { changesOf, failingPairsOf, pairKey, sortedKeys } from '../support/integration.js';

/**
 * DESIGN.md, "No duplicate storm": the same failure is alerted once, and two overlapping runs must not
 * both alert. Two Lambda execution environments are two handlers with their own SDK clients, sharing the
 * table and the topic; a slow sweep that overlaps the next scheduled one is the everyday case.
 */

beforeAll(() => {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
});

describe('two sweeps that overlap', () => {
  let monitor: LocalMonitor | undefined;

  afterEach(async () => {
    await monitor?.stop();
    monitor = undefined;
  });

  it('alert each failing account once between them, not once each', async () => {
    // Prepare: Config answers slowly enough for the second sweep to start while the first is still reading.
    const scenario = loadBuiltInScenario('demo');
    const regions = Object.keys(scenario.regions);
    monitor = await startLocalMonitor({ scenario, faults: { latencyMs: 40 } });
    const { createHandler } = await import('../../lambda/handler.js');
    const firstEnvironment = createHandler(() => process.env);
    const secondEnvironment = createHandler(() => process.env);
    const expected = failingPairsOf(monitor.aws.config, regions);
    const now = Date.now();

    // Act
    const outcomes = await Promise.allSettled([
      firstEnvironment(scheduledEvent(1, new Date(now))),
      secondEnvironment(scheduledEvent(2, new Date(now + 1))),
    ]);

    // Assess
    const published = monitor.aws.sns.published();
    const alerted = changesOf(published).map(pairKey);
    // The run that yields may return quietly or fail loudly; at least one run must complete.
    expect(outcomes.some((outcome) => outcome.status === 'fulfilled')).toBe(true);
    expect(alerted.filter((key, index) => alerted.indexOf(key) !== index), 'failures alerted twice').toEqual([]);
    expect([...new Set(alerted)].sort()).toEqual(sortedKeys(expected));
  });
});
