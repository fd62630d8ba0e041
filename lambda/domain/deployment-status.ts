/** The deployment states AWS Config reports for a pack in a member account. */
export const DEPLOYMENT_STATUSES = [
  'CREATE_SUCCESSFUL',
  'CREATE_IN_PROGRESS',
  'CREATE_FAILED',
  'UPDATE_SUCCESSFUL',
  'UPDATE_IN_PROGRESS',
  'UPDATE_FAILED',
  'DELETE_SUCCESSFUL',
  'DELETE_IN_PROGRESS',
  'DELETE_FAILED',
] as const;

export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

export const FAILED_STATUSES = ['CREATE_FAILED', 'UPDATE_FAILED', 'DELETE_FAILED'] as const;

export type FailedStatus = (typeof FAILED_STATUSES)[number];

export function isDeploymentStatus(value: unknown): value is DeploymentStatus {
  return typeof value === 'string' && (DEPLOYMENT_STATUSES as readonly string[]).includes(value);
}

export function isFailedStatus(value: unknown): value is FailedStatus {
  return typeof value === 'string' && (FAILED_STATUSES as readonly string[]).includes(value);
}

export const IN_PROGRESS_STATUSES = ['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'DELETE_IN_PROGRESS'] as const;

export type InProgressStatus = (typeof IN_PROGRESS_STATUSES)[number];

/** The statuses Packwatch keeps a record of: failed, or in progress for too long (stuck). */
export type WatchedStatus = FailedStatus | InProgressStatus;

export function isInProgressStatus(value: unknown): value is InProgressStatus {
  return typeof value === 'string' && (IN_PROGRESS_STATUSES as readonly string[]).includes(value);
}

export function isWatchedStatus(value: unknown): value is WatchedStatus {
  return isFailedStatus(value) || isInProgressStatus(value);
}
