/**
 * The status vocabulary of AWS Config organization conformance packs, shared by the
 * member-account statuses (GetOrganizationConformancePackDetailedStatus) and the pack
 * summaries (DescribeOrganizationConformancePackStatuses).
 */
export const CONFORMANCE_PACK_STATUSES = [
  'CREATE_SUCCESSFUL',
  'CREATE_IN_PROGRESS',
  'CREATE_FAILED',
  'DELETE_SUCCESSFUL',
  'DELETE_FAILED',
  'DELETE_IN_PROGRESS',
  'UPDATE_SUCCESSFUL',
  'UPDATE_IN_PROGRESS',
  'UPDATE_FAILED',
] as const;

export type ConformancePackStatus = (typeof CONFORMANCE_PACK_STATUSES)[number];

/** In the order the summary picks them: a pack that failed to create matters most. */
export const FAILED_STATUSES = ['CREATE_FAILED', 'UPDATE_FAILED', 'DELETE_FAILED'] as const;

export function isConformancePackStatus(value: unknown): value is ConformancePackStatus {
  return typeof value === 'string' && (CONFORMANCE_PACK_STATUSES as readonly string[]).includes(value);
}

/** AWS Config's own patterns, reused by request validation and scenario validation alike. */
export const ORGANIZATION_CONFORMANCE_PACK_NAME_PATTERN = /^[a-zA-Z][-a-zA-Z0-9]*$/;
export const ORGANIZATION_CONFORMANCE_PACK_NAME_MAX_LENGTH = 128;
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
