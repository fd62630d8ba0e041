/**
 * The baseline the sweep is measured against: a straightforward full read. Every region one after the other,
 * every pack one after the other, every account of the pack (no Filters) through the SDK's paginator, keeping
 * the pack's records to pick out the failing ones. Bundled by esbuild and run by plain Node.js in a child
 * process, so its peak RSS is its own.
 *
 * Environment: BASELINE_REGIONS (comma-separated), BASELINE_CALLS_PER_SECOND (0: unpaced), and the standard
 * AWS_ENDPOINT_URL_CONFIG_SERVICE and credentials. Prints one JSON line.
 */
import {
  ConfigServiceClient,
  paginateDescribeOrganizationConformancePacks,
  paginateGetOrganizationConformancePackDetailedStatus,
  type OrganizationConformancePackDetailedStatus,
} from '@aws-sdk/client-config-service';
import { readFileSync } from 'node:fs';
import { CallPacer } from '../lambda/adapters/call-pacer.js';

const FAILED = new Set(['CREATE_FAILED', 'UPDATE_FAILED', 'DELETE_FAILED']);

async function main(): Promise<void> {
  const regions = (process.env.BASELINE_REGIONS ?? 'us-east-1').split(',');
  const callsPerSecond = Number(process.env.BASELINE_CALLS_PER_SECOND ?? '0');
  const started = performance.now();
  let calls = 0;
  let throttles = 0;
  let records = 0;
  let failing = 0;
  for (const region of regions) {
    const client = new ConfigServiceClient({ region, maxAttempts: 8 });
    const pacer = callsPerSecond > 0 ? new CallPacer(callsPerSecond) : undefined;
    // Inside the retry loop, as the sweep's own middleware: every attempt is paced and counted.
    client.middlewareStack.add(
      (next) => async (args) => {
        await pacer?.take();
        calls += 1;
        try {
          return await next(args);
        } catch (error) {
          if (error instanceof Error && error.name === 'ThrottlingException') throttles += 1;
          throw error;
        }
      },
      { step: 'deserialize', name: 'baselinePace', priority: 'high' },
    );
    const packs: string[] = [];
    for await (const page of paginateDescribeOrganizationConformancePacks({ client, pageSize: 100 }, {})) {
      for (const pack of page.OrganizationConformancePacks ?? []) if (pack.OrganizationConformancePackName) packs.push(pack.OrganizationConformancePackName);
    }
    for (const pack of packs) {
      const statuses: OrganizationConformancePackDetailedStatus[] = [];
      for await (const page of paginateGetOrganizationConformancePackDetailedStatus(
        { client, pageSize: 100 },
        { OrganizationConformancePackName: pack },
      )) {
        statuses.push(...(page.OrganizationConformancePackDetailedStatuses ?? []));
      }
      records += statuses.length;
      failing += statuses.filter((status) => FAILED.has(status.Status ?? '')).length;
    }
    client.destroy();
  }
  const wallMs = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ calls, throttles, records, failing, wallMs, maxRssKb: peakRssKb() })}\n`);
}

/** The peak RSS of this process's own address space (see bench/child.ts PEAK_RSS_FUNCTION for why not maxRSS). */
function peakRssKb(): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // Not Linux: fall back.
  }
  return process.resourceUsage().maxRSS;
}

main().catch((error: unknown) => {
  process.stderr.write(String(error instanceof Error ? error.stack : error));
  process.exitCode = 1;
});
