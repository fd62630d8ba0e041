import { ORGANIZATION_CONFORMANCE_PACK_NAME_PATTERN } from './conformance-pack-statuses';
import { expectArray, expectBoolean, expectNumber, expectObject, expectString, fieldPath } from './field-validation';

/**
 * The ways the emulated AWS Config can misbehave, as AWS does in production. Settable in a
 * scenario file and at run time, so a test can turn one on between two sweeps.
 */
export interface SimulatorFaults {
  /** Added to every call before it is answered. */
  readonly latencyMs?: number;
  /** Calls per region per sliding second; the next one gets ThrottlingException "Rate exceeded". */
  readonly rateLimitPerSecond?: number;
  /** Probability (0–1) that a call gets ThrottlingException. */
  readonly throttleRate?: number;
  /** Probability (0–1) that a call gets HTTP 500 InternalFailure. */
  readonly errorRate?: number;
  /** The next request carrying a NextToken gets InvalidNextTokenException (then this clears). */
  readonly invalidNextTokenOnce?: boolean;
  /** This pack vanishes right after the next DescribeOrganizationConformancePacks answer lists it. */
  readonly deletePackAfterListing?: string;
  /** Every call in these regions gets OrganizationAccessDeniedException. */
  readonly accessDeniedRegions?: readonly string[];
  /** The first page of every paged answer is empty but carries a NextToken, as AWS sometimes does. */
  readonly emptyPageWithToken?: boolean;
  /** Seed of the PRNG behind throttleRate and errorRate. */
  readonly seed?: number;
}

/** A change to the faults: a field set to `null` or `undefined` is switched off. */
export type SimulatorFaultsPatch = { readonly [K in keyof SimulatorFaults]?: SimulatorFaults[K] | null };

const FAULT_FIELDS = [
  'latencyMs',
  'rateLimitPerSecond',
  'throttleRate',
  'errorRate',
  'invalidNextTokenOnce',
  'deletePackAfterListing',
  'accessDeniedRegions',
  'emptyPageWithToken',
  'seed',
] as const satisfies ReadonlyArray<keyof SimulatorFaults>;

/** Validates a (partial) fault setting; `null` values are kept so a patch can switch a fault off. */
export function validateFaultsPatch(value: unknown, path = 'faults'): SimulatorFaultsPatch {
  const input = expectObject(value, path, FAULT_FIELDS);
  const out: Record<string, unknown> = {};
  for (const key of FAULT_FIELDS) {
    if (!(key in input)) continue;
    const raw = input[key];
    const at = fieldPath(path, key);
    if (raw === null || raw === undefined) {
      out[key] = null;
      continue;
    }
    switch (key) {
      case 'latencyMs':
        out[key] = expectNumber(raw, at, { min: 0, max: 60_000 });
        break;
      case 'rateLimitPerSecond':
        out[key] = expectNumber(raw, at, { min: 1, max: 1_000_000, integer: true });
        break;
      case 'throttleRate':
      case 'errorRate':
        out[key] = expectNumber(raw, at, { min: 0, max: 1 });
        break;
      case 'invalidNextTokenOnce':
      case 'emptyPageWithToken':
        out[key] = expectBoolean(raw, at);
        break;
      case 'deletePackAfterListing':
        out[key] = expectString(raw, at, {
          pattern: ORGANIZATION_CONFORMANCE_PACK_NAME_PATTERN,
          patternText: '[a-zA-Z][-a-zA-Z0-9]*',
          maxLength: 128,
        });
        break;
      case 'accessDeniedRegions':
        out[key] = expectArray(raw, at).map((region, index) => expectString(region, fieldPath(at, index)));
        break;
      case 'seed':
        out[key] = expectNumber(raw, at, { min: 0, max: 2 ** 32 - 1, integer: true });
        break;
    }
  }
  return out as SimulatorFaultsPatch;
}

/** Applies a patch: set fields replace, null/undefined fields are removed. */
export function mergeFaults(current: SimulatorFaults, patch: SimulatorFaultsPatch): SimulatorFaults {
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || value === undefined) delete next[key];
    else next[key] = value;
  }
  return next as SimulatorFaults;
}
