import { parseMuteRule, type MuteRule } from '../lambda/domain/mute-rules.js';
import { ROLE_ARN } from '../lambda/env.js';
import { isRegionName } from '../lambda/region-name.js';
import type { SlackChannel, TeamsChannel } from './chat-channels.js';

/** Packwatch's deployment settings, validated: what `bin/` builds from CDK context. */
export interface PackwatchConfig {
  /** Addresses subscribed to the alerts topic by email. */
  readonly alertEmails: readonly string[];
  /** Regions to sweep; undefined means the stack's own region. */
  readonly regions?: readonly string[];
  /** An EventBridge schedule expression: `rate(…)` or `cron(…)`. */
  readonly schedule: string;
  /** 0 disables reminders. */
  readonly reminderIntervalSeconds: number;
  /** An account *_IN_PROGRESS longer than this is alerted once as STUCK; 0 disables. */
  readonly stuckAfterSeconds: number;
  /** Failures kept out of email and chat (still recorded, counted and in the JSON). */
  readonly muteRules: readonly MuteRule[];
  /** Put each change on the default EventBridge bus. */
  readonly eventBridge: boolean;
  readonly slack?: SlackChannel;
  readonly teams?: TeamsChannel;
  /** Addresses subscribed by email to a separate operations topic that receives the alarms; empty sends them to the alerts topic. */
  readonly opsEmails: readonly string[];
  /** How long the sweep's logs are kept: one of {@link LOG_RETENTION_DAYS}. */
  readonly logRetentionDays: number;
  /** AWS Config calls per second and region the sweep paces itself to. */
  readonly configCallsPerSecond: number;
  /** How often every pack is read in full instead of trusting summary statuses; 0 always reads in full. */
  readonly fullReadIntervalSeconds: number;
  /** How often every account's status of every pack is counted (AccountsByStatus); 0 turns it off. */
  readonly inventoryIntervalSeconds: number;
  /** Roles in other accounts (a delegated administrator) whose packs are swept too. */
  readonly sourceRoleArns: readonly string[];
  /** Send every per-sweep number as a custom metric, not only the few the alarms and the main graph need. */
  readonly detailedMetrics: boolean;
  /** Set to synthesize the source role stack: where the monitor runs. */
  readonly monitor?: { readonly accountId: string; readonly region: string };
}

export const CONTEXT_KEYS = {
  alertEmails: 'alertEmails',
  regions: 'regions',
  schedule: 'schedule',
  reminderInterval: 'reminderInterval',
  stuckAfter: 'stuckAfter',
  mute: 'mute',
  eventBridge: 'eventBridge',
  slackWorkspaceId: 'slackWorkspaceId',
  slackChannelId: 'slackChannelId',
  teamsTeamId: 'teamsTeamId',
  teamsChannelId: 'teamsChannelId',
  teamsTenantId: 'teamsTenantId',
  opsEmails: 'opsEmails',
  logRetentionDays: 'logRetentionDays',
  configCallsPerSecond: 'configCallsPerSecond',
  fullReadInterval: 'fullReadInterval',
  inventoryInterval: 'inventoryInterval',
  sourceRoleArns: 'sourceRoleArns',
  detailedMetrics: 'detailedMetrics',
  monitorAccountId: 'monitorAccountId',
  monitorRegion: 'monitorRegion',
} as const;

export const DEFAULT_SCHEDULE = 'rate(1 hour)';
export const DEFAULT_REMINDER_INTERVAL = '24h';
export const DEFAULT_STUCK_AFTER = '6h';
export const DEFAULT_LOG_RETENTION_DAYS = 365;
export const DEFAULT_INVENTORY_INTERVAL = '1d';

/** The retention periods CloudWatch Logs accepts, in days ("never expire" is left out on purpose: logs must expire). */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/**
 * The longest sweep interval the monitor's alarms can watch: "no successful sweep in two intervals" must fit
 * CloudWatch's limit of seven days of evaluation (period × evaluation periods).
 */
export const MAX_SWEEP_INTERVAL_SECONDS = 84 * 3600;

/** A setting that cannot be deployed; the message names the setting and the bad value. */
export class ConfigError extends Error {
  constructor(setting: string, value: unknown, problem: string) {
    super(`Invalid context "${setting}" (${JSON.stringify(value)}): ${problem}`);
    this.name = 'ConfigError';
  }
}

/** Validates raw context values (strings from `-c`, or JSON values from cdk.json). */
export function parsePackwatchContext(context: Readonly<Record<string, unknown>>): PackwatchConfig {
  const alertEmails = listSetting(CONTEXT_KEYS.alertEmails, context[CONTEXT_KEYS.alertEmails]) ?? [];
  for (const email of alertEmails) {
    if (!isEmailAddress(email)) throw new ConfigError(CONTEXT_KEYS.alertEmails, email, 'not an email address');
  }
  const regions = listSetting(CONTEXT_KEYS.regions, context[CONTEXT_KEYS.regions]);
  if (regions) {
    if (regions.length === 0) throw new ConfigError(CONTEXT_KEYS.regions, context[CONTEXT_KEYS.regions], 'no region given');
    for (const region of regions) {
      if (!isRegionName(region)) throw new ConfigError(CONTEXT_KEYS.regions, region, 'not an AWS region name such as us-east-1');
    }
  }
  const schedule = textSetting(CONTEXT_KEYS.schedule, context[CONTEXT_KEYS.schedule]) ?? DEFAULT_SCHEDULE;
  const scheduleProblem = scheduleExpressionProblem(schedule);
  if (scheduleProblem) throw new ConfigError(CONTEXT_KEYS.schedule, schedule, scheduleProblem);
  if (scheduleIntervalSeconds(schedule) > MAX_SWEEP_INTERVAL_SECONDS) {
    throw new ConfigError(
      CONTEXT_KEYS.schedule,
      schedule,
      'sweep at least every 84 hours (rate(3 days) at most): the "no successful sweep in two schedule periods" alarm cannot look back further than CloudWatch\'s 7 days',
    );
  }

  const reminderInterval = textSetting(CONTEXT_KEYS.reminderInterval, context[CONTEXT_KEYS.reminderInterval]) ?? DEFAULT_REMINDER_INTERVAL;
  const reminderIntervalSeconds = parseDurationSeconds(reminderInterval);
  if (reminderIntervalSeconds === undefined) {
    throw new ConfigError(CONTEXT_KEYS.reminderInterval, reminderInterval, 'expected a duration such as 30m, 24h or 7d, or 0 to turn reminders off');
  }
  if (reminderIntervalSeconds > 366 * 24 * 3600) {
    throw new ConfigError(CONTEXT_KEYS.reminderInterval, reminderInterval, 'longer than a year');
  }
  const stuckAfter = textSetting(CONTEXT_KEYS.stuckAfter, context[CONTEXT_KEYS.stuckAfter]) ?? DEFAULT_STUCK_AFTER;
  const stuckAfterSeconds = parseDurationSeconds(stuckAfter);
  if (stuckAfterSeconds === undefined) {
    throw new ConfigError(CONTEXT_KEYS.stuckAfter, stuckAfter, 'expected a duration such as 6h or 2d, or 0 to turn stuck alerts off');
  }
  const muteRules = (listSetting(CONTEXT_KEYS.mute, context[CONTEXT_KEYS.mute]) ?? []).map((text) => {
    const parsed = parseMuteRule(text);
    if (!parsed.ok) throw new ConfigError(CONTEXT_KEYS.mute, text, parsed.problem);
    return parsed.rule;
  });
  const eventBridge = booleanSetting(CONTEXT_KEYS.eventBridge, context[CONTEXT_KEYS.eventBridge]) ?? true;
  const detailedMetrics = booleanSetting(CONTEXT_KEYS.detailedMetrics, context[CONTEXT_KEYS.detailedMetrics]) ?? false;
  const opsEmails = listSetting(CONTEXT_KEYS.opsEmails, context[CONTEXT_KEYS.opsEmails]) ?? [];
  for (const email of opsEmails) {
    if (!isEmailAddress(email)) throw new ConfigError(CONTEXT_KEYS.opsEmails, email, 'not an email address');
  }
  const logRetentionDays = logRetentionSetting(context[CONTEXT_KEYS.logRetentionDays]);
  const callsText = textSetting(CONTEXT_KEYS.configCallsPerSecond, context[CONTEXT_KEYS.configCallsPerSecond]) ?? '10';
  if (!/^\d+$/.test(callsText) || Number(callsText) < 1 || Number(callsText) > 1000) {
    throw new ConfigError(CONTEXT_KEYS.configCallsPerSecond, callsText, 'expected a whole number of calls per second from 1 to 1000');
  }
  const fullReadText = textSetting(CONTEXT_KEYS.fullReadInterval, context[CONTEXT_KEYS.fullReadInterval]) ?? '6h';
  const fullReadIntervalSeconds = parseDurationSeconds(fullReadText);
  if (fullReadIntervalSeconds === undefined) {
    throw new ConfigError(CONTEXT_KEYS.fullReadInterval, fullReadText, 'expected a duration such as 6h or 1d, or 0 to read every pack in full on every sweep');
  }
  const inventoryText = textSetting(CONTEXT_KEYS.inventoryInterval, context[CONTEXT_KEYS.inventoryInterval]) ?? DEFAULT_INVENTORY_INTERVAL;
  const inventoryIntervalSeconds = parseDurationSeconds(inventoryText);
  if (inventoryIntervalSeconds === undefined) {
    throw new ConfigError(CONTEXT_KEYS.inventoryInterval, inventoryText, 'expected a duration such as 1d or 12h, or 0 to turn the inventory (AccountsByStatus metrics) off');
  }
  if (inventoryIntervalSeconds > 0 && inventoryIntervalSeconds < 3600) {
    throw new ConfigError(CONTEXT_KEYS.inventoryInterval, inventoryText, 'at least 1h: each inventory reads every account of every pack and sends its metrics again');
  }
  if (inventoryIntervalSeconds > 366 * 24 * 3600) {
    throw new ConfigError(CONTEXT_KEYS.inventoryInterval, inventoryText, 'longer than a year');
  }
  const slack = pairSetting(context, { workspaceId: CONTEXT_KEYS.slackWorkspaceId, channelId: CONTEXT_KEYS.slackChannelId }, {
    workspaceId: [/^[0-9A-Z]{1,255}$/, 'a Slack workspace ID such as T07EA123LEP'],
    channelId: [/^[A-Za-z0-9]{1,255}$/, 'a Slack channel ID such as C07EZ1ABC23'],
  });
  const uuid: [RegExp, string] = [/^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$/, 'a UUID'];
  const teams = pairSetting(
    context,
    { teamId: CONTEXT_KEYS.teamsTeamId, channelId: CONTEXT_KEYS.teamsChannelId, tenantId: CONTEXT_KEYS.teamsTenantId },
    { teamId: uuid, channelId: [/^[A-Za-z0-9%._:@-]{1,256}$/, 'a Teams channel ID as AWS Chatbot shows it'], tenantId: uuid },
  );
  const sourceRoleArns = listSetting(CONTEXT_KEYS.sourceRoleArns, context[CONTEXT_KEYS.sourceRoleArns]) ?? [];
  for (const arn of sourceRoleArns) {
    if (!ROLE_ARN.test(arn)) throw new ConfigError(CONTEXT_KEYS.sourceRoleArns, arn, 'not an IAM role ARN such as arn:aws:iam::222222222222:role/PackwatchRead');
  }
  const monitor = pairSetting(
    context,
    { accountId: CONTEXT_KEYS.monitorAccountId, region: CONTEXT_KEYS.monitorRegion },
    { accountId: [/^\d{12}$/, 'a 12-digit AWS account ID'], region: [/^[a-z]{2}(-(gov|iso[a-z]?))?-[a-z]+-\d{1,2}$/, 'an AWS region name such as us-east-1'] },
  );
  return {
    alertEmails: [...new Set(alertEmails)],
    sourceRoleArns: [...new Set(sourceRoleArns)],
    ...(monitor ? { monitor } : {}),
    ...(regions ? { regions: [...new Set(regions)] } : {}),
    schedule,
    reminderIntervalSeconds,
    stuckAfterSeconds,
    muteRules,
    eventBridge,
    ...(slack ? { slack } : {}),
    ...(teams ? { teams } : {}),
    opsEmails: [...new Set(opsEmails)],
    logRetentionDays,
    configCallsPerSecond: Number(callsText),
    fullReadIntervalSeconds,
    detailedMetrics,
    inventoryIntervalSeconds,
  };
}

/** A number of days CloudWatch Logs accepts as a retention period: `-c logRetentionDays=90` or a JSON number. */
function logRetentionSetting(value: unknown): number {
  const setting = CONTEXT_KEYS.logRetentionDays;
  const text = textSetting(setting, value);
  if (text === undefined) return DEFAULT_LOG_RETENTION_DAYS;
  const days = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!LOG_RETENTION_DAYS.includes(days)) {
    throw new ConfigError(setting, value, `expected a number of days CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(', ')}`);
  }
  return days;
}

function booleanSetting(setting: string, value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new ConfigError(setting, value, 'expected true or false');
}

/** Settings that only make sense together (a Slack workspace and channel): all or none. */
function pairSetting<Field extends string>(
  context: Readonly<Record<string, unknown>>,
  keys: Record<Field, string>,
  formats: Record<Field, [RegExp, string]>,
): Record<Field, string> | undefined {
  const entries = (Object.entries(keys) as [Field, string][]).map(([field, key]) => [field, key, textSetting(key, context[key])] as const);
  const given = entries.filter(([, , value]) => value !== undefined && value !== '');
  if (given.length === 0) return undefined;
  const missing = entries.filter(([, , value]) => value === undefined || value === '');
  if (missing.length > 0) {
    throw new ConfigError(missing[0]![1], undefined, `required together with ${given.map(([, key]) => key).join(', ')}`);
  }
  for (const [field, key, value] of entries) {
    const [pattern, description] = formats[field];
    if (!pattern.test(value!)) throw new ConfigError(key, value, `expected ${description}`);
  }
  return Object.fromEntries(entries.map(([field, , value]) => [field, value])) as Record<Field, string>;
}

function textSetting(setting: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') throw new ConfigError(setting, value, 'expected text');
  return String(value).trim();
}

/** A comma-separated string (`-c key=a,b`) or a JSON array (cdk.json). */
function listSetting(setting: string, value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (!items || items.some((item) => typeof item !== 'string')) {
    throw new ConfigError(setting, value, 'expected a comma-separated list');
  }
  return (items as string[]).map((item) => item.trim()).filter((item) => item !== '');
}

function isEmailAddress(value: string): boolean {
  return value.length <= 254 && /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/.test(value);
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** "0", "90s", "30m", "24h", "7d"; undefined when it is none of those. */
export function parseDurationSeconds(value: string): number | undefined {
  if (value === '0') return 0;
  const match = /^(\d{1,6})([smhd])$/.exec(value);
  return match ? Number(match[1]) * DURATION_UNITS[match[2]!]! : undefined;
}

const RATE_UNIT_SECONDS: Record<string, number> = { minute: 60, hour: 3600, day: 86_400 };

/**
 * The time between two sweeps, in seconds, for a valid schedule expression: exact for `rate(…)`; one day for
 * `cron(…)`, whose spacing can vary (the alarms then assume at least one sweep per day).
 */
export function scheduleIntervalSeconds(expression: string): number {
  const rate = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression.trim());
  return rate ? Number(rate[1]) * RATE_UNIT_SECONDS[rate[2]!]! : RATE_UNIT_SECONDS.day!;
}

/** Why an EventBridge schedule expression would be refused, or undefined when it is valid. */
export function scheduleExpressionProblem(expression: string): string | undefined {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const amount = Number(rate[1]);
    if (amount < 1) return 'a rate must be at least 1';
    const singular = !rate[2]!.endsWith('s');
    if (singular !== (amount === 1)) return `write "rate(${amount} ${amount === 1 ? rate[2]!.replace(/s$/, '') : `${rate[2]!.replace(/s$/, '')}s`})"`;
    return undefined;
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) {
    const fields = cron[1]!.trim().split(/\s+/);
    if (fields.length !== 6) return 'a cron expression has 6 fields: minutes hours day-of-month month day-of-week year';
    if (fields.some((field) => !/^[0-9A-Za-z*?,/#\-]+$/.test(field))) return 'a cron field contains a character EventBridge does not accept';
    if ((fields[2] === '?') === (fields[4] === '?')) return 'exactly one of day-of-month and day-of-week must be "?"';
    return undefined;
  }
  return 'expected rate(N unit) such as rate(1 hour), or cron(…) with 6 fields';
}
