import { AwsServiceError } from './aws-json-protocol';
import {
  ACCOUNT_ID_PATTERN,
  CONFORMANCE_PACK_STATUSES,
  ORGANIZATION_CONFORMANCE_PACK_NAME_MAX_LENGTH,
  ORGANIZATION_CONFORMANCE_PACK_NAME_PATTERN,
} from './conformance-pack-statuses';

/**
 * Reads AWS Config request members the way the service does: wrong JSON types are a
 * SerializationException; model constraints (length, pattern, enum, required) are collected
 * into one ValidationException worded like AWS's "N validation error(s) detected: …".
 */
export class RequestReader {
  private readonly problems: string[] = [];

  constructor(private readonly input: Record<string, unknown>) {}

  /** An optional string member (absent, null and "" count as absent for tokens). */
  string(member: string, source: Record<string, unknown> = this.input, at = lowerFirst(member)): string | undefined {
    const value = source[member];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw serialization(at, 'a string');
    return value;
  }

  integer(member: string): number | undefined {
    const value = this.input[member];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw serialization(lowerFirst(member), 'an integer');
    return value;
  }

  object(member: string): Record<string, unknown> | undefined {
    const value = this.input[member];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw serialization(lowerFirst(member), 'an object');
    return value as Record<string, unknown>;
  }

  stringList(member: string): string[] | undefined {
    const value = this.input[member];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) throw serialization(lowerFirst(member), 'a list');
    return value.map((item, index) => {
      if (typeof item !== 'string') throw serialization(`${lowerFirst(member)}.${index + 1}.member`, 'a string');
      return item;
    });
  }

  /** Records a ValidationException problem for the value at `at` (AWS's lowerCamel member path). */
  check(value: string | number | null, at: string, ok: boolean, constraint: string): void {
    if (ok) return;
    const shown = value === null ? 'null' : `'${value}'`;
    this.problems.push(`Value ${shown} at '${at}' failed to satisfy constraint: ${constraint}`);
  }

  packName(value: string | undefined, at: string, required: boolean): void {
    if (value === undefined) {
      if (required) this.check(null, at, false, 'Member must not be null');
      return;
    }
    this.check(value, at, value.length >= 1, 'Member must have length greater than or equal to 1');
    this.check(
      value,
      at,
      value.length <= ORGANIZATION_CONFORMANCE_PACK_NAME_MAX_LENGTH,
      `Member must have length less than or equal to ${ORGANIZATION_CONFORMANCE_PACK_NAME_MAX_LENGTH}`,
    );
    this.check(
      value,
      at,
      value.length === 0 || ORGANIZATION_CONFORMANCE_PACK_NAME_PATTERN.test(value),
      'Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*',
    );
  }

  accountId(value: string, at: string): void {
    this.check(value, at, ACCOUNT_ID_PATTERN.test(value), 'Member must satisfy regular expression pattern: \\d{12}');
  }

  status(value: string, at: string): void {
    this.check(
      value,
      at,
      (CONFORMANCE_PACK_STATUSES as readonly string[]).includes(value),
      `Member must satisfy enum value set: [${CONFORMANCE_PACK_STATUSES.join(', ')}]`,
    );
  }

  /** Throws the collected ValidationException, if any. */
  done(): void {
    if (this.problems.length === 0) return;
    const count = this.problems.length;
    throw new AwsServiceError(
      'ValidationException',
      `${count} validation error${count === 1 ? '' : 's'} detected: ${this.problems.join('; ')}`,
    );
  }
}

/** Limit 0 or absent means the default of 100; anything outside 0–100 is InvalidLimitException. */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined || limit === 0) return 100;
  if (limit < 0 || limit > 100) {
    throw new AwsServiceError('InvalidLimitException', `The limit ${limit} is not valid. Specify a limit from 0 to 100.`);
  }
  return limit;
}

function serialization(at: string, expected: string): AwsServiceError {
  return new AwsServiceError('SerializationException', `Value at '${at}' must be ${expected}.`);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
