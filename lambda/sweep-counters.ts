/** What one sweep counts while it runs; turned into metrics and the summary at the end. */
export interface SweepCounters {
  /** Requests sent to AWS Config, retries included. */
  apiCalls: number;
  /** Config requests answered with throttling. */
  throttles: number;
  /** Records skipped because a field was missing or invalid. */
  malformedRecords: number;
  /** Regions, packs or accounts that could not be read; their state was kept. */
  sweepErrors: number;
  /** Packs left unread because the sweep ran out of time; read first next time. */
  deferredPacks: number;
}

export function newSweepCounters(): SweepCounters {
  return { apiCalls: 0, throttles: 0, malformedRecords: 0, sweepErrors: 0, deferredPacks: 0 };
}
