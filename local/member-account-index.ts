import { SortedIdList } from './sorted-id-list';

/** What AWS Config knows about one member account's copy of an organization conformance pack. */
export interface MemberAccountState {
  readonly accountId: string;
  /** One of the nine statuses; any other string emulates a value AWS might add later. */
  readonly status: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /** Epoch milliseconds. */
  readonly lastUpdateTime: number;
}

export interface MemberAccountFilter {
  readonly accountId?: string;
  readonly status?: string;
}

/**
 * The member accounts of one pack, indexed by ID and by status so that a sweep asking only
 * for CREATE_FAILED accounts of a 10,000-account pack touches only the failing few.
 */
export class MemberAccountIndex {
  private readonly byId = new Map<string, MemberAccountState>();
  private readonly allIds = new SortedIdList();
  private readonly idsByStatus = new Map<string, SortedIdList>();

  get size(): number {
    return this.byId.size;
  }

  get(accountId: string): MemberAccountState | undefined {
    return this.byId.get(accountId);
  }

  upsert(state: MemberAccountState): void {
    const previous = this.byId.get(state.accountId);
    if (previous && previous.status !== state.status) this.idsByStatus.get(previous.status)?.delete(state.accountId);
    if (!previous) this.allIds.add(state.accountId);
    if (!previous || previous.status !== state.status) this.statusList(state.status).add(state.accountId);
    this.byId.set(state.accountId, state);
  }

  remove(accountId: string): boolean {
    const previous = this.byId.get(accountId);
    if (!previous) return false;
    this.byId.delete(accountId);
    this.allIds.delete(accountId);
    this.idsByStatus.get(previous.status)?.delete(accountId);
    return true;
  }

  countWithStatus(status: string): number {
    return this.idsByStatus.get(status)?.size ?? 0;
  }

  /** Every account, ascending by ID. */
  list(): MemberAccountState[] {
    return this.allIds.toArray().map((id) => this.byId.get(id)!);
  }

  /** One page of accounts matching `filter`, ascending by ID, starting after `after`. */
  page(filter: MemberAccountFilter, after: string, limit: number): { items: MemberAccountState[]; more: boolean } {
    if (filter.accountId !== undefined) {
      const state = this.byId.get(filter.accountId);
      const matches = state && state.accountId > after && (filter.status === undefined || state.status === filter.status);
      return { items: matches ? [state] : [], more: false };
    }
    const source = filter.status === undefined ? this.allIds : this.idsByStatus.get(filter.status);
    if (!source) return { items: [], more: false };
    const { ids, more } = source.pageAfter(after, limit);
    return { items: ids.map((id) => this.byId.get(id)!), more };
  }

  private statusList(status: string): SortedIdList {
    let list = this.idsByStatus.get(status);
    if (!list) {
      list = new SortedIdList();
      this.idsByStatus.set(status, list);
    }
    return list;
  }
}
