import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ENVIRONMENT_VARIABLES } from '../lambda/env.js';
import { startEmulatedAws, type EmulatedAws } from '../local/emulated-aws.js';
import { scheduledEvent } from '../local/local-monitor.js';
import type { BenchBundle } from './bundle.js';
import { CONDITIONS, type BenchCase, type RunKind } from './cases.js';
import { runBaselineChild, runHandlerChild, type EmfDocument, type SweepSummary } from './child.js';
import { lambdaNodeOptions } from './lambda-heap.js';
import { startTimingProxy, type TimingProxy } from './timing-proxy.js';
import {
  baselineCalls,
  churn,
  failingPairs,
  minimumCalls,
  regionsOf,
  scenarioOf,
  snapshot,
  type ChurnResult,
  type OrganizationSnapshot,
} from './organization.js';

/** What one run of the handler cost. */
export interface RunResult {
  readonly caseName: string;
  readonly kind: RunKind;
  /** AWS Config calls the simulator received (attempts, throttled ones included). */
  readonly calls: number;
  readonly callsByRegion: Readonly<Record<string, number>>;
  readonly callsByOperation: Readonly<Record<string, number>>;
  readonly minimum: number;
  /** From invoking the handler to its result, in the child (module load excluded). */
  readonly wallMs: number;
  /** From invoking the handler to the answer of its last Config call: the paced reading phase. */
  readonly readMs: number;
  /** calls / rate limit, regions side by side (at most the region concurrency at once). */
  readonly boundMs: number;
  readonly throttles: number;
  /** The sweep failed, was skipped, or left something unread (errors, deferred packs, region errors). */
  readonly failed: boolean;
  readonly failure?: string;
  readonly maxRssKb: number;
  readonly dynamodb: {
    readonly readRequests: number;
    readonly writeRequests: number;
    readonly itemsRead: number;
    readonly itemsWritten: number;
    readonly readRequestUnits: number;
    readonly writeRequestUnits: number;
  };
  readonly changes: number;
  readonly changesByKind: Readonly<Record<string, number>>;
  readonly snsPublishes: number;
  readonly failingPairs: number;
  readonly packsSkipped: number;
  /** Logs and EMF the child wrote (what CloudWatch Logs would ingest). */
  readonly stdoutBytes: number;
  readonly emf: readonly EmfDocument[];
  readonly churn?: ChurnResult;
}

export interface BaselineResult {
  readonly caseName: string;
  /** Exact, from the organization. */
  readonly expectedCalls: number;
  /** Counted by the simulator in the unpaced run. */
  readonly calls: number;
  readonly maxRssKb: number;
  readonly failingFound: number;
  /** Measured when run for real at the same rate; otherwise calls / rate. */
  readonly wallMs: number;
  readonly wallMeasured: boolean;
  readonly boundMs: number;
  readonly throttles: number;
  readonly unpacedWallMs: number;
}

export interface CaseResult {
  readonly benchCase: BenchCase;
  readonly regions: readonly string[];
  readonly runs: readonly RunResult[];
  readonly baseline: BaselineResult;
}

export interface CaseContext {
  readonly bundle: BenchBundle;
  readonly baselineFile: string;
  /** Progress lines (to stderr). */
  readonly progress: (line: string) => void;
  /** Numbers the scheduled events, so every run has its own sweep id. */
  readonly nextSequence: () => number;
  /** Where to keep each run's logs (the child's stdout), if anywhere. */
  readonly logsDirectory?: string;
  /** More NODE_OPTIONS for the handler's processes; heap flags here replace the ones Lambda's runtime would set. */
  readonly childNodeOptions?: string;
}

/** Runs one case: its organization in fresh emulators, each run in a fresh child process, then the baseline. */
export async function runCase(benchCase: BenchCase, context: CaseContext): Promise<CaseResult> {
  const regions = regionsOf(benchCase.shape);
  const started = performance.now();
  const aws = await startEmulatedAws({
    scenario: scenarioOf(benchCase.name, benchCase.shape),
    faults: { latencyMs: CONDITIONS.latencyMs, rateLimitPerSecond: CONDITIONS.rateLimitPerSecond },
  });
  let timing: TimingProxy | undefined;
  try {
    timing = await startTimingProxy(aws.config.url);
    const env: Record<string, string> = {
      ...childEnvironment(context.bundle, aws, regions),
      AWS_ENDPOINT_URL_CONFIG_SERVICE: timing.url,
      // The heap limits Lambda's Node.js runtime derives from the function's memory, as deployed.
      NODE_OPTIONS: lambdaNodeOptions(context.bundle.memoryMb, context.childNodeOptions),
    };
    const regionConcurrency = Number(env[ENVIRONMENT_VARIABLES.regionConcurrency]);
    const stuckEnabled = Number(env[ENVIRONMENT_VARIABLES.stuckAfterSeconds]) > 0;
    let now = snapshot(aws.config, regions);
    context.progress(`${benchCase.name}: organization ready (${failingPairs(now)} failing pairs) in ${seconds(performance.now() - started)}`);
    const runs: RunResult[] = [];
    for (const kind of benchCase.runs) {
      let recorded: OrganizationSnapshot | undefined = now;
      let churned: ChurnResult | undefined;
      if (kind === 'first') recorded = undefined;
      if (kind === 'change') {
        churned = churn(aws.config, now, CONDITIONS.churnFraction, CONDITIONS.churnSeed, new Date());
        now = snapshot(aws.config, regions);
      }
      const minimum = minimumCalls(recorded, now, { fullRead: kind === 'first', stuckEnabled });
      const run = await runOnce(benchCase, kind, aws, timing, context, env, regionConcurrency, minimum, failingPairs(now), churned);
      context.progress(
        `${benchCase.name} ${kind}: ${run.calls} calls (min ${run.minimum}), ${seconds(run.wallMs)}, reading ${seconds(run.readMs)} (bound ${seconds(run.boundMs)}), ` +
          `${run.throttles} throttles, ${Math.round(run.maxRssKb / 1024)} MB, DynamoDB ${run.dynamodb.readRequests} reads = ${run.dynamodb.readRequestUnits} RRU, ` +
          `${run.dynamodb.writeRequests} writes = ${run.dynamodb.writeRequestUnits} WRU${run.failed ? `, FAILED: ${run.failure}` : ''}`,
      );
      runs.push(run);
    }
    const baseline = await runBaseline(benchCase, aws, context, regions, now);
    context.progress(
      `${benchCase.name} baseline: ${baseline.calls} calls, ${seconds(baseline.wallMs)} ${baseline.wallMeasured ? 'measured' : 'computed'}, ` +
        `${Math.round(baseline.maxRssKb / 1024)} MB`,
    );
    return { benchCase, regions, runs, baseline };
  } finally {
    await timing?.stop();
    await aws.stop();
  }
}

async function runOnce(
  benchCase: BenchCase,
  kind: RunKind,
  aws: EmulatedAws,
  timing: TimingProxy,
  context: CaseContext,
  env: Record<string, string>,
  regionConcurrency: number,
  minimum: number,
  failing: number,
  churned: ChurnResult | undefined,
): Promise<RunResult> {
  aws.config.resetStats();
  aws.dynamodb.resetStats();
  timing.reset();
  const publishedBefore = aws.sns.published().length;
  const child = await runHandlerChild(context.bundle.file, scheduledEvent(context.nextSequence()), env);
  if (context.logsDirectory) writeFileSync(path.join(context.logsDirectory, `${benchCase.name}-${kind}.log`), `${child.logs}${child.stderr ? `\n--- stderr ---\n${child.stderr}` : ''}`);
  const config = aws.config.stats();
  const dynamodb = aws.dynamodb.stats();
  const summary: SweepSummary | undefined = child.result;
  const failure = failureOf(child.ok ? undefined : child.error, summary);
  const { lastAnswerAt } = timing.window();
  return {
    caseName: benchCase.name,
    kind,
    calls: config.calls,
    callsByRegion: config.byRegion,
    callsByOperation: config.byOperation,
    minimum,
    wallMs: child.handlerMs,
    readMs: lastAnswerAt === undefined ? 0 : Math.max(0, lastAnswerAt - child.startEpochMs),
    boundMs: boundMs(Object.values(config.byRegion), regionConcurrency),
    throttles: config.throttled,
    failed: failure !== undefined,
    ...(failure !== undefined ? { failure } : {}),
    maxRssKb: child.maxRssKb,
    dynamodb: {
      readRequests: dynamodb.readRequests,
      writeRequests: dynamodb.writeRequests,
      itemsRead: dynamodb.itemsRead,
      itemsWritten: dynamodb.itemsWritten,
      readRequestUnits: dynamodb.readRequestUnits,
      writeRequestUnits: dynamodb.writeRequestUnits,
    },
    changes: summary?.changes ?? 0,
    changesByKind: summary?.changesByKind ?? {},
    snsPublishes: aws.sns.published().length - publishedBefore,
    failingPairs: failing,
    packsSkipped: summary?.packsSkipped ?? 0,
    stdoutBytes: child.stdoutBytes,
    emf: child.emf,
    ...(churned ? { churn: churned } : {}),
  };
}

function failureOf(error: string | undefined, summary: SweepSummary | undefined): string | undefined {
  if (error !== undefined) return error.split('\n')[0];
  if (!summary) return 'no result';
  if (summary.skipped) return 'skipped (lease held)';
  const problems = [
    ...(summary.packsDeferred > 0 ? [`${summary.packsDeferred} packs deferred`] : []),
    ...((summary.counters.sweepErrors ?? 0) > 0 ? [`${summary.counters.sweepErrors} sweep errors`] : []),
    ...summary.regionErrors,
  ];
  return problems.length > 0 ? problems.join('; ') : undefined;
}

/** The time calls need at the limit: each region at `rate`, at most `concurrency` regions at once (a lower bound). */
export function boundMs(callsPerRegion: readonly number[], concurrency: number): number {
  if (callsPerRegion.length === 0) return 0;
  const lanes = Math.max(1, Math.min(concurrency, callsPerRegion.length));
  const total = callsPerRegion.reduce((sum, calls) => sum + calls, 0);
  return (Math.max(Math.max(...callsPerRegion), total / lanes) / CONDITIONS.rateLimitPerSecond) * 1000;
}

async function runBaseline(benchCase: BenchCase, aws: EmulatedAws, context: CaseContext, regions: readonly string[], now: OrganizationSnapshot): Promise<BaselineResult> {
  const expectedCalls = baselineCalls(now);
  const env = {
    PATH: process.env.PATH ?? '',
    ...aws.environment,
    BASELINE_REGIONS: regions.join(','),
  };
  // Unpaced, without latency or limit: calls and RSS, quickly.
  aws.config.setFaults({ latencyMs: null, rateLimitPerSecond: null });
  aws.config.resetStats();
  const unpaced = await runBaselineChild(context.baselineFile, { ...env, BASELINE_CALLS_PER_SECOND: '0' });
  const calls = aws.config.stats().calls;
  // Sequential, region after region: its bound is all its calls at the rate.
  const computedMs = (expectedCalls / CONDITIONS.rateLimitPerSecond) * 1000;
  let wallMs = computedMs;
  let throttles = 0;
  if (benchCase.realBaseline) {
    aws.config.setFaults({ latencyMs: CONDITIONS.latencyMs, rateLimitPerSecond: CONDITIONS.rateLimitPerSecond });
    aws.config.resetStats();
    const paced = await runBaselineChild(context.baselineFile, { ...env, BASELINE_CALLS_PER_SECOND: String(CONDITIONS.callsPerSecond) });
    wallMs = paced.wallMs;
    throttles = aws.config.stats().throttled;
  }
  return {
    caseName: benchCase.name,
    expectedCalls,
    calls,
    maxRssKb: unpaced.maxRssKb,
    failingFound: unpaced.failing,
    wallMs,
    wallMeasured: benchCase.realBaseline,
    boundMs: computedMs,
    throttles,
    unpacedWallMs: unpaced.wallMs,
  };
}

/**
 * The function's environment as the stack sets it, with what the stack fills at deploy time (table, topic,
 * regions) pointed at the emulators, the bench's pacing, full-read interval and inventory (off), and the standard SDK variables.
 */
export function childEnvironment(bundle: BenchBundle, aws: EmulatedAws, regions: readonly string[]): Record<string, string> {
  const overrides: Record<string, string> = {
    [ENVIRONMENT_VARIABLES.tableName]: aws.tableName,
    [ENVIRONMENT_VARIABLES.topicArn]: aws.topicArn,
    [ENVIRONMENT_VARIABLES.regions]: regions.join(','),
    // As the stack sets it for these regions: all at once, each against its own limit.
    [ENVIRONMENT_VARIABLES.regionConcurrency]: String(Math.min(32, regions.length)),
    [ENVIRONMENT_VARIABLES.configCallsPerSecond]: String(CONDITIONS.callsPerSecond),
    [ENVIRONMENT_VARIABLES.fullReadIntervalSeconds]: String(CONDITIONS.fullReadIntervalSeconds),
    [ENVIRONMENT_VARIABLES.inventoryIntervalSeconds]: String(CONDITIONS.inventoryIntervalSeconds),
  };
  const deployed: Record<string, string> = {};
  for (const [name, value] of Object.entries(bundle.environment)) {
    if (name in overrides) continue;
    if (value === undefined) throw new Error(`the stack sets ${name} from a deploy-time reference; the bench does not know what to set it to`);
    deployed[name] = value;
  }
  return { PATH: process.env.PATH ?? '', ...aws.environment, ...deployed, ...overrides };
}

function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)} s`;
}
