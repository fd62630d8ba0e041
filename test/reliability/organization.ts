import {
  FAILED_STATUSES,
  IN_PROGRESS_STATUSES,
  isFailedStatus,
  isInProgressStatus,
  type DeploymentStatus,
} from '../../lambda/domain/deployment-status.js';
import type { AccountDeployment } from '../../lambda/domain/types.js';
import type { ManualClock } from '../support/in-memory-ports.js';
import type { Random } from './prng.js';

export const REGIONS = ['us-east-1', 'eu-west-1'] as const;

/** Error codes an account's failed deployment carries; `undefined` too, now and then. */
const ERROR_CODES = ['AccessDenied', 'ResourceLimitExceeded', 'InsufficientPermissions', 'InvalidParameterValue'] as const;

export function keyOf(region: string, conformancePack: string, accountId: string): string {
  return `${region}|${conformancePack}|${accountId}`;
}

export function packKeyOf(region: string, conformancePack: string): string {
  return `${region}|${conformancePack}`;
}

/**
 * Where a (region, pack, account) stands in its true history. `index` counts the failure episodes so
 * far: an episode starts when the account enters a failed status (from a status that is not failed,
 * or from not being deployed at all) and ends when it leaves the failed statuses. A move from one
 * failed status to another (CREATE_FAILED → UPDATE_FAILED, or a new error code) stays in the episode.
 */
export interface EpisodeState {
  readonly index: number;
  readonly failing: boolean;
}

const NOT_YET_FAILED: EpisodeState = { index: 0, failing: false };

/**
 * The true organization: which packs exist in each region, and every member account's deployment of
 * each. Every change goes through here, so the episode history is exact. Pack names and account IDs
 * are never reused: a deleted pack or an account that left is out of the oracle's scope for good.
 */
export class TrueOrganization {
  private readonly regions = new Map<string, Map<string, Map<string, AccountDeployment>>>();
  private readonly episodes = new Map<string, EpisodeState>();
  private readonly memberSet = new Set<string>();
  /** Packs that rarely go wrong: healthy most of the time, so a summary status can prove a read unnecessary. */
  private readonly calmPacks = new Set<string>();
  private accountsCreated = 0;
  private packsCreated = 0;
  /** Changes applied, by kind (for the figures). */
  readonly events: Record<string, number> = {};

  constructor(private readonly clock: ManualClock) {
    for (const region of REGIONS) this.regions.set(region, new Map());
  }

  get members(): string[] {
    return [...this.memberSet];
  }

  isMember(accountId: string): boolean {
    return this.memberSet.has(accountId);
  }

  packsOf(region: string): string[] {
    return [...(this.regions.get(region)?.keys() ?? [])];
  }

  hasPack(region: string, conformancePack: string): boolean {
    return this.regions.get(region)?.has(conformancePack) ?? false;
  }

  deploymentsOf(region: string, conformancePack: string): ReadonlyMap<string, AccountDeployment> | undefined {
    return this.regions.get(region)?.get(conformancePack);
  }

  deployment(region: string, conformancePack: string, accountId: string): AccountDeployment | undefined {
    return this.regions.get(region)?.get(conformancePack)?.get(accountId);
  }

  episode(key: string): EpisodeState {
    return this.episodes.get(key) ?? NOT_YET_FAILED;
  }

  /** Every (region, pack, account) in a failed status now. */
  failing(): Map<string, AccountDeployment> {
    const result = new Map<string, AccountDeployment>();
    for (const [region, packs] of this.regions) {
      for (const [pack, accounts] of packs) {
        for (const deployment of accounts.values()) {
          if (isFailedStatus(deployment.status)) result.set(keyOf(region, pack, deployment.accountId), deployment);
        }
      }
    }
    return result;
  }

  newAccountId(): string {
    this.accountsCreated += 1;
    // 12 digits with leading zeros, as AWS account IDs may have.
    return String(this.accountsCreated * 7_919).padStart(12, '0');
  }

  newPackName(): string {
    this.packsCreated += 1;
    return `cp-${this.packsCreated}`;
  }

  join(accountId: string): void {
    this.memberSet.add(accountId);
  }

  /** The account leaves the organization: AWS stops reporting it for every pack. */
  leave(accountId: string): void {
    this.memberSet.delete(accountId);
    for (const [region, packs] of this.regions) {
      for (const [pack, accounts] of packs) {
        if (accounts.delete(accountId)) this.track(keyOf(region, pack, accountId), undefined);
      }
    }
  }

  addPack(region: string, conformancePack: string, calm = false): void {
    this.regions.get(region)!.set(conformancePack, new Map());
    if (calm) this.calmPacks.add(conformancePack);
  }

  isCalm(conformancePack: string): boolean {
    return this.calmPacks.has(conformancePack);
  }

  deletePack(region: string, conformancePack: string): void {
    const accounts = this.regions.get(region)?.get(conformancePack);
    if (!accounts) return;
    for (const accountId of accounts.keys()) this.track(keyOf(region, conformancePack, accountId), undefined);
    this.regions.get(region)!.delete(conformancePack);
  }

  setStatus(region: string, conformancePack: string, accountId: string, status: DeploymentStatus, errorCode?: string): void {
    const accounts = this.regions.get(region)?.get(conformancePack);
    if (!accounts) throw new Error(`no pack ${conformancePack} in ${region}`);
    const failed = isFailedStatus(status);
    accounts.set(accountId, {
      accountId,
      status,
      ...(failed && errorCode ? { errorCode, errorMessage: `${errorCode}: the stack set instance in ${accountId} failed (${status})` } : {}),
      lastUpdateTime: this.clock.now().toISOString(),
    });
    this.track(keyOf(region, conformancePack, accountId), status);
  }

  private track(key: string, status: DeploymentStatus | undefined): void {
    const before = this.episode(key);
    const failing = isFailedStatus(status);
    if (failing && !before.failing) this.episodes.set(key, { index: before.index + 1, failing: true });
    else if (!failing && before.failing) this.episodes.set(key, { index: before.index, failing: false });
  }

  count(event: string): void {
    this.events[event] = (this.events[event] ?? 0) + 1;
  }
}

export function randomErrorCode(random: Random): string | undefined {
  return random.chance(0.1) ? undefined : random.pick(ERROR_CODES);
}

/** A starting organization: tens of accounts, a few packs per region, some failing already. */
export function seedOrganization(org: TrueOrganization, random: Random, options: { members: number; packsPerRegion: number }): void {
  for (let index = 0; index < options.members; index += 1) org.join(org.newAccountId());
  for (const region of REGIONS) {
    for (let index = 0; index < options.packsPerRegion; index += 1) {
      const pack = org.newPackName();
      const calm = index === 0;
      org.addPack(region, pack, calm);
      for (const accountId of org.members) {
        const roll = calm ? 1 : random.float();
        if (roll < 0.12) org.setStatus(region, pack, accountId, random.pick(FAILED_STATUSES), randomErrorCode(random));
        else if (roll < 0.2) org.setStatus(region, pack, accountId, random.pick(IN_PROGRESS_STATUSES));
        else org.setStatus(region, pack, accountId, random.pick(['CREATE_SUCCESSFUL', 'UPDATE_SUCCESSFUL'] as const));
      }
    }
  }
}

const EVENT_WEIGHTS = {
  fail: 6,
  changeFailure: 3,
  recover: 5,
  redeploy: 3,
  settle: 4,
  // Recovers and fails again the same way before anyone could look: a gap no sweep can see.
  flap: 1,
  join: 1,
  leave: 1,
  packAppears: 0.6,
  packDisappears: 0.5,
} as const;

export type EvolutionEvent = keyof typeof EVENT_WEIGHTS;

export interface EvolveOptions {
  /** Only this region changes. @default any */
  readonly region?: string;
  /** Only these kinds of change. @default all */
  readonly only?: readonly EvolutionEvent[];
  /** Each change happens up to this much later than the one before. @default 60 s */
  readonly spacingMs?: number;
}

/** Applies `count` random changes to the organization, each a little later than the one before. */
export function evolve(org: TrueOrganization, clock: ManualClock, random: Random, count: number, options: EvolveOptions = {}): void {
  for (let index = 0; index < count; index += 1) {
    clock.advance(random.int(1, options.spacingMs ?? 60_000));
    const weights = options.only
      ? Object.fromEntries(options.only.map((event) => [event, EVENT_WEIGHTS[event]]))
      : EVENT_WEIGHTS;
    applyEvent(org, random, random.weighted(weights as Record<EvolutionEvent, number>), options.region ?? random.pick(REGIONS));
  }
}

/** Changes that make trouble land in a calm pack this much less often. */
const CALM_WEIGHT = 0.08;

function applyEvent(org: TrueOrganization, random: Random, event: EvolutionEvent, region: string): void {
  // Trouble (failing, redeploying) picks a pack first, calm ones seldom; healing picks any deployment alike.
  const troubling = event === 'fail' || event === 'changeFailure' || event === 'redeploy' || event === 'flap';
  const pick = (predicate: (deployment: AccountDeployment) => boolean) => {
    const byPack = org
      .packsOf(region)
      .map((pack) => ({ pack, deployments: [...(org.deploymentsOf(region, pack)?.values() ?? [])].filter(predicate) }))
      .filter((entry) => entry.deployments.length > 0);
    if (byPack.length === 0) return undefined;
    if (!troubling) {
      const all = byPack.flatMap((entry) => entry.deployments.map((deployment) => ({ pack: entry.pack, deployment })));
      return random.pick(all);
    }
    const weights = Object.fromEntries(byPack.map((entry, index) => [String(index), org.isCalm(entry.pack) ? CALM_WEIGHT : 1]));
    const chosen = byPack[Number(random.weighted(weights))]!;
    return { pack: chosen.pack, deployment: random.pick(chosen.deployments) };
  };
  switch (event) {
    case 'fail': {
      const target = pick((deployment) => !isFailedStatus(deployment.status));
      if (!target) return;
      const status = isInProgressStatus(target.deployment.status)
        ? (target.deployment.status.replace('IN_PROGRESS', 'FAILED') as DeploymentStatus)
        : random.pick(FAILED_STATUSES);
      org.setStatus(region, target.pack, target.deployment.accountId, status, randomErrorCode(random));
      break;
    }
    case 'changeFailure': {
      const target = pick((deployment) => isFailedStatus(deployment.status));
      if (!target) return;
      const { status, errorCode } = target.deployment;
      if (random.chance(0.5)) org.setStatus(region, target.pack, target.deployment.accountId, random.pick(FAILED_STATUSES.filter((other) => other !== status)), errorCode);
      else org.setStatus(region, target.pack, target.deployment.accountId, status, random.pick([undefined, ...ERROR_CODES].filter((code) => code !== errorCode)));
      break;
    }
    case 'recover': {
      const target = pick((deployment) => isFailedStatus(deployment.status));
      if (!target) return;
      org.setStatus(region, target.pack, target.deployment.accountId, random.pick(['CREATE_SUCCESSFUL', 'UPDATE_SUCCESSFUL', 'DELETE_SUCCESSFUL'] as const));
      break;
    }
    case 'redeploy': {
      const target = pick((deployment) => !isInProgressStatus(deployment.status));
      if (!target) return;
      org.setStatus(region, target.pack, target.deployment.accountId, random.pick(IN_PROGRESS_STATUSES));
      break;
    }
    case 'settle': {
      const target = pick((deployment) => isInProgressStatus(deployment.status));
      if (!target) return;
      const status = target.deployment.status;
      if (random.chance(0.35)) org.setStatus(region, target.pack, target.deployment.accountId, status.replace('IN_PROGRESS', 'FAILED') as DeploymentStatus, randomErrorCode(random));
      else org.setStatus(region, target.pack, target.deployment.accountId, status.replace('IN_PROGRESS', 'SUCCESSFUL') as DeploymentStatus);
      break;
    }
    case 'flap': {
      const target = pick((deployment) => isFailedStatus(deployment.status));
      if (!target) return;
      const { accountId, status, errorCode } = target.deployment;
      org.setStatus(region, target.pack, accountId, 'UPDATE_IN_PROGRESS');
      org.setStatus(region, target.pack, accountId, status, errorCode);
      break;
    }
    case 'join': {
      const accountId = org.newAccountId();
      org.join(accountId);
      for (const joinedRegion of REGIONS) {
        for (const pack of org.packsOf(joinedRegion)) {
          const roll = random.float();
          if (org.isCalm(pack)) org.setStatus(joinedRegion, pack, accountId, roll < 0.8 ? 'CREATE_SUCCESSFUL' : 'CREATE_IN_PROGRESS');
          else org.setStatus(joinedRegion, pack, accountId, roll < 0.6 ? 'CREATE_IN_PROGRESS' : roll < 0.9 ? 'CREATE_SUCCESSFUL' : 'CREATE_FAILED', randomErrorCode(random));
        }
      }
      break;
    }
    case 'leave': {
      const members = org.members;
      if (members.length <= 15) return;
      org.leave(random.pick(members));
      break;
    }
    case 'packAppears': {
      if (org.packsOf(region).length >= 5) return;
      const pack = org.newPackName();
      const calm = random.chance(0.3);
      org.addPack(region, pack, calm);
      for (const accountId of org.members) {
        const roll = random.float();
        if (calm) org.setStatus(region, pack, accountId, roll < 0.9 ? 'CREATE_SUCCESSFUL' : 'CREATE_IN_PROGRESS');
        else org.setStatus(region, pack, accountId, roll < 0.4 ? 'CREATE_IN_PROGRESS' : roll < 0.85 ? 'CREATE_SUCCESSFUL' : 'CREATE_FAILED', randomErrorCode(random));
      }
      break;
    }
    case 'packDisappears': {
      const packs = org.packsOf(region);
      if (packs.length <= 1) return;
      org.deletePack(region, random.pick(packs));
      break;
    }
  }
  org.count(event);
}
