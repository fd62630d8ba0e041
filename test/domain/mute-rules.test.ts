import { describe, expect, it } from 'vitest';
import { formatMuteRule, muteRuleFor, parseMuteRule, type MuteRule } from '../../lambda/domain/mute-rules.js';

const NOW = new Date('2026-11-27T12:00:00.000Z');
const failure = { accountId: '012345678901', conformancePack: 'legacy-cis', errorCode: 'AccessDenied' };

function rule(text: string): MuteRule {
  const parsed = parseMuteRule(text);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.rule;
}

describe('parseMuteRule', () => {
  it.each([
    { text: 'account:012345678901', rule: { field: 'account', pattern: '012345678901' } },
    { text: 'pack:legacy-*', rule: { field: 'pack', pattern: 'legacy-*' } },
    { text: 'errorCode:AccessDenied@2026-12-31', rule: { field: 'errorCode', pattern: 'AccessDenied', expiresAt: '2027-01-01T00:00:00.000Z' } },
    { text: ' pack:a?c@2026-12-01T18:30:00+01:00 ', rule: { field: 'pack', pattern: 'a?c', expiresAt: '2026-12-01T17:30:00.000Z' } },
  ])('reads $text', ({ text, rule: expected }) => {
    expect(parseMuteRule(text)).toEqual({ ok: true, rule: expected });
  });

  it.each([
    { text: 'legacy-*', problem: 'is not FIELD:PATTERN[@EXPIRY]' },
    { text: 'region:us-east-1', problem: '"region" in "region:us-east-1" is not one of account, pack, errorCode' },
    { text: 'account:12ab', problem: 'is not 12 digits' },
    { text: 'pack:bad name', problem: 'has characters' },
    { text: 'pack:x@tomorrow', problem: 'expiry "tomorrow"' },
    { text: 'pack:x@2026-13-45', problem: 'expiry "2026-13-45"' },
  ])('refuses $text', ({ text, problem }) => {
    const parsed = parseMuteRule(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.problem).toContain(problem);
  });

  it('round-trips through its text form', () => {
    const original = rule('errorCode:AccessDenied@2026-12-31');
    expect(rule(formatMuteRule(original))).toEqual(original);
  });
});

describe('muteRuleFor', () => {
  it.each([
    { rules: ['account:012345678901'], muted: true },
    { rules: ['account:0123456789*'], muted: true },
    { rules: ['account:999999999999'], muted: false },
    { rules: ['pack:legacy-*'], muted: true },
    { rules: ['pack:legacy'], muted: false },
    { rules: ['pack:legacy-ci?'], muted: true },
    { rules: ['errorCode:AccessDenied'], muted: true },
    { rules: ['errorCode:Access'], muted: false },
    { rules: ['errorCode:AccessDenied@2026-11-26'], muted: false },
    { rules: ['errorCode:AccessDenied@2026-11-27'], muted: true },
    { rules: ['pack:x', 'account:012345678901'], muted: true },
    { rules: [], muted: false },
  ])('$rules mutes: $muted', ({ rules, muted }) => {
    expect(muteRuleFor(failure, rules.map(rule), NOW) !== undefined).toBe(muted);
  });

  it('never mutes by error code a failure that has none', () => {
    expect(muteRuleFor({ ...failure, errorCode: null }, [rule('errorCode:*')], NOW)).toBeUndefined();
  });

  it('treats regular-expression characters in a pattern literally', () => {
    expect(muteRuleFor({ ...failure, conformancePack: 'aXb' }, [rule('pack:a.b')], NOW)).toBeUndefined();
  });
});
