import { FAILED_STATUSES, IN_PROGRESS_STATUSES, isFailedStatus } from '../lambda/domain/deployment-status.js';
import type { ConfigSimulator } from '../local/config-simulator.js';
import type { Scenario } from '../local/scenario.js';
import { seededRandom } from '../local/seeded-random.js';

/** The largest page AWS Config serves (and the sweep and the baseline ask for). */
export const PAGE_SIZE = 100;

/** Regions a multi-region case uses, in order. */
export const BENCH_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2', 'eu-central-1'] as const;

export interface OrganizationShape {
  readonly packs: number;
  readonly accounts: number;
  readonly regions: number;
  /** Probability that a (pack, account) deployment is in one of the three FAILED statuses. */
  readonly failureRate: number;
  readonly seed: number;
}

export function regionsOf(shape: OrganizationShape): string[] {
  return BENCH_REGIONS.slice(0, shape.regions);
}

export function packName(index: number): string {
  return `org-pack-${String(index + 1).padStart(2, '0')}`;
}

/** The synthetic organization: every pack deployed to the same accounts, failures drawn by a seeded PRNG per pack. */
export function scenarioOf(name: string, shape: OrganizationShape): Scenario {
  return {
    name,
    managementAccountId: '999988887777',
    regions: Object.fromEntries(
      regionsOf(shape).map((region) => [
        region,
        {
          packs: Array.from({ length: shape.packs }, (_, index) => ({
            name: packName(index),
            generate: { accounts: shape.accounts, failureRate: shape.failureRate, seed: shape.seed },
          })),
        },
      ]),
    ),
  };
}

/** What the organization looks like at one moment: per region and pack, the count per status and the failing accounts. */
export type OrganizationSnapshot = Map<string, Map<string, PackSnapshot>>;

export interface PackSnapshot {
  readonly accounts: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly failing: ReadonlySet<string>;
  readonly inProgress: ReadonlySet<string>;
}

export function snapshot(simulator: ConfigSimulator, regions: readonly string[]): OrganizationSnapshot {
  const result: OrganizationSnapshot = new Map();
  for (const region of regions) {
    const packs = new Map<string, PackSnapshot>();
    for (const pack of simulator.listPacks(region)) {
      const byStatus: Record<string, number> = {};
      const failing = new Set<string>();
      const inProgress = new Set<string>();
      const accounts = simulator.listAccounts(region, pack);
      for (const account of accounts) {
        byStatus[account.status] = (byStatus[account.status] ?? 0) + 1;
        if (isFailedStatus(account.status)) failing.add(account.accountId);
        else if (account.status.endsWith('_IN_PROGRESS')) inProgress.add(account.accountId);
      }
      packs.set(pack, { accounts: accounts.length, byStatus, failing, inProgress });
    }
    result.set(region, packs);
  }
  return result;
}

export function failingPairs(organization: OrganizationSnapshot): number {
  let total = 0;
  for (const packs of organization.values()) for (const pack of packs.values()) total += pack.failing.size;
  return total;
}

export interface ChurnResult {
  readonly changedAccounts: number;
  readonly newFailures: number;
  readonly changedFailures: number;
  readonly recoveries: number;
}

const FAILURE_CODES: Readonly<Record<(typeof FAILED_STATUSES)[number], string>> = {
  CREATE_FAILED: 'ConformancePackCreationFailedException',
  UPDATE_FAILED: 'ValidationException',
  DELETE_FAILED: 'ResourceInUseException',
};

/**
 * Changes `fraction` of the (pack, account) deployments of every pack, chosen by a seeded PRNG: a healthy
 * deployment starts failing (one of the three FAILED statuses at random); a failing one recovers or fails
 * differently, half and half.
 */
export function churn(simulator: ConfigSimulator, before: OrganizationSnapshot, fraction: number, seed: number, now: Date): ChurnResult {
  const random = seededRandom(seed);
  let newFailures = 0;
  let changedFailures = 0;
  let recoveries = 0;
  let changedAccounts = 0;
  for (const [region, packs] of before) {
    for (const [pack, state] of packs) {
      const accounts = simulator.listAccounts(region, pack);
      const count = Math.round(accounts.length * fraction);
      for (const index of sample(accounts.length, count, random)) {
        const account = accounts[index]!;
        changedAccounts += 1;
        if (state.failing.has(account.accountId)) {
          if (random() < 0.5) {
            simulator.setAccount(region, pack, { accountId: account.accountId, status: 'UPDATE_SUCCESSFUL', lastUpdateTime: now });
            recoveries += 1;
          } else {
            const others = FAILED_STATUSES.filter((status) => status !== account.status);
            const status = others[Math.floor(random() * others.length)]!;
            simulator.setAccount(region, pack, {
              accountId: account.accountId,
              status,
              errorCode: FAILURE_CODES[status],
              errorMessage: `The deployment failed again, differently (${status}).`,
              lastUpdateTime: now,
            });
            changedFailures += 1;
          }
        } else {
          const status = FAILED_STATUSES[Math.floor(random() * FAILED_STATUSES.length)]!;
          simulator.setAccount(region, pack, {
            accountId: account.accountId,
            status,
            errorCode: FAILURE_CODES[status],
            errorMessage: `The deployment started failing (${status}).`,
            lastUpdateTime: now,
          });
          newFailures += 1;
        }
      }
    }
  }
  return { changedAccounts, newFailures, changedFailures, recoveries };
}

/** `count` distinct indexes below `size` (Floyd's algorithm), ascending. */
function sample(size: number, count: number, random: () => number): number[] {
  const chosen = new Set<number>();
  for (let upper = size - count; upper < size; upper += 1) {
    const pick = Math.floor(random() * (upper + 1));
    chosen.add(chosen.has(pick) ? upper : pick);
  }
  return [...chosen].sort((a, b) => a - b);
}

/** How the sweep reads a region in one run, by the handler's rules (lambda/sweep.ts). */
export interface ReadMode {
  /** A full read: every pack, no summaries. Otherwise summaries are read and healthy packs with nothing recorded are skipped. */
  readonly fullRead: boolean;
  /** STUCK alerts are on: in-progress accounts are read in a full read (and for packs whose summary is in progress). */
  readonly stuckEnabled: boolean;
}

/** Pages a filtered query needs: at least one, even when nothing matches. */
function pages(count: number): number {
  return Math.max(1, Math.ceil(count / PAGE_SIZE));
}

/**
 * The fewest Config calls that can observe the organization `now` and conclude every change since `before`
 * (what was recorded): per region one listing page (plus one summary page when summaries are used); for each
 * pack that must be read, one query per FAILED status (plus extra pages) and, when in-progress accounts are
 * read, one per IN_PROGRESS status; and one account query per account that stopped failing. A pack must be read
 * in a full read, or when it has a failing account now or a recorded one (its summary cannot prove a recovery).
 */
export function minimumCalls(before: OrganizationSnapshot | undefined, now: OrganizationSnapshot, mode: ReadMode): number {
  let calls = 0;
  for (const [region, packs] of now) {
    calls += pages(packs.size);
    if (!mode.fullRead) calls += pages(packs.size);
    for (const [pack, state] of packs) {
      const recorded = before?.get(region)?.get(pack)?.failing ?? new Set<string>();
      const summaryInProgress = state.failing.size === 0 && state.inProgress.size > 0;
      const mustRead = mode.fullRead || state.failing.size > 0 || recorded.size > 0 || summaryInProgress;
      if (!mustRead) continue;
      for (const status of FAILED_STATUSES) calls += pages(state.byStatus[status] ?? 0);
      if (mode.stuckEnabled && (mode.fullRead || summaryInProgress)) {
        for (const status of IN_PROGRESS_STATUSES) calls += pages(state.byStatus[status] ?? 0);
      }
      for (const accountId of recorded) {
        if (!state.failing.has(accountId) && !state.inProgress.has(accountId)) calls += 1;
      }
    }
  }
  return calls;
}

/** The baseline's exact calls: every page of every pack (no filters), plus the listing, in every region. */
export function baselineCalls(now: OrganizationSnapshot): number {
  let calls = 0;
  for (const packs of now.values()) {
    calls += pages(packs.size);
    for (const state of packs.values()) calls += pages(state.accounts);
  }
  return calls;
}
