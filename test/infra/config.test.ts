import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_SCHEDULE,
  parseDurationSeconds,
  parsePackwatchContext,
  scheduleExpressionProblem,
} from '../../lib/config.js';

describe('parsePackwatchContext', () => {
  it('uses the defaults when the context is empty: hourly, daily reminders, no email, the stack region', () => {
    // Act
    const config = parsePackwatchContext({});

    // Assess
    expect(config).toStrictEqual({
      alertEmails: [],
      schedule: 'rate(1 hour)',
      reminderIntervalSeconds: 86_400,
      stuckAfterSeconds: 21_600,
      muteRules: [],
      eventBridge: true,
      opsEmails: [],
      logRetentionDays: 365,
      configCallsPerSecond: 10,
      fullReadIntervalSeconds: 21_600,
      inventoryIntervalSeconds: 86_400,
      sourceRoleArns: [],
      detailedMetrics: false,
    });
    expect(config.regions).toBeUndefined();
    expect(DEFAULT_SCHEDULE).toBe('rate(1 hour)');
  });

  it.each([
    { case: 'a comma list of emails, trimmed', context: { alertEmails: ' ops@example.com, sec@example.org ' }, expected: { alertEmails: ['ops@example.com', 'sec@example.org'] } },
    { case: 'a JSON array of emails', context: { alertEmails: ['ops@example.com', 'a.b+tag@sub.example.co.uk'] }, expected: { alertEmails: ['ops@example.com', 'a.b+tag@sub.example.co.uk'] } },
    { case: 'repeated emails once', context: { alertEmails: 'ops@example.com,ops@example.com' }, expected: { alertEmails: ['ops@example.com'] } },
    { case: 'an empty email list', context: { alertEmails: '' }, expected: { alertEmails: [] } },
    { case: 'null as unset', context: { alertEmails: null, regions: null, schedule: null, reminderInterval: null }, expected: { alertEmails: [], schedule: 'rate(1 hour)' } },
    { case: 'a comma list of regions', context: { regions: 'us-east-1, eu-west-1' }, expected: { regions: ['us-east-1', 'eu-west-1'] } },
    { case: 'a JSON array of regions', context: { regions: ['us-gov-west-1', 'ap-southeast-5', 'cn-north-1'] }, expected: { regions: ['us-gov-west-1', 'ap-southeast-5', 'cn-north-1'] } },
    { case: 'repeated regions once', context: { regions: 'eu-west-1,eu-west-1,us-east-1' }, expected: { regions: ['eu-west-1', 'us-east-1'] } },
    { case: 'a rate in minutes', context: { schedule: 'rate(15 minutes)' }, expected: { schedule: 'rate(15 minutes)' } },
    { case: 'a rate of one day', context: { schedule: 'rate(1 day)' }, expected: { schedule: 'rate(1 day)' } },
    { case: 'a 6-field cron', context: { schedule: 'cron(0 6 * * ? *)' }, expected: { schedule: 'cron(0 6 * * ? *)' } },
    { case: 'a cron on weekdays', context: { schedule: 'cron(30 7 ? * MON-FRI *)' }, expected: { schedule: 'cron(30 7 ? * MON-FRI *)' } },
    { case: 'a reminder in minutes', context: { reminderInterval: '30m' }, expected: { reminderIntervalSeconds: 1_800 } },
    { case: 'a reminder in days', context: { reminderInterval: '7d' }, expected: { reminderIntervalSeconds: 604_800 } },
    { case: 'a reminder in seconds', context: { reminderInterval: '90s' }, expected: { reminderIntervalSeconds: 90 } },
    { case: 'reminderInterval "0" to disable reminders', context: { reminderInterval: '0' }, expected: { reminderIntervalSeconds: 0 } },
    { case: 'reminderInterval 0 (a JSON number) to disable reminders', context: { reminderInterval: 0 }, expected: { reminderIntervalSeconds: 0 } },
    { case: 'a reminder of exactly a year and a day', context: { reminderInterval: '366d' }, expected: { reminderIntervalSeconds: 366 * 86_400 } },
    { case: 'a weekly inventory', context: { inventoryInterval: '7d' }, expected: { inventoryIntervalSeconds: 604_800 } },
    { case: 'an inventory every hour, the shortest', context: { inventoryInterval: '1h' }, expected: { inventoryIntervalSeconds: 3_600 } },
    { case: 'inventoryInterval "0" to turn the inventory off', context: { inventoryInterval: '0' }, expected: { inventoryIntervalSeconds: 0 } },
    { case: 'inventoryInterval 0 (a JSON number) to turn it off', context: { inventoryInterval: 0 }, expected: { inventoryIntervalSeconds: 0 } },
  ])('accepts $case', ({ context, expected }) => {
    // Act
    const config = parsePackwatchContext(context);

    // Assess
    expect(config).toMatchObject(expected);
  });

  it.each([
    { setting: 'alertEmails', value: 'not-an-email', bad: 'not-an-email' },
    { setting: 'alertEmails', value: 'ops@example.com,oops@', bad: 'oops@' },
    { setting: 'alertEmails', value: ['ops@example.com', 'two words@example.com'], bad: 'two words@example.com' },
    { setting: 'alertEmails', value: 42, bad: '42' },
    { setting: 'alertEmails', value: ['ops@example.com', 7], bad: '7' },
    { setting: 'regions', value: 'us-east-1,mars-north-1x', bad: 'mars-north-1x' },
    { setting: 'regions', value: 'US-EAST-1', bad: 'US-EAST-1' },
    { setting: 'regions', value: 'eu-west', bad: 'eu-west' },
    { setting: 'regions', value: '', bad: '""' },
    { setting: 'regions', value: ' , ', bad: '" , "' },
    { setting: 'schedule', value: 'rate(1 hours)', bad: 'rate(1 hours)' },
    { setting: 'schedule', value: 'rate(2 hour)', bad: 'rate(2 hour)' },
    { setting: 'schedule', value: 'rate(0 minutes)', bad: 'rate(0 minutes)' },
    { setting: 'schedule', value: 'cron(0 * * * *)', bad: 'cron(0 * * * *)' },
    { setting: 'schedule', value: 'cron(0 12 * * MON *)', bad: 'cron(0 12 * * MON *)' },
    { setting: 'schedule', value: 'every hour', bad: 'every hour' },
    { setting: 'schedule', value: { rate: 1 }, bad: '{"rate":1}' },
    { setting: 'reminderInterval', value: '24x', bad: '24x' },
    { setting: 'reminderInterval', value: '-1h', bad: '-1h' },
    { setting: 'reminderInterval', value: '1.5h', bad: '1.5h' },
    { setting: 'reminderInterval', value: '367d', bad: '367d' },
    { setting: 'reminderInterval', value: 3600, bad: '3600' },
    { setting: 'inventoryInterval', value: 'daily', bad: 'daily' },
    { setting: 'inventoryInterval', value: '30m', bad: 'at least 1h' },
    { setting: 'inventoryInterval', value: '367d', bad: 'longer than a year' },
    { setting: 'inventoryInterval', value: ['1d'], bad: 'expected text' },
  ])('rejects $setting = $value with a ConfigError naming the setting and the value', ({ setting, value, bad }) => {
    // Act
    const parse = () => parsePackwatchContext({ [setting]: value });

    // Assess
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(`"${setting}"`);
    expect(parse).toThrow(bad);
  });
});

describe('scheduleExpressionProblem', () => {
  it.each(['rate(1 minute)', 'rate(5 minutes)', 'rate(1 hour)', 'rate(12 hours)', 'rate(1 day)', 'rate(3 days)', 'cron(0 6 * * ? *)', 'cron(0/15 * ? * MON-FRI *)', 'cron(0 0 L * ? 2030)'])(
    'accepts %s',
    (expression) => {
      // Act
      const problem = scheduleExpressionProblem(expression);

      // Assess
      expect(problem).toBeUndefined();
    },
  );

  it.each([
    { expression: 'rate(1 hours)', problem: 'write "rate(1 hour)"' },
    { expression: 'rate(2 hour)', problem: 'write "rate(2 hours)"' },
    { expression: 'rate(1 minutes)', problem: 'write "rate(1 minute)"' },
    { expression: 'rate(0 minutes)', problem: 'at least 1' },
    { expression: 'rate(1 week)', problem: 'expected rate(N unit)' },
    { expression: 'rate(-1 hours)', problem: 'expected rate(N unit)' },
    { expression: 'cron(0 * * * *)', problem: '6 fields' },
    { expression: 'cron(0 12 * * * * *)', problem: '6 fields' },
    { expression: 'cron(0 12 * * MON *)', problem: 'exactly one of day-of-month and day-of-week must be "?"' },
    { expression: 'cron(0 12 ? * ? *)', problem: 'exactly one of day-of-month and day-of-week must be "?"' },
    { expression: 'cron(0 12 * * ? $)', problem: 'character' },
    { expression: 'every hour', problem: 'expected rate(N unit)' },
    { expression: '', problem: 'expected rate(N unit)' },
  ])('explains what is wrong with $expression', ({ expression, problem }) => {
    // Act
    const found = scheduleExpressionProblem(expression);

    // Assess
    expect(found).toContain(problem);
  });
});

describe('parseDurationSeconds', () => {
  it.each([
    { value: '0', seconds: 0 },
    { value: '0h', seconds: 0 },
    { value: '45s', seconds: 45 },
    { value: '30m', seconds: 1_800 },
    { value: '24h', seconds: 86_400 },
    { value: '7d', seconds: 604_800 },
    { value: '999999s', seconds: 999_999 },
  ])('reads $value as $seconds seconds', ({ value, seconds }) => {
    // Act
    const parsed = parseDurationSeconds(value);

    // Assess
    expect(parsed).toBe(seconds);
  });

  it.each(['', '24', '24x', '-1h', '1.5h', '1h30m', ' 1h', '1H', '1000000s', 'h'])('refuses %j', (value) => {
    // Act
    const parsed = parseDurationSeconds(value);

    // Assess
    expect(parsed).toBeUndefined();
  });
});
