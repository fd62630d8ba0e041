import type { AlertDocument } from './alert-document.js';
import { alertSubject, describeSummary, visibleChanges } from './alert-headline.js';
import { chatLiteral, chatName } from './chat-markup.js';
import { isInProgressStatus } from './deployment-status.js';
import { adviceFor } from './error-advice.js';
import { groupBy } from './group-by.js';
import { configConsoleUrl, detailedStatusCommand, formatSince, isPlainPackName, plural, shorten, singleLine } from './text.js';
import type { Change, ChangeKind } from './types.js';

/** Chat descriptions stay short enough for Slack and Teams; the email and JSON carry every change. */
export const CHAT_DESCRIPTION_MAX_CHARACTERS = 3_500;
/** An error (code and message) is shortened to this in chat. */
const CHAT_ERROR_MAX_CHARACTERS = 160;
/** Advice items in the next steps; the email has them all. */
const MAX_ADVICE_STEPS = 4;
/** Packs whose CLI command is given in the next steps. */
const MAX_COMMAND_STEPS = 3;
/** Packs named as keywords. */
const MAX_PACK_KEYWORDS = 10;

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

const KIND_HEADINGS: Record<ChangeKind, string> = {
  NEW_FAILURE: 'New failures',
  CHANGED_FAILURE: 'Changed failures',
  STUCK: 'Stuck in progress',
  REMINDER: 'Still failing (reminder)',
  RECOVERED: 'Recovered',
};

/**
 * The chat rendering of one part: title (the subject), a markdown description grouped by region, pack
 * and kind, next steps (what to do per error, where to look), keywords, and a thread. API text goes
 * through `chatLiteral`/`chatName` only; everything else is Packwatch's own words.
 */
export function renderChat(document: AlertDocument): ChatbotNotification {
  const visible = visibleChanges(document);
  const regions = unique(visible.map((change) => change.region));
  const packs = unique(visible.map((change) => change.conformancePack));
  return {
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title: alertSubject(document),
      description: describe(document, visible),
      nextSteps: nextSteps(visible, regions),
      keywords: [...regions, ...packs.filter(isPlainPackName).slice(0, MAX_PACK_KEYWORDS), ...unique(visible.map((change) => change.kind))],
    },
    metadata: {
      threadId: threadIdOf(regions, packs),
      summary: `Packwatch: ${describeSummary(document.summary)}`,
      eventType: 'PackwatchAlert',
    },
  };
}

/**
 * The thread a message goes to, so that alerts about the same place read as one conversation:
 * - one region and one pack: `packwatch/<region>/<pack>`, the pack's own thread;
 * - one region, several packs: `packwatch/<region>`, the region's thread, whichever packs the part holds
 *   (a split digest's parts do not land in threads chosen by where the split fell);
 * - several regions: `packwatch/all-regions`.
 * A pack name with characters outside [A-Za-z0-9-] has them replaced by `_`.
 */
export function threadIdOf(regions: readonly string[], packs: readonly string[]): string {
  if (regions.length !== 1) return 'packwatch/all-regions';
  if (packs.length !== 1) return `packwatch/${regions[0]}`;
  return `packwatch/${regions[0]}/${shorten(packs[0]!.replace(/[^A-Za-z0-9-]/g, '_'), 128)}`;
}

function describe(document: AlertDocument, visible: readonly Change[]): string {
  const lines: string[] = [`*${describeSummary(document.summary)}* · failing now: ${plural(document.summary.failingAccounts, 'account deployment')}`];
  if (document.summary.muted > 0) lines.push(`_${plural(document.summary.muted, 'muted change')} not shown (in the JSON alert)._`);
  if (document.parts > 1) lines.push(`_Part ${document.part} of ${document.parts}: each part lists different accounts._`);
  const budget = CHAT_DESCRIPTION_MAX_CHARACTERS - 80;
  let length = lines.join('\n').length;
  let shown = 0;
  const add = (line: string, isChange: boolean): boolean => {
    if (length + line.length + 1 > budget) return false;
    lines.push(line);
    length += line.length + 1;
    if (isChange) shown += 1;
    return true;
  };
  for (const [region, regionChanges] of groupBy(visible, (change) => change.region)) {
    for (const [pack, packChanges] of groupBy(regionChanges, (change) => change.conformancePack)) {
      // A blank line, then the place in bold: a pack name that is not plain goes in as a literal.
      if (!add('', false) || !add(`*${region} · ${chatName(pack)}*`, false)) return truncated(lines, visible.length - shown);
      for (const [kind, kindChanges] of groupBy(packChanges, (change) => change.kind)) {
        if (!add(`_${KIND_HEADINGS[kind as ChangeKind]} (${kindChanges.length})_`, false)) return truncated(lines, visible.length - shown);
        for (const change of kindChanges) {
          if (!add(changeLine(change, document.generatedAt), true)) return truncated(lines, visible.length - shown);
        }
      }
    }
  }
  return lines.join('\n');
}

function truncated(lines: string[], notShown: number): string {
  return [...lines, `…and ${plural(notShown, 'more change')}: see the email or the JSON alert.`].join('\n');
}

function changeLine(change: Change, generatedAt: string): string {
  const since = formatSince(change.failingSince, generatedAt);
  const account = `\`${change.accountId}\``;
  switch (change.kind) {
    case 'RECOVERED': {
      const was = isInProgressStatus(change.previousStatus) ? 'stuck' : 'failing';
      return `• ${account} now ${change.status ?? 'no longer reported'} (was ${change.previousStatus}), had been ${was} since ${since}`;
    }
    case 'STUCK':
      return `• ${account} ${change.status}, stuck in progress since ${since}`;
    case 'CHANGED_FAILURE':
      return `• ${account} ${change.status} (was ${change.previousStatus}), failing since ${since}${errorOf(change)}`;
    default:
      return `• ${account} ${change.status}, failing since ${since}${errorOf(change)}`;
  }
}

/** " · `Code: message…`", the error as one literal, shortened. */
function errorOf(change: Change): string {
  const text = [change.errorCode, change.errorMessage].filter((part): part is string => !!part).map(singleLine).join(': ');
  return text === '' ? '' : ` · ${chatLiteral(shorten(text, CHAT_ERROR_MAX_CHARACTERS))}`;
}

function nextSteps(visible: readonly Change[], regions: readonly string[]): string[] {
  const advice = adviceFor(visible);
  // Where something is still wrong (not only recoveries): the command that lists the pack's accounts.
  const places = [...groupBy(visible, (change) => `${change.region}\u0000${change.conformancePack}`).values()]
    .filter((changes) => changes.some((change) => change.kind !== 'RECOVERED'))
    .map((changes) => changes[0]!);
  const commands = places.flatMap((change) => {
    const command = detailedStatusCommand(change.region, change.conformancePack);
    return command ? [`List the accounts of ${change.conformancePack} (${change.region}) with their errors: \`${command}\``] : [];
  });
  return [
    ...advice.slice(0, MAX_ADVICE_STEPS).map((item) => `${chatName(item.label)} (${plural(item.accounts, 'account')}): ${item.advice}`),
    ...(advice.length > MAX_ADVICE_STEPS ? [`What to do about ${advice.length - MAX_ADVICE_STEPS} more: see the email.`] : []),
    ...commands.slice(0, MAX_COMMAND_STEPS),
    ...regions.slice(0, MAX_COMMAND_STEPS).map((region) => `AWS Config console, conformance packs in ${region}: ${configConsoleUrl(region)}`),
    'Every change in full, error messages unabridged: the email digest or the JSON alert (schema packwatch.alert/1).',
  ];
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
