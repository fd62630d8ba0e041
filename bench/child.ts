import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** The line a child prints last, after its logs and EMF documents. */
const RESULT_MARK = '@@packwatch-bench ';

/**
 * The process's own peak RSS in KiB. On Linux `process.resourceUsage().maxRSS` of a spawned child starts from
 * the parent's RSS at the fork (the kernel carries the high-water mark across exec), so with a bench process
 * holding a large organization it reports the parent, not the child. /proc/self/status VmHWM is the peak of
 * the child's own address space; maxRSS is the fallback elsewhere.
 */
export const PEAK_RSS_FUNCTION = `
function peakRssKb() {
  try {
    const match = /VmHWM:\\s+(\\d+) kB/.exec(require('node:fs').readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {}
  return process.resourceUsage().maxRSS;
}`;

/**
 * Runs the bundle's `handler` once with the event in argv, in a fresh Node.js process, and prints on its last
 * line: how long `require` and the invocation took, the process's peak RSS, and a summary of the sweep result.
 */
const HANDLER_SCRIPT = `
const { performance } = require('node:perf_hooks');
${PEAK_RSS_FUNCTION}
const [bundleFile, eventJson] = process.argv.slice(1);
const mark = ${JSON.stringify(RESULT_MARK)};
const loadStart = performance.now();
const bundle = require(bundleFile);
const loadMs = performance.now() - loadStart;
const start = performance.now();
bundle.handler(JSON.parse(eventJson)).then(
  (result) => {
    const handlerMs = performance.now() - start;
    const changesByKind = {};
    for (const change of result.changes || []) changesByKind[change.kind] = (changesByKind[change.kind] || 0) + 1;
    const summary = result.skipped
      ? { skipped: true }
      : {
          skipped: false,
          changes: (result.changes || []).length,
          changesByKind,
          failingAccounts: result.failingAccounts,
          messagesPublished: result.messagesPublished,
          packsSwept: result.packsSwept,
          packsSkipped: result.packsSkipped,
          packsDeferred: result.packsDeferred,
          counters: result.counters,
          durationMs: result.durationMs,
          inventory: result.inventory,
          regionErrors: (result.regions || []).filter((region) => region.error).map((region) => region.region + ': ' + region.error),
        };
    process.stdout.write('\\n' + mark + JSON.stringify({ ok: true, loadMs, handlerMs, startEpochMs: performance.timeOrigin + start, maxRssKb: peakRssKb(), resourceUsageMaxRssKb: process.resourceUsage().maxRSS, result: summary }) + '\\n');
  },
  (error) => {
    const handlerMs = performance.now() - start;
    process.stdout.write('\\n' + mark + JSON.stringify({ ok: false, loadMs, handlerMs, startEpochMs: performance.timeOrigin + start, maxRssKb: peakRssKb(), resourceUsageMaxRssKb: process.resourceUsage().maxRSS, error: String((error && error.stack) || error) }) + '\\n');
    process.exitCode = 1;
  },
);`;

/**
 * Cold start: \`require\` of the bundle, then one invocation whose environment is valid but whose DynamoDB
 * endpoint refuses connections (AWS_MAX_ATTEMPTS=1): the handler parses its environment, creates its SDK clients
 * and sends its first request (the sweep lease), which fails at once. The time to that failure is module import
 * plus first client creation plus one request's serialization and signing, without any service time.
 */
const COLD_START_SCRIPT = `
const { performance } = require('node:perf_hooks');
const [bundleFile, eventJson] = process.argv.slice(1);
const mark = ${JSON.stringify(RESULT_MARK)};
const bootMs = performance.now();
const bundle = require(bundleFile);
const requireMs = performance.now() - bootMs;
bundle.handler(JSON.parse(eventJson)).then(
  () => process.stdout.write('\\n' + mark + JSON.stringify({ ok: false, error: 'the handler succeeded against a closed port' }) + '\\n'),
  (error) => {
    const firstRequestMs = performance.now() - bootMs;
    process.stdout.write('\\n' + mark + JSON.stringify({ ok: true, bootMs, requireMs, firstRequestMs, error: String(error && error.name) }) + '\\n');
  },
);`;

export interface HandlerChildResult {
  readonly ok: boolean;
  readonly loadMs: number;
  readonly handlerMs: number;
  /** When the invocation started, epoch milliseconds (same clock as Date.now() here). */
  readonly startEpochMs: number;
  /** Peak RSS of the child's own address space (VmHWM), KiB. */
  readonly maxRssKb: number;
  /** process.resourceUsage().maxRSS as the child saw it (includes the parent's RSS at the fork on Linux). */
  readonly resourceUsageMaxRssKb?: number;
  readonly error?: string;
  readonly result?: SweepSummary;
  /** Bytes the child wrote to stdout: its logs and EMF metrics, what CloudWatch Logs would ingest. */
  readonly stdoutBytes: number;
  /** That output itself. */
  readonly logs: string;
  /** The EMF documents the child printed. */
  readonly emf: readonly EmfDocument[];
  readonly exitCode: number | null;
  readonly stderr: string;
}

export interface SweepSummary {
  readonly skipped: boolean;
  readonly changes: number;
  readonly changesByKind: Readonly<Record<string, number>>;
  readonly failingAccounts: number;
  readonly messagesPublished: number;
  readonly packsSwept: number;
  readonly packsSkipped: number;
  readonly packsDeferred: number;
  readonly counters: Readonly<Record<string, number>>;
  /** The sweep's own duration (the inventory after it excluded). */
  readonly durationMs?: number;
  /** What the inventory did after the sweep, when it is on. */
  readonly inventory?: {
    readonly regions: readonly { readonly region: string; readonly state: string; readonly packsCounted: number; readonly pagesRead: number; readonly packsLeft: number }[];
    readonly packsCounted: number;
    readonly pagesRead: number;
    readonly counters: Readonly<Record<string, number>>;
  };
  readonly regionErrors: readonly string[];
}

export interface EmfDocument {
  readonly _aws: { readonly CloudWatchMetrics: readonly { readonly Namespace: string; readonly Dimensions: readonly (readonly string[])[]; readonly Metrics: readonly { readonly Name: string }[] }[] };
  readonly [key: string]: unknown;
}

interface ChildOutput {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Asynchronous on purpose: the emulators answer from this process's event loop while the child runs. */
export function runNode(args: readonly string[], env: Readonly<Record<string, string>>, timeoutMs: number): Promise<ChildOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
}

function lastResult<T>(stdout: string): T | undefined {
  const at = stdout.lastIndexOf(RESULT_MARK);
  if (at < 0) return undefined;
  const end = stdout.indexOf('\n', at);
  return JSON.parse(stdout.slice(at + RESULT_MARK.length, end < 0 ? undefined : end)) as T;
}

/** One invocation of the bundled handler in its own process. */
export async function runHandlerChild(bundleFile: string, event: unknown, env: Readonly<Record<string, string>>, timeoutMs = 15 * 60_000): Promise<HandlerChildResult> {
  const output = await runNode(['-e', HANDLER_SCRIPT, bundleFile, JSON.stringify(event)], env, timeoutMs);
  const parsed = lastResult<Omit<HandlerChildResult, 'stdoutBytes' | 'emf' | 'exitCode' | 'stderr'>>(output.stdout);
  const at = output.stdout.lastIndexOf(RESULT_MARK);
  const logs = at < 0 ? output.stdout : output.stdout.slice(0, at);
  const emf = logs
    .split('\n')
    .filter((line) => line.includes('"_aws"'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as EmfDocument];
      } catch {
        return [];
      }
    });
  const base = { stdoutBytes: Buffer.byteLength(logs), logs, emf, exitCode: output.code, stderr: output.stderr };
  if (!parsed) {
    return { ok: false, loadMs: 0, handlerMs: 0, startEpochMs: 0, maxRssKb: 0, error: `no result line (exit ${output.code}): ${output.stderr.slice(-2000)}`, ...base };
  }
  return { ...parsed, ...base };
}

export interface ColdStart {
  readonly requireMs: number;
  readonly firstRequestMs: number;
  /** From spawning `node` to its exit, as this process saw it. */
  readonly processMs: number;
}

/** A TCP port on loopback that nothing listens on (it was bound, then closed). */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function measureColdStart(bundleFile: string, event: unknown, env: Readonly<Record<string, string>>): Promise<ColdStart> {
  const started = performance.now();
  const output = await runNode(['-e', COLD_START_SCRIPT, bundleFile, JSON.stringify(event)], env, 60_000);
  const processMs = performance.now() - started;
  const parsed = lastResult<{ ok: boolean; requireMs: number; firstRequestMs: number; error: string }>(output.stdout);
  if (!parsed?.ok) throw new Error(`cold start measurement failed: ${parsed?.error ?? output.stderr.slice(-2000)}`);
  return { requireMs: parsed.requireMs, firstRequestMs: parsed.firstRequestMs, processMs };
}

export interface BaselineChildResult {
  readonly calls: number;
  readonly throttles: number;
  readonly records: number;
  readonly failing: number;
  readonly wallMs: number;
  readonly maxRssKb: number;
}

export async function runBaselineChild(baselineFile: string, env: Readonly<Record<string, string>>, timeoutMs = 30 * 60_000): Promise<BaselineChildResult> {
  const output = await runNode([baselineFile], env, timeoutMs);
  if (output.code !== 0) throw new Error(`the baseline failed (exit ${output.code}): ${output.stderr.slice(-2000)}`);
  const line = output.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as BaselineChildResult;
}
