import { describe, expect, it } from 'vitest';
import { buildAlertDocument } from '../../lambda/domain/alert-document.js';
import { EMAIL_ERROR_MESSAGE_MAX_CHARACTERS, renderEmail } from '../../lambda/domain/render-email.js';
import type { Change } from '../../lambda/domain/types.js';

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

function email(changes: Change[], position = { part: 1, parts: 1 }) {
  return renderEmail(buildAlertDocument(changes, { sweepId: 'sweep-9', generatedAt: '2026-11-27T12:00:00.000Z', failingAccounts: 3 }, position));
}

describe('renderEmail', () => {
  it('groups by region, then pack, then kind, with every field a person needs', () => {
    const text = email([
      base,
      { ...base, kind: 'RECOVERED', accountId: '012345678902', status: 'UPDATE_SUCCESSFUL', previousStatus: 'UPDATE_FAILED', errorCode: null, errorMessage: null },
      { ...base, region: 'us-east-1', conformancePack: 'OrgConformsPack-pci', kind: 'CHANGED_FAILURE', status: 'DELETE_FAILED', previousStatus: 'UPDATE_FAILED' },
    ]);
    const order = ['=== eu-west-1 ===', '--- Conformance pack: OrgConformsPack-cis ---', 'New failures (1):', 'Recovered (1):', '=== us-east-1 ===', 'Changed failures (1):'];
    const positions = order.map((heading) => text.indexOf(heading));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toContain('Account 012345678901: UPDATE_FAILED');
    expect(text).toContain('Error: ResourceLimitExceeded - Maximum number of AWS Config rules reached');
    expect(text).toContain('Account 012345678902: now UPDATE_SUCCESSFUL (was UPDATE_FAILED)');
    expect(text).toContain('DELETE_FAILED (was UPDATE_FAILED)');
    expect(text).toContain('https://eu-west-1.console.aws.amazon.com/config/home?region=eu-west-1#/conformance-packs');
    expect(text).toContain('Sweep sweep-9');
    expect(text).not.toContain('This is part');
  });

  it('says when a recovered account is no longer reported at all', () => {
    expect(email([{ ...base, kind: 'RECOVERED', status: null, previousStatus: 'CREATE_FAILED' }])).toContain('now no longer reported for this pack (was CREATE_FAILED)');
  });

  it('shortens long error messages readably', () => {
    const text = email([{ ...base, errorMessage: 'x'.repeat(5_000) }]);
    expect(text).toContain(`${'x'.repeat(EMAIL_ERROR_MESSAGE_MAX_CHARACTERS - 1)}…`);
    expect(text).not.toContain('x'.repeat(EMAIL_ERROR_MESSAGE_MAX_CHARACTERS));
  });

  it('names its part in a split digest', () => {
    expect(email([base], { part: 2, parts: 3 })).toContain('This is part 2 of 3 of this alert.');
  });
});
