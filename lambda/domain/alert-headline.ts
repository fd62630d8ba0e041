import type { AlertDocument, AlertSummary } from './alert-document.js';
import { isPlainPackName, plural, shorten, singleLine } from './text.js';
import type { Change } from './types.js';

/** SNS subjects must stay under 100 characters (they become the email subject). */
export const SUBJECT_MAX_CHARACTERS = 99;

/** A pack named in a subject is at most this long; a longer name is counted instead ("in 1 pack"). */
const SUBJECT_PACK_NAME_MAX_CHARACTERS = 40;

/** "3 new failures, 1 changed, 2 stuck, 4 still failing, 1 recovered": what happened, most urgent first. */
export function describeSummary(summary: AlertSummary): string {
  const parts = [
    summary.newFailures > 0 ? plural(summary.newFailures, 'new failure') : '',
    summary.changedFailures > 0 ? `${summary.changedFailures} changed` : '',
    summary.stuck > 0 ? `${summary.stuck} stuck` : '',
    summary.reminders > 0 ? `${summary.reminders} still failing` : '',
    summary.recoveries > 0 ? `${summary.recoveries} recovered` : '',
  ].filter((part) => part !== '');
  if (parts.length > 0) return parts.join(', ');
  return summary.muted > 0 ? `${plural(summary.muted, 'muted change')}, not shown` : 'no changes';
}

/** The changes people are told about: muted ones stay in the JSON only. */
export function visibleChanges(document: AlertDocument): Change[] {
  return document.changes.filter((change) => !change.muted);
}

/**
 * The SNS subject, which is the email subject and the chat title: what happened and where, e.g.
 * `Packwatch: 3 new conformance pack failures in 2 packs (us-east-1)`, with `[2/3]` for a part.
 * Always under 100 characters and on one line: detail is dropped, most dispensable first, until it fits.
 */
export function alertSubject(document: AlertDocument): string {
  const visible = visibleChanges(document);
  const regions = [...new Set(visible.map((change) => change.region))];
  const packs = [...new Set(visible.map((change) => change.conformancePack))];
  const partLabel = document.parts > 1 ? ` [${document.part}/${document.parts}]` : '';
  const room = SUBJECT_MAX_CHARACTERS - partLabel.length;

  const inPacks = (named: boolean) =>
    packs.length === 0
      ? ''
      : packs.length === 1 && named && isPlainPackName(packs[0]!) && packs[0]!.length <= SUBJECT_PACK_NAME_MAX_CHARACTERS
        ? ` in ${packs[0]}`
        : ` in ${plural(packs.length, 'pack')}`;
  const where = (listed: boolean) =>
    regions.length === 0 ? '' : listed && regions.length <= 2 ? ` (${regions.join(', ')})` : ` (${plural(regions.length, 'region')})`;

  // Where matters more than wording: the pack's name outlives "conformance pack", then names become counts.
  const candidates = [
    `${headline(document.summary, true)}${inPacks(true)}${where(true)}`,
    `${headline(document.summary, false)}${inPacks(true)}${where(true)}`,
    `${headline(document.summary, true)}${inPacks(false)}${where(true)}`,
    `${headline(document.summary, false)}${inPacks(true)}${where(false)}`,
    `${headline(document.summary, false)}${inPacks(false)}${where(true)}`,
    `${headline(document.summary, false)}${inPacks(false)}${where(false)}`,
    `${headline(document.summary, false)}${where(false)}`,
  ].map((text) => singleLine(`Packwatch: ${text}`));
  const subject = candidates.find((candidate) => candidate.length <= room) ?? shorten(candidates.at(-1)!, room);
  return `${subject}${partLabel}`;
}

/**
 * The most urgent kind first in full words ("3 new conformance pack failures"), the others short
 * ("1 changed, 2 recovered"). Without `spelledOut` the lead is short too ("3 new failures").
 */
function headline(summary: AlertSummary, spelledOut: boolean): string {
  const thing = spelledOut ? 'conformance pack ' : '';
  const kinds: { count: number; lead: string; short: string }[] = [
    { count: summary.newFailures, lead: plural(summary.newFailures, `new ${thing}failure`), short: `${summary.newFailures} new` },
    { count: summary.changedFailures, lead: plural(summary.changedFailures, `changed ${thing}failure`), short: `${summary.changedFailures} changed` },
    { count: summary.stuck, lead: plural(summary.stuck, `stuck ${thing}deployment`), short: `${summary.stuck} stuck` },
    {
      count: summary.reminders,
      lead: `${plural(summary.reminders, `${thing}failure`)} still open`,
      short: `${summary.reminders} still failing`,
    },
    { count: summary.recoveries, lead: `${plural(summary.recoveries, `${thing}deployment`)} recovered`, short: `${summary.recoveries} recovered` },
  ].filter((kind) => kind.count > 0);
  if (kinds.length === 0) return describeSummary(summary);
  const [first, ...rest] = kinds;
  return [first!.lead, ...rest.map((kind) => kind.short)].join(', ');
}
