/** Powertools service name and metric namespace; the stack sets the same values as POWERTOOLS_* variables. */
export const SERVICE_NAME = 'packwatch';
export const METRICS_NAMESPACE = 'Packwatch';

/** The log line the sweep writes once per region it swept; the dashboard's "by region" widgets read it. */
export const REGION_SWEPT_MESSAGE = 'Region swept';
/**
 * The log line the sweep writes once per pack, with `region`, `conformancePack`, `outcome` and
 * `failingAccounts`; the dashboard's "by pack" widget reads it (a log line, not a per-pack metric:
 * custom metrics are billed per name and dimension set).
 */
export const PACK_SWEPT_MESSAGE = 'Pack swept';
/**
 * The log line the handler writes once per sweep with every number of the sweep (`summary.*`, `counters.*`,
 * `packsSwept`, `durationMs` …): the dashboard's Logs Insights widgets graph what is not a metric.
 */
export const SWEEP_FINISHED_MESSAGE = 'Sweep finished';
/** The log line (level ERROR) of an invocation that failed, with the error and the sweep's `counters.*`. */
export const SWEEP_FAILED_MESSAGE = 'Sweep failed';

/**
 * The custom metrics every deployment emits (dimension `service` only): what the alarms and the dashboard's main
 * graph read. Each metric sent in an hour is billed for that hour ($0.30 a month when sent every hour), so the set is
 * small; `SweepFailures` and `SweepSkipped` are sent only when they happen and cost nothing otherwise.
 */
export const ESSENTIAL_METRICS = {
  /** 1 on every sweep that finished: the "no successful sweep" alarm's heartbeat. */
  sweepSucceeded: 'SweepSucceeded',
  /** 1 when packs were deferred to the next sweep, else 0: the "sweeps incomplete" alarm. */
  sweepIncomplete: 'SweepIncomplete',
  /** (pack, account) deployments failing after the sweep, all regions. */
  failingAccounts: 'FailingAccounts',
  /** New failures alerted by the sweep. */
  newFailures: 'NewFailures',
  /** 1 when the invocation failed; sent only then. */
  sweepFailures: 'SweepFailures',
  /** 1 when another sweep held the lease; sent only then. */
  sweepSkipped: 'SweepSkipped',
} as const;

/** Sent too when the stack's `detailedMetrics` is on (otherwise these numbers are only in the "Sweep finished" log line). */
export const DETAILED_METRICS = {
  changedFailures: 'ChangedFailures',
  reminders: 'Reminders',
  recoveries: 'Recoveries',
  stuckDeployments: 'StuckDeployments',
  mutedFailures: 'MutedFailures',
  packsSwept: 'PacksSwept',
  packsSkipped: 'PacksSkipped',
  packsDeferred: 'PacksDeferred',
  alertsPublished: 'AlertsPublished',
  apiCalls: 'ApiCalls',
  throttles: 'Throttles',
  sweepErrors: 'SweepErrors',
  malformedRecords: 'MalformedRecords',
  sweepDurationMs: 'SweepDurationMs',
} as const;

/** The dimension of the detailed per-region `FailingAccounts` metric. */
export const REGION_DIMENSION = 'Region';

/**
 * The log line the inventory writes once per pack whose count completed, with `region`, `conformancePack`,
 * `accounts` and `counts` (accounts per status, statuses with none left out), for Logs Insights.
 */
export const INVENTORY_PACK_COUNTED_MESSAGE = 'Pack inventoried';
/** The metric of the inventory: accounts per Region, ConformancePack and Status (only statuses with accounts). */
export const ACCOUNTS_BY_STATUS_METRIC = 'AccountsByStatus';
