import type { AlertDocument } from './alert-document.js';
import { alertSubject, describeSummary } from './alert-headline.js';
import { groupBy } from './group-by.js';
import { configConsoleUrl, shorten, singleLine } from './text.js';
import type { Change } from './types.js';

/** Chat descriptions stay short enough for Slack and Teams; the email and JSON carry every change. */
export const CHAT_DESCRIPTION_MAX_CHARACTERS = 3_500;
const CHAT_ERROR_MESSAGE_MAX_CHARACTERS = 160;

/** An AWS Chatbot custom notification (Slack, Microsoft Teams): the `https` body of every publish. */
export interface ChatbotNotification {
  readonly version: '1.0';
  readonly source: 'custom';
  readonly content: {
    readonly textType: 'client-markdown';
    readonly title: string;
    readonly description: string;
    readonly nextSteps: readonly string[];
    readonly keywords: readonly string[];
  };
  readonly metadata: {
    readonly threadId: string;
    readonly summary: string;
    readonly eventType: string;
  };
}

export function renderChat(document: AlertDocument): ChatbotNotification {
  const visible = document.changes.filter((change) => !change.muted);
  const regions = unique(visible.map((change) => change.region));
  const packs = unique(visible.map((change) => change.conformancePack));
  const title = alertSubject(document.summary, regions, document.part, document.parts);
  return {
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      // Title, keywords and summary are Packwatch's own words (counts, regions, kinds): no API text to escape.
      title,
      description: describe(document),
      nextSteps: [
        ...regions.map((region) => `Open the conformance packs in the AWS Config console: ${configConsoleUrl(region)}`),
        'Error messages in full: the JSON alert (schema packwatch.alert/1) or the email digest.',
      ],
      keywords: [...regions, ...unique(visible.map((change) => change.kind))],
    },
    metadata: {
      // Alerts about the same place thread together.
      threadId: `packwatch-${regions.join('-')}-${packs.length === 1 ? packs[0] : 'multiple-packs'}`,
      summary: `Packwatch: ${describeSummary(document.summary)}`,
      eventType: 'PackwatchAlert',
    },
  };
}

function describe(document: AlertDocument): string {
  const lines: string[] = [`*${describeSummary(document.summary)}*; failing now: ${document.summary.failingAccounts}`];
  if (document.summary.muted > 0) lines.push(`${document.summary.muted} muted change(s) not shown.`);
  let length = lines.join('\n').length;
  let shown = 0;
  const visible = document.changes.filter((change) => !change.muted);
  for (const [region, regionChanges] of groupBy(visible, (change) => change.region)) {
    for (const [pack, packChanges] of groupBy(regionChanges, (change) => change.conformancePack)) {
      const block = [`*${escapeMarkdown(pack)}* (${region})`, ...packChanges.map(changeLine)];
      for (const line of block) {
        if (length + line.length + 1 > CHAT_DESCRIPTION_MAX_CHARACTERS - 80) {
          lines.push(`…and ${visible.length - shown} more change(s): see the email or the JSON alert.`);
          return lines.join('\n');
        }
        lines.push(line);
        length += line.length + 1;
        if (line.startsWith('• ')) shown += 1;
      }
    }
  }
  return lines.join('\n');
}

function changeLine(change: Change): string {
  const status = change.kind === 'RECOVERED' ? `recovered, now ${change.status ?? 'not reported'}` : `${change.status}`;
  const error = change.errorCode ?? (change.errorMessage ? shorten(singleLine(change.errorMessage), CHAT_ERROR_MESSAGE_MAX_CHARACTERS) : '');
  return `• ${change.kind} \`${change.accountId}\` ${status}${error && change.kind !== 'RECOVERED' ? `: ${escapeMarkdown(error)}` : ''}`;
}

/** Text from the API must not turn into markup, mentions or links in chat. */
export function escapeMarkdown(text: string): string {
  return singleLine(text)
    .replace(/[\\`*_~|#\[\]()]/g, (character) => `\\${character}`)
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/@/g, '@\u200b');
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
