/**
 * Admits at most `limit` events per key within any window of `windowMs` (a true sliding
 * window, not fixed one-second buckets, so a burst straddling a second boundary is caught).
 */
export class SlidingWindowRateLimiter {
  private readonly admitted = new Map<string, number[]>();

  constructor(private readonly windowMs = 1000) {}

  /** Records and admits the event, or refuses it (a refused event does not use up capacity). */
  tryAdmit(key: string, limit: number, now: number): boolean {
    let times = this.admitted.get(key);
    if (!times) {
      times = [];
      this.admitted.set(key, times);
    }
    let expired = 0;
    while (expired < times.length && times[expired]! <= now - this.windowMs) expired += 1;
    if (expired > 0) times.splice(0, expired);
    if (times.length >= limit) return false;
    times.push(now);
    return true;
  }

  reset(): void {
    this.admitted.clear();
  }
}
