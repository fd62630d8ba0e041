import type { AlertSummary } from './alert-document.js';
import { plural, shorten, singleLine } from './text.js';

/** SNS subjects must stay under 100 characters (they become the email subject). */
export const SUBJECT_MAX_CHARACTERS = 99;

/** "3 new failures, 1 changed, 2 recovered": what happened, most urgent first. */
export function describeSummary(summary: AlertSummary): string {
  const parts = [
    summary.newFailures > 0 ? plural(summary.newFailures, 'new failure') : '',
    summary.changedFailures > 0 ? `${summary.changedFailures} changed` : '',
    summary.stuck > 0 ? `${summary.stuck} stuck` : '',
    summary.reminders > 0 ? plural(summary.reminders, 'still failing (reminder)', 'still failing (reminders)') : '',
    summary.recoveries > 0 ? `${summary.recoveries} recovered` : '',
  ].filter((part) => part !== '');
  return parts.length > 0 ? parts.join(', ') : 'no changes';
}

export function alertSubject(summary: AlertSummary, regions: readonly string[], part: number, parts: number): string {
  const where = regions.length === 1 ? regions[0] : plural(regions.length, 'region');
  const partLabel = parts > 1 ? ` [${part}/${parts}]` : '';
  const subject = singleLine(`Packwatch: ${describeSummary(summary)} (${where})`);
  return `${shorten(subject, SUBJECT_MAX_CHARACTERS - partLabel.length)}${partLabel}`;
}
