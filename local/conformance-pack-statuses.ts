/**
 * The status vocabulary of AWS Config organization conformance packs, shared by the
 * member-account statuses (GetOrganizationConformancePackDetailedStatus) and the pack
 * summaries (DescribeOrganizationConformancePackStatuses). One list for the product and the
 * simulator: it is the API's own vocabulary.
 */
export {
  DEPLOYMENT_STATUSES as CONFORMANCE_PACK_STATUSES,
  FAILED_STATUSES,
  isDeploymentStatus as isConformancePackStatus,
  type DeploymentStatus as ConformancePackStatus,
} from '../lambda/domain/deployment-status.js';

/** AWS Config's own patterns, reused by request validation and scenario validation alike. */
export const ORGANIZATION_CONFORMANCE_PACK_NAME_PATTERN = /^[a-zA-Z][-a-zA-Z0-9]*$/;
export const ORGANIZATION_CONFORMANCE_PACK_NAME_MAX_LENGTH = 128;
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
