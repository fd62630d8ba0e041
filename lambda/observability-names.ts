/** Powertools service name and metric namespace; the stack sets the same values as POWERTOOLS_* variables. */
export const SERVICE_NAME = 'packwatch';
export const METRICS_NAMESPACE = 'Packwatch';
