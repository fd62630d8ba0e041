import { isFailedStatus } from './domain/deployment-status.js';
import { groupBy } from './domain/group-by.js';
import { digestOfRecords, type PackRecordsDigest } from './domain/pack-records-digest.js';
import type { FailureRecord, StateWrite, UnconfirmedChange } from './domain/types.js';
import { mapWithConcurrency } from './map-with-concurrency.js';
import type { RegionBookkeeping, StateStore } from './ports.js';

/**
 * A region's stored records as one sweep sees them: read where the sweep needs them, and elsewhere
 * stood in for by the digests of the region's bookkeeping. Without digests (or with unreadable ones)
 * every record is read at once, as before digests existed.
 */
export class RegionRecords {
  private readonly loaded = new Map<string, readonly FailureRecord[]>();
  private readonly loading = new Map<string, Promise<readonly FailureRecord[]>>();
  private readonly unconfirmedChanges: UnconfirmedChange[] = [];

  private constructor(
    private readonly region: string,
    private readonly store: StateStore,
    /** Undefined when every record was read at once. */
    private readonly digests: Readonly<Record<string, PackRecordsDigest>> | undefined,
    /** Packs whose digest may be stale: their records are read whatever the digests say. */
    private readonly unsettled: ReadonlySet<string> = new Set(),
  ) {}

  /** Reads what must be read up front: everything without digests, else the packs left unsettled. */
  static async open(region: string, bookkeeping: RegionBookkeeping, store: StateStore, concurrency: number): Promise<RegionRecords> {
    if (!bookkeeping.recordedPacks) {
      const records = new RegionRecords(region, store, undefined);
      const { failures, unconfirmed } = await store.loadRecords(region);
      for (const [pack, packRecords] of groupBy(failures, (record) => record.conformancePack)) records.loaded.set(pack, packRecords);
      records.unconfirmedChanges.push(...unconfirmed);
      return records;
    }
    const unsettled = new Set(bookkeeping.unsettledPacks ?? []);
    const records = new RegionRecords(region, store, bookkeeping.recordedPacks, unsettled);
    // Unsettled packs may hold staged changes that must be re-sent whatever this sweep reads.
    await mapWithConcurrency([...unsettled], concurrency, (pack) => records.load(pack));
    return records;
  }

  /** The pack's records when known without reading more; undefined when only their digest is known. */
  known(pack: string): readonly FailureRecord[] | undefined {
    const loaded = this.loaded.get(pack);
    if (loaded) return loaded;
    if (this.digests === undefined) return [];
    return this.digests[pack] === undefined && !this.unsettled.has(pack) ? [] : undefined;
  }

  /** The digest standing in for the pack's records while they are not read. */
  digest(pack: string): PackRecordsDigest | undefined {
    return this.loaded.has(pack) ? undefined : this.digests?.[pack];
  }

  /** Reads the pack's records (once). */
  async load(pack: string): Promise<readonly FailureRecord[]> {
    const known = this.known(pack);
    if (known) return known;
    let loading = this.loading.get(pack);
    if (!loading) {
      loading = this.store.loadRecords(this.region, pack).then(({ failures, unconfirmed }) => {
        this.loaded.set(pack, failures);
        this.unconfirmedChanges.push(...unconfirmed);
        return failures;
      });
      this.loading.set(pack, loading);
    }
    return loading;
  }

  /** Packs that have records, read or not. */
  packsWithRecords(): string[] {
    const packs = new Set([...Object.keys(this.digests ?? {}), ...[...this.loaded].filter(([, records]) => records.length > 0).map(([pack]) => pack)]);
    return [...packs];
  }

  /** Every record read so far. */
  records(): FailureRecord[] {
    return [...this.loaded.values()].flat();
  }

  /** Changes staged and never confirmed, in the records read so far (the unsettled packs hold them all). */
  unconfirmed(): readonly UnconfirmedChange[] {
    return this.unconfirmedChanges;
  }

  /** Failed records of packs not read, from their digests. */
  failingNotRead(pack?: string): number {
    const packs = pack === undefined ? Object.keys(this.digests ?? {}) : [pack];
    return packs.reduce((total, name) => total + (this.digest(name)?.failing ?? 0), 0);
  }

  /** Failed records, read or not. */
  failing(): number {
    return this.records().filter((record) => isFailedStatus(record.status)).length + this.failingNotRead();
  }

  /**
   * The digests and unsettled packs once `writes` are applied. A pack in `unsettled` is left for its
   * next sweep to read and digest; a read pack is digested from what was read with `writes` applied;
   * a pack not read keeps its digest.
   */
  settle(unsettled: ReadonlySet<string>, writes: readonly StateWrite[] = []): Pick<RegionBookkeeping, 'recordedPacks' | 'unsettledPacks'> {
    const writesByPack = groupBy(writes, (write) => (write.type === 'put' ? write.record : write.key).conformancePack);
    const recordedPacks: Record<string, PackRecordsDigest> = {};
    for (const pack of [...new Set([...this.packsWithRecords(), ...writesByPack.keys()])].sort()) {
      if (unsettled.has(pack)) continue;
      const known = this.known(pack);
      const digest = known ? digestOfRecords(afterWrites(known, writesByPack.get(pack) ?? [])) : this.digests?.[pack];
      if (digest) recordedPacks[pack] = digest;
    }
    return { recordedPacks, ...(unsettled.size > 0 ? { unsettledPacks: [...unsettled].sort() } : {}) };
  }
}

/** The records once the writes are applied in order (only puts and deletes: staging leaves packs unsettled). */
function afterWrites(records: readonly FailureRecord[], writes: readonly StateWrite[]): FailureRecord[] {
  const byAccount = new Map(records.map((record) => [record.accountId, record]));
  for (const write of writes) {
    if (write.type === 'put') byAccount.set(write.record.accountId, write.record);
    else if (write.type === 'delete') byAccount.delete(write.key.accountId);
    else throw new Error(`a staged write cannot be settled (${write.key.conformancePack} ${write.key.accountId})`);
  }
  return [...byAccount.values()];
}
