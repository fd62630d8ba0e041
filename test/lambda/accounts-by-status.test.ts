import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/** What CloudWatch would receive: Powertools prints EMF through the console in dev mode. */

beforeAll(() => {
  // Before the module creates its Powertools Metrics.
  vi.stubEnv('POWERTOOLS_DEV', 'true');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'Packwatch');
});

afterAll(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('accountsByStatusRecorder', () => {
  it('sends one AccountsByStatus value per status with accounts, named by region, pack and status, never an account ID', async () => {
    const printed: string[] = [];
    for (const method of ['log', 'info', 'warn'] as const) vi.spyOn(console, method).mockImplementation((text: unknown) => void printed.push(String(text)));
    const { accountsByStatusRecorder } = await import('../../lambda/observability.js');

    accountsByStatusRecorder.packCounted('eu-west-1', '222222222222/security-baseline', { CREATE_SUCCESSFUL: 9_990, UPDATE_FAILED: 10, DELETE_FAILED: 0 });

    const documents = printed.flatMap((text) => {
      try {
        const parsed = JSON.parse(text) as Record<string, unknown>;
        return parsed._aws ? [parsed] : [];
      } catch {
        return [];
      }
    });
    expect(documents.map(({ Region, ConformancePack, Status, AccountsByStatus }) => ({ Region, ConformancePack, Status, AccountsByStatus }))).toEqual([
      { Region: 'eu-west-1', ConformancePack: 'security-baseline', Status: 'CREATE_SUCCESSFUL', AccountsByStatus: 9_990 },
      { Region: 'eu-west-1', ConformancePack: 'security-baseline', Status: 'UPDATE_FAILED', AccountsByStatus: 10 },
    ]);
    const dimensionValues = documents.flatMap((document) =>
      (document._aws as { CloudWatchMetrics: { Dimensions: string[][] }[] }).CloudWatchMetrics.flatMap((metric) => metric.Dimensions.flat().map((name) => String(document[name]))),
    );
    expect(dimensionValues).toContain('security-baseline');
    expect(dimensionValues.filter((value) => /\d{12}/.test(value))).toEqual([]);
  });
});
