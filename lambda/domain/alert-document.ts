import type { Change, ChangeKind } from './types.js';

export const ALERT_SCHEMA = 'packwatch.alert/1';

/** Counts of unmuted changes by kind, muted changes apart. */
export interface AlertSummary {
  readonly newFailures: number;
  readonly changedFailures: number;
  readonly reminders: number;
  readonly recoveries: number;
  readonly stuck: number;
  readonly muted: number;
  /** (pack, account) pairs failing across every watched region after the sweep. */
  readonly failingAccounts: number;
}

/** The machine-readable alert: the `default` body of every publish. */
export interface AlertDocument {
  readonly schema: typeof ALERT_SCHEMA;
  readonly sweepId: string;
  readonly generatedAt: string;
  readonly part: number;
  readonly parts: number;
  /** Counts of the changes in this part; `failingAccounts` is the organization-wide total. */
  readonly summary: AlertSummary;
  readonly changes: readonly Change[];
}

export interface DigestContext {
  readonly sweepId: string;
  /** ISO-8601. */
  readonly generatedAt: string;
  readonly failingAccounts: number;
}

export interface PartPosition {
  readonly part: number;
  readonly parts: number;
}

export function buildAlertDocument(changes: readonly Change[], context: DigestContext, position: PartPosition): AlertDocument {
  return {
    schema: ALERT_SCHEMA,
    sweepId: context.sweepId,
    generatedAt: context.generatedAt,
    part: position.part,
    parts: position.parts,
    summary: summarize(changes, context.failingAccounts),
    changes,
  };
}

export function summarize(changes: readonly Change[], failingAccounts: number): AlertSummary {
  const count = (kind: ChangeKind) => changes.filter((change) => change.kind === kind && !change.muted).length;
  return {
    newFailures: count('NEW_FAILURE'),
    changedFailures: count('CHANGED_FAILURE'),
    reminders: count('REMINDER'),
    recoveries: count('RECOVERED'),
    stuck: count('STUCK'),
    muted: changes.filter((change) => change.muted).length,
    failingAccounts,
  };
}
