import type { AlertMessage } from './domain/alert-message.js';
import type { PackRecordsDigest } from './domain/pack-records-digest.js';
import type { StatusCounts } from './domain/status-counts.js';
import type { AccountDeployment, Change, FailureRecord, StateWrite, UnconfirmedChange } from './domain/types.js';

/** Reads organization conformance packs and their deployments from AWS Config, one region at a time. */
export interface StatusSource {
  /** Every organization conformance pack deployed from the calling account in the region (all pages). */
  listPacks(region: string): Promise<string[]>;
  /**
   * Each pack's one-word summary status (DescribeOrganizationConformancePackStatuses). A hint only:
   * it can lag (stuck at CREATE_IN_PROGRESS from a delegated administrator), so it may only prove a
   * read unnecessary, never a recovery.
   */
  listPackSummaries(region: string): Promise<Map<string, string>>;
  /** Every account whose deployment of the pack is CREATE_, UPDATE_ or DELETE_FAILED (all pages). */
  listFailingAccounts(region: string, conformancePack: string): Promise<AccountDeployment[]>;
  /** Every account whose deployment of the pack is CREATE_, UPDATE_ or DELETE_IN_PROGRESS (all pages). */
  listInProgressAccounts(region: string, conformancePack: string): Promise<AccountDeployment[]>;
  /** The account's current deployment of the pack; null when AWS no longer reports the account for it. */
  getAccountDeployment(region: string, conformancePack: string, accountId: string): Promise<AccountDeployment | null>;
}

/** One page of a pack's detailed status read without filters (every status), counted. */
export interface StatusCountPage {
  readonly counts: StatusCounts;
  /** The problem of each record skipped as malformed. */
  readonly malformed: readonly string[];
  /** Absent on the pack's last page. */
  readonly nextToken?: string;
  /**
   * True when AWS no longer accepted the token given (it expires): this is the pack's first page, so
   * the counts of earlier pages must be thrown away.
   */
  readonly restarted: boolean;
}

/** Reads every account's status, page by page, so a count of 10,000 accounts can stop and resume. */
export interface InventorySource {
  listPacks(region: string): Promise<string[]>;
  /**
   * One page of the pack's detailed status, every status, from `nextToken` (undefined: the first page).
   * `signal` abandons the request, its retries included.
   */
  readStatusCountPage(region: string, conformancePack: string, nextToken: string | undefined, signal?: AbortSignal): Promise<StatusCountPage>;
}

/** Thrown by a StatusSource when the pack was deleted, possibly between listing and reading it. */
export class PackNotFoundError extends Error {
  constructor(
    readonly region: string,
    readonly conformancePack: string,
  ) {
    super(`Organization conformance pack ${conformancePack} no longer exists in ${region}`);
    this.name = 'PackNotFoundError';
  }
}

/**
 * Thrown by a StatusSource when the caller may not read organization conformance packs in a region:
 * it is a member account, or trusted access for config-multiaccountsetup.amazonaws.com is disabled.
 */
export class OrganizationAccessDeniedError extends Error {
  constructor(
    readonly region: string,
    detail: string,
  ) {
    super(
      `AWS Config denied organization access in ${region}: run Packwatch in the management account or a registered ` +
        `delegated administrator, and check that trusted access for config-multiaccountsetup.amazonaws.com is enabled (${detail})`,
    );
    this.name = 'OrganizationAccessDeniedError';
  }
}

/** Thrown when AWS returned a record that cannot be trusted (for example an unknown status). */
export class MalformedRecordError extends Error {
  constructor(
    readonly region: string,
    readonly conformancePack: string,
    readonly problem: string,
  ) {
    super(`Malformed detailed status record for ${conformancePack} in ${region}: ${problem}`);
    this.name = 'MalformedRecordError';
  }
}

/** What a sweep remembers about a region besides its failure records. */
export interface RegionBookkeeping {
  /** Packs the last sweep could not read within its time budget: they are read first next time. */
  readonly deferredPacks: readonly string[];
  /** When operators were told that organization access is denied in the region; cleared once it reads again. */
  readonly accessDeniedAlertedAt?: string;
  /** When every pack of the region was last read in full, without trusting the summary statuses. */
  readonly lastFullReadAt?: string;
  /**
   * A digest of each pack's stored records, so a sweep reads only the records of packs where something
   * may have changed; a pack absent here has no records. Undefined when unknown (a table written before
   * digests, or an unreadable entry): then the sweep reads every record of the region.
   */
  readonly recordedPacks?: Readonly<Record<string, PackRecordsDigest>>;
  /**
   * Packs whose records a sweep was about to write (staged, confirmed or cleaned up), marked before the
   * first write: their digest may be stale, so the next sweep reads their records (and finds what was
   * staged and never confirmed). @default none
   */
  readonly unsettledPacks?: readonly string[];
}

export const EMPTY_BOOKKEEPING: RegionBookkeeping = { deferredPacks: [] };

/** Stored records of a region, or of one pack in it. */
export interface StoredRecords {
  /** The records as they stand, staged ones included (a staged recovery is not a record). */
  readonly failures: readonly FailureRecord[];
  /** Changes staged by an earlier sweep that never confirmed them: they are sent again. */
  readonly unconfirmed: readonly UnconfirmedChange[];
}

/** The records Packwatch keeps between sweeps. */
export interface StateStore {
  /** The region's bookkeeping, as the last write left it (EMPTY_BOOKKEEPING when there is none). */
  loadBookkeeping(region: string): Promise<RegionBookkeeping>;
  /** Every record of the region, or only of `conformancePack`, as the last write left them. */
  loadRecords(region: string, conformancePack?: string): Promise<StoredRecords>;
  /** Applies every write or throws; a write that was not applied must never be reported as done. */
  apply(writes: readonly StateWrite[]): Promise<void>;
  saveBookkeeping(region: string, bookkeeping: RegionBookkeeping): Promise<void>;
}

/** A pack whose count has begun: where to continue and what earlier pages counted. */
export interface PackTally {
  readonly conformancePack: string;
  /** The next page to read; absent before the first page. */
  readonly nextToken?: string;
  readonly counts: StatusCounts;
  readonly malformedRecords: number;
  /** Reads of this pack that failed in this inventory; after a few the pack is left out until the next one. */
  readonly failedReads: number;
}

/** Where a region's inventory stands between invocations. */
export interface InventoryCheckpoint {
  /** When the region's last complete inventory ended. */
  readonly lastCompletedAt?: string;
  /** Set while an inventory is under way. */
  readonly current?: {
    readonly startedAt: string;
    /** Packs not begun yet, in order. */
    readonly pending: readonly string[];
    /** Packs begun and not finished. */
    readonly open: readonly PackTally[];
  };
}

/** The inventory's checkpoint per region. */
export interface InventoryStore {
  loadInventory(region: string): Promise<InventoryCheckpoint>;
  saveInventory(region: string, checkpoint: InventoryCheckpoint): Promise<void>;
}

/** Told once per pack whose count completed: the AccountsByStatus metrics. */
export interface StatusCountRecorder {
  packCounted(region: string, conformancePack: string, counts: StatusCounts): void;
}

/**
 * One sweep at a time: a lease with an expiry, so a sweep that crashed cannot block the next ones
 * for longer than its own time limit.
 */
export interface SweepLease {
  /** True when `owner` now holds the lease until `expiresAt`; false when another live sweep holds it. */
  acquire(owner: string, now: Date, expiresAt: Date): Promise<boolean>;
  /** Gives the lease up; false when `owner` no longer held it (it expired and another sweep took it). */
  release(owner: string): Promise<boolean>;
}

/** Delivers one alert message; resolves only once the channel (SNS) accepted it. */
export interface Notifier {
  publish(message: AlertMessage): Promise<void>;
}

/** Puts each change on an event bus, for rules that route or act on single changes. */
export interface ChangeEventBus {
  /** Resolves once every change was accepted, or throws. */
  putChanges(sweepId: string, changes: readonly Change[]): Promise<void>;
}

export interface Clock {
  now(): Date;
}
