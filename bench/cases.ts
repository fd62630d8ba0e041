import type { OrganizationShape } from './organization.js';

/** The realistic conditions every case runs under. */
export const CONDITIONS = {
  /** Added to every AWS Config call by the simulator. */
  latencyMs: 80,
  /** Config calls per region per sliding second; beyond, ThrottlingException. */
  rateLimitPerSecond: 10,
  /** PACKWATCH_CONFIG_CALLS_PER_SECOND: what the sweep paces itself to. */
  callsPerSecond: 10,
  /** PACKWATCH_FULL_READ_INTERVAL_SECONDS: long enough that the steady and change runs use the summaries. */
  fullReadIntervalSeconds: 21_600,
  /**
   * PACKWATCH_INVENTORY_INTERVAL_SECONDS: off. The cases measure the sweep, whose minimum counts only its own
   * calls; the inventory (every status, paged, after the sweep) is measured apart by bench/inventory.ts.
   */
  inventoryIntervalSeconds: 0,
  /** Share of each pack's deployments that change before the "change" run. */
  churnFraction: 0.01,
  /** Seed of the change run's PRNG. */
  churnSeed: 20_261_127,
  /** Seed of the organization's PRNG (as in local/scenarios/large.json). */
  organizationSeed: 7,
} as const;

/**
 * first: nothing recorded yet, a full read (no bookkeeping), every failure is new.
 * steady: nothing changed since; summaries in use.
 * change: `churnFraction` of the deployments changed since (new failures, changed failures, recoveries).
 */
export type RunKind = 'first' | 'steady' | 'change';

export type CaseSet = 'quick' | 'default' | 'full';

export interface BenchCase {
  readonly name: string;
  readonly shape: OrganizationShape;
  readonly runs: readonly RunKind[];
  /**
   * Run the baseline for real, paced at the same rate under the same latency and limit. Otherwise it runs
   * unpaced (no latency, no limit) to count calls and RSS, and its time is computed as calls / rate.
   */
  readonly realBaseline: boolean;
  readonly sets: readonly CaseSet[];
}

const ALL_RUNS: readonly RunKind[] = ['first', 'steady', 'change'];

function matrixCase(accounts: number, regions: number, failurePercent: number, sets: readonly CaseSet[], realBaseline = false): BenchCase {
  const size = accounts >= 1000 ? `${accounts / 1000}k` : String(accounts);
  return {
    name: `50x${size}-${regions}r-${failurePercent}pct`,
    shape: { packs: 50, accounts, regions, failureRate: failurePercent / 100, seed: CONDITIONS.organizationSeed },
    runs: ALL_RUNS,
    realBaseline,
    sets,
  };
}

/**
 * Every case, in the order they run. The default set must finish in under 10 minutes here, and a run cannot
 * beat calls / rate (10 calls/s per region, regions side by side): the whole matrix is about 12 minutes of
 * bound time alone, about 18 with state writes and unpaced baselines, so the default set keeps one case per dimension (1 and 3
 * regions, 1,000 and 10,000 accounts, 0.1% and 5%, healthy, a real baseline) and --full adds the rest.
 */
export const CASES: readonly BenchCase[] = [
  {
    name: '5x200-1r-5pct',
    shape: { packs: 5, accounts: 200, regions: 1, failureRate: 0.05, seed: CONDITIONS.organizationSeed },
    runs: ALL_RUNS,
    realBaseline: true,
    sets: ['quick'],
  },
  {
    name: '10x1k-2r-1pct',
    shape: { packs: 10, accounts: 1000, regions: 2, failureRate: 0.01, seed: CONDITIONS.organizationSeed },
    runs: ALL_RUNS,
    realBaseline: false,
    sets: ['quick'],
  },
  matrixCase(1000, 1, 0.1, ['default', 'full'], true),
  matrixCase(1000, 3, 0.1, ['default', 'full']),
  matrixCase(10_000, 1, 0.1, ['default', 'full']),
  {
    name: '50x10k-1r-healthy',
    shape: { packs: 50, accounts: 10_000, regions: 1, failureRate: 0, seed: CONDITIONS.organizationSeed },
    runs: ['first', 'steady'],
    realBaseline: false,
    sets: ['default', 'full'],
  },
  matrixCase(10_000, 1, 5, ['default', 'full']),
  matrixCase(1000, 1, 5, ['full']),
  matrixCase(1000, 3, 5, ['full']),
  matrixCase(10_000, 3, 0.1, ['full']),
  matrixCase(10_000, 3, 5, ['full']),
];

export function casesOf(set: CaseSet): BenchCase[] {
  return CASES.filter((benchCase) => benchCase.sets.includes(set));
}

export function caseNamed(name: string): BenchCase | undefined {
  return CASES.find((benchCase) => benchCase.name === name);
}
