/** Powertools service name and metric namespace; the stack sets the same values as POWERTOOLS_* variables. */
export const SERVICE_NAME = 'packwatch';
export const METRICS_NAMESPACE = 'Packwatch';

/** The log line the sweep writes once per region it swept; the dashboard's "last sweep" widget reads it. */
export const REGION_SWEPT_MESSAGE = 'Region swept';
/**
 * The log line the sweep writes once per pack, with `region`, `conformancePack`, `outcome` and
 * `failingAccounts`; the dashboard's "by pack" widget reads it (a log line, not a per-pack metric:
 * custom metrics are billed per name and dimension set).
 */
export const PACK_SWEPT_MESSAGE = 'Pack swept';
/**
 * The log line the inventory writes once per pack whose count completed, with `region`, `conformancePack`,
 * `accounts` and `counts` (accounts per status, statuses with none left out), for Logs Insights.
 */
export const INVENTORY_PACK_COUNTED_MESSAGE = 'Pack inventoried';
/** The metric of the inventory: accounts per Region, ConformancePack and Status (only statuses with accounts). */
export const ACCOUNTS_BY_STATUS_METRIC = 'AccountsByStatus';
