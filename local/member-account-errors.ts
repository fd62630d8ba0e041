import type { RandomSource } from './seeded-random';
import { pickWeighted } from './seeded-random';

/**
 * Failures that AWS Config really reports for organization conformance packs in member
 * accounts, so alerts rendered during development look like the ones people will get.
 */
export interface MemberAccountFailure {
  readonly status: 'CREATE_FAILED' | 'UPDATE_FAILED' | 'DELETE_FAILED';
  readonly errorCode: string;
  readonly errorMessage: string;
}

interface FailureContext {
  readonly accountId: string;
  readonly region: string;
  readonly packName: string;
}

type FailureTemplate = (context: FailureContext) => Omit<MemberAccountFailure, 'status'>;

const MEMBER_ROLE = 'AWSServiceRoleForConfigMultiAccountSetup';

const CREATE_OR_UPDATE_FAILURES: ReadonlyArray<readonly [FailureTemplate, number]> = [
  [
    ({ accountId, region }) => ({
      errorCode: 'AccessDenied',
      errorMessage:
        `User: arn:aws:sts::${accountId}:assumed-role/${MEMBER_ROLE}/config-multiaccountsetup is not authorized to perform: ` +
        `config:PutConformancePack on resource: arn:aws:config:${region}:${accountId}:conformance-pack/* ` +
        'with an explicit deny in a service control policy',
    }),
    4,
  ],
  [
    ({ accountId, region }) => ({
      errorCode: 'NoAvailableConfigurationRecorderException',
      errorMessage: `Configuration recorder is not available in account ${accountId} in region ${region}. Turn on the configuration recorder before deploying a conformance pack.`,
    }),
    3,
  ],
  [
    ({ accountId, region }) => ({
      errorCode: 'ResourceLimitExceeded',
      errorMessage: `Account ${accountId} has reached the limit of 1000 AWS Config rules in ${region}. Delete unused rules or request a quota increase.`,
    }),
    2,
  ],
  [
    () => ({
      errorCode: 'ValidationException',
      errorMessage:
        "Parameter 'MaxPasswordAge' in the conformance pack template has an invalid value: Value '0' failed to satisfy constraint: Member must have value greater than or equal to 1",
    }),
    1,
  ],
  [
    ({ region }) => ({
      errorCode: 'InsufficientDeliveryPolicyException',
      errorMessage: `Your Amazon S3 bucket policy does not allow AWS Config to write to the delivery bucket awsconfigconforms-packwatch-${region}.`,
    }),
    1,
  ],
];

const DELETE_FAILURES: ReadonlyArray<readonly [FailureTemplate, number]> = [
  [
    ({ packName }) => ({
      errorCode: 'ResourceInUseException',
      errorMessage: `The rule ${packName.toLowerCase()}-iam-password-policy is currently being used by a remediation action and cannot be deleted.`,
    }),
    1,
  ],
  [
    ({ accountId }) => ({
      errorCode: 'AccessDenied',
      errorMessage: `User: arn:aws:sts::${accountId}:assumed-role/${MEMBER_ROLE}/config-multiaccountsetup is not authorized to perform: config:DeleteConformancePack`,
    }),
    1,
  ],
];

const FAILED_STATUS_WEIGHTS = [
  ['CREATE_FAILED', 6],
  ['UPDATE_FAILED', 3],
  ['DELETE_FAILED', 1],
] as const;

/** A plausible failure for one account, drawn from `random`. */
export function randomMemberAccountFailure(random: RandomSource, context: FailureContext): MemberAccountFailure {
  const status = pickWeighted(random, FAILED_STATUS_WEIGHTS);
  const template = pickWeighted(random, status === 'DELETE_FAILED' ? DELETE_FAILURES : CREATE_OR_UPDATE_FAILURES);
  return { status, ...template(context) };
}
