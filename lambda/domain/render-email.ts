import type { AlertDocument } from './alert-document.js';
import { ALERT_SCHEMA } from './alert-document.js';
import { describeSummary, visibleChanges } from './alert-headline.js';
import { isInProgressStatus } from './deployment-status.js';
import { adviceFor } from './error-advice.js';
import { groupBy } from './group-by.js';
import { configConsoleUrl, detailedStatusCommand, formatSince, formatTime, plural, shortenAtWord, singleLine, wrapWords } from './text.js';
import type { Change, ChangeKind } from './types.js';

/** Long API error messages are shortened in the email; the JSON alert keeps them whole. */
export const EMAIL_ERROR_MESSAGE_MAX_CHARACTERS = 600;
/** Lines are wrapped here, so the digest reads the same in every mail client. */
const WRAP_COLUMNS = 76;

const KIND_HEADINGS: Record<ChangeKind, string> = {
  NEW_FAILURE: 'NEW FAILURES',
  CHANGED_FAILURE: 'CHANGED FAILURES',
  STUCK: 'STUCK IN PROGRESS',
  REMINDER: 'STILL FAILING (REMINDER)',
  RECOVERED: 'RECOVERED',
};

/** Field labels are padded to one width so the values line up. */
const LABEL_WIDTH = 'Previous status: '.length;
const FIELD_INDENT = '      ';

/**
 * The plain-text digest a person reads: a headline, then every unmuted change grouped by region,
 * then pack, then kind, with what to do per pack, and a footer with the sweep ID and how to change
 * what is received. Muted changes are only counted here; the JSON alert lists them.
 */
export function renderEmail(document: AlertDocument): string {
  const shown = visibleChanges(document);
  const lines: string[] = [`What changed: ${describeSummary(document.summary)}.`];
  lines.push(`Failing now in all watched regions: ${plural(document.summary.failingAccounts, 'account deployment')}.`);
  if (document.summary.muted > 0) {
    lines.push(`Muted and not shown: ${plural(document.summary.muted, 'change')} (listed in the JSON alert).`);
  }
  if (document.parts > 1) {
    lines.push(`This is part ${document.part} of ${document.parts} of this alert; each part lists different accounts.`);
  }

  // Where, at a glance: one line per region and pack.
  const byPlace = groupBy(shown, (change) => `${change.region}\u0000${change.conformancePack}`);
  if (byPlace.size > 0) {
    lines.push('', 'Where:');
    const width = Math.max(...[...byPlace.values()].map((changes) => changes[0]!.region.length));
    for (const changes of byPlace.values()) {
      const { region, conformancePack } = changes[0]!;
      lines.push(`  ${region.padEnd(width)}  ${singleLine(conformancePack)}: ${countsByKind(changes)}`);
    }
  }

  for (const [region, regionChanges] of groupBy(shown, (change) => change.region)) {
    lines.push('', '='.repeat(WRAP_COLUMNS), region, '='.repeat(WRAP_COLUMNS));
    for (const [pack, packChanges] of groupBy(regionChanges, (change) => change.conformancePack)) {
      lines.push(...renderPack(region, pack, packChanges, document.generatedAt));
    }
  }

  lines.push(
    '',
    '-- ',
    ...wrapWords(`Sweep ${singleLine(document.sweepId)}, ${formatTime(document.generatedAt)} (Packwatch alert schema ${ALERT_SCHEMA}).`, WRAP_COLUMNS),
    ...wrapWords('Every field, error messages in full and muted changes: the JSON alert (the default body of this SNS message).', WRAP_COLUMNS),
    ...wrapWords(
      'To receive less, give this subscription an SNS filter policy on the message attributes kinds, regions, packs or severity, or mute known failures (an optional @YYYY-MM-DD ends a rule):',
      WRAP_COLUMNS,
    ),
    '  cdk deploy -c mute=pack:NAME,account:ID,errorCode:CODE@2026-12-31',
    'To stop: the unsubscribe link below.',
  );
  return `${lines.join('\n')}\n`;
}

function renderPack(region: string, pack: string, changes: readonly Change[], generatedAt: string): string[] {
  const command = detailedStatusCommand(region, pack);
  const lines = [
    '',
    `Conformance pack ${singleLine(pack)} (${region})`,
    `  Console: ${configConsoleUrl(region)}`,
    ...(command ? [`  CLI:     ${command}`] : []),
  ];
  for (const [kind, kindChanges] of groupBy(changes, (change) => change.kind)) {
    lines.push('', `  ${KIND_HEADINGS[kind as ChangeKind]} (${kindChanges.length})`);
    for (const change of kindChanges) lines.push(...renderChange(change, generatedAt));
  }
  const advice = adviceFor(changes);
  if (advice.length > 0) {
    lines.push('', '  WHAT TO DO');
    for (const item of advice) {
      const [first, ...rest] = wrapWords(`${item.label} (${plural(item.accounts, 'account')}): ${item.advice}`, WRAP_COLUMNS - 6);
      lines.push(`    - ${first}`, ...rest.map((line) => `      ${line}`));
    }
  }
  return lines;
}

function renderChange(change: Change, generatedAt: string): string[] {
  const lines = [`    Account ${change.accountId}`];
  const field = (label: string, value: string) => {
    const [first, ...rest] = wrapWords(value, WRAP_COLUMNS - FIELD_INDENT.length - LABEL_WIDTH);
    lines.push(`${FIELD_INDENT}${`${label}:`.padEnd(LABEL_WIDTH)}${first ?? ''}`, ...rest.map((line) => `${FIELD_INDENT}${' '.repeat(LABEL_WIDTH)}${line}`));
  };
  field('Status', change.kind === 'RECOVERED' ? `${change.status ?? 'no longer reported for this pack'} (recovered)` : `${change.status}`);
  field('Previous status', change.previousStatus ?? 'none (first alert)');
  if (change.errorCode) field('Error code', singleLine(change.errorCode));
  if (change.errorMessage) {
    const message = shortenAtWord(singleLine(change.errorMessage), EMAIL_ERROR_MESSAGE_MAX_CHARACTERS);
    field('Error message', message === singleLine(change.errorMessage) ? message : `${message} [shortened; in full in the JSON alert]`);
  }
  // The time line is a sentence, so each kind says plainly what the time means.
  const since = formatSince(change.failingSince, generatedAt);
  const sentence =
    change.kind === 'STUCK'
      ? `Stuck in progress since ${since}.`
      : change.kind === 'RECOVERED'
        ? `Recovered; had been ${isInProgressStatus(change.previousStatus) ? 'stuck in progress' : 'failing'} since ${since}.`
        : `Failing since ${since}.`;
  lines.push(...wrapWords(sentence, WRAP_COLUMNS - FIELD_INDENT.length).map((line) => `${FIELD_INDENT}${line}`));
  return lines;
}

/** "2 new, 1 stuck, 1 recovered": the kinds of a group of changes, most urgent first (digest order). */
function countsByKind(changes: readonly Change[]): string {
  const words: Record<ChangeKind, string> = {
    NEW_FAILURE: 'new',
    CHANGED_FAILURE: 'changed',
    STUCK: 'stuck',
    REMINDER: 'still failing',
    RECOVERED: 'recovered',
  };
  return [...groupBy(changes, (change) => change.kind)].map(([kind, group]) => `${group.length} ${words[kind as ChangeKind]}`).join(', ');
}
