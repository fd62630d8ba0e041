import { describe, expect, it } from 'vitest';
import { ENVIRONMENT_VARIABLES, EnvironmentError, parseEnvironment, toEnvironmentVariables, type SweepEnvironment } from '../../lambda/env.js';

const VALID: SweepEnvironment = {
  tableName: 'packwatch-state',
  topicArn: 'arn:aws:sns:us-east-1:123456789012:packwatch-alerts',
  regions: ['us-east-1', 'eu-west-1'],
  reminderIntervalSeconds: 86_400,
  regionConcurrency: 4,
  packConcurrency: 4,
  configMaxAttempts: 8,
  stuckAfterSeconds: 21_600,
  muteRules: [
    { field: 'pack', pattern: 'legacy-*' },
    { field: 'errorCode', pattern: 'AccessDenied', expiresAt: '2027-01-01T00:00:00.000Z' },
  ],
  eventBus: 'default',
  configCallsPerSecond: 10,
  fullReadIntervalSeconds: 21_600,
  sourceRoleArns: ['arn:aws:iam::222222222222:role/PackwatchRead'],
  detailedMetrics: true,
  inventoryIntervalSeconds: 86_400,
  sweepIntervalSeconds: 300,
};

describe('environment schema', () => {
  it('round-trips what the stack writes into what the handler reads', () => {
    expect(parseEnvironment(toEnvironmentVariables(VALID))).toEqual(VALID);
  });

  it('writes one variable per setting, all prefixed PACKWATCH_', () => {
    expect(Object.keys(toEnvironmentVariables(VALID)).sort()).toEqual(Object.values(ENVIRONMENT_VARIABLES).sort());
    expect(Object.values(ENVIRONMENT_VARIABLES).every((name) => name.startsWith('PACKWATCH_'))).toBe(true);
  });

  it('leaves events off with "none" and takes an empty mute list', () => {
    const { eventBus: _bus, ...withoutBus } = VALID;
    const parsed = parseEnvironment({ ...toEnvironmentVariables({ ...withoutBus, muteRules: [] }) });
    expect(parsed.eventBus).toBeUndefined();
    expect(parsed.muteRules).toEqual([]);
    expect(toEnvironmentVariables({ ...withoutBus, muteRules: [] }).PACKWATCH_EVENT_BUS).toBe('none');
  });

  it('sends the essential metrics only when PACKWATCH_DETAILED_METRICS is absent or empty, as the stack writes it by default', () => {
    const { detailedMetrics: _detailed, ...withoutDetailed } = VALID;
    expect(toEnvironmentVariables(withoutDetailed).PACKWATCH_DETAILED_METRICS).toBe('false');
    expect(parseEnvironment({ ...toEnvironmentVariables(VALID), PACKWATCH_DETAILED_METRICS: undefined }).detailedMetrics).toBe(false);
    expect(parseEnvironment({ ...toEnvironmentVariables(VALID), PACKWATCH_DETAILED_METRICS: '' }).detailedMetrics).toBe(false);
  });

  it('trims and de-duplicates regions', () => {
    expect(parseEnvironment({ ...toEnvironmentVariables(VALID), PACKWATCH_REGIONS: ' us-east-1 ,us-east-1,eu-west-1' }).regions).toEqual(['us-east-1', 'eu-west-1']);
  });

  it.each([
    { variable: 'PACKWATCH_TABLE_NAME', value: undefined, problem: 'it is missing or empty' },
    { variable: 'PACKWATCH_TOPIC_ARN', value: '', problem: 'it is missing or empty' },
    { variable: 'PACKWATCH_TOPIC_ARN', value: 'packwatch-alerts', problem: '"packwatch-alerts" is not an SNS topic ARN' },
    { variable: 'PACKWATCH_REGIONS', value: 'us-east-1,mars-1', problem: '"mars-1" is not an AWS region name' },
    { variable: 'PACKWATCH_REMINDER_INTERVAL_SECONDS', value: '-5', problem: '"-5" is not a whole number from 0 to 31622400' },
    { variable: 'PACKWATCH_REGION_CONCURRENCY', value: '0', problem: '"0" is not a whole number from 1 to 32' },
    { variable: 'PACKWATCH_PACK_CONCURRENCY', value: 'four', problem: '"four" is not a whole number from 1 to 50' },
    { variable: 'PACKWATCH_CONFIG_MAX_ATTEMPTS', value: '21', problem: '"21" is not a whole number from 1 to 20' },
    { variable: 'PACKWATCH_STUCK_AFTER_SECONDS', value: '6h', problem: '"6h" is not a whole number from 0 to 31622400' },
    { variable: 'PACKWATCH_MUTE_RULES', value: 'pack:ok,region:us-east-1', problem: '"region" in "region:us-east-1" is not one of account, pack, errorCode' },
    { variable: 'PACKWATCH_CONFIG_CALLS_PER_SECOND', value: '0', problem: '"0" is not a whole number from 1 to 1000' },
    { variable: 'PACKWATCH_FULL_READ_INTERVAL_SECONDS', value: '', problem: 'it is missing or empty' },
    { variable: 'PACKWATCH_SOURCE_ROLE_ARNS', value: 'arn:aws:iam::2222:role/x', problem: '"arn:aws:iam::2222:role/x" is not an IAM role ARN' },
    { variable: 'PACKWATCH_DETAILED_METRICS', value: 'yes', problem: '"yes" is not true or false' },
    { variable: 'PACKWATCH_INVENTORY_INTERVAL_SECONDS', value: '1d', problem: '"1d" is not a whole number from 0 to 31622400' },
    { variable: 'PACKWATCH_SWEEP_INTERVAL_SECONDS', value: '30', problem: '"30" is not a whole number from 60 to 31622400' },
    { variable: 'PACKWATCH_SWEEP_INTERVAL_SECONDS', value: undefined, problem: 'it is missing or empty' },
    { variable: 'PACKWATCH_EVENT_BUS', value: 'my bus', problem: '"my bus" is not an event bus name or ARN (or "none")' },
  ])('names $variable when it is $value', ({ variable, value, problem }) => {
    const variables: Record<string, string | undefined> = { ...toEnvironmentVariables(VALID), [variable]: value };
    expect(() => parseEnvironment(variables)).toThrow(new EnvironmentError(variable, problem));
    expect(() => parseEnvironment(variables)).toThrow(`Invalid environment variable ${variable}: ${problem}`);
  });
});
