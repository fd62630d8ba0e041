/**
 * Muting: a rule matches failures by account, pack or error code (exact, or a glob with * and ?),
 * optionally until an expiry date. A muted change is still recorded, counted and listed in the
 * JSON alert; it is only kept out of what people read (email, chat).
 *
 * Text form, as in `-c mute=…` (comma-separated): `account:123456789012`, `pack:legacy-*`,
 * `errorCode:AccessDenied@2026-12-31` (muted through that day, UTC) or `…@2026-12-31T18:00:00Z`.
 */
export const MUTE_FIELDS = ['account', 'pack', 'errorCode'] as const;

export type MuteField = (typeof MUTE_FIELDS)[number];

export interface MuteRule {
  readonly field: MuteField;
  readonly pattern: string;
  /** ISO-8601 instant after which the rule no longer applies. */
  readonly expiresAt?: string;
}

export interface MutableFailure {
  readonly accountId: string;
  readonly conformancePack: string;
  readonly errorCode: string | null;
}

export type ParsedMuteRule = { readonly ok: true; readonly rule: MuteRule } | { readonly ok: false; readonly problem: string };

const PATTERN = /^[A-Za-z0-9*?._:\/-]{1,256}$/;

export function parseMuteRule(text: string): ParsedMuteRule {
  const match = /^([A-Za-z]+):([^@]+)(?:@(.+))?$/.exec(text.trim());
  if (!match) return { ok: false, problem: `"${text}" is not FIELD:PATTERN[@EXPIRY], e.g. pack:legacy-*@2026-12-31` };
  const [, field, pattern, expiry] = match as unknown as [string, string, string, string | undefined];
  if (!(MUTE_FIELDS as readonly string[]).includes(field)) {
    return { ok: false, problem: `"${field}" in "${text}" is not one of ${MUTE_FIELDS.join(', ')}` };
  }
  if (!PATTERN.test(pattern)) return { ok: false, problem: `pattern "${pattern}" in "${text}" has characters a ${field} cannot contain` };
  if (field === 'account' && !/^[\d*?]{1,12}$/.test(pattern)) {
    return { ok: false, problem: `account pattern "${pattern}" in "${text}" is not 12 digits (or a glob of digits)` };
  }
  if (expiry === undefined) return { ok: true, rule: { field: field as MuteField, pattern } };
  const expiresAt = parseExpiry(expiry);
  if (!expiresAt) return { ok: false, problem: `expiry "${expiry}" in "${text}" is not a date (2026-12-31) or an ISO-8601 time` };
  return { ok: true, rule: { field: field as MuteField, pattern, expiresAt } };
}

/** The rule that mutes the failure at `now`, if any. */
export function muteRuleFor(failure: MutableFailure, rules: readonly MuteRule[], now: Date): MuteRule | undefined {
  return rules.find((rule) => {
    if (rule.expiresAt && Date.parse(rule.expiresAt) <= now.getTime()) return false;
    const value = rule.field === 'account' ? failure.accountId : rule.field === 'pack' ? failure.conformancePack : failure.errorCode;
    return value !== null && globMatches(rule.pattern, value);
  });
}

export function formatMuteRule(rule: MuteRule): string {
  return `${rule.field}:${rule.pattern}${rule.expiresAt ? `@${rule.expiresAt}` : ''}`;
}

function globMatches(pattern: string, value: string): boolean {
  const expression = pattern.replace(/[.+^${}()|[\]\\/]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${expression}$`).test(value);
}

function parseExpiry(text: string): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    // A date mutes through the end of that day, UTC.
    const start = Date.parse(`${text}T00:00:00Z`);
    return Number.isFinite(start) ? new Date(start + 86_400_000).toISOString() : undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return undefined;
  const time = Date.parse(text);
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}
