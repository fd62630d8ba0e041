import type { AlertDocument } from './alert-document.js';
import { describeSummary } from './alert-headline.js';
import { groupBy } from './group-by.js';
import { configConsoleUrl, shorten } from './text.js';
import type { Change, ChangeKind } from './types.js';

/** Long API error messages are shortened in the email; the JSON alert keeps them whole. */
export const EMAIL_ERROR_MESSAGE_MAX_CHARACTERS = 600;

const KIND_HEADINGS: Record<ChangeKind, string> = {
  NEW_FAILURE: 'New failures',
  CHANGED_FAILURE: 'Changed failures',
  STUCK: 'Stuck in progress',
  REMINDER: 'Still failing (reminder)',
  RECOVERED: 'Recovered',
};

/** The plain-text digest a person reads: grouped by region, then pack, then kind of change. */
export function renderEmail(document: AlertDocument): string {
  const lines: string[] = [
    `Packwatch: ${describeSummary(document.summary)} in organization conformance pack deployments.`,
    `Failing now across watched regions: ${document.summary.failingAccounts} account deployment(s).`,
  ];
  if (document.parts > 1) lines.push(`This is part ${document.part} of ${document.parts} of this alert.`);
  if (document.summary.muted > 0) {
    lines.push(`${document.summary.muted} muted change(s) are not shown here; they are listed in the JSON alert.`);
  }

  const shown = document.changes.filter((change) => !change.muted);
  for (const [region, regionChanges] of groupBy(shown, (change) => change.region)) {
    lines.push('', `=== ${region} ===`, `Console: ${configConsoleUrl(region)}`);
    for (const [pack, packChanges] of groupBy(regionChanges, (change) => change.conformancePack)) {
      lines.push('', `--- Conformance pack: ${pack} ---`);
      for (const [kind, kindChanges] of groupBy(packChanges, (change) => change.kind)) {
        lines.push(`${KIND_HEADINGS[kind as ChangeKind]} (${kindChanges.length}):`);
        for (const change of kindChanges) lines.push(...renderChange(change));
      }
    }
  }

  lines.push(
    '',
    '--',
    `Sweep ${document.sweepId} at ${document.generatedAt}.`,
    'The full details, error messages unabridged, are in the JSON alert (schema packwatch.alert/1).',
    'You receive this because this address is subscribed to the Packwatch alerts SNS topic; use the unsubscribe link below to stop.',
  );
  return `${lines.join('\n')}\n`;
}

function renderChange(change: Change): string[] {
  const status =
    change.kind === 'RECOVERED'
      ? `now ${change.status ?? 'no longer reported for this pack'} (was ${change.previousStatus})`
      : change.previousStatus && change.previousStatus !== change.status
        ? `${change.status} (was ${change.previousStatus})`
        : `${change.status}`;
  const lines = [`  * Account ${change.accountId}: ${status}`];
  if (change.errorCode || change.errorMessage) {
    const message = change.errorMessage ? shorten(change.errorMessage, EMAIL_ERROR_MESSAGE_MAX_CHARACTERS) : '';
    lines.push(`      Error: ${[change.errorCode, message].filter(Boolean).join(' - ')}`);
  }
  lines.push(`      Failing since: ${change.failingSince}${change.lastUpdateTime ? `; last update ${change.lastUpdateTime}` : ''}`);
  return lines;
}
