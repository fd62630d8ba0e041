import { describe, expect, it } from 'vitest';
import { mapWithConcurrency } from '../../lambda/map-with-concurrency.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('mapWithConcurrency', () => {
  it('keeps the input order and never exceeds the bound', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapWithConcurrency([5, 1, 4, 2, 3, 6, 7], 3, async (value) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      for (let index = 0; index < value; index += 1) await tick();
      inFlight -= 1;
      return value * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30, 60, 70]);
    expect(peak).toBe(3);
  });

  it('rejects with the first error once started tasks have settled, and starts no more', async () => {
    const started: number[] = [];
    let settled = 0;
    const outcome = mapWithConcurrency([1, 2, 3, 4, 5], 2, async (value) => {
      started.push(value);
      await tick();
      settled += 1;
      if (value === 2) throw new Error('boom 2');
      return value;
    });
    await expect(outcome).rejects.toThrow('boom 2');
    // 1 settles first and its worker takes 3; once 2 fails, 4 and 5 never start.
    expect(started).toEqual([1, 2, 3]);
    expect(settled).toBe(started.length);
  });

  it.each([0, -1, 1.5])('refuses a concurrency of %s', async (concurrency) => {
    await expect(mapWithConcurrency([1], concurrency, async (value) => value)).rejects.toThrow(RangeError);
  });

  it('handles no items', async () => {
    expect(await mapWithConcurrency([], 4, async (value) => value)).toEqual([]);
  });
});
