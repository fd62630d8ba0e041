import type { EmfDocument } from './child.js';
import type { DeploymentFacts } from './deployment.js';
import { markdownTable, fixed, integer, usd } from './table.js';

/**
 * us-east-1 list prices used by the model, with the date they were checked. Checked on 2026-11-27 against stored
 * copies of the AWS pricing pages and of pages quoting them (Lambda arm64 GB-s and requests, DynamoDB on-demand
 * after the price cut of 2024-11-01, SNS, CloudWatch metrics, alarms, logs and free tier): verify before relying on them.
 */
export const PRICES = {
  checkedOn: '2026-11-27',
  /** Lambda arm64, per GB-second (first 7.5 billion GB-s a month). */
  lambdaArmGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  dynamoDbPerMillionReadUnits: 0.125,
  dynamoDbPerMillionWriteUnits: 0.625,
  /** Per million publish requests; each 64 KB chunk of a message is one request. */
  snsPerMillionPublishes: 0.5,
  snsEmailPer100k: 2.0,
  snsHttpsPerMillion: 0.6,
  /** Per metric and month (first 10,000 metrics), prorated by the hour: a metric is billed for the hours it is sent in. */
  cloudWatchMetricMonth: 0.3,
  cloudWatchStandardAlarmMonth: 0.1,
  cloudWatchLogsIngestPerGb: 0.5,
  cloudWatchLogsInsightsPerGbScanned: 0.005,
  eventBridgePerMillionEvents: 1.0,
  /** Per dashboard and month beyond the first three of an account. */
  cloudWatchDashboardMonth: 3.0,
  kmsKeyMonth: 1.0,
  kmsPer10kRequests: 0.03,
} as const;

/** The always-free allowances per account and month; shown apart, never deducted from the totals (other workloads may use them). */
export const FREE_TIER = {
  lambdaGbSeconds: 400_000,
  lambdaRequests: 1_000_000,
  cloudWatchMetrics: 10,
  cloudWatchAlarms: 10,
  snsPublishes: 1_000_000,
  snsEmailDeliveries: 1_000,
  snsHttpsDeliveries: 100_000,
} as const;

/** AWS bills a month as 730 hours. */
export const HOURS_PER_MONTH = 730;
/** The issue's aim: a new failure alerted within this, for under AIM_USD a month. */
export const AIM_ALERT_SECONDS = 5 * 60;
export const AIM_USD = 1;

/** The organization priced. Regions and the schedule come from the synthesized deployment. */
export interface Organization {
  readonly packs: number;
  readonly accounts: number;
  /** Share of (pack, account) deployments failing. */
  readonly failureRate: number;
}

export const REAL_ORGANIZATION: Organization = { packs: 50, accounts: 10_000, failureRate: 0.001 };

/** What the model takes from the bench's measured runs. */
export interface MeasuredInputs {
  /** The case measured, for the report. */
  readonly caseName: string;
  /** Regions of the measured case (per-region figures are divided by it). */
  readonly measuredRegions: number;
  /** Config calls of the steady run (summaries in use), all measured regions. */
  readonly steadyCalls: number;
  /** Config calls of the first run (a full read), all measured regions. */
  readonly fullReadCalls: number;
  /** Measured wall time of the steady run beyond its calls / rate bound (lease, state, publishing). */
  readonly steadyOverheadMs: number;
  /** Consistent read units of the steady run (the state reads), all measured regions. */
  readonly steadyReadUnits: number;
  /** Items the steady run wrote (no changes: the lease and bookkeeping only). */
  readonly steadyItemsWritten: number;
  /** Write units per changed item, measured on the change run. */
  readonly writeUnitsPerItem: number;
  /** Changes per SNS message, measured on the first run (many new failures, split into parts). */
  readonly changesPerMessage: number;
  /** Logs and EMF bytes the steady run printed, all measured regions. */
  readonly steadyLogBytes: number;
  /** EMF documents the handler printed over the case's runs: the metrics it sends. */
  readonly emf: readonly EmfDocument[];
  readonly coldStartMs: number;
}

/** The daily inventory read (every status of every account, feeding `AccountsByStatus`), priced as its own line items. */
export interface InventoryAssumptions {
  /** Hours between two inventory reads (context `inventoryInterval`, default daily); 0 leaves the inventory out. */
  readonly intervalHours: number;
  /** Statuses with accounts per pack and region: one `AccountsByStatus` metric each (Region, ConformancePack, Status). */
  readonly statusesPerPack: number;
  /** Unfiltered calls per region and inventory; default 1 listing + one per 100 accounts per pack. */
  readonly callsPerRegion?: number;
}

/** Inputs that are estimates rather than measurements: change them here and the model follows. */
export interface ModelAssumptions {
  /**
   * DynamoDB read units per region and sweep. Default: measured on the bench's steady run (the consistent state
   * reads of a region, which today grow with the failing records). Set it to try another design (e.g. ~1 RRU with
   * per-pack fingerprints in the bookkeeping item) before the bench can measure it.
   */
  readonly readUnitsPerRegionSweep?: number;
  readonly inventory: InventoryAssumptions;
  /** Times a month someone opens the 7-day dashboard (each runs every Logs Insights widget). */
  readonly dashboardViewsPerMonth: number;
  /** The dashboard's range in days (what a view's queries scan). */
  readonly dashboardRangeDays: number;
}

export const DEFAULT_ASSUMPTIONS: ModelAssumptions = {
  inventory: { intervalHours: 24, statusesPerPack: 1.5 },
  dashboardViewsPerMonth: 30,
  dashboardRangeDays: 7,
};

export interface CostLine {
  readonly item: string;
  readonly quantity: string;
  readonly monthlyUsd: number;
  /** In the issue's list (Lambda, DynamoDB, SNS, CloudWatch metrics and alarms), or also billed. */
  readonly inScope: boolean;
  /** What the account's always-free allowance would cover of this line, if nothing else used it. */
  readonly freeTierUsd: number;
}

export interface TimeToAlert {
  /** A failure appearing just after its pack was read waits a period, then a whole sweep (alerts go out at its end). */
  readonly worstSteadySeconds: number;
  /** The same when that next sweep is a (slower) full read. */
  readonly worstSeconds: number;
  /** A failure appears on average half a period before a sweep starts. */
  readonly averageSeconds: number;
  /** A failure a lagging summary hides waits for the next full read. */
  readonly laggingSummarySeconds: number;
}

export interface CostModel {
  readonly organization: Organization;
  readonly deployment: DeploymentFacts;
  readonly assumptions: ModelAssumptions;
  readonly sweepsPerMonth: number;
  readonly fullReadsPerMonth: number;
  readonly steadyRegionSeconds: number;
  readonly fullReadRegionSeconds: number;
  readonly waves: number;
  readonly steadyInvocationSeconds: number;
  readonly fullReadInvocationSeconds: number;
  readonly timeToAlert: TimeToAlert;
  readonly readUnitsPerRegionSweep: number;
  readonly readUnitsMeasured: boolean;
  readonly metrics: MetricCount;
  readonly lines: readonly CostLine[];
  readonly inScopeUsd: number;
  readonly totalUsd: number;
  readonly freeTierUsd: number;
}

export interface MetricCount {
  /** Metrics without a Region dimension. */
  readonly global: number;
  /** Metric kinds with a Region dimension (each is one metric per region). */
  readonly perRegionKinds: number;
  readonly names: readonly string[];
}

/** Distinct metrics (namespace, name, dimension values) in EMF documents; Region values are folded into kinds. */
export function countMetrics(documents: readonly EmfDocument[]): MetricCount {
  const global = new Set<string>();
  const perRegion = new Set<string>();
  const names = new Set<string>();
  for (const document of documents) {
    for (const directive of document._aws.CloudWatchMetrics) {
      for (const dimensions of directive.Dimensions) {
        const regional = dimensions.includes('Region');
        const key = dimensions
          .map((name) => `${name}=${name === 'Region' ? '*' : String(document[name])}`)
          .sort()
          .join(',');
        for (const metric of directive.Metrics) {
          names.add(regional ? `${metric.Name} (per Region)` : metric.Name);
          (regional ? perRegion : global).add(`${directive.Namespace}|${metric.Name}|${key}`);
        }
      }
    }
  }
  return { global: global.size, perRegionKinds: perRegion.size, names: [...names].sort() };
}

/** One page of GetOrganizationConformancePackDetailedStatus holds at most 100 accounts. */
const ACCOUNTS_PER_PAGE = 100;

export function inventoryCallsPerRegion(organization: Organization, inventory: InventoryAssumptions): number {
  return inventory.callsPerRegion ?? 1 + organization.packs * Math.ceil(organization.accounts / ACCOUNTS_PER_PAGE);
}

export function costModel(
  measured: MeasuredInputs,
  deployment: DeploymentFacts,
  organization: Organization = REAL_ORGANIZATION,
  assumptions: ModelAssumptions = DEFAULT_ASSUMPTIONS,
): CostModel {
  const { regions } = deployment;
  const perRegion = (value: number) => value / measured.measuredRegions;
  const memoryGb = deployment.memoryMb / 1024;
  const sweepsPerMonth = (HOURS_PER_MONTH * 60) / deployment.scheduleMinutes;
  const fullReadIntervalHours = deployment.fullReadIntervalSeconds / 3600;
  // A zero interval reads every pack in full on every sweep.
  const fullReadsPerMonth = fullReadIntervalHours > 0 ? Math.min(sweepsPerMonth, HOURS_PER_MONTH / fullReadIntervalHours) : sweepsPerMonth;
  const steadySweepsPerMonth = sweepsPerMonth - fullReadsPerMonth;
  const steadyRegionSeconds = perRegion(measured.steadyCalls) / deployment.configCallsPerSecond;
  const fullReadRegionSeconds = perRegion(measured.fullReadCalls) / deployment.configCallsPerSecond;
  // Regions are swept `regionConcurrency` at a time, each paced on its own.
  const waves = Math.ceil(regions / Math.max(1, Math.min(deployment.regionConcurrency, regions)));
  const overheadSeconds = Math.max(0, measured.steadyOverheadMs) / 1000;
  const steadyInvocationSeconds = waves * steadyRegionSeconds + overheadSeconds;
  const fullReadInvocationSeconds = waves * fullReadRegionSeconds + overheadSeconds;
  const initSeconds = measured.coldStartMs / 1000;
  const lambdaGbSeconds = (steadySweepsPerMonth * steadyInvocationSeconds + fullReadsPerMonth * fullReadInvocationSeconds + sweepsPerMonth * initSeconds) * memoryGb;

  // DynamoDB reads: per region and sweep, measured unless an assumption replaces it (see ModelAssumptions).
  const readUnitsMeasured = assumptions.readUnitsPerRegionSweep === undefined;
  const readUnitsPerRegionSweep = assumptions.readUnitsPerRegionSweep ?? perRegion(measured.steadyReadUnits);
  const readUnits = sweepsPerMonth * regions * readUnitsPerRegionSweep;
  // Writes: lease and bookkeeping, reminders, and an assumed churn (the failing population turns over once a month).
  const failingPairs = regions * organization.packs * organization.accounts * organization.failureRate;
  const reminderIntervalHours = deployment.reminderIntervalSeconds / 3600;
  const remindersPerMonth = reminderIntervalHours > 0 ? failingPairs * (HOURS_PER_MONTH / reminderIntervalHours) : 0;
  const churnPerMonth = 2 * failingPairs;
  const bookkeepingItems = sweepsPerMonth * measured.steadyItemsWritten + fullReadsPerMonth * regions;
  const writeUnits = bookkeepingItems + (remindersPerMonth + churnPerMonth) * measured.writeUnitsPerItem;

  // SNS: worst case, a digest in every sweep (churn spread thin), plus the reminder wave in full-size parts (4 × 64 KB chunks).
  const reminderMessages =
    reminderIntervalHours > 0 ? (HOURS_PER_MONTH / reminderIntervalHours) * Math.ceil(failingPairs / Math.max(1, measured.changesPerMessage)) : 0;
  const digestMessages = Math.min(sweepsPerMonth, churnPerMonth);
  const publishRequests = digestMessages + reminderMessages * 4;
  const deliveries = digestMessages + reminderMessages;

  // Metrics sent by every sweep are billed every hour; those sent on events only (failures, skips) are not in the EMF of healthy runs.
  const metrics = countMetrics(measured.emf);
  const metricCount = metrics.global + metrics.perRegionKinds * regions;

  // The inventory: calls / rate per region, regions side by side; its metrics are billed for the hour they are sent in.
  // Its interval is the deployment's (0: off); the statuses present per pack stay an assumption.
  const inventory: InventoryAssumptions = { ...assumptions.inventory, intervalHours: deployment.inventoryIntervalSeconds / 3600 };
  const inventoriesPerMonth = inventory.intervalHours > 0 ? HOURS_PER_MONTH / inventory.intervalHours : 0;
  const inventoryCalls = inventoryCallsPerRegion(organization, inventory);
  const inventoryInvocationSeconds = waves * (inventoryCalls / deployment.configCallsPerSecond);
  const inventoryGbSeconds = inventoriesPerMonth * inventoryInvocationSeconds * memoryGb;
  const inventoryMetrics = regions * organization.packs * inventory.statusesPerPack;
  const inventoryMetricHours = inventoryMetrics * Math.min(inventoriesPerMonth, HOURS_PER_MONTH);

  const logBytes = sweepsPerMonth * (perRegion(measured.steadyLogBytes) * regions + 300);
  const scannedGbPerView = (logBytes / 1e9) * (assumptions.dashboardRangeDays / (HOURS_PER_MONTH / 24));
  const insightsGb = scannedGbPerView * deployment.logsInsightsWidgets * assumptions.dashboardViewsPerMonth;

  const lambdaPrice = (gbSeconds: number) => gbSeconds * PRICES.lambdaArmGbSecond;
  const freeLambdaGbSeconds = Math.min(lambdaGbSeconds + inventoryGbSeconds, FREE_TIER.lambdaGbSeconds);
  const lines: CostLine[] = [
    {
      item: `Lambda compute (${deployment.architecture}, ${deployment.memoryMb} MB)`,
      quantity:
        `${integer(lambdaGbSeconds)} GB-s = ${integer(steadySweepsPerMonth)} sweeps × ${fixed(steadyInvocationSeconds, 1)} s + ` +
        `${integer(fullReadsPerMonth)} full reads × ${fixed(fullReadInvocationSeconds, 1)} s + init ${fixed(initSeconds, 2)} s each`,
      monthlyUsd: lambdaPrice(lambdaGbSeconds),
      inScope: true,
      freeTierUsd: lambdaPrice(Math.min(lambdaGbSeconds, freeLambdaGbSeconds)),
    },
    {
      item: 'Lambda requests',
      quantity: `${integer(sweepsPerMonth)} invocations`,
      monthlyUsd: (sweepsPerMonth / 1e6) * PRICES.lambdaPerMillionRequests,
      inScope: true,
      freeTierUsd: (Math.min(sweepsPerMonth, FREE_TIER.lambdaRequests) / 1e6) * PRICES.lambdaPerMillionRequests,
    },
    {
      item: 'DynamoDB reads (on-demand)',
      quantity:
        `${integer(readUnits)} RRU = ${integer(sweepsPerMonth)} sweeps × ${regions} regions × ${fixed(readUnitsPerRegionSweep, 1)} RRU ` +
        (readUnitsMeasured
          ? `(measured per region and steady sweep on ${measured.caseName}, ${integer(failingPairs / regions)} failing records a region: the bookkeeping item; a pack's records are read only when it changes or a reminder falls due)`
          : '(assumed, not measured)'),
      monthlyUsd: (readUnits / 1e6) * PRICES.dynamoDbPerMillionReadUnits,
      inScope: true,
      freeTierUsd: 0,
    },
    {
      item: 'DynamoDB writes (on-demand)',
      quantity: `${integer(writeUnits)} WRU = lease/bookkeeping ${integer(bookkeepingItems)} + reminders ${integer(remindersPerMonth)} + churn ${integer(churnPerMonth)} (assumed)`,
      monthlyUsd: (writeUnits / 1e6) * PRICES.dynamoDbPerMillionWriteUnits,
      inScope: true,
      freeTierUsd: 0,
    },
    {
      item: 'SNS publishes + 1 email + 1 chat delivery',
      quantity: `${integer(publishRequests)} requests (64 KB chunks), ${integer(deliveries)} deliveries each`,
      monthlyUsd:
        (publishRequests / 1e6) * PRICES.snsPerMillionPublishes + (deliveries / 1e5) * PRICES.snsEmailPer100k + (deliveries / 1e6) * PRICES.snsHttpsPerMillion,
      inScope: true,
      freeTierUsd:
        (Math.min(publishRequests, FREE_TIER.snsPublishes) / 1e6) * PRICES.snsPerMillionPublishes +
        (Math.min(deliveries, FREE_TIER.snsEmailDeliveries) / 1e5) * PRICES.snsEmailPer100k +
        (Math.min(deliveries, FREE_TIER.snsHttpsDeliveries) / 1e6) * PRICES.snsHttpsPerMillion,
    },
    {
      item: 'CloudWatch custom metrics (every sweep)',
      quantity:
        `${metricCount} metrics sent every hour = ${metrics.global} with dimension service` +
        (metrics.perRegionKinds > 0 ? ` + ${metrics.perRegionKinds} per Region × ${regions}` : '') +
        (deployment.detailedMetrics ? ' (detailedMetrics on)' : ''),
      monthlyUsd: metricCount * PRICES.cloudWatchMetricMonth,
      inScope: true,
      freeTierUsd: Math.min(metricCount, FREE_TIER.cloudWatchMetrics) * PRICES.cloudWatchMetricMonth,
    },
    {
      item: 'CloudWatch alarms (standard)',
      quantity: `${deployment.alarms} alarms (from the template)`,
      monthlyUsd: deployment.alarms * PRICES.cloudWatchStandardAlarmMonth,
      inScope: true,
      freeTierUsd: Math.min(deployment.alarms, FREE_TIER.cloudWatchAlarms) * PRICES.cloudWatchStandardAlarmMonth,
    },
    {
      item: 'Inventory read: Lambda compute',
      quantity:
        inventoriesPerMonth > 0
          ? `${integer(inventoryGbSeconds)} GB-s = ${fixed(inventoriesPerMonth, 1)} reads × ${integer(inventoryCalls)} calls / ${deployment.configCallsPerSecond} per s ` +
            `(regions side by side${waves > 1 ? `, ${waves} waves` : ''}) = ${fixed(inventoryInvocationSeconds, 0)} s`
          : 'no inventory read',
      monthlyUsd: lambdaPrice(inventoryGbSeconds),
      inScope: true,
      freeTierUsd: lambdaPrice(freeLambdaGbSeconds - Math.min(lambdaGbSeconds, freeLambdaGbSeconds)),
    },
    {
      item: 'Inventory read: AccountsByStatus metrics',
      quantity:
        inventoriesPerMonth > 0
          ? `${integer(inventoryMetricHours)} metric-hours = ${integer(inventoryMetrics)} metrics (${regions} regions × ${organization.packs} packs × ` +
            `${inventory.statusesPerPack} statuses, assumed) × ${fixed(Math.min(inventoriesPerMonth, HOURS_PER_MONTH), 1)} hours sent; ÷ ${HOURS_PER_MONTH} h`
          : 'no inventory read',
      monthlyUsd: (inventoryMetricHours / HOURS_PER_MONTH) * PRICES.cloudWatchMetricMonth,
      inScope: true,
      freeTierUsd: 0,
    },
    {
      item: 'CloudWatch Logs ingestion (logs + EMF)',
      quantity: `${fixed(logBytes / 1e9, 3)} GB`,
      monthlyUsd: (logBytes / 1e9) * PRICES.cloudWatchLogsIngestPerGb,
      inScope: false,
      freeTierUsd: 0,
    },
    {
      item: 'Logs Insights (dashboard widgets)',
      quantity:
        `${fixed(insightsGb, 1)} GB scanned = ${assumptions.dashboardViewsPerMonth} views (assumed) × ${deployment.logsInsightsWidgets} widgets × ` +
        `${fixed(scannedGbPerView, 2)} GB (${assumptions.dashboardRangeDays} days of log)`,
      monthlyUsd: insightsGb * PRICES.cloudWatchLogsInsightsPerGbScanned,
      inScope: false,
      freeTierUsd: 0,
    },
    {
      item: 'EventBridge change events',
      quantity: `${integer(remindersPerMonth + churnPerMonth)} events`,
      monthlyUsd: ((remindersPerMonth + churnPerMonth) / 1e6) * PRICES.eventBridgePerMillionEvents,
      inScope: false,
      freeTierUsd: 0,
    },
    {
      item: 'CloudWatch dashboard',
      quantity: `${deployment.dashboards} dashboard(s), billed when the account already has 3 (the first 3 are free)`,
      monthlyUsd: deployment.dashboards * PRICES.cloudWatchDashboardMonth,
      inScope: false,
      freeTierUsd: 0,
    },
    {
      item: 'KMS customer managed key (+ requests)',
      quantity: `1 key, ~${integer(sweepsPerMonth * 2)} requests`,
      monthlyUsd: PRICES.kmsKeyMonth + ((sweepsPerMonth * 2) / 1e4) * PRICES.kmsPer10kRequests,
      inScope: false,
      freeTierUsd: 0,
    },
  ];
  const sum = (selected: readonly CostLine[], value: (line: CostLine) => number) => selected.reduce((total, line) => total + value(line), 0);
  const inScope = lines.filter((line) => line.inScope);
  const periodSeconds = deployment.scheduleMinutes * 60;
  return {
    organization,
    deployment,
    assumptions: { ...assumptions, inventory },
    sweepsPerMonth,
    fullReadsPerMonth,
    steadyRegionSeconds,
    fullReadRegionSeconds,
    waves,
    steadyInvocationSeconds,
    fullReadInvocationSeconds,
    timeToAlert: {
      worstSteadySeconds: periodSeconds + steadyInvocationSeconds,
      worstSeconds: periodSeconds + Math.max(steadyInvocationSeconds, fullReadInvocationSeconds),
      averageSeconds: periodSeconds / 2 + steadyInvocationSeconds,
      laggingSummarySeconds: deployment.fullReadIntervalSeconds + periodSeconds + fullReadInvocationSeconds,
    },
    readUnitsPerRegionSweep,
    readUnitsMeasured,
    metrics,
    lines,
    inScopeUsd: sum(inScope, (line) => line.monthlyUsd),
    totalUsd: sum(lines, (line) => line.monthlyUsd),
    freeTierUsd: sum(inScope, (line) => line.freeTierUsd),
  };
}

/**
 * The longest `rate(N minutes)` whose worst case (a period, then the slowest sweep) alerts within `aimSeconds`;
 * undefined when even one minute is too long.
 */
export function scheduleMinutesWithin(model: CostModel, aimSeconds: number = AIM_ALERT_SECONDS): number | undefined {
  const slowest = Math.max(model.steadyInvocationSeconds, model.fullReadInvocationSeconds);
  const minutes = Math.floor((aimSeconds - slowest) / 60);
  return minutes >= 1 ? minutes : undefined;
}

export function duration(secondsValue: number): string {
  if (secondsValue >= 3600) return `${(secondsValue / 3600).toFixed(1)} h`;
  if (secondsValue >= 60) return `${Math.floor(secondsValue / 60)} min ${Math.round(secondsValue % 60)} s`;
  return `${secondsValue.toFixed(1)} s`;
}

/** The model as text (Markdown), for the terminal and RESULTS.md; `within` is the same model at the schedule that meets the aim. */
export function renderCostModel(model: CostModel, measured: MeasuredInputs, runDate: string, within?: CostModel): string {
  const { organization, deployment, timeToAlert } = model;
  const lines = model.lines.slice().sort((a, b) => Number(b.inScope) - Number(a.inScope) || b.monthlyUsd - a.monthlyUsd);
  const table = markdownTable(
    ['item', 'quantity per month', 'USD / month'],
    lines.map((line) => [`${line.item}${line.inScope ? '' : ' †'}`, line.quantity, usd(line.monthlyUsd)]),
    new Set([2]),
  );
  const inScope = model.lines.filter((line) => line.inScope).sort((a, b) => b.monthlyUsd - a.monthlyUsd);
  const top = inScope[0]!;
  const rest = model.inScopeUsd - top.monthlyUsd;
  const aimMet = model.inScopeUsd < AIM_USD;
  const withoutInventory = model.inScopeUsd - model.lines.filter((line) => line.item.startsWith('Inventory')).reduce((total, line) => total + line.monthlyUsd, 0);
  const p = PRICES;
  const contextText = Object.entries(deployment.context)
    .map(([key, value]) => `${key}=${key === 'regions' ? `<${value.split(',').length} regions>` : value}`)
    .join(' ');
  return [
    `Deployment: the stack synthesized with \`${contextText}\` (the rest its defaults), read from the template: ${deployment.regions} regions, ` +
      `\`${deployment.scheduleExpression}\` (${integer(model.sweepsPerMonth)} sweeps a month; a full read every ${fixed(deployment.fullReadIntervalSeconds / 3600, 0)} h = ` +
      `${integer(model.fullReadsPerMonth)}), ${deployment.memoryMb} MB ${deployment.architecture}, region concurrency ${deployment.regionConcurrency}, ` +
      `${deployment.configCallsPerSecond} Config calls/s per region, ${deployment.alarms} alarms, ${deployment.dashboards} dashboard. ` +
      `Organization: ${integer(organization.accounts)} accounts × ${organization.packs} packs, ${(organization.failureRate * 100).toFixed(1)}% of deployments failing.`,
    '',
    `- Per-region sweep at ${deployment.configCallsPerSecond} calls/s (the emulated limit): steady ${fixed(model.steadyRegionSeconds, 1)} s ` +
      `(${integer(measured.steadyCalls / measured.measuredRegions)} calls), full read ${fixed(model.fullReadRegionSeconds, 1)} s ` +
      `(${integer(measured.fullReadCalls / measured.measuredRegions)} calls).`,
    `- Invocation (${deployment.regions} regions, ${deployment.regionConcurrency} at a time = ${model.waves} wave${model.waves > 1 ? 's' : ''}, ` +
      `+ ${fixed(measured.steadyOverheadMs / 1000, 1)} s measured overhead): steady ${duration(model.steadyInvocationSeconds)}, full read ${duration(model.fullReadInvocationSeconds)}.`,
    `- Time from a failure to its alert (alerts go out when the sweep ends): at most one period + one sweep = ` +
      `${duration(timeToAlert.worstSteadySeconds)} (${duration(timeToAlert.worstSeconds)} when the next sweep is a full read), ` +
      `${duration(timeToAlert.averageSeconds)} on average (half a period + a sweep). The \`${deployment.scheduleExpression}\` schedule therefore ` +
      `${timeToAlert.worstSeconds <= AIM_ALERT_SECONDS ? 'meets' : 'misses'} "within ${AIM_ALERT_SECONDS / 60} minutes" in the worst case` +
      (within
        ? `; \`rate(${within.deployment.scheduleMinutes} minutes)\` meets it (at most ${duration(within.timeToAlert.worstSeconds)}, ` +
          `${duration(within.timeToAlert.averageSeconds)} on average) for ${usd(within.inScopeUsd)}/month in scope (${usd(within.totalUsd)} with †).`
        : '.') +
      ` A failure hidden by a lagging summary (pack skipped as *_SUCCESSFUL with nothing recorded) waits for the next full read: up to ${duration(timeToAlert.laggingSummarySeconds)}.`,
    `- Metrics counted from the EMF the handler printed: ${model.metrics.names.join(', ')}` +
      ` (\`SweepFailures\` and \`SweepSkipped\` are sent only when they happen, billed only for those hours).`,
    `- DynamoDB reads: ${fixed(model.readUnitsPerRegionSweep, 1)} RRU per region and sweep, ` +
      (model.readUnitsMeasured
        ? `measured on the steady run (assumes the measured region holds as many failing records as one of the model's, here the same organization); it follows the bench when the reads change.`
        : 'an assumption (ModelAssumptions.readUnitsPerRegionSweep), not a measurement.'),
    `- Inventory read (every ${fixed(model.assumptions.inventory.intervalHours, 0)} h, from the template): ` +
      `${integer(inventoryCallsPerRegion(organization, model.assumptions.inventory))} unfiltered calls per region, ` +
      `and one \`AccountsByStatus\` metric per region, pack and status present, each billed for the hour it is sent in.`,
    '',
    table,
    '',
    `Total in the issue's scope (Lambda, DynamoDB, SNS, CloudWatch metrics and alarms, the inventory read): **${usd(model.inScopeUsd)}/month** ` +
      `(${usd(withoutInventory)} without the inventory read); with the items marked † (also billed by the stack as built): ${usd(model.totalUsd)}/month. ` +
      `The < ${AIM_USD} USD/month aim is **${aimMet ? 'met' : 'missed'}**` +
      (aimMet ? '.' : ` by ${usd(model.inScopeUsd - AIM_USD)}.`) +
      ` ${top.item} ${top.item.endsWith('s') ? 'are' : 'is'} the largest: ${usd(top.monthlyUsd)}, against ${usd(rest)} for everything else in scope. ` +
      `The account's always-free tier (${integer(FREE_TIER.lambdaGbSeconds)} Lambda GB-s and ${integer(FREE_TIER.lambdaRequests / 1e6)} M requests, ` +
      `${FREE_TIER.cloudWatchMetrics} metrics, ${FREE_TIER.cloudWatchAlarms} alarms, ${integer(FREE_TIER.snsPublishes / 1e6)} M SNS publishes, ` +
      `${integer(FREE_TIER.snsEmailDeliveries)} emails and ${integer(FREE_TIER.snsHttpsDeliveries)} HTTPS deliveries a month) would cover ${usd(model.freeTierUsd)} of the in-scope total ` +
      `(leaving ${usd(model.inScopeUsd - model.freeTierUsd)}) if nothing else in the account used it; it is not deducted above.`,
    '',
    `Prices (us-east-1 list prices, checked ${p.checkedOn}; bench run ${runDate}): Lambda arm64 $${p.lambdaArmGbSecond}/GB-s, ` +
      `$${p.lambdaPerMillionRequests}/M requests; DynamoDB on-demand $${p.dynamoDbPerMillionReadUnits}/M RRU, $${p.dynamoDbPerMillionWriteUnits}/M WRU (since 2024-11-01); ` +
      `SNS $${p.snsPerMillionPublishes}/M publishes (64 KB chunks), email $${p.snsEmailPer100k}/100k, HTTPS $${p.snsHttpsPerMillion}/M; ` +
      `CloudWatch $${p.cloudWatchMetricMonth}/metric-month (first 10,000; prorated by the hour sent), $${p.cloudWatchStandardAlarmMonth}/standard alarm-month, ` +
      `logs $${p.cloudWatchLogsIngestPerGb}/GB ingested, Logs Insights $${p.cloudWatchLogsInsightsPerGbScanned}/GB scanned, $${p.cloudWatchDashboardMonth}/dashboard-month beyond 3; ` +
      `EventBridge $${p.eventBridgePerMillionEvents}/M events; KMS $${p.kmsKeyMonth}/key-month, $${p.kmsPer10kRequests}/10k requests. ` +
      `Assumptions: reminders every ${fixed(deployment.reminderIntervalSeconds / 3600, 0)} h rewrite each failing record; the failing population turns over once a month; ` +
      `a digest in every sweep (worst case) plus the reminder wave; init (${fixed(measured.coldStartMs, 0)} ms measured here) billed on every invocation; ` +
      `the period after which a failure is seen does not include EventBridge's own scheduling delay.`,
  ].join('\n');
}
