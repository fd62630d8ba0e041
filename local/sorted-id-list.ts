/**
 * Account IDs kept in ascending order. Paging resumes "after the last ID returned" with a
 * binary search, so a page costs O(log n + page size) however large the pack is, and
 * accounts added or removed between pages never shift the ones not yet returned.
 */
export class SortedIdList {
  private readonly ids: string[] = [];

  get size(): number {
    return this.ids.length;
  }

  add(id: string): void {
    const last = this.ids[this.ids.length - 1];
    // Fast path: generated accounts arrive in ascending order.
    if (last === undefined || id > last) {
      this.ids.push(id);
      return;
    }
    const at = this.lowerBound(id);
    if (this.ids[at] !== id) this.ids.splice(at, 0, id);
  }

  delete(id: string): void {
    const at = this.lowerBound(id);
    if (this.ids[at] === id) this.ids.splice(at, 1);
  }

  /** Up to `limit` IDs strictly greater than `after` ('' = from the start), and whether more follow. */
  pageAfter(after: string, limit: number): { ids: string[]; more: boolean } {
    const start = after === '' ? 0 : this.upperBound(after);
    const ids = this.ids.slice(start, start + limit);
    return { ids, more: start + limit < this.ids.length };
  }

  toArray(): string[] {
    return [...this.ids];
  }

  /** First index whose ID is >= id. */
  private lowerBound(id: string): number {
    let low = 0;
    let high = this.ids.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.ids[mid]! < id) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** First index whose ID is > id. */
  private upperBound(id: string): number {
    let low = 0;
    let high = this.ids.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.ids[mid]! <= id) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
