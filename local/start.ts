import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { LocalMonitor, LocalSweep } from './local-monitor.js';
import { evolveOrganization, type Evolution } from './organization-evolution.js';
import { builtInScenarioPath, loadScenario, type Scenario } from './scenario.js';

const USAGE = `Usage: npm start [-- --scenario demo|large|throttled|FILE.json] [--full] [--verbose]

Runs the real Packwatch monitor (the Lambda handler, unchanged) against emulated AWS on
127.0.0.1: a simulated organization (AWS Config), DynamoDB (dynalite) and an SNS endpoint that
shows what would be sent. No AWS account, no credentials, no network.

  --scenario  a built-in organization (demo, large, throttled) or a scenario JSON file (default: demo)
  --full      print every line of every email (default: the first 60 lines of each)
  --verbose   also print the Lambda's own JSON logs and EMF metrics
`;

const EMAIL_PREVIEW_LINES = 60;
const BUILT_IN = ['demo', 'large', 'throttled'] as const;

interface Options {
  readonly scenario: Scenario;
  readonly full: boolean;
  readonly verbose: boolean;
}

const write = (text = '') => process.stdout.write(`${text}\n`);

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (typeof options === 'number') return options;
  // Set before the handler module loads: Powertools reads them once, at import.
  process.env.POWERTOOLS_LOG_LEVEL = options.verbose ? 'INFO' : 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = options.verbose ? 'false' : 'true';
  const { startLocalMonitor } = await import('./local-monitor.js');

  const started = performance.now();
  const regions = Object.keys(options.scenario.regions);
  // As deployed: stuck after 6 hours, summaries between full reads every 6 hours, 10 calls/s per region.
  const monitor = await startLocalMonitor({
    scenario: options.scenario,
    stuckAfterSeconds: 6 * 3600,
    fullReadIntervalSeconds: 6 * 3600,
    configCallsPerSecond: 10,
  });
  try {
    write('Packwatch, running locally against emulated AWS (no AWS account, no network)');
    write(`Scenario: ${options.scenario.name}${options.scenario.description ? `: ${options.scenario.description}` : ''}`);
    write(`Regions: ${regions.join(', ')} · packs: ${regions.reduce((total, region) => total + monitor.aws.config.listPacks(region).length, 0)}`);
    write(`Emulated on 127.0.0.1: AWS Config ${monitor.aws.config.url} · SNS ${monitor.aws.sns.url} · DynamoDB ${monitor.aws.dynamodb.url}`);

    await runStep(monitor, options, 1, 'first sweep: every account already failing is alerted once');
    await runStep(monitor, options, 2, 'nothing changed: nothing is sent');

    const evolutions = evolveOrganization(monitor.aws.config, regions, new Date());
    await runStep(monitor, options, 3, 'the organization changed: only the changes are sent', evolutions);

    write();
    write(`Done in ${((performance.now() - started) / 1000).toFixed(1)} s. Deploy it for real with "npx cdk deploy" (see README.md).`);
    return 0;
  } finally {
    await monitor.stop();
  }
}

async function runStep(monitor: LocalMonitor, options: Options, step: number, title: string, evolutions?: readonly Evolution[]): Promise<void> {
  write();
  write(`━━ Sweep ${step} of 3: ${title} ━━`);
  if (evolutions) {
    write('Changed in the simulated organization since the last sweep:');
    for (const evolution of evolutions) {
      write(`  ${evolution.kind.padEnd(15)} ${evolution.region} ${evolution.conformancePack} ${evolution.accountId}: ${evolution.from} → ${evolution.to}`);
    }
    if (evolutions.length === 0) write('  (the scenario has no account to change)');
  }
  const sweep = await withProgress(monitor, () => monitor.sweep());
  printAlerts(sweep, options);
  printSummary(sweep);
}

/** Shows the Config calls made so far while the sweep runs. */
async function withProgress<T>(monitor: LocalMonitor, work: () => Promise<T>): Promise<T> {
  const interactive = Boolean(process.stdout.isTTY);
  const startCalls = monitor.aws.config.stats().calls;
  const started = performance.now();
  const show = () => {
    const stats = monitor.aws.config.stats();
    const line = `  sweeping… ${stats.calls - startCalls} AWS Config calls, ${((performance.now() - started) / 1000).toFixed(1)} s`;
    if (interactive) process.stdout.write(`\r${line}`);
    else write(line);
  };
  const timer = setInterval(show, interactive ? 200 : 2_000);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    if (interactive) process.stdout.write('\r\x1b[2K');
  }
}

function printAlerts({ published }: LocalSweep, options: Options): void {
  if (published.length === 0) {
    write('No alert published: nothing changed since the last sweep.');
    return;
  }
  published.forEach((message, index) => {
    const bodies = JSON.parse(message.message) as { email: string };
    write();
    write(`✉  SNS alert ${index + 1} of ${published.length}, as an email subscriber gets it`);
    write(`   Subject: ${message.subject}`);
    const lines = bodies.email.trimEnd().split('\n');
    const shown = options.full ? lines : lines.slice(0, EMAIL_PREVIEW_LINES);
    for (const line of shown) write(`   │ ${line}`);
    if (shown.length < lines.length) write(`   │ … ${lines.length - shown.length} more lines (npm start -- --full shows them)`);
    write(`   (also sent: the JSON alert, schema packwatch.alert/1, and a Slack/Teams notification; attributes ${Object.entries(message.messageAttributes).map(([name, attribute]) => `${name}=${attribute.value}`).join(' ')})`);
  });
}

function printSummary({ result, events }: LocalSweep): void {
  const { counters } = result;
  const unreadable = result.regions.filter((region) => region.error);
  write();
  write(
    `Summary: ${result.packsSwept} pack(s) swept · ${result.failingAccounts} failing account deployment(s) · ` +
      `${result.changes.length} change(s) alerted in ${result.messagesPublished} SNS message(s) and ${events.length} EventBridge event(s) · ` +
      `${counters.apiCalls} AWS Config call(s), ${counters.throttles} throttled · ${result.durationMs} ms`,
  );
  for (const region of unreadable) write(`  ! ${region.region} could not be read (state kept): ${region.error}`);
  if (counters.sweepErrors > 0) write(`  ! ${counters.sweepErrors} read error(s): the packs or accounts concerned keep their state until a later sweep reads them`);
  if (counters.malformedRecords > 0) write(`  ! ${counters.malformedRecords} malformed record(s) skipped`);
}

function parseOptions(argv: string[]): Options | number {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        scenario: { type: 'string', default: 'demo' },
        full: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`npm start: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    write(USAGE);
    return 0;
  }
  const file = (BUILT_IN as readonly string[]).includes(values.scenario)
    ? builtInScenarioPath(values.scenario as (typeof BUILT_IN)[number])
    : path.resolve(values.scenario);
  try {
    return { scenario: loadScenario(file), full: values.full, verbose: values.verbose };
  } catch (error) {
    process.stderr.write(`npm start: ${(error as Error).message}\n`);
    return 2;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`npm start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
