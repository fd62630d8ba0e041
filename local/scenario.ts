import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ACCOUNT_ID_PATTERN,
  CONFORMANCE_PACK_STATUSES,
  ORGANIZATION_CONFORMANCE_PACK_NAME_MAX_LENGTH,
  ORGANIZATION_CONFORMANCE_PACK_NAME_PATTERN,
  type ConformancePackStatus,
} from './conformance-pack-statuses';
import {
  expectArray,
  expectIsoTime,
  expectNumber,
  expectObject,
  expectRecord,
  expectString,
  FieldError,
  fieldPath,
} from './field-validation';
import { mergeFaults, validateFaultsPatch, type SimulatorFaults } from './simulator-faults';

/**
 * A scenario is the organization the emulated AWS Config starts with: which packs exist in
 * which region and how every member account is doing. It is plain JSON so that `npm start`,
 * tests and benchmarks share the same files.
 */
export interface Scenario {
  readonly name: string;
  readonly description?: string;
  /** The calling (management or delegated administrator) account; appears in pack ARNs. */
  readonly managementAccountId?: string;
  readonly regions: Readonly<Record<string, ScenarioRegion>>;
  readonly faults?: SimulatorFaults;
}

export interface ScenarioRegion {
  readonly packs: readonly ScenarioPack[];
}

export interface ScenarioPack {
  readonly name: string;
  readonly accounts?: readonly ScenarioAccount[];
  readonly generate?: ScenarioGenerate;
  /** Forces the DescribeOrganizationConformancePackStatuses answer (e.g. a stuck CREATE_IN_PROGRESS). */
  readonly summaryStatus?: ConformancePackStatus;
  /** When the pack itself was last updated; defaults to SCENARIO_DEFAULT_TIME. */
  readonly lastUpdateTime?: string;
}

export interface ScenarioAccount {
  readonly accountId: string;
  readonly status: ConformancePackStatus;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /** ISO-8601; defaults to SCENARIO_DEFAULT_TIME so runs are reproducible. */
  readonly lastUpdateTime?: string;
}

/** Synthetic member accounts `firstAccountId`, `firstAccountId + 1`, … from a seeded PRNG. */
export interface ScenarioGenerate {
  readonly accounts: number;
  /** Probability (0–1) that an account is in one of the three FAILED statuses. */
  readonly failureRate: number;
  /** Probability (0–1) that an account is CREATE_/UPDATE_IN_PROGRESS; default 0. */
  readonly inProgressRate?: number;
  readonly seed?: number;
  /** Default 100000000000. Account IDs are printed as 12 digits, keeping leading zeros. */
  readonly firstAccountId?: number;
}

/** Timestamps a scenario leaves out; fixed so two runs of a scenario answer identically. */
export const SCENARIO_DEFAULT_TIME = '2026-11-01T00:00:00Z';
export const DEFAULT_MANAGEMENT_ACCOUNT_ID = '000000000000';
export const DEFAULT_FIRST_ACCOUNT_ID = 100_000_000_000;
const MAX_ACCOUNT_ID = 999_999_999_999;
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export class ScenarioError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
    readonly file?: string,
  ) {
    super(`${file ? `${file}: ` : 'scenario '}${field}: ${problem}`);
    this.name = 'ScenarioError';
  }
}

const STATUS_RULE = { oneOf: CONFORMANCE_PACK_STATUSES };
const PACK_NAME_RULE = {
  pattern: ORGANIZATION_CONFORMANCE_PACK_NAME_PATTERN,
  patternText: 'the AWS Config pattern [a-zA-Z][-a-zA-Z0-9]*',
  maxLength: ORGANIZATION_CONFORMANCE_PACK_NAME_MAX_LENGTH,
};
const ACCOUNT_ID_RULE = { pattern: ACCOUNT_ID_PATTERN, patternText: '12 digits as a string (keep leading zeros)' };

/** Checks an untrusted value and returns it as a Scenario; the error names the bad field. */
export function validateScenario(value: unknown, file?: string): Scenario {
  try {
    return checkScenario(value);
  } catch (error) {
    if (error instanceof FieldError) throw new ScenarioError(error.field || '(root)', error.problem, file);
    throw error;
  }
}

/** Reads and validates a scenario file. */
export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read scenario file ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`scenario file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  return validateScenario(parsed, file);
}

export type BuiltInScenarioName = 'demo' | 'large' | 'throttled';

/** Path of a scenario shipped in local/scenarios. */
export function builtInScenarioPath(name: BuiltInScenarioName): string {
  return path.join(__dirname, 'scenarios', `${name}.json`);
}

export function loadBuiltInScenario(name: BuiltInScenarioName): Scenario {
  return loadScenario(builtInScenarioPath(name));
}

function checkScenario(value: unknown): Scenario {
  const root = expectObject(value, '', ['$schema', 'name', 'description', 'managementAccountId', 'regions', 'faults']);
  const name = expectString(root.name, 'name');
  const description = root.description === undefined ? undefined : expectString(root.description, 'description');
  const managementAccountId =
    root.managementAccountId === undefined ? undefined : expectString(root.managementAccountId, 'managementAccountId', ACCOUNT_ID_RULE);
  const regionsInput = expectRecord(root.regions, 'regions');
  if (Object.keys(regionsInput).length === 0) throw new FieldError('regions', 'must name at least one region');
  const regions: Record<string, ScenarioRegion> = {};
  for (const [region, regionValue] of Object.entries(regionsInput)) {
    const at = fieldPath('regions', region);
    if (!REGION_PATTERN.test(region)) throw new FieldError(at, 'is not an AWS region name such as "us-east-1"');
    regions[region] = checkRegion(regionValue, at);
  }
  let faults: SimulatorFaults | undefined;
  if (root.faults !== undefined) faults = mergeFaults({}, validateFaultsPatch(root.faults, 'faults'));
  return {
    name,
    ...(description !== undefined && { description }),
    ...(managementAccountId !== undefined && { managementAccountId }),
    regions,
    ...(faults !== undefined && { faults }),
  };
}

function checkRegion(value: unknown, at: string): ScenarioRegion {
  const region = expectObject(value, at, ['packs']);
  const packsAt = fieldPath(at, 'packs');
  const seen = new Set<string>();
  const packs = expectArray(region.packs, packsAt).map((packValue, index) => {
    const pack = checkPack(packValue, fieldPath(packsAt, index));
    if (seen.has(pack.name)) throw new FieldError(fieldPath(fieldPath(packsAt, index), 'name'), `duplicate pack "${pack.name}" in this region`);
    seen.add(pack.name);
    return pack;
  });
  return { packs };
}

function checkPack(value: unknown, at: string): ScenarioPack {
  const pack = expectObject(value, at, ['name', 'accounts', 'generate', 'summaryStatus', 'lastUpdateTime']);
  const name = expectString(pack.name, fieldPath(at, 'name'), PACK_NAME_RULE);
  let accounts: ScenarioAccount[] | undefined;
  if (pack.accounts !== undefined) {
    const accountsAt = fieldPath(at, 'accounts');
    const seen = new Set<string>();
    accounts = expectArray(pack.accounts, accountsAt).map((accountValue, index) => {
      const account = checkAccount(accountValue, fieldPath(accountsAt, index));
      if (seen.has(account.accountId)) {
        throw new FieldError(fieldPath(fieldPath(accountsAt, index), 'accountId'), `duplicate account ${account.accountId} in this pack`);
      }
      seen.add(account.accountId);
      return account;
    });
  }
  const generate = pack.generate === undefined ? undefined : checkGenerate(pack.generate, fieldPath(at, 'generate'));
  const summaryStatus =
    pack.summaryStatus === undefined
      ? undefined
      : (expectString(pack.summaryStatus, fieldPath(at, 'summaryStatus'), STATUS_RULE) as ConformancePackStatus);
  if (pack.lastUpdateTime !== undefined) expectIsoTime(pack.lastUpdateTime, fieldPath(at, 'lastUpdateTime'));
  return {
    name,
    ...(accounts !== undefined && { accounts }),
    ...(generate !== undefined && { generate }),
    ...(summaryStatus !== undefined && { summaryStatus }),
    ...(pack.lastUpdateTime !== undefined && { lastUpdateTime: pack.lastUpdateTime as string }),
  };
}

function checkAccount(value: unknown, at: string): ScenarioAccount {
  const account = expectObject(value, at, ['accountId', 'status', 'errorCode', 'errorMessage', 'lastUpdateTime']);
  const accountId = expectString(account.accountId, fieldPath(at, 'accountId'), ACCOUNT_ID_RULE);
  const status = expectString(account.status, fieldPath(at, 'status'), STATUS_RULE) as ConformancePackStatus;
  const errorCode = account.errorCode === undefined ? undefined : expectString(account.errorCode, fieldPath(at, 'errorCode'));
  const errorMessage =
    account.errorMessage === undefined ? undefined : expectString(account.errorMessage, fieldPath(at, 'errorMessage'));
  if (account.lastUpdateTime !== undefined) expectIsoTime(account.lastUpdateTime, fieldPath(at, 'lastUpdateTime'));
  return {
    accountId,
    status,
    ...(errorCode !== undefined && { errorCode }),
    ...(errorMessage !== undefined && { errorMessage }),
    ...(account.lastUpdateTime !== undefined && { lastUpdateTime: account.lastUpdateTime as string }),
  };
}

function checkGenerate(value: unknown, at: string): ScenarioGenerate {
  const generate = expectObject(value, at, ['accounts', 'failureRate', 'inProgressRate', 'seed', 'firstAccountId']);
  const accounts = expectNumber(generate.accounts, fieldPath(at, 'accounts'), { min: 0, max: 1_000_000, integer: true });
  const failureRate = expectNumber(generate.failureRate, fieldPath(at, 'failureRate'), { min: 0, max: 1 });
  const inProgressRate =
    generate.inProgressRate === undefined
      ? undefined
      : expectNumber(generate.inProgressRate, fieldPath(at, 'inProgressRate'), { min: 0, max: 1 });
  if (failureRate + (inProgressRate ?? 0) > 1) {
    throw new FieldError(fieldPath(at, 'inProgressRate'), 'failureRate + inProgressRate must not exceed 1');
  }
  const seed =
    generate.seed === undefined ? undefined : expectNumber(generate.seed, fieldPath(at, 'seed'), { min: 0, max: 2 ** 32 - 1, integer: true });
  const firstAccountId =
    generate.firstAccountId === undefined
      ? undefined
      : expectNumber(generate.firstAccountId, fieldPath(at, 'firstAccountId'), { min: 0, max: MAX_ACCOUNT_ID, integer: true });
  if ((firstAccountId ?? DEFAULT_FIRST_ACCOUNT_ID) + accounts - 1 > MAX_ACCOUNT_ID) {
    throw new FieldError(fieldPath(at, 'accounts'), 'firstAccountId + accounts runs past 999999999999');
  }
  return {
    accounts,
    failureRate,
    ...(inProgressRate !== undefined && { inProgressRate }),
    ...(seed !== undefined && { seed }),
    ...(firstAccountId !== undefined && { firstAccountId }),
  };
}
