/**
 * Checks for hand-written JSON (scenarios, fault settings). Every failure names the exact
 * field, e.g. `regions["us-east-1"].packs[2].generate.failureRate`, because a typo in a
 * 10,000-account scenario is otherwise a long hunt.
 */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'FieldError';
  }
}

/** Path of a property below `parent`, quoting keys that are not plain identifiers. */
export function fieldPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** A plain object whose keys are all in `allowed` (unknown keys are almost always typos). */
export function expectObject(value: unknown, path: string, allowed: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FieldError(path, `must be an object, got ${describe(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new FieldError(fieldPath(path, key), `unknown field (allowed: ${allowed.join(', ')})`);
    }
  }
  return value as Record<string, unknown>;
}

/** An object used as a map (any keys), e.g. regions by name. */
export function expectRecord(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FieldError(path, `must be an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

export function expectArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new FieldError(path, `must be an array, got ${describe(value)}`);
  return value;
}

export function expectString(
  value: unknown,
  path: string,
  rule?: { pattern?: RegExp; patternText?: string; maxLength?: number; oneOf?: readonly string[] },
): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new FieldError(path, `must be a non-empty string, got ${describe(value)}`);
  }
  if (rule?.maxLength !== undefined && value.length > rule.maxLength) {
    throw new FieldError(path, `must be at most ${rule.maxLength} characters, got ${value.length}`);
  }
  if (rule?.pattern && !rule.pattern.test(value)) {
    throw new FieldError(path, `must match ${rule.patternText ?? String(rule.pattern)}, got ${describe(value)}`);
  }
  if (rule?.oneOf && !rule.oneOf.includes(value)) {
    throw new FieldError(path, `must be one of ${rule.oneOf.join(', ')}, got ${describe(value)}`);
  }
  return value;
}

export function expectNumber(value: unknown, path: string, range: { min: number; max: number; integer?: boolean }): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new FieldError(path, `must be a number, got ${describe(value)}`);
  }
  if (range.integer && !Number.isInteger(value)) throw new FieldError(path, `must be an integer, got ${value}`);
  if (value < range.min || value > range.max) {
    throw new FieldError(path, `must be between ${range.min} and ${range.max}, got ${value}`);
  }
  return value;
}

export function expectBoolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw new FieldError(path, `must be true or false, got ${describe(value)}`);
  return value;
}

/** An ISO-8601 date-time with a zone, returned as epoch milliseconds. */
export function expectIsoTime(value: unknown, path: string): number {
  const text = expectString(value, path);
  const millis = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) || Number.isNaN(millis)) {
    throw new FieldError(path, `must be an ISO-8601 date-time with a zone such as "2026-11-20T10:00:00Z", got ${describe(text)}`);
  }
  return millis;
}
