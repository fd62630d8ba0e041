import type { AlertMessage } from './alert-message.js';
import { shorten, singleLine } from './text.js';

export const OPERATOR_ALERT_SCHEMA = 'packwatch.operator/1';

export interface AccessDeniedNotice {
  readonly sweepId: string;
  /** ISO-8601. */
  readonly generatedAt: string;
  readonly region: string;
  /** What AWS said. */
  readonly detail: string;
}

const LIKELY_CAUSES = [
  'Packwatch runs in a member account: deploy it in the management account or the delegated administrator for config-multiaccountsetup.amazonaws.com.',
  'Trusted access for config-multiaccountsetup.amazonaws.com is disabled: enable it in AWS Organizations (aws organizations enable-aws-service-access --service-principal config-multiaccountsetup.amazonaws.com).',
  'The delegated administrator registration was removed: register it again (aws organizations register-delegated-administrator).',
];

/**
 * Tells operators, once per region, that Packwatch cannot read the region's organization conformance
 * packs at all: failures there go unseen until this is fixed. The region's failure records are kept.
 */
export function renderAccessDeniedAlert(notice: AccessDeniedNotice): AlertMessage {
  const document = {
    schema: OPERATOR_ALERT_SCHEMA,
    sweepId: notice.sweepId,
    generatedAt: notice.generatedAt,
    problem: 'ORGANIZATION_ACCESS_DENIED',
    region: notice.region,
    detail: notice.detail,
    likelyCauses: LIKELY_CAUSES,
  };
  const subject = shorten(singleLine(`Packwatch cannot read organization conformance packs in ${notice.region}`), 99);
  const email = [
    `Packwatch cannot read the organization conformance packs of ${notice.region}: AWS Config denied organization access.`,
    'Until this is fixed, deployment failures in this region go unseen. What Packwatch knew about the region is kept.',
    '',
    `AWS said: ${notice.detail}`,
    '',
    'Likely causes:',
    ...LIKELY_CAUSES.map((cause) => `  * ${cause}`),
    '',
    `You will not be told again while the problem lasts. Sweep ${notice.sweepId} at ${notice.generatedAt}.`,
  ].join('\n');
  const chat = {
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title: subject,
      description: `Failures in ${notice.region} go unseen until organization access works again. What Packwatch knew about the region is kept.`,
      nextSteps: LIKELY_CAUSES,
      keywords: [notice.region, 'ORGANIZATION_ACCESS_DENIED'],
    },
    metadata: { threadId: `packwatch-operator-${notice.region}`, summary: subject, eventType: 'PackwatchOperatorAlert' },
  };
  return {
    subject,
    message: JSON.stringify({ default: JSON.stringify(document), email: `${email}\n`, https: JSON.stringify(chat) }),
    attributes: {
      schema: { dataType: 'String', value: OPERATOR_ALERT_SCHEMA },
      kinds: { dataType: 'String.Array', value: '["ORGANIZATION_ACCESS_DENIED"]' },
      regions: { dataType: 'String.Array', value: JSON.stringify([notice.region]) },
      severity: { dataType: 'String', value: 'operator' },
    },
    changes: [],
  };
}
