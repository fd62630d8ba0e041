/**
 * When the inventory (a full count of every account's status, on a slow cadence) runs, and for how long.
 * Pure: the caller passes the times.
 */

/** Due when no inventory of the region ever completed, or the last one completed at least `intervalMs` ago. */
export function isInventoryDue(lastCompletedAt: string | undefined, now: Date, intervalMs: number): boolean {
  if (intervalMs <= 0) return false;
  if (lastCompletedAt === undefined) return true;
  const completed = Date.parse(lastCompletedAt);
  // An unreadable time proves nothing was counted recently: count again.
  if (!Number.isFinite(completed)) return true;
  return now.getTime() - completed >= intervalMs;
}

/** The longest margin kept before the next sweep and the invocation's end. */
export const MAX_INVENTORY_MARGIN_MS = 30_000;

export interface InventoryWindowInput {
  /** When this invocation's sweep was scheduled (or started). */
  readonly sweepStartedAt: Date;
  /** The time between two scheduled sweeps. */
  readonly sweepIntervalMs: number;
  /** When the invocation is killed (its start plus the function's timeout). */
  readonly invocationEndsAt: Date;
}

export interface InventoryWindow {
  /** No page is requested from then on. */
  readonly stopAt: Date;
  /** A request still running then is abandoned (its retries included), so the lease is freed in time. */
  readonly abortAt: Date;
}

/**
 * The inventory reads only in the time left before the next scheduled sweep and before the invocation
 * ends, each minus a margin (a tenth of the sweep interval, at most 30 s) for the request in flight, the
 * checkpoint write and the lease release: the next sweep must find the lease free.
 */
export function inventoryWindow({ sweepStartedAt, sweepIntervalMs, invocationEndsAt }: InventoryWindowInput): InventoryWindow {
  const marginMs = Math.min(MAX_INVENTORY_MARGIN_MS, sweepIntervalMs / 10);
  const end = Math.min(sweepStartedAt.getTime() + sweepIntervalMs, invocationEndsAt.getTime());
  const stopAt = end - marginMs;
  return { stopAt: new Date(stopAt), abortAt: new Date(stopAt + marginMs / 2) };
}
