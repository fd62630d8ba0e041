import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toEnvironmentVariables } from '../../lambda/env.js';
import { synthesizeBundle } from '../../bench/bundle.js';
import { startEmulatedAws, type EmulatedAws } from '../../local/emulated-aws.js';
import { scheduledEvent } from '../../local/local-monitor.js';
import { evolveOrganization } from '../../local/organization-evolution.js';
import { loadBuiltInScenario } from '../../local/scenario.js';
import { changesOf, comparableChanges, expectedChangesOf, failingPairsOf, pairKey, readStoredFailures, sortedKeys } from '../support/integration.js';

/**
 * The "done when": the Lambda bundle that `cdk synth` produces (local esbuild, no Docker),
 * run by plain Node.js in a child process with only the standard AWS_ENDPOINT_URL_* variables and the
 * stack's PACKWATCH_* variables, against the emulated AWS that runs in this test process.
 */

/** Runs the bundle's `handler` with one scheduled event; its result is the last line of stdout (EMF lines come before). */
const CHILD_SCRIPT = `
const [bundleFile, eventJson] = process.argv.slice(1);
require(bundleFile).handler(JSON.parse(eventJson)).then(
  (result) => process.stdout.write('\\n' + JSON.stringify(result)),
  (error) => { process.stderr.write(String(error && error.stack || error)); process.exitCode = 1; },
);`;

interface ChildRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Asynchronous on purpose: the emulators answer from this process's event loop while the child runs. */
function runChild(args: readonly string[], env: Record<string, string>): Promise<ChildRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...args], { env, encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the cdk.out Lambda bundle, run by plain Node.js against emulated AWS', () => {
  let outdir: string;
  let bundleFile: string;
  let aws: EmulatedAws;
  let regions: string[];
  let sequence = 0;

  beforeAll(async () => {
    outdir = mkdtempSync(path.join(tmpdir(), 'packwatch-integration-bundle-'));
    // cdk synth of the stack with its defaults, as the bench runs it: the cdk.out asset's index.js.
    bundleFile = (await synthesizeBundle(outdir)).file;
    expect(existsSync(bundleFile)).toBe(true);
  }, 60_000);

  afterAll(() => {
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    const scenario = loadBuiltInScenario('demo');
    regions = Object.keys(scenario.regions);
    aws = await startEmulatedAws({ scenario });
  });

  afterEach(async () => {
    await aws?.stop();
  });

  function childEnvironment(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '',
      ...aws.environment,
      ...toEnvironmentVariables({
        tableName: aws.tableName,
        topicArn: aws.topicArn,
        regions,
        reminderIntervalSeconds: 86_400,
        regionConcurrency: 4,
        packConcurrency: 4,
        configMaxAttempts: 8,
        stuckAfterSeconds: 0,
        muteRules: [],
        configCallsPerSecond: 1000,
        fullReadIntervalSeconds: 0,
        inventoryIntervalSeconds: 0,
        sweepIntervalSeconds: 3600,
        sourceRoleArns: [],
      }),
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      ...overrides,
    };
  }

  async function invokeBundle(overrides: Record<string, string> = {}): Promise<ChildRun> {
    sequence += 1;
    return runChild(['-e', CHILD_SCRIPT, bundleFile, JSON.stringify(scheduledEvent(sequence))], childEnvironment(overrides));
  }

  async function sweepWithBundle() {
    const before = aws.sns.published().length;
    const run = await invokeBundle();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    const result = JSON.parse(lines[lines.length - 1]!) as { sweepId: string; changes: unknown[]; failingAccounts: number };
    return { run, result, published: aws.sns.published().slice(before) };
  }

  it('alerts every failing account on the first run, sends nothing on an unchanged second run, then exactly the evolution on the third', async () => {
    // Prepare
    const initiallyFailing = failingPairsOf(aws.config, regions);

    // Act
    const first = await sweepWithBundle();

    // Assess
    expect(first.published).toHaveLength(1);
    const firstChanges = changesOf(first.published);
    expect(sortedKeys(firstChanges)).toEqual(sortedKeys(initiallyFailing));
    expect(firstChanges.every((change) => change.kind === 'NEW_FAILURE')).toBe(true);
    expect(first.result.failingAccounts).toBe(initiallyFailing.length);
    // Metrics go out as CloudWatch EMF on stdout, namespace Packwatch.
    const emf = first.run.stdout
      .split('\n')
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as { _aws: { CloudWatchMetrics: { Namespace: string }[] } });
    expect(emf.length).toBeGreaterThan(0);
    expect(emf.every((document) => document._aws.CloudWatchMetrics.every((metric) => metric.Namespace === 'Packwatch'))).toBe(true);
    expect(sortedKeys(await readStoredFailures(aws, regions))).toEqual(sortedKeys(initiallyFailing));

    // Act
    const second = await sweepWithBundle();

    // Assess
    expect(second.published).toEqual([]);
    expect(second.result.changes).toEqual([]);

    // Prepare
    const evolutions = evolveOrganization(aws.config, regions, new Date());
    expect(evolutions).toHaveLength(3);

    // Act
    const third = await sweepWithBundle();

    // Assess
    expect(third.published).toHaveLength(1);
    const actual = comparableChanges(changesOf(third.published));
    const expected = expectedChangesOf(evolutions);
    expect(actual).toEqual(expected);
    const stored = await readStoredFailures(aws, regions);
    expect(sortedKeys(stored)).toEqual(sortedKeys(failingPairsOf(aws.config, regions)));
    const recovered = evolutions.find((evolution) => evolution.kind === 'recovery')!;
    expect(stored.map(pairKey)).not.toContain(pairKey(recovered));
  });

  it('fails at start with a message naming PACKWATCH_REGIONS when the region list is not a region', async () => {
    // Act
    const run = await invokeBundle({ PACKWATCH_REGIONS: 'mars' });

    // Assess
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('PACKWATCH_REGIONS');
    expect(run.stderr).toContain('mars');
    expect(aws.config.stats().calls).toBe(0);
    expect(aws.sns.published()).toEqual([]);
  });
});
