import { describe, expect, it } from 'vitest';
import type { EmfDocument } from '../../bench/child.js';
import {
  costModel,
  countMetrics,
  DEFAULT_ASSUMPTIONS,
  inventoryCallsPerRegion,
  PRICES,
  REAL_ORGANIZATION,
  renderCostModel,
  scheduleMinutesWithin,
  type CostModel,
  type MeasuredInputs,
} from '../../bench/cost-model.js';
import { deploymentFactsOf, type DeploymentFacts, type SynthesizedTemplate } from '../../bench/deployment.js';

function emf(names: readonly string[], dimensions: Record<string, string> = { service: 'packwatch' }): EmfDocument {
  return {
    _aws: { CloudWatchMetrics: [{ Namespace: 'Packwatch', Dimensions: [Object.keys(dimensions)], Metrics: names.map((Name) => ({ Name })) }] },
    ...dimensions,
    ...Object.fromEntries(names.map((name) => [name, 1])),
  };
}

const ESSENTIAL = ['SweepSucceeded', 'SweepIncomplete', 'FailingAccounts', 'NewFailures'];

/** One measured region: 150 steady calls, 300 on a full read, 1 s of overhead, 50 RRU, 2 items, no init. */
const MEASURED: MeasuredInputs = {
  caseName: '50x10k-1r-0.1pct',
  measuredRegions: 1,
  steadyCalls: 150,
  fullReadCalls: 300,
  steadyOverheadMs: 1000,
  steadyReadUnits: 50,
  steadyItemsWritten: 2,
  writeUnitsPerItem: 1,
  changesPerMessage: 500,
  steadyLogBytes: 10_000,
  emf: [emf(ESSENTIAL), emf(ESSENTIAL)],
  coldStartMs: 0,
};

/** 17 regions all at once, every 5 minutes, 512 MB, 10 calls/s, full read every 6 h, reminders daily. */
const DEPLOYMENT: DeploymentFacts = {
  context: { regions: 'us-east-1', schedule: 'rate(5 minutes)' },
  regions: 17,
  scheduleExpression: 'rate(5 minutes)',
  scheduleMinutes: 5,
  memoryMb: 512,
  architecture: 'arm64',
  regionConcurrency: 17,
  configCallsPerSecond: 10,
  fullReadIntervalSeconds: 6 * 3600,
  reminderIntervalSeconds: 24 * 3600,
  detailedMetrics: false,
  inventoryIntervalSeconds: 24 * 3600,
  alarms: 4,
  dashboards: 1,
  logsInsightsWidgets: 8,
};

const SWEEPS_PER_MONTH = (730 * 60) / 5;
const FULL_READS_PER_MONTH = 730 / 6;

function line(model: CostModel, start: string) {
  const found = model.lines.filter((candidate) => candidate.item.startsWith(start));
  expect(found, `one line starting "${start}"`).toHaveLength(1);
  return found[0]!;
}

describe('costModel', () => {
  it.each([
    // All 17 regions at once: one wave of 15 s (steady) or 30 s (full read), plus 1 s overhead.
    { case: 'all regions at once', regionConcurrency: 17, memoryMb: 512, steady: 16, full: 31 },
    // One region at a time: 17 waves.
    { case: 'one region at a time', regionConcurrency: 1, memoryMb: 512, steady: 17 * 15 + 1, full: 17 * 30 + 1 },
    // 4 at a time: 5 waves.
    { case: 'four at a time', regionConcurrency: 4, memoryMb: 256, steady: 5 * 15 + 1, full: 5 * 30 + 1 },
  ])('prices Lambda from the deployment\'s concurrency and memory: $case', ({ regionConcurrency, memoryMb, steady, full }) => {
    // Act
    const model = costModel(MEASURED, { ...DEPLOYMENT, regionConcurrency, memoryMb });

    // Assess
    expect(model.steadyInvocationSeconds).toBeCloseTo(steady, 6);
    expect(model.fullReadInvocationSeconds).toBeCloseTo(full, 6);
    const gbSeconds = ((SWEEPS_PER_MONTH - FULL_READS_PER_MONTH) * steady + FULL_READS_PER_MONTH * full) * (memoryMb / 1024);
    expect(line(model, 'Lambda compute').monthlyUsd).toBeCloseTo(gbSeconds * PRICES.lambdaArmGbSecond, 6);
    expect(line(model, 'Lambda compute').item).toContain(`${memoryMb} MB`);
  });

  it.each([
    { scheduleMinutes: 5, worstSteady: 300 + 16, worst: 300 + 31, average: 150 + 16 },
    { scheduleMinutes: 4, worstSteady: 240 + 16, worst: 240 + 31, average: 120 + 16 },
    { scheduleMinutes: 60, worstSteady: 3600 + 16, worst: 3600 + 31, average: 1800 + 16 },
  ])('puts the time to alert at one period + one sweep at worst, half a period + one sweep on average, every $scheduleMinutes min', ({ scheduleMinutes, worstSteady, worst, average }) => {
    // Act
    const { timeToAlert } = costModel(MEASURED, { ...DEPLOYMENT, scheduleMinutes });

    // Assess
    expect(timeToAlert.worstSteadySeconds).toBeCloseTo(worstSteady, 6);
    expect(timeToAlert.worstSeconds).toBeCloseTo(worst, 6);
    expect(timeToAlert.averageSeconds).toBeCloseTo(average, 6);
    expect(timeToAlert.laggingSummarySeconds).toBeCloseTo(6 * 3600 + scheduleMinutes * 60 + 31, 6);
  });

  it.each([
    // Slowest sweep 31 s: 4 minutes + 31 s ≤ 5 minutes.
    { case: 'a 31 s sweep', fullReadCalls: 300, expected: 4 },
    // 1 + 180 s: 2 minutes + 181 s = 301 s > 300 s, so 1 minute.
    { case: 'a 181 s sweep', fullReadCalls: 1800, expected: 1 },
    // 1 + 250 s: not even one minute fits.
    { case: 'a 251 s sweep', fullReadCalls: 2500, expected: undefined },
  ])('finds the longest rate(N minutes) that alerts within 5 minutes in the worst case for $case', ({ fullReadCalls, expected }) => {
    // Act
    const minutes = scheduleMinutesWithin(costModel({ ...MEASURED, fullReadCalls }, DEPLOYMENT));

    // Assess
    expect(minutes).toBe(expected);
  });

  it.each([
    { case: 'the essential metrics', emf: [emf(ESSENTIAL)], metrics: 4 },
    // The detailed per-region FailingAccounts counts once per region of the deployment, whatever region was measured.
    { case: 'a per-region kind besides', emf: [emf(ESSENTIAL), emf(['FailingAccounts'], { service: 'packwatch', Region: 'us-east-1' })], metrics: 4 + 17 },
  ])('prices every metric sent each sweep at $0.30 a month: $case', ({ emf: documents, metrics }) => {
    // Act
    const model = costModel({ ...MEASURED, emf: documents }, DEPLOYMENT);

    // Assess
    expect(line(model, 'CloudWatch custom metrics').monthlyUsd).toBeCloseTo(metrics * 0.3, 9);
    expect(line(model, 'CloudWatch alarms').monthlyUsd).toBeCloseTo(4 * 0.1, 9);
  });

  it.each([
    { case: 'the measured reads', readUnitsPerRegionSweep: undefined, perRegion: 50, measured: true },
    { case: 'an assumed O(1) read', readUnitsPerRegionSweep: 1, perRegion: 1, measured: false },
  ])('prices DynamoDB reads per region and sweep from $case', ({ readUnitsPerRegionSweep, perRegion, measured }) => {
    // Act
    const model = costModel(MEASURED, DEPLOYMENT, REAL_ORGANIZATION, { ...DEFAULT_ASSUMPTIONS, ...(readUnitsPerRegionSweep === undefined ? {} : { readUnitsPerRegionSweep }) });

    // Assess
    expect(model.readUnitsMeasured).toBe(measured);
    expect(line(model, 'DynamoDB reads').monthlyUsd).toBeCloseTo(((SWEEPS_PER_MONTH * 17 * perRegion) / 1e6) * 0.125, 9);
  });

  it.each([
    // Daily: 5,001 calls at 10/s = 500.1 s a day; 17 × 50 × 1.5 metrics each billed 1 hour of 730 a day.
    { intervalHours: 24, statusesPerPack: 1.5, seconds: 500.1, metricHours: 17 * 50 * 1.5 * (730 / 24) },
    { intervalHours: 24, statusesPerPack: 1, seconds: 500.1, metricHours: 17 * 50 * (730 / 24) },
    // Hourly: every metric is sent every hour, so billed as a whole metric.
    { intervalHours: 1, statusesPerPack: 2, seconds: 500.1, metricHours: 17 * 50 * 2 * 730 },
    { intervalHours: 0, statusesPerPack: 2, seconds: 0, metricHours: 0 },
  ])('prices the inventory read every $intervalHours h with $statusesPerPack statuses a pack as its own lines', ({ intervalHours, statusesPerPack, seconds, metricHours }) => {
    // Act
    const model = costModel(MEASURED, { ...DEPLOYMENT, inventoryIntervalSeconds: intervalHours * 3600 }, REAL_ORGANIZATION, { ...DEFAULT_ASSUMPTIONS, inventory: { intervalHours: 24, statusesPerPack } });

    // Assess
    const inventoriesPerMonth = intervalHours > 0 ? 730 / intervalHours : 0;
    expect(line(model, 'Inventory read: Lambda').monthlyUsd).toBeCloseTo(inventoriesPerMonth * seconds * 0.5 * PRICES.lambdaArmGbSecond, 9);
    expect(line(model, 'Inventory read: AccountsByStatus').monthlyUsd).toBeCloseTo((metricHours / 730) * 0.3, 9);
    expect(line(model, 'Inventory read: Lambda').inScope).toBe(true);
  });

  it("takes the inventory interval from the deployment, over the assumption's", () => {
    // Act
    const model = costModel(MEASURED, { ...DEPLOYMENT, inventoryIntervalSeconds: 12 * 3600 }, REAL_ORGANIZATION, DEFAULT_ASSUMPTIONS);

    // Assess
    expect(model.assumptions.inventory.intervalHours).toBe(12);
    expect(line(model, 'Inventory read: AccountsByStatus').monthlyUsd).toBeCloseTo(((17 * 50 * 1.5 * (730 / 12)) / 730) * 0.3, 9);
  });

  it('counts 1 listing and one call per 100 accounts per pack for an inventory read', () => {
    expect(inventoryCallsPerRegion({ packs: 50, accounts: 10_000, failureRate: 0 }, { intervalHours: 24, statusesPerPack: 1 })).toBe(5_001);
    expect(inventoryCallsPerRegion({ packs: 3, accounts: 250, failureRate: 0 }, { intervalHours: 24, statusesPerPack: 1 })).toBe(10);
  });

  it('adds the lines up into the in-scope and the whole total, and prints the prices with their date and the schedule that meets the aim', () => {
    // Act
    const model = costModel(MEASURED, DEPLOYMENT);
    const within = costModel(MEASURED, { ...DEPLOYMENT, scheduleMinutes: 4, scheduleExpression: 'rate(4 minutes)' });
    const text = renderCostModel(model, MEASURED, '2026-11-27', within);

    // Assess
    const sum = (lines: CostModel['lines']) => lines.reduce((total, candidate) => total + candidate.monthlyUsd, 0);
    expect(model.inScopeUsd).toBeCloseTo(sum(model.lines.filter((candidate) => candidate.inScope)), 9);
    expect(model.totalUsd).toBeCloseTo(sum(model.lines), 9);
    expect(model.totalUsd).toBeGreaterThan(model.inScopeUsd);
    expect(within.inScopeUsd).toBeGreaterThan(model.inScopeUsd);
    expect(text).toContain(`checked ${PRICES.checkedOn}`);
    expect(text).toContain('`rate(4 minutes)` meets it');
    expect(text).toContain('at most one period + one sweep = 5 min 16 s');
  });
});

describe('countMetrics', () => {
  it('counts distinct names and dimension values, folding Region values into one kind', () => {
    // Act
    const count = countMetrics([
      emf(['A', 'B']),
      emf(['A']),
      emf(['C'], { service: 'packwatch', Region: 'us-east-1' }),
      emf(['C'], { service: 'packwatch', Region: 'eu-west-1' }),
    ]);

    // Assess
    expect(count).toEqual({ global: 2, perRegionKinds: 1, names: ['A', 'B', 'C (per Region)'] });
  });
});

describe('deploymentFactsOf', () => {
  const template = (variables: Record<string, unknown>, memorySize?: number): SynthesizedTemplate => ({
    Resources: {
      Fn: { Type: 'AWS::Lambda::Function', Properties: { Architectures: ['arm64'], ...(memorySize ? { MemorySize: memorySize } : {}), Environment: { Variables: variables } } },
      Rule: { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(5 minutes)' } },
      A1: { Type: 'AWS::CloudWatch::Alarm' },
      A2: { Type: 'AWS::CloudWatch::Alarm' },
      D: { Type: 'AWS::CloudWatch::Dashboard', Properties: { DashboardBody: { 'Fn::Join': ['', ['{"widgets":[{"type":"log"},{"type":"metric"},{"type":"log"}]}']] } } },
    },
  });
  const VARIABLES = {
    PACKWATCH_REGIONS: 'us-east-1,eu-west-1,ap-south-1',
    PACKWATCH_REGION_CONCURRENCY: '3',
    PACKWATCH_CONFIG_CALLS_PER_SECOND: '10',
    PACKWATCH_FULL_READ_INTERVAL_SECONDS: '21600',
    PACKWATCH_REMINDER_INTERVAL_SECONDS: '86400',
    PACKWATCH_DETAILED_METRICS: 'false',
    PACKWATCH_INVENTORY_INTERVAL_SECONDS: '86400',
  };

  it.each([
    { case: 'the memory the template sets', memorySize: 256, memoryMb: 256 },
    { case: "CloudFormation's 128 MB when it sets none", memorySize: undefined, memoryMb: 128 },
  ])('reads the function, schedule, alarms and dashboard from the template, with $case', ({ memorySize, memoryMb }) => {
    // Act
    const facts = deploymentFactsOf(template(VARIABLES, memorySize), {});

    // Assess
    expect(facts).toMatchObject({
      regions: 3,
      scheduleExpression: 'rate(5 minutes)',
      scheduleMinutes: 5,
      memoryMb,
      architecture: 'arm64',
      regionConcurrency: 3,
      configCallsPerSecond: 10,
      fullReadIntervalSeconds: 21_600,
      reminderIntervalSeconds: 86_400,
      detailedMetrics: false,
      inventoryIntervalSeconds: 86_400,
      alarms: 2,
      dashboards: 1,
      logsInsightsWidgets: 2,
    });
  });

  it('names the variable it cannot read', () => {
    expect(() => deploymentFactsOf(template({ ...VARIABLES, PACKWATCH_REGION_CONCURRENCY: { Ref: 'X' } }), {})).toThrow(/PACKWATCH_REGION_CONCURRENCY/);
  });
});
