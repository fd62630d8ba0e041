import { describe, expect, it } from 'vitest';
import { buildAlertDocument } from '../../lambda/domain/alert-document.js';
import { alertSubject, describeSummary, SUBJECT_MAX_CHARACTERS } from '../../lambda/domain/alert-headline.js';
import type { Change, ChangeKind } from '../../lambda/domain/types.js';

const CONTEXT = { sweepId: 'sweep-1', generatedAt: '2026-11-27T12:00:00.000Z', failingAccounts: 5 };

function change(kind: ChangeKind, overrides: Partial<Change> = {}): Change {
  return {
    kind,
    region: 'us-east-1',
    conformancePack: 'security-baseline',
    accountId: '012345678901',
    status: kind === 'RECOVERED' ? 'CREATE_SUCCESSFUL' : kind === 'STUCK' ? 'CREATE_IN_PROGRESS' : 'CREATE_FAILED',
    previousStatus: null,
    errorCode: null,
    errorMessage: null,
    lastUpdateTime: null,
    failingSince: '2026-11-27T10:00:00.000Z',
    muted: false,
    ...overrides,
  };
}

function subject(changes: Change[], part = 1, parts = 1): string {
  return alertSubject(buildAlertDocument(changes, CONTEXT, { part, parts }));
}

const inPack = (pack: string, kind: ChangeKind = 'NEW_FAILURE', region = 'us-east-1') => change(kind, { conformancePack: pack, region });

describe('alertSubject', () => {
  it.each([
    {
      case: 'new failures in two packs of one region',
      changes: [inPack('a'), inPack('a'), inPack('b')],
      expected: 'Packwatch: 3 new conformance pack failures in 2 packs (us-east-1)',
    },
    { case: 'one new failure in one pack', changes: [inPack('security-baseline')], expected: 'Packwatch: 1 new conformance pack failure in security-baseline (us-east-1)' },
    {
      case: 'a changed failure first when nothing is new',
      changes: [inPack('a', 'CHANGED_FAILURE'), inPack('a', 'RECOVERED')],
      expected: 'Packwatch: 1 changed conformance pack failure, 1 recovered in a (us-east-1)',
    },
    { case: 'a stuck deployment', changes: [inPack('a', 'STUCK')], expected: 'Packwatch: 1 stuck conformance pack deployment in a (us-east-1)' },
    {
      case: 'reminders only',
      changes: [inPack('a', 'REMINDER'), inPack('a', 'REMINDER')],
      expected: 'Packwatch: 2 conformance pack failures still open in a (us-east-1)',
    },
    {
      case: 'recoveries only, in two regions',
      changes: [inPack('a', 'RECOVERED', 'eu-west-1'), inPack('a', 'RECOVERED')],
      expected: 'Packwatch: 2 conformance pack deployments recovered in a (eu-west-1, us-east-1)',
    },
    {
      case: 'three regions, counted',
      changes: [inPack('a', 'NEW_FAILURE', 'eu-west-1'), inPack('a', 'NEW_FAILURE', 'us-west-2'), inPack('a')],
      expected: 'Packwatch: 3 new conformance pack failures in a (3 regions)',
    },
    {
      case: 'every kind: shorter words, then counts instead of names',
      changes: (['NEW_FAILURE', 'CHANGED_FAILURE', 'STUCK', 'REMINDER', 'RECOVERED'] as const).flatMap((kind) => [
        inPack('operational-best-practices-s3', kind, 'eu-west-1'),
        inPack('security-baseline', kind, 'ap-southeast-2'),
      ]),
      expected: 'Packwatch: 2 new failures, 2 changed, 2 stuck, 2 still failing, 2 recovered in 2 packs (2 regions)',
    },
    {
      case: 'a pack name that is not plain is counted, never shown',
      changes: [inPack('pack\nwith `markup` @here')],
      expected: 'Packwatch: 1 new conformance pack failure in 1 pack (us-east-1)',
    },
    {
      case: 'muted changes are not counted',
      changes: [inPack('a'), change('NEW_FAILURE', { conformancePack: 'b', region: 'eu-west-1', muted: true })],
      expected: 'Packwatch: 1 new conformance pack failure in a (us-east-1)',
    },
    {
      case: 'a part holding only muted changes',
      changes: [change('NEW_FAILURE', { muted: true }), change('REMINDER', { muted: true })],
      expected: 'Packwatch: 2 muted changes, not shown',
    },
  ])('says what happened and where: $case', ({ changes, expected }) => {
    const text = subject(changes);
    expect(text).toBe(expected);
    expect(text.length).toBeLessThanOrEqual(SUBJECT_MAX_CHARACTERS);
  });

  it('ends with the part label and stays under 100 characters in a split digest', () => {
    const changes = (['NEW_FAILURE', 'CHANGED_FAILURE', 'STUCK', 'REMINDER', 'RECOVERED'] as const).map((kind) =>
      inPack(`p${'x'.repeat(120)}`, kind, 'ap-southeast-5'),
    );
    const text = subject(changes, 12, 13);
    expect(text).toMatch(/ \[12\/13\]$/);
    expect(text.length).toBeLessThan(100);
    expect(text).not.toMatch(/[\u0000-\u001f]/);
  });
});

describe('describeSummary', () => {
  it.each([
    { summary: { newFailures: 3, changedFailures: 1, stuck: 2, reminders: 4, recoveries: 1, muted: 0 }, expected: '3 new failures, 1 changed, 2 stuck, 4 still failing, 1 recovered' },
    { summary: { newFailures: 1, changedFailures: 0, stuck: 0, reminders: 0, recoveries: 0, muted: 7 }, expected: '1 new failure' },
    { summary: { newFailures: 0, changedFailures: 0, stuck: 0, reminders: 0, recoveries: 0, muted: 1 }, expected: '1 muted change, not shown' },
    { summary: { newFailures: 0, changedFailures: 0, stuck: 0, reminders: 0, recoveries: 0, muted: 0 }, expected: 'no changes' },
  ])('describes $summary as "$expected"', ({ summary, expected }) => {
    expect(describeSummary({ ...summary, failingAccounts: 0 })).toBe(expected);
  });
});
