import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { ConfigStatusSource } from '../lambda/adapters/config-status-source.js';
import { CollectingNotifier, NoStateStore } from '../lambda/adapters/read-only-ports.js';
import { systemClock } from '../lambda/adapters/system-clock.js';
import { groupBy } from '../lambda/domain/group-by.js';
import type { Change } from '../lambda/domain/types.js';
import type { Log } from '../lambda/log.js';
import { newSweepCounters } from '../lambda/sweep-counters.js';
import { runSweep, type RegionReport } from '../lambda/sweep.js';

export interface CheckOptions {
  readonly regions: readonly string[];
  readonly json: boolean;
}

export interface CheckDependencies {
  readonly clientFor: (region: string) => ConfigServiceClient;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Exit codes: nothing failing, failing accounts found, or something could not be read. */
export const CHECK_EXIT = { healthy: 0, failing: 1, incomplete: 2 } as const;

interface Problem {
  readonly region: string;
  readonly conformancePack?: string;
  readonly message: string;
}

/**
 * `packwatch check`: the same sweep the Lambda runs, read-only, with the caller's credentials.
 * It remembers nothing and sends nothing, so every failing account is listed.
 */
export async function runCheck(options: CheckOptions, deps: CheckDependencies): Promise<number> {
  const counters = newSweepCounters();
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const log: Log = {
    info: () => undefined,
    warn: (message, attributes) => problems.push(problemFrom(message, attributes)),
    error: (message, attributes) => problems.push(problemFrom(message, attributes)),
  };
  const report = await runSweep(
    `check-${Date.now()}`,
    { regions: options.regions, reminderIntervalMs: 0, regionConcurrency: 4, packConcurrency: 4 },
    {
      source: new ConfigStatusSource({
        clientFor: deps.clientFor,
        counters,
        onMalformedRecord: (region, conformancePack, problem) => warnings.push({ region, conformancePack, message: `skipped a malformed record: ${problem}` }),
      }),
      store: new NoStateStore(),
      notifier: new CollectingNotifier(),
      clock: systemClock,
      log,
      counters,
    },
  );
  const failing = report.changes;
  const regionProblems: Problem[] = report.regions.filter((region) => region.error).map((region) => ({ region: region.region, message: explain(region) }));
  const allProblems = [...regionProblems, ...problems.filter((problem) => problem.conformancePack !== undefined)];

  if (options.json) {
    deps.stdout(`${JSON.stringify({ regions: report.regions, failing: failing.map(withoutKind), problems: allProblems, warnings, apiCalls: counters.apiCalls, throttles: counters.throttles }, null, 2)}\n`);
  } else {
    deps.stdout(renderText(report.regions, failing));
    for (const problem of [...allProblems, ...warnings]) {
      deps.stderr(`packwatch check: ${problem.region}${problem.conformancePack ? ` ${problem.conformancePack}` : ''}: ${problem.message}\n`);
    }
  }
  if (allProblems.length > 0) return CHECK_EXIT.incomplete;
  return failing.length > 0 ? CHECK_EXIT.failing : CHECK_EXIT.healthy;
}

function renderText(regions: readonly RegionReport[], failing: readonly Change[]): string {
  const lines: string[] = [];
  const failingByRegion = groupBy(failing, (change) => change.region);
  for (const region of regions) {
    if (region.error) {
      lines.push(`${region.region}: could not be read`);
      continue;
    }
    const changes = failingByRegion.get(region.region) ?? [];
    lines.push(`${region.region}: ${region.packsListed} organization conformance pack(s), ${changes.length} failing account deployment(s)`);
    for (const [pack, packChanges] of groupBy(changes, (change) => change.conformancePack)) {
      lines.push(`  ${pack}`);
      for (const change of packChanges) {
        const error = [change.errorCode, change.errorMessage].filter(Boolean).join(': ');
        lines.push(`    ${change.accountId}  ${change.status}${error ? `  ${error}` : ''}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

function withoutKind(change: Change) {
  const { kind: _kind, previousStatus: _previous, failingSince: _since, ...rest } = change;
  return rest;
}

function problemFrom(message: string, attributes: Record<string, unknown> = {}): Problem {
  const detail = typeof attributes.errorMessage === 'string' ? `: ${attributes.errorMessage}` : '';
  return {
    region: String(attributes.region ?? 'unknown region'),
    ...(typeof attributes.conformancePack === 'string' ? { conformancePack: attributes.conformancePack } : {}),
    message: `${message}${detail}`,
  };
}

/** Turns the usual reasons a region cannot be read into what to do about them. */
function explain(region: RegionReport): string {
  const error = region.error ?? '';
  if (/CredentialsProviderError|Could not load credentials|security token included in the request is invalid|ExpiredToken/i.test(error)) {
    return `no usable AWS credentials (${error}). Set AWS_PROFILE, run "aws sso login", or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.`;
  }
  if (/ENOTFOUND|getaddrinfo|EAI_AGAIN|UnknownEndpoint/i.test(error)) {
    return `the region is unknown or unreachable (${error}). Check the region name.`;
  }
  return error;
}
