import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ENVIRONMENT_VARIABLES } from '../lambda/env.js';
import { startEmulatedAws } from '../local/emulated-aws.js';
import { scheduledEvent } from '../local/local-monitor.js';
import { esbuildBundle } from './bundle.js';
import { CONDITIONS } from './cases.js';
import { runHandlerChild, type HandlerChildResult } from './child.js';
import { regionsOf, scenarioOf, type OrganizationShape } from './organization.js';
import { fixed, integer, markdownTable } from './table.js';

/**
 * `npm run bench:inventory`: the inventory (every account's status, unfiltered pages, after the sweep) of one
 * region under the bench's conditions (80 ms per Config call, 10 calls/s limit, the sweep paced at 10/s), run by
 * the real bundled handler in a child process per invocation, as the schedule would invoke it. It first records
 * the organization (a first and a steady sweep, inventory off), then invokes steady sweeps with the inventory on
 * until it completes, and prints per invocation the sweep's own calls and duration beside the inventory's.
 *
 *   --accounts N            accounts per pack (default 1000); --packs N (default 50)
 *   --sweep-interval S      seconds between scheduled sweeps (default 300): the inventory stops 30 s (or a
 *                           tenth) before the next
 */
async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: { accounts: { type: 'string', default: '1000' }, packs: { type: 'string', default: '50' }, 'sweep-interval': { type: 'string', default: '300' } },
  });
  const shape: OrganizationShape = { packs: Number(values.packs), accounts: Number(values.accounts), regions: 1, failureRate: 0.001, seed: CONDITIONS.organizationSeed };
  const sweepIntervalSeconds = Number(values['sweep-interval']);
  const name = `inventory-${shape.packs}x${shape.accounts}`;
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const workdir = mkdtempSync(path.join(tmpdir(), 'packwatch-inventory-bench-'));
  const aws = await startEmulatedAws({
    scenario: scenarioOf(name, shape),
    faults: { latencyMs: CONDITIONS.latencyMs, rateLimitPerSecond: CONDITIONS.rateLimitPerSecond },
  });
  try {
    const bundle = esbuildBundle(workdir);
    const regions = regionsOf(shape);
    const base: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      ...Object.fromEntries(Object.entries(bundle.environment).filter((entry): entry is [string, string] => entry[1] !== undefined)),
      ...aws.environment,
      [ENVIRONMENT_VARIABLES.tableName]: aws.tableName,
      [ENVIRONMENT_VARIABLES.topicArn]: aws.topicArn,
      [ENVIRONMENT_VARIABLES.regions]: regions.join(','),
      [ENVIRONMENT_VARIABLES.regionConcurrency]: '1',
      [ENVIRONMENT_VARIABLES.configCallsPerSecond]: String(CONDITIONS.callsPerSecond),
      [ENVIRONMENT_VARIABLES.fullReadIntervalSeconds]: String(CONDITIONS.fullReadIntervalSeconds),
      [ENVIRONMENT_VARIABLES.sweepIntervalSeconds]: String(sweepIntervalSeconds),
      POWERTOOLS_LOG_LEVEL: 'WARN',
    };
    const off = { ...base, [ENVIRONMENT_VARIABLES.inventoryIntervalSeconds]: '0' };
    const on = { ...base, [ENVIRONMENT_VARIABLES.inventoryIntervalSeconds]: '86400' };
    let sequence = 0;
    const invoke = async (env: Record<string, string>) => {
      aws.config.resetStats();
      const child = await runHandlerChild(bundle.file, scheduledEvent((sequence += 1)), env);
      if (!child.ok || !child.result) throw new Error(`invocation ${sequence} failed: ${child.error ?? 'no result'}`);
      return { child, simulatorCalls: aws.config.stats().calls, throttles: aws.config.stats().throttled };
    };

    progress(`${name}: first sweep (inventory off), to record the organization…`);
    await invoke(off);
    progress(`${name}: steady sweep, inventory off (the reference)…`);
    const reference = await invoke(off);
    const rows: string[][] = [row('steady, inventory off', reference)];
    let completed = false;
    let inventoryCalls = 0;
    let inventoryWallMs = 0;
    for (let invocation = 1; invocation <= 50 && !completed; invocation += 1) {
      progress(`${name}: steady sweep ${invocation}, inventory on…`);
      const run = await invoke(on);
      rows.push(row(`steady, inventory on #${invocation}`, run));
      const inventory = run.child.result!.inventory!;
      inventoryCalls += inventory.counters.apiCalls ?? 0;
      inventoryWallMs += run.child.handlerMs - (run.child.result!.durationMs ?? 0);
      completed = inventory.regions.every((region) => region.state === 'completed' || region.state === 'not-due');
    }
    const header = ['invocation', 'sweep calls', 'sweep ms', 'inventory state', 'inventory calls', 'pages', 'packs counted', 'packs left', 'wall ms', 'throttles', 'simulator calls'];
    process.stdout.write(
      `\n${name}, 1 region, ${CONDITIONS.latencyMs} ms per call, limit ${CONDITIONS.rateLimitPerSecond}/s, sweep every ${sweepIntervalSeconds} s (${new Date().toISOString()})\n\n` +
        `${markdownTable(header, rows)}\n\n` +
        `Inventory ${completed ? 'complete' : 'NOT complete'} after ${rows.length - 1} invocation(s): ${integer(inventoryCalls)} Config calls, ` +
        `${fixed(inventoryWallMs / 1000, 1)} s of invocation time after the sweeps (${fixed(inventoryCalls / (inventoryWallMs / 1000), 2)} calls/s; bound ${fixed(inventoryCalls / CONDITIONS.rateLimitPerSecond, 1)} s).\n`,
    );
  } finally {
    await aws.stop();
    rmSync(workdir, { recursive: true, force: true });
  }
}

function row(label: string, { child, simulatorCalls, throttles }: { child: HandlerChildResult; simulatorCalls: number; throttles: number }): string[] {
  const result = child.result!;
  const inventory = result.inventory;
  return [
    label,
    integer(result.counters.apiCalls ?? 0),
    integer(result.durationMs ?? 0),
    inventory ? inventory.regions.map((region) => region.state).join(',') : 'off',
    inventory ? integer(inventory.counters.apiCalls ?? 0) : '—',
    inventory ? integer(inventory.pagesRead) : '—',
    inventory ? integer(inventory.packsCounted) : '—',
    inventory ? integer(inventory.regions.reduce((total, region) => total + region.packsLeft, 0)) : '—',
    integer(child.handlerMs),
    integer(throttles),
    integer(simulatorCalls),
  ];
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
