import { formatMuteRule, parseMuteRule, type MuteRule } from './domain/mute-rules.js';
import { isRegionName } from './region-name.js';

/**
 * The sweep function's environment: one schema shared by the stack (which writes it) and the
 * handler (which parses it), so a variable cannot be renamed on one side only.
 */
export const ENVIRONMENT_VARIABLES = {
  tableName: 'PACKWATCH_TABLE_NAME',
  topicArn: 'PACKWATCH_TOPIC_ARN',
  regions: 'PACKWATCH_REGIONS',
  reminderIntervalSeconds: 'PACKWATCH_REMINDER_INTERVAL_SECONDS',
  regionConcurrency: 'PACKWATCH_REGION_CONCURRENCY',
  packConcurrency: 'PACKWATCH_PACK_CONCURRENCY',
  configMaxAttempts: 'PACKWATCH_CONFIG_MAX_ATTEMPTS',
  stuckAfterSeconds: 'PACKWATCH_STUCK_AFTER_SECONDS',
  muteRules: 'PACKWATCH_MUTE_RULES',
  eventBus: 'PACKWATCH_EVENT_BUS',
  configCallsPerSecond: 'PACKWATCH_CONFIG_CALLS_PER_SECOND',
  fullReadIntervalSeconds: 'PACKWATCH_FULL_READ_INTERVAL_SECONDS',
  sourceRoleArns: 'PACKWATCH_SOURCE_ROLE_ARNS',
  detailedMetrics: 'PACKWATCH_DETAILED_METRICS',
  inventoryIntervalSeconds: 'PACKWATCH_INVENTORY_INTERVAL_SECONDS',
  sweepIntervalSeconds: 'PACKWATCH_SWEEP_INTERVAL_SECONDS',
} as const;

/** An IAM role ARN, whose account is the source account of the packs read through it. */
export const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;

/** The value of PACKWATCH_EVENT_BUS that turns EventBridge events off. */
export const NO_EVENT_BUS = 'none';

export interface SweepEnvironment {
  readonly tableName: string;
  readonly topicArn: string;
  readonly regions: readonly string[];
  /** 0 disables reminders. */
  readonly reminderIntervalSeconds: number;
  readonly regionConcurrency: number;
  readonly packConcurrency: number;
  /** Attempts per AWS Config request, throttling retries included. */
  readonly configMaxAttempts: number;
  /** 0 disables STUCK alerts. */
  readonly stuckAfterSeconds: number;
  readonly muteRules: readonly MuteRule[];
  /** The EventBridge bus each change is put on, or undefined for none. */
  readonly eventBus?: string;
  /** AWS Config calls per second and region the sweep paces itself to. */
  readonly configCallsPerSecond: number;
  /** How often every pack is read in full instead of trusting summary statuses; 0 always reads in full. */
  readonly fullReadIntervalSeconds: number;
  /** Roles in other accounts (a delegated administrator) whose packs are read too. */
  readonly sourceRoleArns: readonly string[];
  /** Send every per-sweep number as a custom metric, not only the essential few (see ESSENTIAL_METRICS). */
  readonly detailedMetrics: boolean;
  /** How long after a region's inventory (every account's status counted) the next is due; 0 turns it off. */
  readonly inventoryIntervalSeconds: number;
  /** The time between two scheduled sweeps: the inventory stops before the next one starts. */
  readonly sweepIntervalSeconds: number;
}

export const ENVIRONMENT_LIMITS = {
  regionConcurrency: { min: 1, max: 32 },
  packConcurrency: { min: 1, max: 50 },
  configMaxAttempts: { min: 1, max: 20 },
  reminderIntervalSeconds: { min: 0, max: 366 * 24 * 3600 },
  stuckAfterSeconds: { min: 0, max: 366 * 24 * 3600 },
  configCallsPerSecond: { min: 1, max: 1000 },
  fullReadIntervalSeconds: { min: 0, max: 366 * 24 * 3600 },
  inventoryIntervalSeconds: { min: 0, max: 366 * 24 * 3600 },
  sweepIntervalSeconds: { min: 60, max: 366 * 24 * 3600 },
} as const;

/** Raised at start when a variable is missing or invalid; the message names the variable. */
export class EnvironmentError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid environment variable ${variable}: ${problem}`);
    this.name = 'EnvironmentError';
  }
}

/** What the stack passes in; values may be CDK tokens, so nothing is validated here. `detailedMetrics` defaults to off. */
export type EnvironmentInput = Omit<EnvironmentValues, 'detailedMetrics'> & { readonly detailedMetrics?: boolean };

type EnvironmentValues = {
  readonly [Key in keyof SweepEnvironment]: Key extends 'regions'
    ? readonly string[]
    : Key extends 'muteRules'
      ? readonly MuteRule[]
      : Key extends 'sourceRoleArns'
        ? readonly string[]
      : Key extends 'eventBus'
        ? string | undefined
        : string | number;
};

/** The variables as the stack sets them. */
export function toEnvironmentVariables(input: EnvironmentInput): Record<string, string> {
  const names = ENVIRONMENT_VARIABLES;
  return {
    [names.tableName]: String(input.tableName),
    [names.topicArn]: String(input.topicArn),
    [names.regions]: input.regions.join(','),
    [names.reminderIntervalSeconds]: String(input.reminderIntervalSeconds),
    [names.regionConcurrency]: String(input.regionConcurrency),
    [names.packConcurrency]: String(input.packConcurrency),
    [names.configMaxAttempts]: String(input.configMaxAttempts),
    [names.stuckAfterSeconds]: String(input.stuckAfterSeconds),
    [names.muteRules]: input.muteRules.map(formatMuteRule).join(','),
    [names.eventBus]: input.eventBus ?? NO_EVENT_BUS,
    [names.configCallsPerSecond]: String(input.configCallsPerSecond),
    [names.fullReadIntervalSeconds]: String(input.fullReadIntervalSeconds),
    [names.sourceRoleArns]: input.sourceRoleArns.join(','),
    [names.detailedMetrics]: String(input.detailedMetrics === true),
    [names.inventoryIntervalSeconds]: String(input.inventoryIntervalSeconds),
    [names.sweepIntervalSeconds]: String(input.sweepIntervalSeconds),
  };
}

export function parseEnvironment(variables: Readonly<Record<string, string | undefined>>): SweepEnvironment {
  const text = (key: keyof SweepEnvironment): string => {
    const name = ENVIRONMENT_VARIABLES[key];
    const value = variables[name]?.trim();
    if (!value) throw new EnvironmentError(name, 'it is missing or empty');
    return value;
  };
  const integer = (key: keyof typeof ENVIRONMENT_LIMITS): number => {
    const name = ENVIRONMENT_VARIABLES[key];
    const value = text(key);
    const { min, max } = ENVIRONMENT_LIMITS[key];
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new EnvironmentError(name, `${JSON.stringify(value)} is not a whole number from ${min} to ${max}`);
    }
    return Number(value);
  };

  const topicArn = text('topicArn');
  if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(topicArn)) {
    throw new EnvironmentError(ENVIRONMENT_VARIABLES.topicArn, `${JSON.stringify(topicArn)} is not an SNS topic ARN`);
  }
  const regions = text('regions').split(',').map((region) => region.trim());
  const badRegion = regions.find((region) => !isRegionName(region));
  if (badRegion !== undefined) {
    throw new EnvironmentError(ENVIRONMENT_VARIABLES.regions, `${JSON.stringify(badRegion)} is not an AWS region name`);
  }
  // Mute rules may be empty: that variable alone is optional.
  const muteRules = optionalList(variables, ENVIRONMENT_VARIABLES.muteRules).map((rule) => {
      const parsed = parseMuteRule(rule);
      if (!parsed.ok) throw new EnvironmentError(ENVIRONMENT_VARIABLES.muteRules, parsed.problem);
      return parsed.rule;
    });
  // Source roles may be empty: optional like the mute rules.
  const sourceRoleArns = optionalList(variables, ENVIRONMENT_VARIABLES.sourceRoleArns);
  const badRole = sourceRoleArns.find((arn) => !ROLE_ARN.test(arn));
  if (badRole !== undefined) throw new EnvironmentError(ENVIRONMENT_VARIABLES.sourceRoleArns, `${JSON.stringify(badRole)} is not an IAM role ARN`);
  // Optional, off when absent: the few essential metrics are the default.
  const detailedMetricsText = variables[ENVIRONMENT_VARIABLES.detailedMetrics]?.trim() || 'false';
  if (detailedMetricsText !== 'true' && detailedMetricsText !== 'false') {
    throw new EnvironmentError(ENVIRONMENT_VARIABLES.detailedMetrics, `${JSON.stringify(detailedMetricsText)} is not true or false`);
  }
  const eventBus = text('eventBus');
  if (eventBus !== NO_EVENT_BUS && !/^[A-Za-z0-9._\-/:]{1,1600}$/.test(eventBus)) {
    throw new EnvironmentError(ENVIRONMENT_VARIABLES.eventBus, `${JSON.stringify(eventBus)} is not an event bus name or ARN (or "${NO_EVENT_BUS}")`);
  }
  return {
    tableName: text('tableName'),
    topicArn,
    regions: [...new Set(regions)],
    reminderIntervalSeconds: integer('reminderIntervalSeconds'),
    regionConcurrency: integer('regionConcurrency'),
    packConcurrency: integer('packConcurrency'),
    configMaxAttempts: integer('configMaxAttempts'),
    stuckAfterSeconds: integer('stuckAfterSeconds'),
    muteRules,
    ...(eventBus === NO_EVENT_BUS ? {} : { eventBus }),
    configCallsPerSecond: integer('configCallsPerSecond'),
    fullReadIntervalSeconds: integer('fullReadIntervalSeconds'),
    sourceRoleArns: [...new Set(sourceRoleArns)],
    detailedMetrics: detailedMetricsText === 'true',
    inventoryIntervalSeconds: integer('inventoryIntervalSeconds'),
    sweepIntervalSeconds: integer('sweepIntervalSeconds'),
  };
}

function optionalList(variables: Readonly<Record<string, string | undefined>>, name: string): string[] {
  return (variables[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
