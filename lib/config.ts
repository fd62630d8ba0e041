import { isRegionName } from '../lambda/region-name.js';

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
}

export const CONTEXT_KEYS = {
  alertEmails: 'alertEmails',
  regions: 'regions',
  schedule: 'schedule',
  reminderInterval: 'reminderInterval',
} as const;

export const DEFAULT_SCHEDULE = 'rate(1 hour)';
export const DEFAULT_REMINDER_INTERVAL = '24h';

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

  const reminderInterval = textSetting(CONTEXT_KEYS.reminderInterval, context[CONTEXT_KEYS.reminderInterval]) ?? DEFAULT_REMINDER_INTERVAL;
  const reminderIntervalSeconds = parseDurationSeconds(reminderInterval);
  if (reminderIntervalSeconds === undefined) {
    throw new ConfigError(CONTEXT_KEYS.reminderInterval, reminderInterval, 'expected a duration such as 30m, 24h or 7d, or 0 to turn reminders off');
  }
  if (reminderIntervalSeconds > 366 * 24 * 3600) {
    throw new ConfigError(CONTEXT_KEYS.reminderInterval, reminderInterval, 'longer than a year');
  }
  return { alertEmails: [...new Set(alertEmails)], ...(regions ? { regions: [...new Set(regions)] } : {}), schedule, reminderIntervalSeconds };
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
