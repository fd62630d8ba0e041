import type { DigestContext } from '../../lambda/domain/alert-document.js';
import { compareChanges } from '../../lambda/domain/diff.js';
import type { AlertableChange, Change } from '../../lambda/domain/types.js';

/**
 * A digest as a real organization produces one: two regions, three packs, every kind of change
 * (STUCK included), a muted failure, a recovered account that AWS no longer reports, an account ID
 * with leading zeros, unicode, markdown and mention syntax in error messages, and a message long
 * enough to be shortened in the email. Shared by the golden files and the rendering tests.
 */

export const REALISTIC_CONTEXT: DigestContext = {
  sweepId: 'b7e5c1d2-3f4a-4b6c-8d9e-0f1a2b3c4d5e',
  generatedAt: '2026-11-27T12:00:00.000Z',
  failingAccounts: 9,
};

const LONG_CLOUDFORMATION_MESSAGE =
  'The following resource(s) failed to update: [ConfigRuleCloudTrailEnabled, ConfigRuleIamPasswordPolicy, ' +
  'ConfigRuleRootAccountMfaEnabled]. Resource handler returned message: "Rate exceeded (Service: Config, Status Code: 400, ' +
  'Request ID: 4f2b6a1e-9c3d-4e5f-8a7b-1c2d3e4f5a6b)" (RequestToken: 8d7c6b5a-4e3f-2a1b-0c9d-8e7f6a5b4c3d, HandlerErrorCode: ' +
  'Throttling). Resource handler returned message: "Rule ConfigRuleIamPasswordPolicy already exists with a different ' +
  'input parameter set (Service: Config, Status Code: 400, Request ID: 0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d)". The ' +
  'conformance pack stack OrgConformsPack-cis-aws-foundations-v3-x7k2m9p4 was rolled back to its previous template; ' +
  'UPDATE_ROLLBACK_COMPLETE was reached at 2026-11-20T06:00:41Z and no further update was attempted by AWS Config.';

const base = {
  previousStatus: null,
  errorCode: null,
  errorMessage: null,
  lastUpdateTime: null,
  muted: false,
} as const;

const UNSORTED_CHANGES: Change[] = [
  {
    ...base,
    kind: 'NEW_FAILURE',
    region: 'eu-west-1',
    conformancePack: 'cis-aws-foundations-v3',
    accountId: '210987654321',
    status: 'CREATE_FAILED',
    errorCode: 'InsufficientPermissionsException',
    errorMessage:
      'AWS Config cannot read the template s3://config-templates-eu/cis-v3.yaml: Zugriff verweigert — アクセスが拒否されました 🚫 (bucket policy of “config-templates-eu”)',
    lastUpdateTime: '2026-11-27T09:12:00.000Z',
    failingSince: '2026-11-27T09:12:00.000Z',
  },
  {
    ...base,
    kind: 'NEW_FAILURE',
    region: 'eu-west-1',
    conformancePack: 'cis-aws-foundations-v3',
    accountId: '555566667777',
    status: 'UPDATE_FAILED',
    errorCode: 'ResourceInUseException',
    errorMessage: 'Rule securityhub-cis-1-14 is in use by a remediation configuration; try again when the remediation execution completes.',
    lastUpdateTime: '2026-11-27T10:40:00.000Z',
    failingSince: '2026-11-27T10:40:00.000Z',
  },
  {
    ...base,
    kind: 'REMINDER',
    region: 'eu-west-1',
    conformancePack: 'cis-aws-foundations-v3',
    accountId: '000123456789',
    status: 'UPDATE_FAILED',
    previousStatus: 'UPDATE_FAILED',
    errorCode: 'InternalError',
    errorMessage: LONG_CLOUDFORMATION_MESSAGE,
    lastUpdateTime: '2026-11-20T06:00:00.000Z',
    failingSince: '2026-11-20T06:00:00.000Z',
  },
  {
    ...base,
    kind: 'RECOVERED',
    region: 'eu-west-1',
    conformancePack: 'cis-aws-foundations-v3',
    accountId: '333344445555',
    status: null,
    previousStatus: 'DELETE_FAILED',
    failingSince: '2026-11-25T14:30:00.000Z',
  },
  {
    ...base,
    kind: 'NEW_FAILURE',
    region: 'us-east-1',
    conformancePack: 'operational-best-practices-s3',
    accountId: '999900001111',
    status: 'CREATE_FAILED',
    errorCode: 'AccessDenied',
    errorMessage: 'Sandbox account: config:PutConformancePack is denied by the sandbox SCP.',
    lastUpdateTime: '2026-11-27T11:00:00.000Z',
    failingSince: '2026-11-27T11:00:00.000Z',
    muted: true,
  },
  {
    ...base,
    kind: 'CHANGED_FAILURE',
    region: 'us-east-1',
    conformancePack: 'operational-best-practices-s3',
    accountId: '444455556666',
    status: 'UPDATE_FAILED',
    previousStatus: 'CREATE_FAILED',
    errorCode: 'MaxNumberOfConfigRulesExceededException',
    errorMessage: 'Failed to put rule s3-bucket-ssl-requests-only: account 444455556666 has reached the limit of 1000 AWS Config rules in us-east-1.',
    lastUpdateTime: '2026-11-27T07:45:00.000Z',
    failingSince: '2026-11-21T08:30:00.000Z',
  },
  {
    ...base,
    kind: 'REMINDER',
    region: 'us-east-1',
    conformancePack: 'operational-best-practices-s3',
    accountId: '666677778888',
    status: 'CREATE_FAILED',
    previousStatus: 'CREATE_FAILED',
    errorCode: 'ValidationException',
    errorMessage:
      'Parameter *MaxDays* of rule `s3_lifecycle_policy_check` is invalid: expected an integer, got "ninety". ' +
      'See <https://evil.example/login|AWS docs> or [the runbook](https://evil.example) @here <!channel> ~now~ _please_\n> quoted',
    lastUpdateTime: '2026-11-19T12:00:00.000Z',
    failingSince: '2026-11-19T12:00:00.000Z',
  },
  {
    ...base,
    kind: 'NEW_FAILURE',
    region: 'us-east-1',
    conformancePack: 'security-baseline',
    accountId: '011122233344',
    status: 'CREATE_FAILED',
    errorCode: 'AccessDenied',
    errorMessage:
      'User: arn:aws:sts::011122233344:assumed-role/AWSServiceRoleForConfigMultiAccountSetup/config-multiaccountsetup is not ' +
      'authorized to perform: config:PutConformancePack on resource: arn:aws:config:us-east-1:011122233344:conformance-pack/* ' +
      'with an explicit deny in a service control policy',
    lastUpdateTime: '2026-11-27T10:00:00.000Z',
    failingSince: '2026-11-27T10:00:00.000Z',
  },
  {
    ...base,
    kind: 'NEW_FAILURE',
    region: 'us-east-1',
    conformancePack: 'security-baseline',
    accountId: '123456789012',
    status: 'CREATE_FAILED',
    errorCode: 'NoAvailableConfigurationRecorderException',
    errorMessage: 'There is no configuration recorder available in us-east-1 for account 123456789012.',
    lastUpdateTime: '2026-11-27T10:05:00.000Z',
    failingSince: '2026-11-27T10:05:00.000Z',
  },
  {
    ...base,
    kind: 'STUCK',
    region: 'us-east-1',
    conformancePack: 'security-baseline',
    accountId: '777788889999',
    status: 'CREATE_IN_PROGRESS',
    lastUpdateTime: '2026-11-26T23:55:00.000Z',
    failingSince: '2026-11-26T23:55:00.000Z',
  },
  {
    ...base,
    kind: 'RECOVERED',
    region: 'us-east-1',
    conformancePack: 'security-baseline',
    accountId: '888899990000',
    status: 'UPDATE_SUCCESSFUL',
    previousStatus: 'UPDATE_FAILED',
    lastUpdateTime: '2026-11-27T11:30:00.000Z',
    failingSince: '2026-11-24T03:00:00.000Z',
  },
];

/** In digest order, as the sweep sorts them. */
export const REALISTIC_CHANGES: readonly Change[] = [...UNSORTED_CHANGES].sort(compareChanges);

/** The changes as the sweep hands them to renderDigest (the writes are not rendered). */
export function alertable(changes: readonly Change[]): AlertableChange[] {
  return changes.map((change) => ({
    change,
    write: { type: 'delete', key: { region: change.region, conformancePack: change.conformancePack, accountId: change.accountId } },
  }));
}
