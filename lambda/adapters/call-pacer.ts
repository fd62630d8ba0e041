/**
 * Spaces calls evenly at a fixed rate, so a sweep stays under AWS Config's limit by itself instead of
 * finding it through throttling. Each `take()` reserves the next free slot and waits for it.
 */
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
    this.intervalMs = 1000 / callsPerSecond;
  }

  async take(): Promise<void> {
    const now = this.nowMs();
    const slot = Math.max(now, this.nextSlotMs);
    this.nextSlotMs = slot + this.intervalMs;
    if (slot > now) await this.sleep(slot - now);
  }
}
