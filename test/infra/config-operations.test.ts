import * as logs from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_LOG_RETENTION_DAYS,
  LOG_RETENTION_DAYS,
  MAX_SWEEP_INTERVAL_SECONDS,
  parsePackwatchContext,
  scheduleIntervalSeconds,
} from '../../lib/config.js';

describe('parsePackwatchContext: operations settings', () => {
  it('sends alarms to the alerts topic and keeps logs a year by default', () => {
    // Act
    const config = parsePackwatchContext({});

    // Assess
    expect(config.opsEmails).toEqual([]);
    expect(config.logRetentionDays).toBe(365);
    expect(DEFAULT_LOG_RETENTION_DAYS).toBe(365);
  });

  it.each([
    { case: 'a comma list, trimmed and deduplicated', value: ' oncall@example.com, platform@example.org,oncall@example.com ', expected: ['oncall@example.com', 'platform@example.org'] },
    { case: 'a JSON array', value: ['oncall@example.com'], expected: ['oncall@example.com'] },
    { case: 'an empty list', value: '', expected: [] },
  ])('reads opsEmails given as $case', ({ value, expected }) => {
    expect(parsePackwatchContext({ opsEmails: value }).opsEmails).toEqual(expected);
  });

  it.each([
    { value: '1', days: 1 },
    { value: '90', days: 90 },
    { value: 400, days: 400 },
    { value: ' 3653 ', days: 3653 },
  ])('reads logRetentionDays $value as $days days', ({ value, days }) => {
    expect(parsePackwatchContext({ logRetentionDays: value }).logRetentionDays).toBe(days);
  });

  it.each([
    { value: 'true', detailed: true },
    { value: true, detailed: true },
    { value: 'false', detailed: false },
    { value: undefined, detailed: false },
  ])('reads detailedMetrics $value as $detailed', ({ value, detailed }) => {
    expect(parsePackwatchContext({ detailedMetrics: value }).detailedMetrics).toBe(detailed);
  });

  it.each([
    { setting: 'detailedMetrics', value: 'yes', bad: 'yes' },
    { setting: 'opsEmails', value: 'pager', bad: 'pager' },
    { setting: 'opsEmails', value: ['oncall@example.com', 'on call@example.com'], bad: 'on call@example.com' },
    { setting: 'opsEmails', value: 7, bad: '7' },
    { setting: 'logRetentionDays', value: '366', bad: '366' },
    { setting: 'logRetentionDays', value: '0', bad: '0' },
    { setting: 'logRetentionDays', value: '9999', bad: '9999' },
    { setting: 'logRetentionDays', value: '1y', bad: '1y' },
    { setting: 'logRetentionDays', value: '90.5', bad: '90.5' },
    { setting: 'logRetentionDays', value: -7, bad: '-7' },
    { setting: 'logRetentionDays', value: true, bad: 'true' },
    { setting: 'schedule', value: 'rate(4 days)', bad: 'rate(4 days)' },
    { setting: 'schedule', value: 'rate(85 hours)', bad: 'rate(85 hours)' },
  ])('rejects $setting = $value with a ConfigError naming the setting and the value', ({ setting, value, bad }) => {
    // Act
    const parse = () => parsePackwatchContext({ [setting]: value });

    // Assess
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(`Invalid context "${setting}"`);
    expect(parse).toThrow(bad);
  });

  it('accepts exactly the retention periods CloudWatch Logs offers, except "never expire"', () => {
    // Act
    const offered = Object.values(logs.RetentionDays).filter((days): days is number => typeof days === 'number' && days !== logs.RetentionDays.INFINITE);

    // Assess
    expect([...LOG_RETENTION_DAYS].sort((a, b) => a - b)).toEqual(offered.sort((a, b) => a - b));
  });

  it('accepts a sweep as rare as rate(84 hours) and rate(3 days)', () => {
    expect(parsePackwatchContext({ schedule: 'rate(84 hours)' }).schedule).toBe('rate(84 hours)');
    expect(parsePackwatchContext({ schedule: 'rate(3 days)' }).schedule).toBe('rate(3 days)');
    expect(MAX_SWEEP_INTERVAL_SECONDS).toBe(84 * 3600);
  });
});

describe('scheduleIntervalSeconds', () => {
  it.each([
    { expression: 'rate(1 minute)', seconds: 60 },
    { expression: 'rate(15 minutes)', seconds: 900 },
    { expression: 'rate(1 hour)', seconds: 3600 },
    { expression: 'rate(36 hours)', seconds: 129_600 },
    { expression: 'rate(2 days)', seconds: 172_800 },
    { expression: 'cron(0 6 * * ? *)', seconds: 86_400 },
    { expression: 'cron(0/15 * ? * MON-FRI *)', seconds: 86_400 },
  ])('reads $expression as $seconds s (a cron expression as one day)', ({ expression, seconds }) => {
    expect(scheduleIntervalSeconds(expression)).toBe(seconds);
  });
});
