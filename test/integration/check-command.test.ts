import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCheck } from '../../bin/check-command.js';
import { ConfigSimulator } from '../../local/config-simulator.js';
import { loadBuiltInScenario, type Scenario } from '../../local/scenario.js';
import { failingPairsOf, LOCAL_CREDENTIALS, pairKey, sortedKeys, type FailingPair } from '../support/integration.js';
import { startTripwireServer, type TripwireServer } from '../support/tripwire-server.js';

/**
 * `packwatch check`: the read-only sweep with the caller's credentials, against the Config simulator on
 * 127.0.0.1 through the real SDK. It must list every failing account and never store or send anything.
 */

const REPOSITORY = path.resolve(__dirname, '../..');
const CLI = path.join(REPOSITORY, 'bin', 'packwatch-cli.cjs');
const US = 'us-east-1';
const EU = 'eu-west-1';

const HEALTHY_ORGANIZATION: Scenario = {
  name: 'healthy',
  regions: {
    [US]: { packs: [{ name: 'security-baseline', generate: { accounts: 20, failureRate: 0, seed: 1 } }] },
    [EU]: { packs: [{ name: 'security-baseline', generate: { accounts: 20, failureRate: 0, seed: 2 } }] },
  },
};

let simulator: ConfigSimulator | undefined;
let tripwire: TripwireServer | undefined;

afterEach(async () => {
  vi.unstubAllEnvs();
  await simulator?.stop();
  simulator = undefined;
  await tripwire?.stop();
  tripwire = undefined;
});

interface CheckRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function check(sim: ConfigSimulator, regions: readonly string[], json: boolean): Promise<CheckRun> {
  let stdout = '';
  let stderr = '';
  const clients = new Map<string, ConfigServiceClient>();
  try {
    const code = await runCheck(
      { regions, json },
      {
        clientFor: (region) => {
          let client = clients.get(region);
          if (!client) {
            client = new ConfigServiceClient({ region, endpoint: sim.url, credentials: LOCAL_CREDENTIALS });
            clients.set(region, client);
          }
          return client;
        },
        stdout: (text) => {
          stdout += text;
        },
        stderr: (text) => {
          stderr += text;
        },
      },
    );
    return { code, stdout, stderr };
  } finally {
    for (const client of clients.values()) client.destroy();
  }
}

/** The text report as region → pack → account lines ("<account>  <status>  <code>: <message>"). */
function parseTextReport(text: string): Map<string, Map<string, string[]>> {
  const regions = new Map<string, Map<string, string[]>>();
  let region: Map<string, string[]> | undefined;
  let pack: string[] | undefined;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (!line.startsWith(' ')) {
      region = new Map();
      regions.set(line.slice(0, line.indexOf(':')), region);
    } else if (!line.startsWith('    ')) {
      pack = [];
      region!.set(line.trim(), pack);
    } else {
      pack!.push(line.trim());
    }
  }
  return regions;
}

function expectedLine(pair: FailingPair): string {
  const error = [pair.errorCode, pair.errorMessage].filter(Boolean).join(': ');
  return `${pair.accountId}  ${pair.status}${error ? `  ${error}` : ''}`;
}

interface ChildRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly elapsedMs: number;
}

/** Asynchronous on purpose: the simulator answers from this process's event loop while the CLI runs. */
function runCli(args: readonly string[], env: Record<string, string>): Promise<ChildRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: REPOSITORY, env, encoding: 'utf8', timeout: 45_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr, elapsedMs: Date.now() - started });
    });
  });
}

/** What a shell gives the CLI, with no AWS_* variable from this machine and no credentials file to fall back on. */
function baseEnvironment(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    ...(process.env.HOME !== undefined && { HOME: process.env.HOME }),
    ...(process.env.TMPDIR !== undefined && { TMPDIR: process.env.TMPDIR }),
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

describe('packwatch check, in process', () => {
  it('lists every failing account per region and pack with its error code and message as text, and exits 1', async () => {
    // Prepare
    simulator = await ConfigSimulator.start({ scenario: loadBuiltInScenario('demo') });
    const expected = failingPairsOf(simulator, [US, EU]);

    // Act
    const run = await check(simulator, [US, EU], false);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const report = parseTextReport(run.stdout);
    expect([...report.keys()].sort()).toEqual([EU, US]);
    for (const region of [US, EU]) {
      const packsWithFailures = [...new Set(expected.filter((pair) => pair.region === region).map((pair) => pair.conformancePack))].sort();
      expect([...report.get(region)!.keys()].sort()).toEqual(packsWithFailures);
      for (const pack of packsWithFailures) {
        const lines = expected.filter((pair) => pair.region === region && pair.conformancePack === pack).map(expectedLine);
        expect([...report.get(region)!.get(pack)!].sort()).toEqual(lines.sort());
      }
      const failingInRegion = expected.filter((pair) => pair.region === region).length;
      expect(run.stdout).toContain(`${region}: ${simulator.listPacks(region).length} organization conformance pack(s), ${failingInRegion} failing`);
    }
  });

  it('lists the same failing accounts as parseable JSON with --json', async () => {
    // Prepare
    simulator = await ConfigSimulator.start({ scenario: loadBuiltInScenario('demo') });
    const expected = failingPairsOf(simulator, [US, EU]);

    // Act
    const run = await check(simulator, [US, EU], true);

    // Assess
    expect(run.code).toBe(1);
    const output = JSON.parse(run.stdout) as { failing: Record<string, unknown>[]; problems: unknown[]; regions: { region: string }[] };
    expect(output.problems).toEqual([]);
    expect(output.regions.map((region) => region.region).sort()).toEqual([EU, US]);
    expect(sortedKeys(output.failing as unknown as FailingPair[])).toEqual(sortedKeys(expected));
    const byKey = new Map(expected.map((pair) => [pairKey(pair), pair]));
    for (const entry of output.failing) {
      const pair = byKey.get(pairKey(entry as unknown as FailingPair))!;
      expect(entry).toMatchObject({ status: pair.status, errorCode: pair.errorCode ?? null, errorMessage: pair.errorMessage ?? null });
    }
  });

  it('exits 0 for an organization where nothing is failing', async () => {
    // Prepare
    simulator = await ConfigSimulator.start({ scenario: HEALTHY_ORGANIZATION });
    expect(failingPairsOf(simulator)).toEqual([]);

    // Act
    const run = await check(simulator, [US, EU], false);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`${US}: 1 organization conformance pack(s), 0 failing account deployment(s)`);
    expect(run.stdout).toContain(`${EU}: 1 organization conformance pack(s), 0 failing account deployment(s)`);
  });

  it('exits 2 and says to run from the management account or a delegated administrator when organization access is denied', async () => {
    // Prepare
    simulator = await ConfigSimulator.start({ scenario: loadBuiltInScenario('demo'), faults: { accessDeniedRegions: [EU] } });

    // Act
    const run = await check(simulator, [US, EU], false);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(`${EU}: could not be read`);
    expect(run.stderr).toContain(EU);
    expect(run.stderr).toMatch(/management account/i);
    expect(run.stderr).toMatch(/delegated administrator/i);
    // The readable region is still listed.
    for (const pair of failingPairsOf(simulator, [US])) expect(run.stdout).toContain(pair.accountId);
  });

  it('sends nothing to any service but AWS Config', async () => {
    // Prepare: every other AWS endpoint the SDK could resolve points at a tripwire.
    simulator = await ConfigSimulator.start({ scenario: loadBuiltInScenario('demo') });
    tripwire = await startTripwireServer();
    vi.stubEnv('AWS_ENDPOINT_URL', tripwire.url);
    vi.stubEnv('AWS_ENDPOINT_URL_SNS', tripwire.url);
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', tripwire.url);

    // Act
    const run = await check(simulator, [US, EU], true);

    // Assess
    expect(run.code).toBe(1);
    expect(tripwire.requests()).toEqual([]);
    const operations = Object.keys(simulator.stats().byOperation).sort();
    expect(operations).toEqual(['DescribeOrganizationConformancePacks', 'GetOrganizationConformancePackDetailedStatus']);
  });
});

describe('the packwatch CLI shim (bin/packwatch-cli.cjs), in a child process', () => {
  it('runs "check --regions us-east-1 --json" against the endpoint in AWS_ENDPOINT_URL_CONFIG_SERVICE and exits 1 listing the failures', async () => {
    // Prepare
    simulator = await ConfigSimulator.start({ scenario: loadBuiltInScenario('demo') });
    tripwire = await startTripwireServer();
    const expected = failingPairsOf(simulator, [US]);

    // Act
    const run = await runCli(['check', '--regions', US, '--json'], {
      ...baseEnvironment(),
      AWS_ENDPOINT_URL_CONFIG_SERVICE: simulator.url,
      AWS_ENDPOINT_URL: tripwire.url,
      AWS_ACCESS_KEY_ID: 'packwatch-local',
      AWS_SECRET_ACCESS_KEY: 'packwatch-local',
    });

    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const output = JSON.parse(run.stdout) as { failing: FailingPair[]; problems: unknown[] };
    expect(output.problems).toEqual([]);
    expect(sortedKeys(output.failing)).toEqual(sortedKeys(expected));
    expect(simulator.stats().byRegion).toEqual({ [US]: expect.any(Number) });
    expect(tripwire.requests()).toEqual([]);
  });

  it('exits 2 naming the bad region for --regions mars-1, before calling AWS', async () => {
    // Prepare
    simulator = await ConfigSimulator.start({ scenario: loadBuiltInScenario('demo') });

    // Act
    const run = await runCli(['check', '--regions', 'mars-1'], {
      ...baseEnvironment(),
      AWS_ENDPOINT_URL_CONFIG_SERVICE: simulator.url,
      AWS_ACCESS_KEY_ID: 'packwatch-local',
      AWS_SECRET_ACCESS_KEY: 'packwatch-local',
    });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('mars-1');
    expect(run.stderr).toMatch(/region/i);
    expect(simulator.stats().calls).toBe(0);
  });

  it('exits 2 with a message about credentials when no credentials can be found', async () => {
    // Prepare: no AWS_* credentials or profile, no credentials/config file, no instance metadata.
    // The Config endpoint still points at the simulator so that nothing could ever leave 127.0.0.1.
    simulator = await ConfigSimulator.start({ scenario: loadBuiltInScenario('demo') });

    // Act
    const run = await runCli(['check', '--regions', US], { ...baseEnvironment(), AWS_ENDPOINT_URL_CONFIG_SERVICE: simulator.url });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/credentials/i);
    expect(run.stderr).toContain(US);
    expect(simulator.stats().calls).toBe(0);
    expect(run.elapsedMs, 'the credential chain gives up quickly when instance metadata is disabled').toBeLessThan(10_000);
  });
});
