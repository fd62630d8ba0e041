import { describe, expect, it } from 'vitest';
import { buildAlertDocument } from '../../lambda/domain/alert-document.js';
import { CHAT_DESCRIPTION_MAX_CHARACTERS, escapeMarkdown, renderChat } from '../../lambda/domain/render-chat.js';
import type { Change } from '../../lambda/domain/types.js';

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

function chat(changes: Change[]) {
  return renderChat(buildAlertDocument(changes, { sweepId: 's', generatedAt: '2026-11-27T12:00:00.000Z', failingAccounts: changes.length }, { part: 1, parts: 1 }));
}

describe('renderChat', () => {
  it('is an AWS Chatbot custom notification', () => {
    const notification = chat([base]);
    expect(notification).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: { textType: 'client-markdown', title: 'Packwatch: 1 new failure (us-east-1)', keywords: ['us-east-1', 'NEW_FAILURE'] },
      metadata: { threadId: 'packwatch-us-east-1-OrgConformsPack-cis', eventType: 'PackwatchAlert' },
    });
    expect(notification.content.description).toContain('`012345678901`');
    expect(notification.content.nextSteps[0]).toContain('https://us-east-1.console.aws.amazon.com/config/');
  });

  it('stays short however many changes there are, and says how many are not shown', () => {
    const changes = Array.from({ length: 500 }, (_, index) => ({ ...base, accountId: String(index).padStart(12, '0') }));
    const description = chat(changes).content.description;
    expect(description.length).toBeLessThanOrEqual(CHAT_DESCRIPTION_MAX_CHARACTERS);
    const shown = description.split('\n').filter((line) => line.startsWith('• ')).length;
    expect(description).toContain(`…and ${500 - shown} more change(s)`);
  });

  it.each([
    { text: '*bold* _it_ `code`', expected: '\\*bold\\* \\_it\\_ \\`code\\`' },
    { text: '<!channel> <@U123>', expected: '‹!channel› ‹@\u200bU123›' },
    { text: '[click](https://evil.example)', expected: '\\[click\\]\\(https://evil.example\\)' },
    { text: 'line one\nline two', expected: 'line one line two' },
  ])('escapes API text $text', ({ text, expected }) => {
    expect(escapeMarkdown(text)).toBe(expected);
  });
});
