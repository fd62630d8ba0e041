/**
 * Spaces calls evenly at a fixed rate, so a sweep stays under AWS Config's limit by itself instead of
 * finding it through throttling. Each `take()` reserves the next free slot and waits for it.
 * The slots are 5% wider than the rate: calls spaced exactly on the limit's grid arrive with network
 * jitter, and one early arrival makes a rolling one-second window hold one call too many (measured:
 * 3.5–5.7% of calls throttled at 0%, still some at 2%, none at 5%).
 */
const JITTER_MARGIN = 1.05;

export class CallPacer {
  private nextSlotMs = 0;
  private readonly intervalMs: number;

  constructor(
    callsPerSecond: number,
    private readonly nowMs: () => number = Date.now,
    private readonly sleep: (milliseconds: number) => Promise<void> = (milliseconds) =>
      new Promise((resolve) => setTimeout(resolve, milliseconds)),
  ) {
    if (!(callsPerSecond > 0)) throw new RangeError(`callsPerSecond must be positive, got ${callsPerSecond}`);
    this.intervalMs = (1000 / callsPerSecond) * JITTER_MARGIN;
  }

  async take(): Promise<void> {
    const now = this.nowMs();
    const slot = Math.max(now, this.nextSlotMs);
    this.nextSlotMs = slot + this.intervalMs;
    if (slot > now) await this.sleep(slot - now);
  }
}
