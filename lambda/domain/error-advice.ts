import { shorten, singleLine } from './text.js';
import type { ChangeKind } from './types.js';

/**
 * "What to do" for the error codes AWS Config reports when an organization conformance pack fails to
 * deploy to a member account: one short sentence a person on call can act on. Pure: a table and a lookup.
 */

/** Advice that applies to a set of error codes. */
export interface ErrorAdvice {
  /** The codes as AWS reports them; matching ignores case and a trailing "Exception". */
  readonly codes: readonly string[];
  readonly advice: string;
}

export const ERROR_ADVICE: readonly ErrorAdvice[] = [
  {
    codes: ['AccessDenied', 'AccessDeniedException'],
    advice:
      'Check the service control policies on the account and its OUs for a deny of config:* or iam:*ServiceLinkedRole*, ' +
      'and that the role AWSServiceRoleForConfigMultiAccountSetup exists in the account; then redeploy the pack.',
  },
  {
    codes: ['NoAvailableConfigurationRecorderException', 'NoAvailableConfigurationRecorder'],
    advice: 'AWS Config is not recording in that account and region: turn on its configuration recorder (and delivery channel) there, then redeploy the pack.',
  },
  {
    codes: ['MaxNumberOfConfigRulesExceededException', 'ResourceLimitExceeded'],
    advice:
      'The account reached its AWS Config rules quota in that region: delete unused rules or ask for a higher ' +
      '"Maximum number of AWS Config rules" in Service Quotas, then redeploy the pack.',
  },
  {
    codes: ['MaxNumberOfConformancePacksExceededException'],
    advice: 'The account reached its conformance packs quota in that region: delete unused conformance packs or ask for a higher quota, then redeploy the pack.',
  },
  {
    codes: ['ValidationException'],
    advice: "AWS Config rejected the pack's template for that account: check the template parameters (ConformancePackInputParameters) and rule inputs, then update the pack.",
  },
  {
    codes: ['InsufficientPermissionsException'],
    advice:
      'AWS Config lacks a permission in that account: iam:GetRole or creating its service-linked role, reading the template ' +
      "(S3 bucket or SSM document), or invoking a custom rule's Lambda function; grant it, then redeploy the pack.",
  },
  {
    codes: ['ResourceInUseException'],
    advice: 'A remediation or rule evaluation was running in that account: this often clears by itself; if it stays, redeploy the pack once that remediation or evaluation has finished.',
  },
  {
    codes: ['OrganizationAccessDeniedException'],
    advice:
      'The organization call was refused: deploy the pack from the management account or a registered delegated administrator, ' +
      'and check that trusted access for config-multiaccountsetup.amazonaws.com is enabled in AWS Organizations.',
  },
];

/** For codes not in the table, and failures reported without a code. */
export const GENERIC_ADVICE =
  'Read the error message, fix the cause in that account and region, then redeploy the pack (update the organization conformance pack); Packwatch reports the recovery.';

/** For deployments stuck in progress, which carry no error code. */
export const STUCK_ADVICE =
  "A deployment in progress this long is usually waiting on the account: check that AWS Config is recording there and that the pack's CloudFormation stack is not stuck; redeploy the pack if it stays.";

const MAX_LABELS = 3;

const ADVICE_BY_CODE = new Map(ERROR_ADVICE.flatMap((entry) => entry.codes.map((code) => [normalize(code), entry.advice] as const)));

/** The advice for an error code; the generic advice for an unknown code or none. */
export function adviceForErrorCode(errorCode: string | null | undefined): string {
  return (errorCode ? ADVICE_BY_CODE.get(normalize(errorCode)) : undefined) ?? GENERIC_ADVICE;
}

/** The advice for a change, or undefined when there is nothing to do (a recovery). */
export function adviceForChange(change: { readonly kind: ChangeKind; readonly errorCode: string | null }): string | undefined {
  if (change.kind === 'RECOVERED') return undefined;
  if (change.kind === 'STUCK' && !change.errorCode) return STUCK_ADVICE;
  return adviceForErrorCode(change.errorCode);
}

/** What a group of changes calls for: one entry per distinct advice, in first-seen order, naming the codes it covers. */
export interface AdviceItem {
  /** The error codes it covers as reported (at most three named), "Stuck in progress" or "No error code". */
  readonly label: string;
  readonly advice: string;
  readonly accounts: number;
}

export function adviceFor(changes: readonly { readonly kind: ChangeKind; readonly errorCode: string | null }[]): AdviceItem[] {
  const items = new Map<string, { labels: string[]; accounts: number }>();
  for (const change of changes) {
    const advice = adviceForChange(change);
    if (advice === undefined) continue;
    const label = change.kind === 'STUCK' && !change.errorCode ? 'Stuck in progress' : change.errorCode ?? 'No error code';
    const item = items.get(advice) ?? { labels: [], accounts: 0 };
    if (!item.labels.includes(label)) item.labels.push(label);
    item.accounts += 1;
    items.set(advice, item);
  }
  return [...items].map(([advice, item]) => ({ label: labelOf(item.labels), advice, accounts: item.accounts }));
}

/** At most three codes by name, each on one line and bounded: codes are API text. */
function labelOf(labels: readonly string[]): string {
  const named = labels.slice(0, MAX_LABELS).map((label) => shorten(singleLine(label), 64));
  return labels.length > MAX_LABELS ? `${named.join(', ')} and ${labels.length - MAX_LABELS} more` : named.join(', ');
}

function normalize(code: string): string {
  return code.trim().toLowerCase().replace(/exception$/, '');
}
