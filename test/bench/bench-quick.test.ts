import { describe, expect, it } from 'vitest';
import { CASES, CONDITIONS, casesOf } from '../../bench/cases.js';
import { parseArguments, runBench, TABLE_COLUMNS, type BenchReport } from '../../bench/run.js';

/**
 * Keeps `npm run bench` from rotting without running it in CI: the quick mode's smallest case, end to end
 * (esbuild bundle, child processes, emulators, baseline, cost model), and the printed table checked for
 * every column and for values that make sense.
 */
describe('npm run bench (quick mode, smallest case)', () => {
  const smallest = casesOf('quick').sort(
    (a, b) => a.shape.packs * a.shape.accounts * a.shape.regions - b.shape.packs * b.shape.accounts * b.shape.regions,
  )[0]!;

  it('names its cases uniquely and keeps --quick small', () => {
    expect(new Set(CASES.map((benchCase) => benchCase.name)).size).toBe(CASES.length);
    expect(casesOf('quick').length).toBeGreaterThan(0);
    expect(casesOf('default').every((benchCase) => benchCase.sets.includes('full'))).toBe(true);
  });

  it('refuses an unknown case or argument, naming it', () => {
    expect(() => parseArguments(['--case', 'no-such-case'])).toThrow(/no-such-case/);
    expect(() => parseArguments(['--fast'])).toThrow(/--fast/);
    expect(parseArguments(['--quick']).resultsFile).toBeUndefined();
  });

  it(`runs ${smallest.name} and prints every column with sane values`, async () => {
    // Prepare
    let printed = '';
    const options = { ...parseArguments(['--quick', '--case', smallest.name, '--bundler', 'esbuild', '--cold-start-samples', '1']), resultsFile: undefined };

    // Act
    const report: BenchReport = await runBench(options, { out: (text) => (printed += text), progress: () => undefined });

    // Assess
    const header = printed.split('\n').find((line) => line.startsWith('| case '))!;
    expect(header).toBeDefined();
    const columns = header.split('|').slice(1, -1).map((cell) => cell.trim());
    expect(columns).toEqual([...TABLE_COLUMNS]);
    const rows = printed.split('\n').filter((line) => line.startsWith(`| ${smallest.name} `));
    expect(rows.map((row) => row.split('|')[2]!.trim())).toEqual([...smallest.runs, 'baseline']);
    for (const row of rows) expect(row.split('|').slice(1, -1)).toHaveLength(TABLE_COLUMNS.length);

    const [result] = report.cases;
    expect(result!.baseline.calls).toBe(result!.baseline.expectedCalls);
    for (const run of result!.runs) {
      expect(run.failed, `${run.kind}: ${run.failure}`).toBe(false);
      expect(run.calls).toBeGreaterThanOrEqual(run.minimum);
      expect(run.minimum).toBeGreaterThan(0);
      // Paced: never faster than the limit allows, and the reading phase is part of the invocation.
      expect(run.readMs).toBeGreaterThan(0.9 * ((run.minimum - 1) / CONDITIONS.rateLimitPerSecond) * 1000);
      expect(run.readMs).toBeLessThanOrEqual(run.wallMs + 50);
      expect(run.maxRssKb).toBeGreaterThan(10 * 1024);
      expect(run.maxRssKb).toBeLessThan(1024 * 1024);
      expect(run.dynamodb.readRequests).toBeGreaterThanOrEqual(1);
      expect(run.dynamodb.itemsWritten).toBeGreaterThanOrEqual(run.changes);
    }
    const [first, steady] = result!.runs;
    expect(first!.changes).toBeGreaterThan(0);
    expect(first!.snsPublishes).toBeGreaterThan(0);
    expect(steady!.changes).toBe(0);
    expect(steady!.snsPublishes).toBe(0);
    expect(report.bundle.bytes).toBeGreaterThan(100_000);
    expect(report.coldStart.medianFirstRequestMs).toBeGreaterThan(0);
    expect(printed).toContain('## Targets');
    expect(printed).toContain('## Cost model');
    expect(printed).toMatch(/USD\/month|\/month/);
    expect(report.costModel?.model.totalUsd).toBeGreaterThan(0);
  }, 60_000);
});
