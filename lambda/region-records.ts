import { isFailedStatus } from './domain/deployment-status.js';
import { groupBy } from './domain/group-by.js';
import { digestOfRecords, type PackRecordsDigest } from './domain/pack-records-digest.js';
import type { FailureRecord, UnconfirmedChange } from './domain/types.js';
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
   * The digests and unsettled packs once the sweep's writes are applied. Written packs are unsettled
   * (their next sweep reads them, then digests them); a read pack that was not written is digested
   * from what was read; a pack not read keeps its digest.
   */
  settle(written: ReadonlySet<string>): Pick<RegionBookkeeping, 'recordedPacks' | 'unsettledPacks'> {
    const recordedPacks: Record<string, PackRecordsDigest> = {};
    for (const pack of [...this.packsWithRecords()].sort()) {
      if (written.has(pack)) continue;
      const digest = this.loaded.has(pack) ? digestOfRecords(this.loaded.get(pack)!) : this.digests?.[pack];
      if (digest) recordedPacks[pack] = digest;
    }
    return { recordedPacks, ...(written.size > 0 ? { unsettledPacks: [...written].sort() } : {}) };
  }
}
