/**
 * `npm run bench`: the real Lambda bundle against the emulated organization, under realistic latency and a
 * per-region rate limit, against a straightforward full-read baseline. See bench/README.md.
 *
 *   npm run bench                      the default set (< 10 min here), writes bench/RESULTS.md
 *   npm run bench -- --quick           a small CI-friendly subset (< 60 s)
 *   npm run bench -- --full            every case of the issue's matrix (longer; writes bench/RESULTS.md)
 *   npm run bench -- --case NAME       one case (repeatable); --list names them
 *   --bundler esbuild                  bundle lambda/handler.ts with esbuild instead of `cdk synth` (seconds faster)
 *   --bundle FILE                      run a prebuilt bundle (e.g. to try a product change before making it)
 *   --results FILE | --no-results      where to write the Markdown results (default set and --full only by default)
 *   --json FILE                        every measurement as JSON
 *   --logs DIR                         keep each run's logs (the child's stdout: Powertools logs and EMF)
 *   --child-node-options OPTIONS       more NODE_OPTIONS for the handler's processes; heap flags replace Lambda's (bench/lambda-heap.ts)
 *   --cold-start-samples N             fresh processes timed for the cold start (default 5)
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, freemem, tmpdir, totalmem } from 'node:os';
import * as path from 'node:path';
import { ENVIRONMENT_VARIABLES } from '../lambda/env.js';
import { scheduledEvent } from '../local/local-monitor.js';
import { bundleBaseline, esbuildBundle, synthesizeBundle, type BenchBundle } from './bundle.js';
import { CASES, CONDITIONS, caseNamed, casesOf, type BenchCase, type CaseSet } from './cases.js';
import { closedPort, measureColdStart, type ColdStart } from './child.js';
import { costModel, renderCostModel, scheduleMinutesWithin, type CostModel, type MeasuredInputs } from './cost-model.js';
import { synthesizeDeployment, type DeploymentFacts } from './deployment.js';
import { lambdaNodeOptions } from './lambda-heap.js';
import { runCase, type CaseResult, type RunResult } from './run-case.js';
import { fixed, integer, markdownTable, percent } from './table.js';

export interface BenchOptions {
  readonly set: CaseSet;
  readonly caseNames: readonly string[];
  readonly bundler: 'cdk' | 'esbuild';
  /** A prebuilt bundle to run instead (with the stack's default environment), e.g. to try a product change. */
  readonly bundleFile: string | undefined;
  readonly resultsFile: string | undefined;
  readonly jsonFile: string | undefined;
  /** Keep every run's logs (the child's stdout and stderr) in this directory. */
  readonly logsDirectory: string | undefined;
  readonly coldStartSamples: number;
  /** Only list the cases. */
  readonly list: boolean;
  /** NODE_OPTIONS for the handler's child processes (e.g. a heap limit, as a smaller function memory would impose). */
  readonly childNodeOptions: string | undefined;
}

export interface BenchIo {
  readonly out: (text: string) => void;
  readonly progress: (line: string) => void;
}

export interface BenchReport {
  readonly options: BenchOptions;
  readonly bundle: Omit<BenchBundle, 'environment'>;
  readonly coldStart: { readonly samples: readonly ColdStart[]; readonly medianFirstRequestMs: number; readonly medianRequireMs: number };
  readonly cases: readonly CaseResult[];
  readonly targets: readonly TargetCheck[];
  readonly costModel?: { readonly fromCase: string; readonly model: CostModel; readonly withinAim?: CostModel };
  readonly text: string;
}

export interface TargetCheck {
  readonly target: string;
  readonly verdict: 'holds' | 'MISSES' | 'not measured';
  readonly detail: string;
}

export const RESULTS_FILE = path.join(__dirname, 'RESULTS.md');
const ANALYSIS_HEADING = '## Analysis';

export function parseArguments(argv: readonly string[]): BenchOptions {
  let set: CaseSet = 'default';
  const caseNames: string[] = [];
  let bundler: 'cdk' | 'esbuild' = 'cdk';
  let resultsFile: string | undefined | null;
  let jsonFile: string | undefined;
  let bundleFile: string | undefined;
  let logsDirectory: string | undefined;
  let coldStartSamples = 5;
  let list = false;
  let childNodeOptions: string | undefined;
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index]!;
    const value = () => {
      const next = argv[++index];
      if (next === undefined) throw new Error(`${argument} needs a value`);
      return next;
    };
    switch (argument) {
      case '--quick':
        set = 'quick';
        break;
      case '--list':
        list = true;
        break;
      case '--child-node-options':
        childNodeOptions = value();
        break;
      case '--full':
        set = 'full';
        break;
      case '--case':
        caseNames.push(value());
        break;
      case '--bundler': {
        const bundlerName = value();
        if (bundlerName !== 'cdk' && bundlerName !== 'esbuild') throw new Error(`--bundler is cdk or esbuild, not ${bundlerName}`);
        bundler = bundlerName;
        break;
      }
      case '--results':
        resultsFile = path.resolve(value());
        break;
      case '--bundle':
        bundleFile = path.resolve(value());
        break;
      case '--no-results':
        resultsFile = null;
        break;
      case '--json':
        jsonFile = path.resolve(value());
        break;
      case '--logs':
        logsDirectory = path.resolve(value());
        break;
      case '--cold-start-samples':
        coldStartSamples = Math.max(1, Number.parseInt(value(), 10) || 1);
        break;
      default:
        throw new Error(`unknown argument ${argument}; see the top of bench/run.ts`);
    }
  }
  for (const name of caseNames) {
    if (!caseNamed(name)) throw new Error(`no case named ${name}; cases: ${CASES.map((benchCase) => benchCase.name).join(', ')}`);
  }
  // The checked-in results come from whole sets as shipped: not a single case, the quick subset or an experiment.
  const defaultResults =
    caseNames.length === 0 && set !== 'quick' && bundleFile === undefined && childNodeOptions === undefined ? RESULTS_FILE : undefined;
  return {
    set,
    caseNames,
    bundler,
    bundleFile,
    resultsFile: resultsFile === null ? undefined : (resultsFile ?? defaultResults),
    jsonFile,
    logsDirectory,
    coldStartSamples,
    list,
    childNodeOptions,
  };
}

export async function runBench(options: BenchOptions, io: BenchIo): Promise<BenchReport> {
  const cases: BenchCase[] = options.caseNames.length > 0 ? options.caseNames.map((name) => caseNamed(name)!) : casesOf(options.set);
  const workdir = mkdtempSync(path.join(tmpdir(), 'packwatch-bench-'));
  const started = new Date();
  try {
    io.progress(options.bundleFile ? `bundle ${options.bundleFile}` : options.bundler === 'cdk' ? 'cdk synth (in process, local esbuild)…' : 'esbuild bundle of lambda/handler.ts…');
    if (options.logsDirectory) mkdirSync(options.logsDirectory, { recursive: true });
    const bundle = options.bundleFile
      ? prebuiltBundle(options.bundleFile, esbuildBundle(workdir))
      : options.bundler === 'cdk'
        ? await synthesizeBundle(path.join(workdir, 'cdk.out'))
        : esbuildBundle(workdir);
    const baselineFile = bundleBaseline(workdir);
    io.progress(`bundle ${bundle.file} (${integer(bundle.bytes)} bytes)`);

    const coldStart = await coldStarts(bundle, options.coldStartSamples);
    io.progress(`cold start: require ${fixed(coldStart.medianRequireMs, 0)} ms, to the first request ${fixed(coldStart.medianFirstRequestMs, 0)} ms (median of ${coldStart.samples.length})`);

    let sequence = 0;
    const results: CaseResult[] = [];
    for (const benchCase of cases) {
      results.push(
        await runCase(benchCase, {
          bundle,
          baselineFile,
          progress: io.progress,
          nextSequence: () => (sequence += 1),
          ...(options.logsDirectory ? { logsDirectory: options.logsDirectory } : {}),
          ...(options.childNodeOptions ? { childNodeOptions: options.childNodeOptions } : {}),
        }),
      );
    }
    const elapsedMs = Date.now() - started.getTime();
    const targets = checkTargets(results, bundle, coldStart.medianFirstRequestMs);
    const modelSource = pickCostModelCase(results);
    const measured = modelSource ? measuredInputs(modelSource, coldStart.medianFirstRequestMs) : undefined;
    if (measured) io.progress('cdk synth of the priced deployment (17 regions, rate(5 minutes); no bundling)…');
    const deployment = measured ? await synthesizeDeployment() : undefined;
    const model = measured && deployment ? costModel(measured, deployment) : undefined;
    const withinAim = measured && deployment && model ? modelAtFittingSchedule(measured, deployment, model) : undefined;
    const runDate = started.toISOString().slice(0, 10);
    const text = renderReport({ options, bundle, coldStart, results, targets, model, withinAim, measured, modelSource, started, elapsedMs, runDate });
    io.out(`${text}\n`);
    const { environment: _environment, ...bundleFacts } = bundle;
    const report: BenchReport = {
      options,
      bundle: bundleFacts,
      coldStart,
      cases: results,
      targets,
      ...(model && modelSource ? { costModel: { fromCase: modelSource.benchCase.name, model, ...(withinAim ? { withinAim } : {}) } } : {}),
      text,
    };
    if (options.resultsFile) {
      writeFileSync(options.resultsFile, resultsMarkdown(text, options.resultsFile));
      io.progress(`wrote ${options.resultsFile}`);
    }
    if (options.jsonFile) {
      writeFileSync(options.jsonFile, JSON.stringify(report, (key, value: unknown) => (key === 'logs' ? undefined : value), 2));
      io.progress(`wrote ${options.jsonFile}`);
    }
    return report;
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}

/** A given bundle file with the stack's default environment (taken from the esbuild path). */
function prebuiltBundle(file: string, defaults: BenchBundle): BenchBundle {
  return { ...defaults, source: 'esbuild', file, bytes: statSync(file).size };
}

async function coldStarts(bundle: BenchBundle, samples: number) {
  const port = await closedPort();
  const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
  for (const [name, value] of Object.entries(bundle.environment)) if (value !== undefined) env[name] = value;
  Object.assign(env, {
    [ENVIRONMENT_VARIABLES.tableName]: 'packwatch-state',
    [ENVIRONMENT_VARIABLES.topicArn]: 'arn:aws:sns:us-east-1:000000000000:packwatch-alerts',
    [ENVIRONMENT_VARIABLES.regions]: 'us-east-1',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'packwatch-local',
    AWS_SECRET_ACCESS_KEY: 'packwatch-local',
    AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    AWS_MAX_ATTEMPTS: '1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  const results: ColdStart[] = [];
  for (let sample = 0; sample < samples; sample += 1) results.push(await measureColdStart(bundle.file, scheduledEvent(sample + 1), env));
  return {
    samples: results,
    medianFirstRequestMs: median(results.map((result) => result.firstRequestMs)),
    medianRequireMs: median(results.map((result) => result.requireMs)),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const STEADY_CASES = ['50x10k-1r-0.1pct', '50x10k-3r-0.1pct'];
/** Runs with less bound time than this are judged on calls, not on wall ÷ bound. */
const MIN_BOUND_FOR_RATIO_MS = 5000;

function runOf(results: readonly CaseResult[], caseName: string, kind: RunResult['kind']): { run: RunResult; result: CaseResult } | undefined {
  const result = results.find((candidate) => candidate.benchCase.name === caseName);
  const run = result?.runs.find((candidate) => candidate.kind === kind);
  return result && run ? { run, result } : undefined;
}

export function checkTargets(results: readonly CaseResult[], bundle: BenchBundle, coldStartMs: number): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const steady = STEADY_CASES.map((name) => runOf(results, name, 'steady')).filter((found) => found !== undefined);
  checks.push(
    steady.length === 0
      ? { target: 'steady 50×10k, 0.1% failing: ≤ 5% of the baseline calls', verdict: 'not measured', detail: `run ${STEADY_CASES.join(' or ')}` }
      : verdict(
          'steady 50×10k, 0.1% failing: ≤ 5% of the baseline calls',
          steady.every(({ run, result }) => run.calls <= 0.05 * result.baseline.expectedCalls),
          steady.map(({ run, result }) => `${result.benchCase.name}: ${run.calls} / ${result.baseline.expectedCalls} = ${percent(run.calls / result.baseline.expectedCalls)}`).join('; '),
        ),
  );
  const healthy = runOf(results, '50x10k-1r-healthy', 'steady');
  checks.push(
    healthy
      ? verdict(
          'steady 50×10k, none failing: ≤ 1% of the baseline calls',
          healthy.run.calls <= 0.01 * healthy.result.baseline.expectedCalls,
          `${healthy.run.calls} / ${healthy.result.baseline.expectedCalls} = ${percent(healthy.run.calls / healthy.result.baseline.expectedCalls)}`,
        )
      : { target: 'steady 50×10k, none failing: ≤ 1% of the baseline calls', verdict: 'not measured', detail: 'run 50x10k-1r-healthy' },
  );
  const runs = results.flatMap((result) => result.runs);
  if (runs.length > 0) {
    const ratio = (run: RunResult, ms: number) => ms / run.boundMs;
    // A run of a few calls is all start-up (lease, state query): the ratio speaks of the pacing only from a few seconds of bound up.
    const paced = runs.filter((run) => run.boundMs >= MIN_BOUND_FOR_RATIO_MS);
    const judged = paced.length > 0 ? paced : runs;
    const worst = judged.reduce((a, b) => (ratio(b, b.wallMs) > ratio(a, a.wallMs) ? b : a));
    const worstRead = judged.reduce((a, b) => (ratio(b, b.readMs) > ratio(a, a.readMs) ? b : a));
    const failed = runs.filter((run) => run.failed);
    const throttled = runs.filter((run) => run.throttles > 0);
    const describe = (run: RunResult, ms: number) => `${fixed(ratio(run, ms), 2)}× (${run.caseName} ${run.kind}: ${fixed(ms / 1000, 1)} s vs ${fixed(run.boundMs / 1000, 1)} s)`;
    checks.push(
      verdict(
        `wall ≤ 1.2× calls/rate bound (runs with ≥ ${MIN_BOUND_FOR_RATIO_MS / 1000} s of bound), no sweep failing`,
        ratio(worst, worst.wallMs) <= 1.2 && failed.length === 0,
        `worst ${describe(worst, worst.wallMs)}; ${failed.length} failed sweep(s)` +
          (failed.length ? ` (${failed.map((run) => `${run.caseName} ${run.kind}: ${run.failure}`).join('; ')})` : ''),
      ),
    );
    checks.push(
      verdict(
        `reading phase (to the last Config answer) ≤ 1.2× bound (runs with ≥ ${MIN_BOUND_FOR_RATIO_MS / 1000} s of bound)`,
        ratio(worstRead, worstRead.readMs) <= 1.2,
        `worst ${describe(worstRead, worstRead.readMs)}`,
      ),
    );
    checks.push(
      verdict(
        'no throttling: the sweep paces itself, no retries needed',
        throttled.length === 0,
        `${throttled.length} of ${runs.length} runs throttled, ${runs.reduce((sum, run) => sum + run.throttles, 0)} throttles in ${runs.reduce((sum, run) => sum + run.calls, 0)} calls ` +
          `(max ${percent(Math.max(...runs.map((run) => run.throttles / run.calls)))} of a run's calls)`,
      ),
    );
    const atSize = runs.filter((run) => run.caseName.startsWith('50x10k-1r'));
    const rssRuns = atSize.length > 0 ? atSize : runs;
    const biggest = rssRuns.reduce((a, b) => (b.maxRssKb > a.maxRssKb ? b : a));
    checks.push(
      verdict(
        `peak RSS < 200 MB${atSize.length > 0 ? ' at 500,000 pack-account pairs' : ' (no 500,000-pair case run)'}`,
        biggest.maxRssKb < 200 * 1024,
        `max ${fixed(biggest.maxRssKb / 1024, 0)} MB (${biggest.caseName} ${biggest.kind}, ${integer(biggest.changes)} changes); ` +
          `over every run: ${fixed(Math.max(...runs.map((run) => run.maxRssKb)) / 1024, 0)} MB`,
      ),
    );
    // Unchanged accounts cost nothing: a run writes its changes (each possibly twice, write-ahead then confirmed) plus O(1)
    // items: the lease (put + delete) and per region its bookkeeping, saved once more (the packs about to be written marked
    // unsettled) when there are changes.
    const fixedItems = (result: CaseResult, run: RunResult) => 2 + result.regions.length * (run.changes > 0 ? 2 : 1);
    const writes = results.flatMap((result) => result.runs.map((run) => ({ run, fixedItems: fixedItems(result, run) })));
    const steadyWrites = writes.filter(({ run }) => run.changes === 0);
    const perChange = writes
      .filter(({ run }) => run.changes > 0)
      .map(({ run, fixedItems: allowed }) => ({ run, factor: Math.max(0, run.dynamodb.itemsWritten - allowed) / run.changes }));
    const worstFactor = perChange.reduce<{ run: RunResult; factor: number } | undefined>((a, b) => (!a || b.factor > a.factor ? b : a), undefined);
    checks.push(
      verdict(
        'DynamoDB writes ∝ changes: O(1) items without changes, ≤ 2 items per change',
        steadyWrites.every(({ run, fixedItems: allowed }) => run.dynamodb.itemsWritten <= allowed) && perChange.every(({ factor }) => factor <= 2),
        `runs without changes wrote ${[...new Set(steadyWrites.map(({ run }) => run.dynamodb.itemsWritten))].join(' or ') || '—'} items ` +
          `(lease put + delete${steadyWrites.some(({ run }) => run.dynamodb.itemsWritten > 2) ? ', bookkeeping' : ''}); ` +
          (worstFactor
            ? `with changes up to ${fixed(worstFactor.factor, 2)} items per change (${worstFactor.run.caseName} ${worstFactor.run.kind}: ` +
              `${integer(worstFactor.run.dynamodb.itemsWritten)} items for ${integer(worstFactor.run.changes)} changes)`
            : 'no run with changes'),
      ),
    );
  }
  checks.push(verdict('bundle < 1 MB', bundle.bytes < 1024 * 1024, `${integer(bundle.bytes)} bytes (${bundle.source})`));
  checks.push(verdict('cold start < 500 ms', coldStartMs < 500, `${fixed(coldStartMs, 0)} ms to the first request (median)`));
  return checks;
}

function verdict(target: string, holds: boolean, detail: string): TargetCheck {
  return { target, verdict: holds ? 'holds' : 'MISSES', detail };
}

function pickCostModelCase(results: readonly CaseResult[]): CaseResult | undefined {
  const preferred = STEADY_CASES.map((name) => results.find((result) => result.benchCase.name === name)).find((result) => result !== undefined);
  if (preferred) return preferred;
  // Otherwise the largest case that has a first and a steady run (a stand-in: say so).
  return [...results]
    .filter((result) => result.runs.some((run) => run.kind === 'steady') && result.runs.some((run) => run.kind === 'first') && result.benchCase.shape.failureRate > 0)
    .sort((a, b) => b.benchCase.shape.packs * b.benchCase.shape.accounts - a.benchCase.shape.packs * a.benchCase.shape.accounts)[0];
}

function measuredInputs(result: CaseResult, coldStartMs: number): MeasuredInputs {
  const run = (kind: RunResult['kind']) => result.runs.find((candidate) => candidate.kind === kind)!;
  const steady = run('steady');
  const first = run('first');
  const change = result.runs.find((candidate) => candidate.kind === 'change');
  return {
    caseName: result.benchCase.name,
    measuredRegions: result.regions.length,
    steadyCalls: steady.calls,
    fullReadCalls: first.calls,
    steadyOverheadMs: steady.wallMs - steady.boundMs,
    steadyReadUnits: steady.dynamodb.readRequestUnits,
    steadyItemsWritten: steady.dynamodb.itemsWritten,
    writeUnitsPerItem: change && change.dynamodb.itemsWritten > 0 ? change.dynamodb.writeRequestUnits / change.dynamodb.itemsWritten : 1,
    changesPerMessage: first.snsPublishes > 0 ? first.changes / first.snsPublishes : 1,
    steadyLogBytes: steady.stdoutBytes,
    emf: result.runs.flatMap((candidate) => candidate.emf),
    coldStartMs,
  };
}

/** The same deployment at the longest rate(N minutes) that alerts within the aim in the worst case, when that is another schedule. */
function modelAtFittingSchedule(measured: MeasuredInputs, deployment: DeploymentFacts, model: CostModel): CostModel | undefined {
  const minutes = scheduleMinutesWithin(model);
  if (minutes === undefined || minutes === deployment.scheduleMinutes) return undefined;
  // Only the schedule changes: the template's alarms, memory and concurrency do not depend on it.
  const expression = `rate(${minutes} minute${minutes === 1 ? '' : 's'})`;
  return costModel(measured, { ...deployment, scheduleExpression: expression, scheduleMinutes: minutes, context: { ...deployment.context, schedule: expression } });
}

interface ReportParts {
  readonly options: BenchOptions;
  readonly bundle: BenchBundle;
  readonly coldStart: BenchReport['coldStart'];
  readonly results: readonly CaseResult[];
  readonly targets: readonly TargetCheck[];
  readonly model: CostModel | undefined;
  readonly withinAim: CostModel | undefined;
  readonly measured: MeasuredInputs | undefined;
  readonly modelSource: CaseResult | undefined;
  readonly started: Date;
  readonly elapsedMs: number;
  readonly runDate: string;
}

export const TABLE_COLUMNS = [
  'case',
  'run',
  'Config calls',
  'minimum',
  '÷ min',
  'wall s',
  'read s',
  'bound s',
  'read ÷ bound',
  'wall ÷ bound',
  'throttles',
  'sweep',
  'peak RSS MB',
  'DDB reads',
  'DDB writes',
  'items changed',
  'changes',
  'SNS',
  'calls ÷ baseline',
  'wall ÷ baseline',
] as const;

export function resultRows(results: readonly CaseResult[]): string[][] {
  const rows: string[][] = [];
  for (const result of results) {
    const { baseline } = result;
    for (const run of result.runs) {
      rows.push([
        result.benchCase.name,
        run.kind,
        integer(run.calls),
        integer(run.minimum),
        fixed(run.calls / run.minimum, 2),
        fixed(run.wallMs / 1000, 1),
        fixed(run.readMs / 1000, 1),
        fixed(run.boundMs / 1000, 1),
        fixed(run.readMs / run.boundMs, 2),
        fixed(run.wallMs / run.boundMs, 2),
        integer(run.throttles),
        run.failed ? 'FAILED' : 'ok',
        fixed(run.maxRssKb / 1024, 0),
        integer(run.dynamodb.readRequests),
        integer(run.dynamodb.writeRequests),
        integer(run.dynamodb.itemsWritten),
        integer(run.changes),
        integer(run.snsPublishes),
        percent(run.calls / baseline.expectedCalls),
        percent(run.wallMs / baseline.wallMs),
      ]);
    }
    rows.push([
      result.benchCase.name,
      'baseline',
      integer(baseline.expectedCalls),
      '—',
      '—',
      `${fixed(baseline.wallMs / 1000, 1)}${baseline.wallMeasured ? ' m' : ' c'}`,
      '—',
      fixed(baseline.boundMs / 1000, 1),
      '—',
      baseline.wallMeasured ? fixed(baseline.wallMs / baseline.boundMs, 2) : '—',
      baseline.wallMeasured ? integer(baseline.throttles) : '—',
      baseline.calls === baseline.expectedCalls ? 'ok' : `counted ${baseline.calls}`,
      fixed(baseline.maxRssKb / 1024, 0),
      '—',
      '—',
      '—',
      '—',
      '—',
      '100%',
      '100%',
    ]);
  }
  return rows;
}

function renderReport(parts: ReportParts): string {
  const { options, bundle, coldStart, results, targets, model, withinAim, measured, modelSource, started, elapsedMs, runDate } = parts;
  const env = bundle.environment;
  const caseNames = results.map((result) => result.benchCase.name);
  const omitted = options.caseNames.length === 0 && options.set === 'default' ? CASES.filter((benchCase) => benchCase.sets.includes('full') && !benchCase.sets.includes('default')) : [];
  const sections = [
    `# Packwatch bench — ${options.caseNames.length > 0 ? `case ${caseNames.join(', ')}` : `${options.set} set`}`,
    '',
    `Run ${started.toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${fixed(totalmem() / 2 ** 30, 1)} GiB memory (${fixed(freemem() / 2 ** 30, 1)} GiB free), ` +
      `Node.js ${process.version}, ${process.platform}/${process.arch}; took ${fixed(elapsedMs / 1000, 0)} s.`,
    '',
    `Conditions: AWS Config simulator with ${CONDITIONS.latencyMs} ms latency per call and a limit of ${CONDITIONS.rateLimitPerSecond} calls/s per region ` +
      `(sliding 1 s window, ThrottlingException beyond); the sweep paced at PACKWATCH_CONFIG_CALLS_PER_SECOND=${CONDITIONS.callsPerSecond}, ` +
      `PACKWATCH_FULL_READ_INTERVAL_SECONDS=${CONDITIONS.fullReadIntervalSeconds}, and otherwise the stack's defaults ` +
      `(region concurrency ${env[ENVIRONMENT_VARIABLES.regionConcurrency]}, pack concurrency ${env[ENVIRONMENT_VARIABLES.packConcurrency]}, ` +
      `stuck after ${env[ENVIRONMENT_VARIABLES.stuckAfterSeconds]} s, reminders every ${env[ENVIRONMENT_VARIABLES.reminderIntervalSeconds]} s, ` +
      `${env[ENVIRONMENT_VARIABLES.configMaxAttempts]} attempts per call). Each run is the ${bundle.source} bundle in a fresh \`node\` child process ` +
      `(its own peak RSS), the emulators (Config, DynamoDB behind a counting proxy, SNS, EventBridge) in the bench process. ` +
      `Organizations: every pack deployed to every account, failures seeded (seed ${CONDITIONS.organizationSeed}); the change run changes ` +
      `${CONDITIONS.churnFraction * 100}% of each pack's deployments (seed ${CONDITIONS.churnSeed}: healthy → failing, failing → recovered or failing differently).` +
      ` The child runs with the heap limits AWS Lambda's Node.js runtime (its bootstrap) derives from the function's ${bundle.memoryMb} MB: ` +
      `NODE_OPTIONS=${lambdaNodeOptions(bundle.memoryMb, options.childNodeOptions)} (old space = memory − memory/10, semi-space = memory/20), ` +
      `so its peak RSS is what the deployed function would reach.` +
      (options.childNodeOptions ? ` Given with --child-node-options: ${options.childNodeOptions} (an experiment).` : '') +
      (options.bundleFile ? ` Bundle given: ${options.bundleFile} (an experiment, not the shipped code).` : ''),
    '',
    `Bundle: ${integer(bundle.bytes)} bytes (${fixed(bundle.bytes / 1024, 0)} KiB) index.js from ${bundle.source}, ${bundle.memoryMb} MB ${bundle.architecture}. ` +
      `Cold start (median of ${coldStart.samples.length} fresh processes): require ${fixed(coldStart.medianRequireMs, 0)} ms; ` +
      `require + environment + first SDK clients + first request (lease PutItem to a closed port, 1 attempt) ${fixed(coldStart.medianFirstRequestMs, 0)} ms; ` +
      `whole process, spawn to exit, ${fixed(median(coldStart.samples.map((sample) => sample.processMs)), 0)} ms.`,
    '',
    markdownTable(TABLE_COLUMNS, resultRows(results), new Set([2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16, 17, 18, 19])),
    '',
    'Columns: **Config calls** counted by the simulator (every attempt, throttled ones included); **minimum** computed from the organization ' +
      '(per region 1 listing page, + 1 summary page when summaries are used; for each pack that must be read — every pack in a full read, ' +
      'else packs failing now or with recorded failures — 1 query per FAILED status + extra pages, + 1 per IN_PROGRESS status in a full read ' +
      '(STUCK alerts on); + 1 account query per account that stopped failing); **wall** from invoking the handler to its result in the child; ' +
      '**read** from invoking it to the answer of its last Config call (a timing proxy in front of the simulator): the paced part, before state writes and alerts; ' +
      '**bound** = calls / limit, regions side by side; **sweep** ok = no error, nothing deferred, not skipped; ' +
      '**peak RSS** = VmHWM of the child (/proc/self/status: the peak of its own address space; on Linux ' +
      '`process.resourceUsage().maxRSS` of a spawned child starts from the parent\'s RSS at the fork, here the bench process holding the organization); **DDB reads/writes** = requests ' +
      'the DynamoDB proxy counted, **items changed** = items put or deleted; **changes** = alert changes (new, changed, recovered…); ' +
      '**SNS** = publishes; **baseline** = every account of every pack (no Filters), sequentially, with the SDK paginator, ' +
      `region after region: its calls are exact; its wall is measured (m) when run for real at ${CONDITIONS.callsPerSecond} calls/s ` +
      'under the same latency and limit, otherwise computed (c) as calls / rate (its calls and RSS then come from an unpaced run).',
    '',
    ...(omitted.length > 0
      ? [
          `Left to \`--full\`: ${omitted.map((benchCase) => benchCase.name).join(', ')}. A run cannot beat calls / rate (10 calls/s per region, ` +
            'regions side by side) and the default set must finish in under 10 minutes here: the whole matrix is about 12 minutes of bound ' +
            'time alone (Σ calls / rate over its runs and the real baseline), about 18 with the state writes of the 5% cases and the unpaced ' +
            'baselines, so the default set keeps one ' +
            'case per dimension: 1 and 3 regions (at 1,000 accounts, where the 3-region unpaced baseline is cheap), 1,000 and 10,000 accounts, ' +
            '0.1% and 5% failing (5% at 10,000 accounts, the heaviest), the healthy organization, and a baseline run for real. Regions are ' +
            'paced and limited separately and swept side by side, so a 3-region case costs per region what its 1-region twin costs.',
          '',
        ]
      : []),
    '## Targets',
    '',
    markdownTable(['target', 'verdict', 'measured'], targets.map((check) => [check.target, check.verdict, check.detail])),
    '',
  ];
  if (model && measured && modelSource) {
    const standIn = !STEADY_CASES.includes(modelSource.benchCase.name);
    sections.push(
      '## Cost model',
      '',
      `From the measured runs of ${modelSource.benchCase.name}${standIn ? ' — a stand-in: run the default set for the 50×10k figures' : ''} ` +
        `(steady run for the sweep, first run for the periodic full read).`,
      '',
      renderCostModel(model, measured, runDate, withinAim),
      '',
    );
  }
  return sections.join('\n');
}

/** The generated text, keeping a hand-written "## Analysis" section of the existing file (if any) at the end. */
function resultsMarkdown(text: string, file: string): string {
  if (!existsSync(file)) return text;
  const previous = readFileSync(file, 'utf8');
  const at = previous.indexOf(`\n${ANALYSIS_HEADING}`);
  return at < 0 ? text : `${text}\n${previous.slice(at + 1)}`;
}

/** The cases with their sets and sizes, one a line. */
export function caseList(): string {
  return CASES.map(({ name, shape, runs, realBaseline, sets }) =>
    `${name.padEnd(20)} ${shape.packs} packs × ${shape.accounts} accounts × ${shape.regions} region(s), ${shape.failureRate * 100}% failing; ` +
      `runs ${runs.join(', ')}; baseline ${realBaseline ? 'measured' : 'computed'}; sets ${sets.join(', ')}`,
  ).join('\n');
}

export async function main(argv: readonly string[]): Promise<void> {
  const options = parseArguments(argv);
  if (options.list) {
    process.stdout.write(`${caseList()}\n`);
    return;
  }
  await runBench(options, {
    out: (text) => process.stdout.write(text),
    progress: (line) => process.stderr.write(`[bench] ${line}\n`),
  });
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
