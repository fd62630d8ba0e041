import { describe, expect, it } from 'vitest';
import { buildAlertDocument } from '../../lambda/domain/alert-document.js';
import { adviceForErrorCode, STUCK_ADVICE } from '../../lambda/domain/error-advice.js';
import { CHAT_DESCRIPTION_MAX_CHARACTERS, renderChat, threadIdOf } from '../../lambda/domain/render-chat.js';
import type { Change } from '../../lambda/domain/types.js';
import { REALISTIC_CHANGES, REALISTIC_CONTEXT } from './realistic-digest.js';

const base: Change = {
  kind: 'NEW_FAILURE',
  region: 'us-east-1',
  conformancePack: 'OrgConformsPack-cis',
  accountId: '012345678901',
  status: 'CREATE_FAILED',
  previousStatus: null,
  errorCode: 'AccessDenied',
  errorMessage: 'denied',
  lastUpdateTime: null,
  failingSince: '2026-11-27T09:00:00.000Z',
  muted: false,
};

function chat(changes: readonly Change[], position = { part: 1, parts: 1 }) {
  return renderChat(buildAlertDocument(changes, { ...REALISTIC_CONTEXT, failingAccounts: changes.length }, position));
}

describe('renderChat', () => {
  it('is an AWS Chatbot custom notification titled with the subject', () => {
    expect(chat([base])).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: {
        textType: 'client-markdown',
        title: 'Packwatch: 1 new conformance pack failure in OrgConformsPack-cis (us-east-1)',
        keywords: ['us-east-1', 'OrgConformsPack-cis', 'NEW_FAILURE'],
      },
      metadata: { threadId: 'packwatch/us-east-1/OrgConformsPack-cis', eventType: 'PackwatchAlert', summary: 'Packwatch: 1 new failure' },
    });
  });

  it('groups the description by region, then pack, then kind', () => {
    const lines = chat(REALISTIC_CHANGES).content.description.split('\n');
    const headings = lines.filter((line) => /^[*_]/.test(line));
    expect(headings).toEqual([
      '*4 new failures, 1 changed, 1 stuck, 2 still failing, 2 recovered* · failing now: 11 account deployments',
      '_1 muted change not shown (in the JSON alert)._',
      '*eu-west-1 · cis-aws-foundations-v3*',
      '_New failures (2)_',
      '_Still failing (reminder) (1)_',
      '_Recovered (1)_',
      '*us-east-1 · operational-best-practices-s3*',
      '_Changed failures (1)_',
      '_Still failing (reminder) (1)_',
      '*us-east-1 · security-baseline*',
      '_New failures (2)_',
      '_Stuck in progress (1)_',
      '_Recovered (1)_',
    ]);
  });

  it.each([
    { kind: 'NEW_FAILURE', change: base, line: '• `012345678901` CREATE_FAILED, failing since 2026-11-27 09:00 UTC (3h) · `AccessDenied: denied`' },
    {
      kind: 'CHANGED_FAILURE',
      change: { ...base, kind: 'CHANGED_FAILURE', status: 'UPDATE_FAILED', previousStatus: 'CREATE_FAILED', errorMessage: null },
      line: '• `012345678901` UPDATE_FAILED (was CREATE_FAILED), failing since 2026-11-27 09:00 UTC (3h) · `AccessDenied`',
    },
    {
      kind: 'STUCK',
      change: { ...base, kind: 'STUCK', status: 'CREATE_IN_PROGRESS', errorCode: null, errorMessage: null, failingSince: '2026-11-26T23:55:00.000Z' },
      line: '• `012345678901` CREATE_IN_PROGRESS, stuck in progress since 2026-11-26 23:55 UTC (12h 5m)',
    },
    {
      kind: 'RECOVERED',
      change: { ...base, kind: 'RECOVERED', status: null, previousStatus: 'DELETE_FAILED', errorCode: null, errorMessage: null },
      line: '• `012345678901` now no longer reported (was DELETE_FAILED), had been failing since 2026-11-27 09:00 UTC (3h)',
    },
  ] as { kind: string; change: Change; line: string }[])('renders a $kind on one line', ({ change, line }) => {
    expect(chat([change]).content.description.split('\n')).toContain(line);
  });

  it('makes API text inert: error messages, codes and odd pack names cannot add markup, mentions or links', () => {
    const description = chat([
      { ...base, conformancePack: 'pack_*bold*', errorCode: 'Code`', errorMessage: '<!channel> @here [x](https://evil.example)\n> quote *b* _i_ ~s~' },
    ]).content.description;
    expect(description).not.toMatch(/<!channel>|@here|https:\/\/evil|\]\(|\n>/);
    expect(description).toContain('*us-east-1 · `pack_*bold*`*');
    expect(description).toContain('· `Codeˋ: ‹!channel› @\u200bhere');
  });

  it('leaves muted changes out and says how many', () => {
    const { description, keywords } = chat([base, { ...base, accountId: '000000000099', conformancePack: 'muted-pack', muted: true }]).content;
    expect(description).toContain('_1 muted change not shown (in the JSON alert)._');
    expect(description).not.toContain('000000000099');
    expect(keywords).not.toContain('muted-pack');
  });

  it('names its part in a split digest', () => {
    expect(chat([base], { part: 2, parts: 3 }).content.description).toContain('_Part 2 of 3: each part lists different accounts._');
  });

  it('stays short however many changes there are, and says how many are not shown', () => {
    const changes = Array.from({ length: 500 }, (_, index) => ({ ...base, accountId: String(index).padStart(12, '0') }));
    const description = chat(changes).content.description;
    expect(description.length).toBeLessThanOrEqual(CHAT_DESCRIPTION_MAX_CHARACTERS);
    const shown = description.split('\n').filter((line) => line.startsWith('• ')).length;
    expect(shown).toBeGreaterThan(10);
    expect(description.split('\n').at(-1)).toBe(`…and ${500 - shown} more changes: see the email or the JSON alert.`);
  });

  it('lists next steps: what to do per error, the CLI command per failing pack, the console per region', () => {
    const steps = chat([
      base,
      { ...base, kind: 'STUCK', accountId: '000000000002', status: 'CREATE_IN_PROGRESS', errorCode: null, errorMessage: null },
      { ...base, kind: 'RECOVERED', conformancePack: 'recovered-only', accountId: '000000000003', status: 'CREATE_SUCCESSFUL', previousStatus: 'CREATE_FAILED' },
    ]).content.nextSteps;
    expect(steps).toEqual([
      `AccessDenied (1 account): ${adviceForErrorCode('AccessDenied')}`,
      `Stuck in progress (1 account): ${STUCK_ADVICE}`,
      'List the accounts of OrgConformsPack-cis (us-east-1) with their errors: `aws configservice get-organization-conformance-pack-detailed-status --region us-east-1 --organization-conformance-pack-name OrgConformsPack-cis`',
      'AWS Config console, conformance packs in us-east-1: https://us-east-1.console.aws.amazon.com/config/home?region=us-east-1#/conformance-packs',
      'Every change in full, error messages unabridged: the email digest or the JSON alert (schema packwatch.alert/1).',
    ]);
  });

  it('keeps next steps to a few, pointing to the email for the rest', () => {
    const codes = ['AccessDenied', 'ValidationException', 'ResourceInUseException', 'InsufficientPermissionsException', 'ResourceLimitExceeded', 'Other'];
    const changes = codes.map((errorCode, index) => ({ ...base, errorCode, conformancePack: `pack-${index}`, accountId: String(index).padStart(12, '0') }));
    const steps = chat(changes).content.nextSteps;
    expect(steps.filter((step) => step.includes(' (1 account): '))).toHaveLength(4);
    expect(steps).toContain('What to do about 2 more: see the email.');
    expect(steps.filter((step) => step.startsWith('List the accounts of'))).toHaveLength(3);
  });

  it('uses keywords for regions, plain pack names and kinds', () => {
    expect(chat(REALISTIC_CHANGES).content.keywords).toEqual([
      'eu-west-1',
      'us-east-1',
      'cis-aws-foundations-v3',
      'operational-best-practices-s3',
      'security-baseline',
      'NEW_FAILURE',
      'REMINDER',
      'RECOVERED',
      'CHANGED_FAILURE',
      'STUCK',
    ]);
  });
});

describe('threadIdOf: alerts about the same place thread together', () => {
  it.each([
    { regions: ['us-east-1'], packs: ['security-baseline'], threadId: 'packwatch/us-east-1/security-baseline' },
    { regions: ['us-east-1'], packs: ['security-baseline', 'cis'], threadId: 'packwatch/us-east-1' },
    { regions: ['us-east-1'], packs: ['cis', 'security-baseline'], threadId: 'packwatch/us-east-1' },
    { regions: ['eu-west-1', 'us-east-1'], packs: ['cis'], threadId: 'packwatch/all-regions' },
    { regions: ['us-east-1'], packs: ['odd pack/name*'], threadId: 'packwatch/us-east-1/odd_pack_name_' },
  ])('threads $regions × $packs under $threadId', ({ regions, packs, threadId }) => {
    expect(threadIdOf(regions, packs)).toBe(threadId);
  });
});
