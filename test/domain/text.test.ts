import { describe, expect, it } from 'vitest';
import {
  detailedStatusCommand,
  formatDuration,
  formatSince,
  formatTime,
  isPlainPackName,
  shortenAtWord,
  wrapWords,
} from '../../lambda/domain/text.js';

describe('formatTime', () => {
  it.each([
    { iso: '2026-11-20T10:00:00.000Z', expected: '2026-11-20 10:00 UTC' },
    { iso: '2026-11-20T10:00:59Z', expected: '2026-11-20 10:00 UTC' },
    { iso: '2026-11-20T12:00:00+02:00', expected: '2026-11-20 10:00 UTC' },
    { iso: 'not a time', expected: 'not a time' },
  ])('shows $iso as $expected', ({ iso, expected }) => {
    expect(formatTime(iso)).toBe(expected);
  });
});

describe('formatDuration', () => {
  it.each([
    { ms: 0, expected: 'under a minute' },
    { ms: 59_999, expected: 'under a minute' },
    { ms: 60_000, expected: '1m' },
    { ms: 3_600_000, expected: '1h' },
    { ms: 5 * 3_600_000 + 12 * 60_000, expected: '5h 12m' },
    { ms: 86_400_000, expected: '1d' },
    { ms: 3 * 86_400_000 + 4 * 3_600_000 + 59 * 60_000, expected: '3d 4h' },
    { ms: -5, expected: 'under a minute' },
    { ms: Number.NaN, expected: 'under a minute' },
  ])('shows $ms ms as $expected', ({ ms, expected }) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});

describe('formatSince', () => {
  it.each([
    { start: '2026-11-26T23:55:00Z', now: '2026-11-27T12:00:00Z', expected: '2026-11-26 23:55 UTC (12h 5m)' },
    { start: '2026-11-28T00:00:00Z', now: '2026-11-27T12:00:00Z', expected: '2026-11-28 00:00 UTC' },
  ])('shows $start before $now as $expected', ({ start, now, expected }) => {
    expect(formatSince(start, now)).toBe(expected);
  });
});

describe('shortenAtWord', () => {
  it.each([
    { text: 'short enough', max: 20, expected: 'short enough' },
    { text: 'one two three four five six seven', max: 20, expected: 'one two three four…' },
    { text: 'arn:aws:iam::123456789012:role/a-very-long-role-name', max: 20, expected: 'arn:aws:iam::123456…' },
    { text: '🚫🚫🚫🚫🚫', max: 3, expected: '🚫🚫…' },
  ])('shortens "$text" to $max characters', ({ text, max, expected }) => {
    const shortened = shortenAtWord(text, max);
    expect(shortened).toBe(expected);
    expect([...shortened].length).toBeLessThanOrEqual(max);
  });
});

describe('wrapWords', () => {
  it.each([
    { text: 'one two three four', width: 9, expected: ['one two', 'three', 'four'] },
    { text: 'see arn:aws:iam::123456789012:role/long now', width: 10, expected: ['see', 'arn:aws:iam::123456789012:role/long', 'now'] },
    { text: 'line\nbreaks   and\tspaces', width: 80, expected: ['line breaks and spaces'] },
    { text: '', width: 10, expected: [] },
  ])('wraps "$text" at $width', ({ text, width, expected }) => {
    expect(wrapWords(text, width)).toEqual(expected);
  });
});

describe('isPlainPackName and detailedStatusCommand', () => {
  it.each([
    { name: 'security-baseline', plain: true },
    { name: 'OrgConformsPack-cis-1', plain: true },
    { name: '1-starts-with-digit', plain: false },
    { name: 'pack; rm -rf ~', plain: false },
    { name: 'pack$(id)', plain: false },
    { name: `p${'a'.repeat(128)}`, plain: false },
  ])('$name is plain: $plain, and gets a CLI command only then', ({ name, plain }) => {
    expect(isPlainPackName(name)).toBe(plain);
    const command = detailedStatusCommand('us-east-1', name);
    if (plain) {
      expect(command).toBe(
        `aws configservice get-organization-conformance-pack-detailed-status --region us-east-1 --organization-conformance-pack-name ${name}`,
      );
    } else {
      expect(command).toBeUndefined();
    }
  });
});
