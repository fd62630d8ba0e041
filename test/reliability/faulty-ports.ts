import type { AlertDocument } from '../../lambda/domain/alert-document.js';
import type { AlertMessage } from '../../lambda/domain/alert-message.js';
import { isFailedStatus, isInProgressStatus, type DeploymentStatus } from '../../lambda/domain/deployment-status.js';
import type { AccountDeployment, Change, FailureRecord, StateWrite } from '../../lambda/domain/types.js';
import {
  EMPTY_BOOKKEEPING,
  MalformedRecordError,
  OrganizationAccessDeniedError,
  PackNotFoundError,
  type Notifier,
  type RegionBookkeeping,
  type StateStore,
  type StoredRecords,
  type StatusSource,
  type SweepLease,
} from '../../lambda/ports.js';
import type { ManualClock } from '../support/in-memory-ports.js';
import type { AlertEvent, Observed, Oracle, RunView } from './oracle.js';
import { evolve, keyOf, packKeyOf, type TrueOrganization } from './organization.js';
import type { Random } from './prng.js';

/** Thrown where the invocation dies (after an accepted publish, before a publish, after a bookkeeping save): it is over. */
export class SimulatedCrash extends Error {
  constructor(runId: string, when: string) {
    super(`simulated crash of ${runId} (${when})`);
    this.name = 'SimulatedCrash';
  }
}

/** How often each boundary fails, relative to the sweep's fault intensity. */
const WEIGHTS = {
  listPacks: 0.6,
  listPackSummaries: 0.5,
  /** A pack's summary status says healthy while it is not (the hint lags). */
  summaryLag: 0.3,
  listFailingAccounts: 1,
  listInProgressAccounts: 0.5,
  getAccountDeployment: 1,
  loadBookkeeping: 0.3,
  loadRecords: 0.3,
  /** Right after the bookkeeping was saved (before the writes it announces, or after the last): the invocation dies. */
  crashAfterBookkeeping: 0.1,
  /** The state write right after an accepted publish (the confirmation). */
  applyAfterPublish: 0.5,
  /** Any other state write (changes staged ahead of their publish, clean-up of deleted packs). */
  applyOther: 0.5,
  saveBookkeeping: 0.5,
  publish: 0.7,
  leaseAcquire: 0.1,
  /** Of accepted alert messages: the state write right after it crashes the invocation. */
  crash: 1.4,
  /** Of alert messages about to be published: the invocation dies first (what it staged stays unsent). */
  crashBeforePublish: 0.3,
  /** Of accepted alert messages: SNS took it but the answer never came back. */
  lostAck: 0.3,
  /** Before a read of a pack or an account: the pack is deleted just then. */
  packDeletedMidSweep: 0.08,
} as const;

/** Changes to the organization while a sweep reads it (independent of faults). */
const MID_SWEEP_CHANGE = 0.03;
/** Summary statuses stuck at CREATE_IN_PROGRESS, as AWS shows them to a delegated administrator. */
const SUMMARY_STUCK_IN_PROGRESS = 0.1;
const RECHECKED_ACCOUNT_CHANGES = 0.05;

/** One invocation of the sweep: what it read (for the oracle) and whether it is still alive. */
export class SweepRun implements RunView {
  dead = false;
  crashArmed = false;
  /** Calls made to the source, store and notifier (not the lease). */
  calls = 0;
  readonly listings = new Map<string, Map<string, Observed>>();
  readonly inProgressListings = new Map<string, Map<string, Observed>>();
  /** Packs whose failing accounts were listed but whose read then failed. */
  readonly incompletePacks = new Set<string>();
  readonly rechecks = new Map<string, Observed>();
  /** Accounts (keyOf) of every change SNS accepted from this run. */
  readonly publishedKeys = new Set<string>();
  /** The alert message SNS accepted last, until the state write that follows it. */
  pending: AlertEvent[] | undefined;
  faults: string[] = [];
  /** Packs (packKeyOf) listed while the store held records for them, and packs or regions whose records were read. */
  readonly listedWithRecords = new Set<string>();
  readonly recordsRead = new Set<string>();

  constructor(
    readonly index: number,
    readonly id: string,
    readonly owner: string,
  ) {}
}

export interface StagedChange {
  readonly change: Change;
  readonly record?: FailureRecord;
  readonly run: string;
  /** What the staging sweep read about the account. */
  readonly read: Observed | undefined;
}

export interface FaultCounters {
  total: number;
  /** Crashes between an accepted publish and its state write. */
  crashes: number;
  /** Crashes just before a publish. */
  crashesBeforePublish: number;
  byKind: Record<string, number>;
}

/** The world the sweeps run in: the true organization, the durable state, the topic, the lease, and the dice. */
export class FaultWorld {
  /** Fault intensity of the current sweep: 0 is a clean sweep. */
  intensity = 0;
  /** Off during the final clean sweeps. */
  midSweepChanges = true;
  readonly faults: FaultCounters = { total: 0, crashes: 0, crashesBeforePublish: 0, byKind: {} };
  readonly records = new Map<string, FailureRecord>();
  /** Changes staged (written ahead of their publish) and not yet confirmed, with the run and read they came from. */
  readonly staged = new Map<string, StagedChange>();
  readonly bookkeeping = new Map<string, RegionBookkeeping>();
  readonly lease = new InMemoryLease();
  /** Every message SNS accepted, in order. */
  readonly accepted: AlertMessage[] = [];
  /** Failing-account listings made, and stored records read by pack or for a whole region (the digests spare the rest). */
  readonly storeReads = { failingListings: 0, packRecordReads: 0, regionRecordReads: 0, diffedFromDigest: 0 };
  private readonly injected = new WeakSet<object>();
  private reads = 0;

  constructor(
    readonly org: TrueOrganization,
    readonly clock: ManualClock,
    readonly oracle: Oracle,
    private readonly random: Random,
  ) {}

  portsFor(run: SweepRun): { source: StatusSource; store: StateStore; notifier: Notifier; lease: SweepLease } {
    return { source: new FaultySource(this, run), store: new FaultyStore(this, run), notifier: new FaultyNotifier(this, run), lease: new FaultyLease(this, run) };
  }

  /** True for an error this world threw on purpose (or one wrapping it). */
  isInjected(error: unknown): boolean {
    for (let current: unknown = error, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth += 1) {
      if (this.injected.has(current)) return true;
    }
    return false;
  }

  /** Whether the boundary fails now; counts it if so. */
  roll(run: SweepRun, kind: keyof typeof WEIGHTS): boolean {
    if (this.intensity <= 0 || !this.random.chance(Math.min(1, this.intensity * WEIGHTS[kind]))) return false;
    this.faults.total += 1;
    this.faults.byKind[kind] = (this.faults.byKind[kind] ?? 0) + 1;
    run.faults.push(kind);
    return true;
  }

  fault<E extends Error>(error: E): E {
    this.injected.add(error);
    return error;
  }

  awsError(name: string, message: string): Error {
    const error = new Error(message);
    error.name = name;
    return this.fault(error);
  }

  pick<T>(items: readonly T[]): T {
    return this.random.pick(items);
  }

  chance(probability: number): boolean {
    return this.random.chance(probability);
  }

  int(min: number, max: number): number {
    return this.random.int(min, max);
  }

  /** Every I/O: the invocation must be alive; time passes; other tasks get to run. */
  async io(run: SweepRun, what: string): Promise<void> {
    if (run.dead) {
      this.oracle.violation(`call after the invocation crashed: ${what} in ${run.id}`);
      throw this.fault(new Error(`${run.id} has crashed; ${what} cannot happen`));
    }
    run.calls += 1;
    this.clock.advance(this.random.int(10, 250));
    await Promise.resolve();
  }

  /** Sometimes the organization changes while a sweep reads a region. */
  maybeChangeMidSweep(region: string): void {
    if (!this.midSweepChanges || !this.random.chance(MID_SWEEP_CHANGE)) return;
    evolve(this.org, this.clock, this.random, 1, { region, only: ['fail', 'changeFailure', 'recover', 'redeploy', 'settle'], spacingMs: 1 });
    this.org.count('midSweep');
  }

  maybeDeletePack(run: SweepRun, region: string, pack: string): void {
    if (this.org.hasPack(region, pack) && this.org.packsOf(region).length > 1 && this.roll(run, 'packDeletedMidSweep')) {
      this.org.deletePack(region, pack);
      this.org.count('packDeletedMidSweep');
    }
  }

  observe(region: string, pack: string, deployment: AccountDeployment | null, accountId: string): Observed {
    this.reads += 1;
    return {
      order: this.reads,
      status: deployment?.status ?? null,
      errorCode: deployment?.errorCode ?? null,
      failing: isFailedStatus(deployment?.status),
      episode: this.org.episode(keyOf(region, pack, accountId)).index,
    };
  }

  /** The invocation dies: it will make no call again and never releases its lease. */
  crash(run: SweepRun, when: 'afterPublish' | 'beforePublish' | 'afterBookkeeping'): SimulatedCrash {
    run.dead = true;
    run.crashArmed = false;
    if (when === 'afterPublish') this.faults.crashes += 1;
    else if (when === 'beforePublish') this.faults.crashesBeforePublish += 1;
    this.lease.deadOwners.add(run.owner);
    if (run.pending) this.oracle.unrecorded(run.pending);
    run.pending = undefined;
    return this.fault(new SimulatedCrash(run.id, when));
  }
}

/** AWS Config, in memory: the true organization, with faults at every call. */
class FaultySource implements StatusSource {
  constructor(
    private readonly world: FaultWorld,
    private readonly run: SweepRun,
  ) {}

  async listPacks(region: string): Promise<string[]> {
    await this.world.io(this.run, `listPacks ${region}`);
    this.world.maybeChangeMidSweep(region);
    if (this.world.roll(this.run, 'listPacks')) {
      const kind = this.world.pick(['ThrottlingException', 'InternalFailure', 'InternalFailure', 'AccessDenied'] as const);
      if (kind === 'AccessDenied') throw this.world.fault(new OrganizationAccessDeniedError(region, 'OrganizationAccessDeniedException: injected'));
      throw this.world.awsError(kind, `${kind}: injected while listing the packs of ${region}`);
    }
    return this.world.pick([true, false]) ? this.world.org.packsOf(region) : this.world.org.packsOf(region).reverse();
  }

  async listPackSummaries(region: string): Promise<Map<string, string>> {
    await this.world.io(this.run, `listPackSummaries ${region}`);
    this.world.maybeChangeMidSweep(region);
    if (this.world.roll(this.run, 'listPackSummaries')) {
      const kind = this.world.pick(['ThrottlingException', 'InternalFailure'] as const);
      throw this.world.awsError(kind, `${kind}: injected while reading the pack statuses of ${region}`);
    }
    const summaries = new Map<string, string>();
    for (const pack of this.world.org.packsOf(region)) {
      const statuses = [...(this.world.org.deploymentsOf(region, pack)?.values() ?? [])].map((deployment) => deployment.status);
      const derived = statuses.some(isFailedStatus) ? 'UPDATE_FAILED' : statuses.some(isInProgressStatus) ? 'UPDATE_IN_PROGRESS' : 'UPDATE_SUCCESSFUL';
      if (this.world.chance(SUMMARY_STUCK_IN_PROGRESS)) summaries.set(pack, 'CREATE_IN_PROGRESS');
      else if (derived !== 'UPDATE_SUCCESSFUL' && this.world.roll(this.run, 'summaryLag')) summaries.set(pack, 'CREATE_SUCCESSFUL');
      else summaries.set(pack, derived);
    }
    return summaries;
  }

  async listFailingAccounts(region: string, pack: string): Promise<AccountDeployment[]> {
    await this.world.io(this.run, `listFailingAccounts ${region} ${pack}`);
    this.world.storeReads.failingListings += 1;
    if ([...this.world.records.values()].some((record) => record.region === region && record.conformancePack === pack)) this.run.listedWithRecords.add(packKeyOf(region, pack));
    this.world.maybeChangeMidSweep(region);
    this.world.maybeDeletePack(this.run, region, pack);
    const accounts = this.world.org.deploymentsOf(region, pack);
    if (!accounts) throw new PackNotFoundError(region, pack);
    if (this.world.roll(this.run, 'listFailingAccounts')) {
      const kind = this.world.pick(['ThrottlingException', 'InternalFailure', 'InvalidNextTokenException'] as const);
      throw this.world.awsError(kind, `${kind}: injected while listing the failing accounts of ${pack} in ${region}`);
    }
    const failing = [...accounts.values()].filter((deployment) => isFailedStatus(deployment.status));
    this.run.listings.set(packKeyOf(region, pack), new Map(failing.map((deployment) => [deployment.accountId, this.world.observe(region, pack, deployment, deployment.accountId)])));
    return failing.map((deployment) => ({ ...deployment }));
  }

  async listInProgressAccounts(region: string, pack: string): Promise<AccountDeployment[]> {
    await this.world.io(this.run, `listInProgressAccounts ${region} ${pack}`);
    this.world.maybeChangeMidSweep(region);
    this.world.maybeDeletePack(this.run, region, pack);
    const accounts = this.world.org.deploymentsOf(region, pack);
    if (!accounts) throw new PackNotFoundError(region, pack);
    if (this.world.roll(this.run, 'listInProgressAccounts')) {
      // The pack's read is incomplete now: what its failing listing showed proves nothing was read in full.
      this.run.incompletePacks.add(packKeyOf(region, pack));
      const kind = this.world.pick(['ThrottlingException', 'InternalFailure'] as const);
      throw this.world.awsError(kind, `${kind}: injected while listing the accounts in progress for ${pack} in ${region}`);
    }
    const inProgress = [...accounts.values()].filter((deployment) => isInProgressStatus(deployment.status));
    this.run.inProgressListings.set(packKeyOf(region, pack), new Map(inProgress.map((deployment) => [deployment.accountId, this.world.observe(region, pack, deployment, deployment.accountId)])));
    return inProgress.map((deployment) => ({ ...deployment }));
  }

  async getAccountDeployment(region: string, pack: string, accountId: string): Promise<AccountDeployment | null> {
    await this.world.io(this.run, `getAccountDeployment ${region} ${pack} ${accountId}`);
    // The account being rechecked moves just now: the race the "newest report wins" rule is for.
    if (this.world.midSweepChanges && this.world.org.deployment(region, pack, accountId) && this.world.chance(RECHECKED_ACCOUNT_CHANGES)) {
      const status = this.world.pick<DeploymentStatus>(['CREATE_FAILED', 'UPDATE_FAILED', 'UPDATE_IN_PROGRESS', 'UPDATE_SUCCESSFUL']);
      this.world.org.setStatus(region, pack, accountId, status, this.world.pick(['AccessDenied', 'ResourceLimitExceeded']));
      this.world.org.count('recheckRace');
    }
    this.world.maybeChangeMidSweep(region);
    this.world.maybeDeletePack(this.run, region, pack);
    const accounts = this.world.org.deploymentsOf(region, pack);
    if (!accounts) throw new PackNotFoundError(region, pack);
    if (this.world.roll(this.run, 'getAccountDeployment')) {
      const kind = this.world.pick(['ThrottlingException', 'InternalFailure', 'Malformed'] as const);
      if (kind === 'Malformed') throw this.world.fault(new MalformedRecordError(region, pack, 'Status CREATE_PENDING is not a known deployment status'));
      throw this.world.awsError(kind, `${kind}: injected while rechecking ${accountId} for ${pack} in ${region}`);
    }
    const deployment = accounts.get(accountId) ?? null;
    this.run.rechecks.set(keyOf(region, pack, accountId), this.world.observe(region, pack, deployment, accountId));
    return deployment ? { ...deployment } : null;
  }
}

/** DynamoDB, in memory: durable across invocations; writes can fail whole or half-done. */
class FaultyStore implements StateStore {
  constructor(
    private readonly world: FaultWorld,
    private readonly run: SweepRun,
  ) {}

  async loadBookkeeping(region: string): Promise<RegionBookkeeping> {
    await this.world.io(this.run, `loadBookkeeping ${region}`);
    if (this.world.roll(this.run, 'loadBookkeeping')) throw this.world.awsError('ProvisionedThroughputExceededException', `injected while loading the bookkeeping of ${region}`);
    return structuredClone(this.world.bookkeeping.get(region) ?? EMPTY_BOOKKEEPING);
  }

  async loadRecords(region: string, conformancePack?: string): Promise<StoredRecords> {
    await this.world.io(this.run, `loadRecords ${region} ${conformancePack ?? '(all)'}`);
    if (conformancePack === undefined) this.world.storeReads.regionRecordReads += 1;
    else this.world.storeReads.packRecordReads += 1;
    this.run.recordsRead.add(conformancePack === undefined ? region : packKeyOf(region, conformancePack));
    if (this.world.roll(this.run, 'loadRecords')) throw this.world.awsError('ProvisionedThroughputExceededException', `injected while loading the records of ${region}`);
    const matches = (key: { region: string; conformancePack: string }) =>
      key.region === region && (conformancePack === undefined || key.conformancePack === conformancePack);
    return {
      failures: [...this.world.records.values()].filter(matches).map((record) => ({ ...record })),
      unconfirmed: [...this.world.staged.values()]
        .filter((staged) => matches(staged.change))
        .map((staged) => ({ change: staged.change, ...(staged.record ? { record: { ...staged.record } } : {}) })),
    };
  }

  async apply(writes: readonly StateWrite[]): Promise<void> {
    await this.world.io(this.run, `apply ${writes.length} write(s)`);
    if (this.run.crashArmed) throw this.world.crash(this.run, 'afterPublish');
    const pending = this.run.pending;
    this.run.pending = undefined;
    let applied = writes.length;
    let failure: Error | undefined;
    if (writes.length > 0 && this.world.roll(this.run, pending ? 'applyAfterPublish' : 'applyOther')) {
      // A batch write that failed part-way (UnprocessedItems that stayed unprocessed), or not at all.
      applied = this.world.chance(0.5) ? this.world.int(0, writes.length - 1) : 0;
      failure = this.world.awsError('ProvisionedThroughputExceededException', `injected: ${writes.length - applied} of ${writes.length} write(s) not applied`);
    }
    const done = new Set<string>();
    for (const write of writes.slice(0, applied)) {
      const { region, conformancePack, accountId } = write.type === 'put' ? write.record : write.key;
      const key = keyOf(region, conformancePack, accountId);
      // As the DynamoDB store does: a staged change is written with its record (or in place of a recovered
      // one) and stays unconfirmed until a put or delete of the key confirms it.
      if (write.type === 'stage') {
        if (write.record) this.world.records.set(key, { ...write.record });
        else this.world.records.delete(key);
        this.world.staged.set(key, { change: write.change, ...(write.record ? { record: { ...write.record } } : {}), run: this.run.id, read: this.world.oracle.readFor(this.run, write.change) });
      } else {
        this.world.staged.delete(key);
        if (write.type === 'put') this.world.records.set(key, { ...write.record });
        else this.world.records.delete(key);
        done.add(key);
        this.world.oracle.recorded(key);
      }
    }
    if (pending) {
      // Every change of the accepted message whose write did not happen may be alerted once more.
      const notDone = pending.filter((event) => !done.has(event.key));
      if (notDone.length > 0) this.world.oracle.unrecorded(notDone);
    }
    if (failure) throw failure;
  }

  async saveBookkeeping(region: string, bookkeeping: RegionBookkeeping): Promise<void> {
    await this.world.io(this.run, `saveBookkeeping ${region}`);
    if (this.world.roll(this.run, 'saveBookkeeping')) throw this.world.awsError('InternalServerError', `injected while saving the bookkeeping of ${region}`);
    this.world.bookkeeping.set(region, structuredClone(bookkeeping));
    if (this.world.roll(this.run, 'crashAfterBookkeeping')) throw this.world.crash(this.run, 'afterBookkeeping');
  }
}

/** SNS, in memory: what it accepted reaches the oracle at once (the subscribers' view). */
class FaultyNotifier implements Notifier {
  constructor(
    private readonly world: FaultWorld,
    private readonly run: SweepRun,
  ) {}

  async publish(message: AlertMessage): Promise<void> {
    await this.world.io(this.run, `publish ${message.subject}`);
    if (message.attributes.schema?.value === 'packwatch.alert/1' && this.world.roll(this.run, 'crashBeforePublish')) throw this.world.crash(this.run, 'beforePublish');
    if (this.world.roll(this.run, 'publish')) throw this.world.awsError('InternalErrorException', 'SNS refused the message (injected)');
    this.world.accepted.push(message);
    if (message.attributes.schema?.value !== 'packwatch.alert/1') return;
    const document = JSON.parse((JSON.parse(message.message) as { default: string }).default) as AlertDocument;
    const events = this.world.oracle.onPublish(this.run, document, this.world.staged);
    for (const event of events) this.run.publishedKeys.add(event.key);
    if (this.world.roll(this.run, 'lostAck')) {
      this.world.oracle.unrecorded(events);
      throw this.world.fault(new Error('socket hang up (SNS accepted the message, the answer was lost)'));
    }
    this.run.pending = events;
    if (this.world.roll(this.run, 'crash')) this.run.crashArmed = true;
  }
}

/** The lease as the DynamoDB adapter makes it: a conditional put with an expiry, a conditional delete. */
export class InMemoryLease {
  holder: { owner: string; expiresAtMs: number } | undefined;
  /** Owners whose invocation crashed: a dead process never releases anything. */
  readonly deadOwners = new Set<string>();

  heldAt(now: Date): boolean {
    return this.holder !== undefined && this.holder.expiresAtMs >= now.getTime();
  }

  async acquire(owner: string, now: Date, expiresAt: Date): Promise<boolean> {
    await Promise.resolve();
    // Checked and set in one step, as the conditional write is.
    if (this.heldAt(now)) return false;
    this.holder = { owner, expiresAtMs: expiresAt.getTime() };
    return true;
  }

  async release(owner: string): Promise<boolean> {
    await Promise.resolve();
    if (this.deadOwners.has(owner)) return true;
    if (this.holder?.owner !== owner) return false;
    this.holder = undefined;
    return true;
  }
}

class FaultyLease implements SweepLease {
  constructor(
    private readonly world: FaultWorld,
    private readonly run: SweepRun,
  ) {}

  async acquire(owner: string, now: Date, expiresAt: Date): Promise<boolean> {
    if (this.world.roll(this.run, 'leaseAcquire')) throw this.world.awsError('ProvisionedThroughputExceededException', 'injected while acquiring the lease');
    return this.world.lease.acquire(owner, now, expiresAt);
  }

  release(owner: string): Promise<boolean> {
    return this.world.lease.release(owner);
  }
}
