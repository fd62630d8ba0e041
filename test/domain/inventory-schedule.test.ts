import { describe, expect, it } from 'vitest';
import { inventoryWindow, isInventoryDue } from '../../lambda/domain/inventory-schedule.js';

const NOW = new Date('2026-11-27T12:00:00.000Z');
const DAY = 86_400_000;

describe('isInventoryDue', () => {
  it.each([
    { name: 'never completed', lastCompletedAt: undefined, intervalMs: DAY, due: true },
    { name: 'completed a day ago exactly', lastCompletedAt: '2026-11-26T12:00:00.000Z', intervalMs: DAY, due: true },
    { name: 'completed a second less than a day ago', lastCompletedAt: '2026-11-26T12:00:01.000Z', intervalMs: DAY, due: false },
    { name: 'completed an hour ago, weekly', lastCompletedAt: '2026-11-27T11:00:00.000Z', intervalMs: 7 * DAY, due: false },
    { name: 'an unreadable completion time', lastCompletedAt: 'yesterday', intervalMs: DAY, due: true },
    { name: 'turned off, never completed', lastCompletedAt: undefined, intervalMs: 0, due: false },
  ])('$name: due=$due', ({ lastCompletedAt, intervalMs, due }) => {
    expect(isInventoryDue(lastCompletedAt, NOW, intervalMs)).toBe(due);
  });
});

describe('inventoryWindow', () => {
  const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs).toISOString();
  it.each([
    {
      name: 'every 5 minutes in a 15-minute function: stops 30 s before the next sweep',
      sweepIntervalMs: 300_000,
      invocationEndsAt: NOW.getTime() + 900_000,
      stopAt: at(270_000),
      abortAt: at(285_000),
    },
    {
      name: 'every minute: the margin is a tenth of the interval',
      sweepIntervalMs: 60_000,
      invocationEndsAt: NOW.getTime() + 900_000,
      stopAt: at(54_000),
      abortAt: at(57_000),
    },
    {
      name: 'hourly in a 15-minute function: the invocation ends first',
      sweepIntervalMs: 3_600_000,
      invocationEndsAt: NOW.getTime() + 900_000,
      stopAt: at(870_000),
      abortAt: at(885_000),
    },
  ])('$name', ({ sweepIntervalMs, invocationEndsAt, stopAt, abortAt }) => {
    const window = inventoryWindow({ sweepStartedAt: NOW, sweepIntervalMs, invocationEndsAt: new Date(invocationEndsAt) });
    expect({ stopAt: window.stopAt.toISOString(), abortAt: window.abortAt.toISOString() }).toEqual({ stopAt, abortAt });
  });
});
