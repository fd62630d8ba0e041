import { describe, expect, it } from 'vitest';
import { CallPacer } from '../../lambda/adapters/call-pacer.js';

describe('CallPacer', () => {
  it('spaces calls evenly at the rate less a 5% margin for jitter, counting from the first call', async () => {
    let now = 1_000;
    const waits: number[] = [];
    const pacer = new CallPacer(10, () => now, async (milliseconds) => {
      waits.push(milliseconds);
    });
    await Promise.all([pacer.take(), pacer.take(), pacer.take(), pacer.take()]);
    expect(waits.map((wait) => Math.round(wait))).toEqual([105, 210, 315]);
  });

  it('does not make a call wait when the rate has room, and never banks unused time as a burst', async () => {
    let now = 0;
    const waits: number[] = [];
    const pacer = new CallPacer(4, () => now, async (milliseconds) => {
      waits.push(milliseconds);
    });
    await pacer.take();
    now = 10_000;
    await pacer.take();
    await pacer.take();
    expect(waits.map((wait) => Math.round(wait * 100) / 100)).toEqual([262.5]);
  });

  it.each([0, -1, Number.NaN])('refuses a rate of %s', (rate) => {
    expect(() => new CallPacer(rate)).toThrow(RangeError);
  });
});
