import { Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';
import type { Log } from './log.js';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { parsePackId } from './domain/pack-id.js';
import { presentStatuses } from './domain/status-counts.js';
import { ACCOUNTS_BY_STATUS_METRIC, METRICS_NAMESPACE, SERVICE_NAME } from './observability-names.js';
import type { StatusCountRecorder } from './ports.js';


/** Created once per process, as Powertools recommends. */
export const logger = new Logger({ serviceName: SERVICE_NAME });
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });

/** The use case's Log port, written to the Powertools logger. */
export const sweepLog: Log = {
  info: (message, attributes = {}) => logger.info(message, attributes as LogAttributes),
  warn: (message, attributes = {}) => logger.warn(message, attributes as LogAttributes),
  error: (message, attributes = {}) => logger.error(message, attributes as LogAttributes),
};

/**
 * AccountsByStatus, one value per status that has accounts (a missing status means 0: CloudWatch bills
 * each distinct metric, so statuses with no account are not sent), with dimensions Region,
 * ConformancePack and Status beside `service`. Each single metric is flushed at once. A pack read
 * through a source role is named without its `<account>/` prefix: dimensions never carry an account ID.
 */
export const accountsByStatusRecorder: StatusCountRecorder = {
  packCounted(region, conformancePack, counts) {
    const { name } = parsePackId(conformancePack);
    for (const [status, count] of presentStatuses(counts)) {
      const metric = metrics.singleMetric();
      metric.addDimensions({ Region: region, ConformancePack: name, Status: status });
      metric.addMetric(ACCOUNTS_BY_STATUS_METRIC, MetricUnit.Count, count);
    }
  },
};
