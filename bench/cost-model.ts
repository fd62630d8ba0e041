import type { EmfDocument } from './child.js';
import { markdownTable, fixed, integer, usd } from './table.js';

/**
 * us-east-1 list prices used by the model. As known on 2025-06 (the author's latest knowledge; DynamoDB
 * on-demand after its 2024-11-01 price cut); the bench ran later, so verify them on the AWS pricing pages.
 */
export const PRICES = {
  knownOn: '2025-06',
  /** Lambda arm64, per GB-second (first 7.5 billion GB-s a month). */
  lambdaArmGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  /** Lambda's always-free tier per account and month (not deducted below: other functions may use it). */
  lambdaFreeGbSeconds: 400_000,
  dynamoDbPerMillionReadUnits: 0.125,
  dynamoDbPerMillionWriteUnits: 0.625,
  /** Per million publish requests; each 64 KB chunk of a message is one request. */
  snsPerMillionPublishes: 0.5,
  snsEmailPer100k: 2.0,
  snsHttpsPerMillion: 0.6,
  cloudWatchMetricMonth: 0.3,
  cloudWatchStandardAlarmMonth: 0.1,
  cloudWatchLogsIngestPerGb: 0.5,
  eventBridgePerMillionEvents: 1.0,
  /** Per dashboard and month beyond the first three of an account. */
  cloudWatchDashboardMonth: 3.0,
  kmsKeyMonth: 1.0,
  kmsPer10kRequests: 0.03,
} as const;

/** AWS bills a month as 730 hours. */
const HOURS_PER_MONTH = 730;

export interface DeploymentSize {
  readonly regions: number;
  readonly packs: number;
  readonly accounts: number;
  readonly scheduleMinutes: number;
  /** Share of (pack, account) deployments failing. */
  readonly failureRate: number;
}

export const REAL_DEPLOYMENT: DeploymentSize = { regions: 17, packs: 50, accounts: 10_000, scheduleMinutes: 5, failureRate: 0.001 };

/** What the model takes from the bench's measurements and the stack's settings. */
export interface MeasuredInputs {
  /** Regions of the measured case (per-region figures are divided by it). */
  readonly measuredRegions: number;
  /** Config calls of the steady run (summaries in use), all measured regions. */
  readonly steadyCalls: number;
  /** Config calls of the first run (a full read), all measured regions. */
  readonly fullReadCalls: number;
  /** Measured wall time of the steady run beyond its calls / rate bound (lease, state, publishing). */
  readonly steadyOverheadMs: number;
  /** Consistent read units of the steady run (the state Query), all measured regions. */
  readonly steadyReadUnits: number;
  /** Items the steady run wrote (no changes: the lease and bookkeeping only). */
  readonly steadyItemsWritten: number;
  /** Write units per changed item, measured on the change run. */
  readonly writeUnitsPerItem: number;
  /** Changes per SNS message, measured on the first run (many new failures, split into parts). */
  readonly changesPerMessage: number;
  /** Logs and EMF bytes the steady run printed, all measured regions. */
  readonly steadyLogBytes: number;
  /** Distinct CloudWatch metrics the handler emitted over the case's runs. */
  readonly emf: readonly EmfDocument[];
  readonly coldStartMs: number;
  /** From the stack. */
  readonly memoryMb: number;
  readonly regionConcurrency: number;
  readonly callsPerSecond: number;
  readonly fullReadIntervalHours: number;
  readonly reminderIntervalHours: number;
  /** CloudWatch alarms of the stack; undefined when unknown. */
  readonly alarms: number | undefined;
  /** CloudWatch dashboards of the stack; undefined when unknown. */
  readonly dashboards: number | undefined;
}

export interface CostLine {
  readonly item: string;
  readonly quantity: string;
  readonly monthlyUsd: number;
  /** In the list (Lambda, DynamoDB, SNS, CloudWatch metrics and alarms), or also billed. */
  readonly inScope: boolean;
}

export interface CostModel {
  readonly size: DeploymentSize;
  readonly sweepsPerMonth: number;
  readonly fullReadsPerMonth: number;
  readonly steadyRegionSeconds: number;
  readonly fullReadRegionSeconds: number;
  readonly steadyInvocationSeconds: number;
  readonly fullReadInvocationSeconds: number;
  readonly worstAlertSeconds: number;
  readonly typicalAlertSeconds: number;
  readonly laggingSummaryAlertSeconds: number;
  readonly metrics: MetricCount;
  readonly alarms: number;
  readonly alarmsAssumed: boolean;
  readonly lines: readonly CostLine[];
  readonly inScopeUsd: number;
  readonly totalUsd: number;
  /** The same deployment with every region swept at once (region concurrency ≥ regions). */
  readonly allRegionsAtOnce: { readonly invocationSeconds: number; readonly worstAlertSeconds: number; readonly lambdaUsd: number };
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

/** The stack's alarm count when the template has alarms; the "about 5" otherwise. */
const ASSUMED_ALARMS = 5;

export function costModel(measured: MeasuredInputs, size: DeploymentSize = REAL_DEPLOYMENT): CostModel {
  const perRegion = (value: number) => value / measured.measuredRegions;
  const sweepsPerMonth = (HOURS_PER_MONTH * 60) / size.scheduleMinutes;
  const fullReadsPerMonth = HOURS_PER_MONTH / measured.fullReadIntervalHours;
  const steadyRegionSeconds = perRegion(measured.steadyCalls) / measured.callsPerSecond;
  const fullReadRegionSeconds = perRegion(measured.fullReadCalls) / measured.callsPerSecond;
  const overheadSeconds = Math.max(0, measured.steadyOverheadMs) / 1000;
  const invocationSeconds = (regionSeconds: number, concurrency: number) =>
    Math.ceil(size.regions / Math.max(1, Math.min(concurrency, size.regions))) * regionSeconds + overheadSeconds;
  const steadyInvocationSeconds = invocationSeconds(steadyRegionSeconds, measured.regionConcurrency);
  const fullReadInvocationSeconds = invocationSeconds(fullReadRegionSeconds, measured.regionConcurrency);
  const gbSeconds = (steady: number, full: number) =>
    ((sweepsPerMonth - fullReadsPerMonth) * steady + fullReadsPerMonth * full + sweepsPerMonth * (measured.coldStartMs / 1000)) * (measured.memoryMb / 1024);
  const lambdaGbSeconds = gbSeconds(steadyInvocationSeconds, fullReadInvocationSeconds);

  // DynamoDB: one consistent Query per region and sweep, sized by the failing items; writes: lease and bookkeeping, then changes.
  const failingPairs = size.regions * size.packs * size.accounts * size.failureRate;
  const readUnits = sweepsPerMonth * size.regions * perRegion(measured.steadyReadUnits);
  const remindersPerMonth = measured.reminderIntervalHours > 0 ? failingPairs * (HOURS_PER_MONTH / measured.reminderIntervalHours) : 0;
  // Assumed churn: the failing population turns over once a month (as many new failures as recoveries).
  const churnPerMonth = 2 * failingPairs;
  const bookkeepingItems = sweepsPerMonth * measured.steadyItemsWritten + fullReadsPerMonth * size.regions;
  const writeUnits = bookkeepingItems + (remindersPerMonth + churnPerMonth) * measured.writeUnitsPerItem;

  // SNS: worst case, a digest in every sweep (churn spread thin), plus the daily reminder wave in full-size parts.
  const reminderMessages = measured.reminderIntervalHours > 0 ? (HOURS_PER_MONTH / measured.reminderIntervalHours) * Math.ceil(failingPairs / Math.max(1, measured.changesPerMessage)) : 0;
  const digestMessages = Math.min(sweepsPerMonth, churnPerMonth);
  const publishRequests = digestMessages + reminderMessages * 4;
  const deliveries = digestMessages + reminderMessages;

  const metrics = countMetrics(measured.emf);
  const metricCount = metrics.global + metrics.perRegionKinds * size.regions;
  const alarmsAssumed = measured.alarms === undefined || measured.alarms === 0;
  const alarms = alarmsAssumed ? ASSUMED_ALARMS : measured.alarms!;
  const logBytes = sweepsPerMonth * (perRegion(measured.steadyLogBytes) * size.regions + 300);

  const lines: CostLine[] = [
    {
      item: `Lambda compute (arm64, ${measured.memoryMb} MB)`,
      quantity: `${integer(lambdaGbSeconds)} GB-s = ${integer(sweepsPerMonth - fullReadsPerMonth)} × ${fixed(steadyInvocationSeconds, 1)} s + ${integer(fullReadsPerMonth)} full reads × ${fixed(fullReadInvocationSeconds, 1)} s (+ init)`,
      monthlyUsd: lambdaGbSeconds * PRICES.lambdaArmGbSecond,
      inScope: true,
    },
    { item: 'Lambda requests', quantity: `${integer(sweepsPerMonth)} invocations`, monthlyUsd: (sweepsPerMonth / 1e6) * PRICES.lambdaPerMillionRequests, inScope: true },
    {
      item: 'DynamoDB reads (on-demand)',
      quantity: `${integer(readUnits)} RRU = ${integer(sweepsPerMonth)} sweeps × ${size.regions} regions × ${fixed(perRegion(measured.steadyReadUnits), 0)} RRU (consistent Query of ${integer(failingPairs / size.regions)} failing items)`,
      monthlyUsd: (readUnits / 1e6) * PRICES.dynamoDbPerMillionReadUnits,
      inScope: true,
    },
    {
      item: 'DynamoDB writes (on-demand)',
      quantity: `${integer(writeUnits)} WRU = lease/bookkeeping ${integer(bookkeepingItems)} + reminders ${integer(remindersPerMonth)} + churn ${integer(churnPerMonth)} (assumed)`,
      monthlyUsd: (writeUnits / 1e6) * PRICES.dynamoDbPerMillionWriteUnits,
      inScope: true,
    },
    {
      item: 'SNS publishes + 1 email + 1 chat delivery',
      quantity: `${integer(publishRequests)} requests (64 KB chunks), ${integer(deliveries)} deliveries each`,
      monthlyUsd:
        (publishRequests / 1e6) * PRICES.snsPerMillionPublishes + (deliveries / 1e5) * PRICES.snsEmailPer100k + (deliveries / 1e6) * PRICES.snsHttpsPerMillion,
      inScope: true,
    },
    {
      item: 'CloudWatch custom metrics',
      quantity: `${metricCount} metrics = ${metrics.global} (namespace Packwatch, dimension service) + ${metrics.perRegionKinds} per Region × ${size.regions}`,
      monthlyUsd: metricCount * PRICES.cloudWatchMetricMonth,
      inScope: true,
    },
    {
      item: 'CloudWatch alarms (standard)',
      quantity: `${alarms} alarms${alarmsAssumed ? ' (assumed: the template has none yet)' : ' (from the template)'}`,
      monthlyUsd: alarms * PRICES.cloudWatchStandardAlarmMonth,
      inScope: true,
    },
    {
      item: 'CloudWatch Logs ingestion (logs + EMF)',
      quantity: `${fixed(logBytes / 1e9, 3)} GB`,
      monthlyUsd: (logBytes / 1e9) * PRICES.cloudWatchLogsIngestPerGb,
      inScope: false,
    },
    {
      item: 'EventBridge change events',
      quantity: `${integer(remindersPerMonth + churnPerMonth)} events`,
      monthlyUsd: ((remindersPerMonth + churnPerMonth) / 1e6) * PRICES.eventBridgePerMillionEvents,
      inScope: false,
    },
    {
      item: 'CloudWatch dashboard',
      quantity: `${measured.dashboards ?? 0} dashboard(s)${measured.dashboards === undefined ? ' (unknown without the template)' : ''}; the first 3 of an account are free`,
      monthlyUsd: (measured.dashboards ?? 0) * PRICES.cloudWatchDashboardMonth,
      inScope: false,
    },
    {
      item: 'KMS customer managed key (+ requests)',
      quantity: `1 key, ~${integer(sweepsPerMonth * 2)} requests`,
      monthlyUsd: PRICES.kmsKeyMonth + ((sweepsPerMonth * 2) / 1e4) * PRICES.kmsPer10kRequests,
      inScope: false,
    },
  ];
  const inScopeUsd = lines.filter((line) => line.inScope).reduce((sum, line) => sum + line.monthlyUsd, 0);
  const totalUsd = lines.reduce((sum, line) => sum + line.monthlyUsd, 0);
  const periodSeconds = size.scheduleMinutes * 60;
  const atOnceSeconds = invocationSeconds(steadyRegionSeconds, size.regions);
  return {
    size,
    sweepsPerMonth,
    fullReadsPerMonth,
    steadyRegionSeconds,
    fullReadRegionSeconds,
    steadyInvocationSeconds,
    fullReadInvocationSeconds,
    // Alerts go out when the whole sweep ends: a failure that appears just after its pack was read waits a period, then a sweep.
    worstAlertSeconds: periodSeconds + steadyInvocationSeconds,
    typicalAlertSeconds: periodSeconds / 2 + steadyInvocationSeconds,
    laggingSummaryAlertSeconds: measured.fullReadIntervalHours * 3600 + periodSeconds + fullReadInvocationSeconds,
    metrics,
    alarms,
    alarmsAssumed,
    lines,
    inScopeUsd,
    totalUsd,
    allRegionsAtOnce: {
      invocationSeconds: atOnceSeconds,
      worstAlertSeconds: periodSeconds + atOnceSeconds,
      lambdaUsd: gbSeconds(atOnceSeconds, invocationSeconds(fullReadRegionSeconds, size.regions)) * PRICES.lambdaArmGbSecond,
    },
  };
}

function duration(secondsValue: number): string {
  if (secondsValue >= 3600) return `${(secondsValue / 3600).toFixed(1)} h`;
  if (secondsValue >= 60) return `${Math.floor(secondsValue / 60)} min ${Math.round(secondsValue % 60)} s`;
  return `${secondsValue.toFixed(1)} s`;
}

/** The model as text (Markdown), for the terminal and RESULTS.md. */
export function renderCostModel(model: CostModel, measured: MeasuredInputs, runDate: string): string {
  const { size } = model;
  const lines = model.lines
    .slice()
    .sort((a, b) => Number(b.inScope) - Number(a.inScope) || b.monthlyUsd - a.monthlyUsd);
  const table = markdownTable(
    ['item', 'quantity per month', 'USD / month'],
    lines.map((line) => [`${line.item}${line.inScope ? '' : ' †'}`, line.quantity, usd(line.monthlyUsd)]),
    new Set([2]),
  );
  const inScope = model.lines.filter((line) => line.inScope).sort((a, b) => b.monthlyUsd - a.monthlyUsd);
  const top = inScope[0]!;
  const rest = model.inScopeUsd - top.monthlyUsd;
  const aimMet = model.inScopeUsd < 1;
  const p = PRICES;
  return [
    `Deployment: ${integer(size.accounts)} accounts × ${size.packs} packs × ${size.regions} regions, swept every ${size.scheduleMinutes} min ` +
      `(${integer(model.sweepsPerMonth)} sweeps a month, a full read every ${measured.fullReadIntervalHours} h = ${integer(model.fullReadsPerMonth)}), ` +
      `${(size.failureRate * 100).toFixed(1)}% of deployments failing; ${measured.callsPerSecond} Config calls/s per region, region concurrency ${measured.regionConcurrency}, ` +
      `${measured.memoryMb} MB arm64.`,
    '',
    `- Per-region sweep at ${measured.callsPerSecond} calls/s: steady ${fixed(model.steadyRegionSeconds, 1)} s (${integer(measured.steadyCalls / measured.measuredRegions)} calls), ` +
      `full read ${fixed(model.fullReadRegionSeconds, 1)} s (${integer(measured.fullReadCalls / measured.measuredRegions)} calls).`,
    `- Invocation (${size.regions} regions, ${measured.regionConcurrency} at a time = ${Math.ceil(size.regions / Math.min(measured.regionConcurrency, size.regions))} waves, ` +
      `+ ${fixed(measured.steadyOverheadMs / 1000, 1)} s measured overhead): steady ${duration(model.steadyInvocationSeconds)}, full read ${duration(model.fullReadInvocationSeconds)}.`,
    `- Time from a failure to its alert: at most ${duration(model.worstAlertSeconds)} (schedule period + sweep; alerts go out when the sweep ends), ` +
      `${duration(model.typicalAlertSeconds)} on average. A failure hidden by a lagging summary (pack skipped as *_SUCCESSFUL with nothing recorded) ` +
      `waits for the next full read: up to ${duration(model.laggingSummaryAlertSeconds)}. ` +
      `With every region swept at once (region concurrency ≥ ${size.regions}): sweep ${duration(model.allRegionsAtOnce.invocationSeconds)}, ` +
      `at most ${duration(model.allRegionsAtOnce.worstAlertSeconds)}, Lambda ${usd(model.allRegionsAtOnce.lambdaUsd)}/month.`,
    `- Metrics counted from the EMF the handler printed: ${model.metrics.names.join(', ')}.`,
    '',
    table,
    '',
    `Total in the issue's scope (Lambda, DynamoDB, SNS, CloudWatch metrics and alarms): **${usd(model.inScopeUsd)}/month**; ` +
      `with the items marked † (also billed by the stack as built): ${usd(model.totalUsd)}/month. ` +
      `The < 1 USD/month aim is **${aimMet ? 'met' : 'missed'}**` +
      (aimMet ? '.' : ` by ${usd(model.inScopeUsd - 1)} (${fixed(model.inScopeUsd, 2)}×).`) +
      ` ${top.item} dominate${top.item.endsWith('s') ? '' : 's'}: ${usd(top.monthlyUsd)}, ${fixed(top.monthlyUsd / Math.max(rest, 1e-9), 1)}× everything else in scope together (${usd(rest)}). ` +
      `Lambda's free tier (${integer(p.lambdaFreeGbSeconds)} GB-s and 1 M requests a month per account) is not deducted.`,
    '',
    `Prices (us-east-1 list prices as known on ${p.knownOn}, bench run ${runDate}; verify): Lambda arm64 $${p.lambdaArmGbSecond}/GB-s, ` +
      `$${p.lambdaPerMillionRequests}/M requests; DynamoDB on-demand $${p.dynamoDbPerMillionReadUnits}/M RRU, $${p.dynamoDbPerMillionWriteUnits}/M WRU; ` +
      `SNS $${p.snsPerMillionPublishes}/M publishes (64 KB chunks), email $${p.snsEmailPer100k}/100k, HTTPS $${p.snsHttpsPerMillion}/M; ` +
      `CloudWatch $${p.cloudWatchMetricMonth}/metric-month, $${p.cloudWatchStandardAlarmMonth}/standard alarm-month, logs $${p.cloudWatchLogsIngestPerGb}/GB ingested, ` +
      `$${p.cloudWatchDashboardMonth}/dashboard-month beyond 3; ` +
      `EventBridge $${p.eventBridgePerMillionEvents}/M events; KMS $${p.kmsKeyMonth}/key-month, $${p.kmsPer10kRequests}/10k requests. ` +
      `Assumptions: reminders every ${measured.reminderIntervalHours} h rewrite each failing record; the failing population turns over once a month; ` +
      `a digest in every sweep (worst case) plus the daily reminder wave; cold-start init (${fixed(measured.coldStartMs, 0)} ms) billed on every invocation.`,
  ].join('\n');
}
