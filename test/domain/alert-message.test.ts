import { describe, expect, it } from 'vitest';
import { ALERT_SCHEMA, type AlertDocument } from '../../lambda/domain/alert-document.js';
import { messageBytes, PACKS_ATTRIBUTE_MAX_NAMES, renderDigest, SNS_MESSAGE_BYTE_LIMIT, type AlertMessage } from '../../lambda/domain/alert-message.js';
import type { ChatbotNotification } from '../../lambda/domain/render-chat.js';
import type { AlertableChange, Change, ChangeKind } from '../../lambda/domain/types.js';

const CONTEXT = { sweepId: 'sweep-1', generatedAt: '2026-11-27T12:00:00.000Z', failingAccounts: 42 };

function change(index: number, overrides: Partial<Change> = {}): AlertableChange {
  const value: Change = {
    kind: 'NEW_FAILURE',
    region: 'us-east-1',
    conformancePack: 'security-baseline',
    accountId: String(index).padStart(12, '0'),
    status: 'CREATE_FAILED',
    previousStatus: null,
    errorCode: 'AccessDenied',
    errorMessage: `User arn:aws:sts::${String(index).padStart(12, '0')}:assumed-role/AWSServiceRoleForConfigMultiAccountSetup is not authorized to perform: config:PutConformancePack`,
    lastUpdateTime: '2026-11-27T11:00:00.000Z',
    failingSince: '2026-11-27T11:00:00.000Z',
    muted: false,
    ...overrides,
  };
  return {
    change: value,
    write: { type: 'delete', key: { region: value.region, conformancePack: value.conformancePack, accountId: value.accountId } },
  };
}

function bodies(message: AlertMessage) {
  const structure = JSON.parse(message.message) as Record<string, string>;
  return {
    structure,
    document: JSON.parse(structure.default!) as AlertDocument,
    email: structure.email!,
    chat: JSON.parse(structure.https!) as ChatbotNotification,
  };
}

describe('renderDigest', () => {
  it('renders nothing when nothing changed', () => {
    expect(renderDigest([], CONTEXT)).toEqual([]);
  });

  it('renders one message with default, email and https bodies, and filterable attributes', () => {
    const kinds: ChangeKind[] = ['NEW_FAILURE', 'CHANGED_FAILURE', 'REMINDER', 'RECOVERED'];
    const changes = kinds.map((kind, index) => change(index, { kind, region: index < 2 ? 'us-east-1' : 'eu-west-1' }));
    const [message, ...rest] = renderDigest(changes, CONTEXT);
    expect(rest).toEqual([]);
    const { structure, document, email, chat } = bodies(message!);
    expect(Object.keys(structure).sort()).toEqual(['default', 'email', 'https']);
    expect(document).toEqual({
      schema: ALERT_SCHEMA,
      sweepId: 'sweep-1',
      generatedAt: CONTEXT.generatedAt,
      part: 1,
      parts: 1,
      summary: { newFailures: 1, changedFailures: 1, reminders: 1, recoveries: 1, stuck: 0, muted: 0, failingAccounts: 42 },
      changes: changes.map((item) => item.change),
    });
    expect(email).toContain('Conformance pack security-baseline (us-east-1)');
    expect(email).toContain('Conformance pack security-baseline (eu-west-1)');
    expect(chat).toMatchObject({ version: '1.0', source: 'custom', content: { textType: 'client-markdown' } });
    expect(message!.subject).toBe('Packwatch: 1 new failure, 1 changed, 1 still failing, 1 recovered in security-baseline (2 regions)');
    expect(message!.attributes).toEqual({
      schema: { dataType: 'String', value: ALERT_SCHEMA },
      kinds: { dataType: 'String.Array', value: JSON.stringify(kinds) },
      regions: { dataType: 'String.Array', value: '["us-east-1","eu-west-1"]' },
      packs: { dataType: 'String.Array', value: '["security-baseline"]' },
      severity: { dataType: 'String', value: 'failure' },
    });
    expect(message!.changes).toEqual(changes);
  });

  it('marks a digest of recoveries only as recovery severity', () => {
    const [message] = renderDigest([change(1, { kind: 'RECOVERED', status: 'CREATE_SUCCESSFUL', previousStatus: 'CREATE_FAILED' })], CONTEXT);
    expect(message!.attributes.severity!.value).toBe('recovery');
    expect(message!.subject).toBe('Packwatch: 1 conformance pack deployment recovered in security-baseline (us-east-1)');
  });

  it.each([
    { changes: 2_000, byteLimit: SNS_MESSAGE_BYTE_LIMIT },
    { changes: 300, byteLimit: 40_000 },
    { changes: 7, byteLimit: 8_000 },
  ])('splits $changes changes under a $byteLimit-byte limit without losing or repeating one', ({ changes: count, byteLimit }) => {
    const changes = Array.from({ length: count }, (_, index) => change(index));
    const messages = renderDigest(changes, CONTEXT, byteLimit);
    expect(messages.length).toBeGreaterThan(1);
    const documents = messages.map((message) => bodies(message).document);
    expect(documents.flatMap((document) => document.changes)).toEqual(changes.map((item) => item.change));
    expect(messages.flatMap((message) => message.changes)).toEqual(changes);
    documents.forEach((document, index) => {
      expect(document).toMatchObject({ part: index + 1, parts: messages.length, sweepId: 'sweep-1' });
      expect(document.summary.newFailures).toBe(document.changes.length);
    });
    for (const message of messages) {
      expect(messageBytes(message)).toBeLessThanOrEqual(byteLimit);
      expect(message.subject).toMatch(/\[\d+\/\d+\]$/);
      expect(message.subject.length).toBeLessThan(100);
    }
    expect(bodies(messages[1]!).email).toContain(`This is part 2 of ${messages.length}`);
  });

  it('keeps the subject under 100 characters and on one line whatever the content', () => {
    const [message] = renderDigest([change(1, { region: 'ap-southeast-5' })], { ...CONTEXT, sweepId: 'x'.repeat(500) });
    expect(message!.subject.length).toBeLessThan(100);
    expect(message!.subject).not.toMatch(/[\r\n]/);
  });

  it('caps a huge error message so one change always fits in one message', () => {
    const [message] = renderDigest([change(1, { errorMessage: '"\\'.repeat(200_000) })], CONTEXT);
    expect(messageBytes(message!)).toBeLessThanOrEqual(SNS_MESSAGE_BYTE_LIMIT);
    expect(bodies(message!).document.changes[0]!.errorMessage!.endsWith('…')).toBe(true);
  });

  it('lists muted changes in the JSON only, and speaks of the others everywhere else', () => {
    const changes = [change(1), change(2, { muted: true, accountId: '000000000002', kind: 'REMINDER' })];
    const [message] = renderDigest(changes, CONTEXT);
    const { document, email, chat } = bodies(message!);
    expect(document.changes.map((item) => [item.accountId, item.muted])).toEqual([
      ['000000000001', false],
      ['000000000002', true],
    ]);
    expect(document.summary).toMatchObject({ newFailures: 1, reminders: 0, muted: 1 });
    expect(email).toContain('Muted and not shown: 1 change (listed in the JSON alert).');
    expect(email).not.toContain('000000000002');
    expect(chat.content.description).not.toContain('000000000002');
    expect(message!.subject).toBe('Packwatch: 1 new conformance pack failure in security-baseline (us-east-1)');
    expect(message!.attributes.kinds!.value).toBe('["NEW_FAILURE"]');
  });

  it('names every pack with an unmuted change in the packs attribute, once, in digest order', () => {
    const changes = [
      change(1, { conformancePack: 'cis' }),
      change(2, { conformancePack: 'cis' }),
      change(3, { conformancePack: 'muted-only', muted: true }),
      change(4, { conformancePack: 's3', region: 'eu-west-1' }),
    ];
    const [message] = renderDigest(changes, CONTEXT);
    expect(message!.attributes.packs).toEqual({ dataType: 'String.Array', value: '["cis","s3"]' });
  });

  it(`bounds the packs attribute to ${PACKS_ATTRIBUTE_MAX_NAMES} names and keeps within SNS's 10 attributes`, () => {
    const changes = Array.from({ length: 70 }, (_, index) => change(index, { conformancePack: `pack-${String(index).padStart(2, '0')}` }));
    for (const message of renderDigest(changes, CONTEXT)) {
      const packs = JSON.parse(message.attributes.packs!.value) as string[];
      expect(packs).toHaveLength(Math.min(PACKS_ATTRIBUTE_MAX_NAMES, new Set(message.changes.map((item) => item.change.conformancePack)).size));
      expect(packs[0]).toBe('pack-00');
      expect(Object.keys(message.attributes).length).toBeLessThanOrEqual(10);
    }
  });

  it.each([
    { case: 'a failure', kinds: ['REMINDER', 'RECOVERED'], severity: 'failure' },
    { case: 'a stuck deployment', kinds: ['STUCK'], severity: 'failure' },
    { case: 'only recoveries', kinds: ['RECOVERED', 'RECOVERED'], severity: 'recovery' },
  ] as { case: string; kinds: ChangeKind[]; severity: string }[])('marks a message with $case as severity $severity', ({ kinds, severity }) => {
    const [message] = renderDigest(kinds.map((kind, index) => change(index, { kind })), CONTEXT);
    expect(message!.attributes.severity!.value).toBe(severity);
  });

  it('marks a part that holds only muted changes as severity muted, so it pages nobody', () => {
    const changes = [change(1), ...Array.from({ length: 6 }, (_, index) => change(index + 2, { muted: true }))];
    const messages = renderDigest(changes, CONTEXT, 8_000);
    const mutedOnly = messages.filter((message) => message.changes.every((item) => item.change.muted));
    expect(mutedOnly.length).toBeGreaterThan(0);
    for (const message of mutedOnly) {
      expect(message.attributes.severity!.value).toBe('muted');
      expect(message.attributes.kinds!.value).toBe('[]');
      expect(message.subject).toMatch(/^Packwatch: \d+ muted changes?, not shown \[\d+\/\d+\]$/);
    }
  });

  it('keeps account IDs with leading zeros as strings', () => {
    const [message] = renderDigest([change(7)], CONTEXT);
    expect(bodies(message!).document.changes[0]!.accountId).toBe('000000000007');
    expect(bodies(message!).email).toContain('000000000007');
  });
});
