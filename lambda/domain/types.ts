import type { DeploymentStatus, WatchedStatus } from './deployment-status.js';

/** One member account's deployment of one organization conformance pack, as AWS Config reports it. */
export interface AccountDeployment {
  /** 12 digits, a string: leading zeros matter. */
  readonly accountId: string;
  readonly status: DeploymentStatus;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /** ISO-8601. */
  readonly lastUpdateTime?: string;
}

/**
 * What Packwatch remembers about an account whose deployment is failing, or stuck in progress:
 * one item per (region, pack, account).
 */
export interface FailureRecord {
  readonly region: string;
  readonly conformancePack: string;
  readonly accountId: string;
  readonly status: WatchedStatus;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly lastUpdateTime?: string;
  /** ISO-8601: when the failure (or the stuck deployment) began, as far as known; kept across status changes. */
  readonly failingSince: string;
  /** ISO-8601: when an alert about this failure was last accepted by SNS. */
  readonly lastAlertedAt: string;
}

export const CHANGE_KINDS = ['NEW_FAILURE', 'CHANGED_FAILURE', 'STUCK', 'REMINDER', 'RECOVERED'] as const;

export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** One line of an alert: the shape of `changes[]` in the `packwatch.alert/1` schema. */
export interface Change {
  readonly kind: ChangeKind;
  readonly region: string;
  readonly conformancePack: string;
  readonly accountId: string;
  /** The status now; null when a recovered account is no longer reported for the pack at all. */
  readonly status: DeploymentStatus | null;
  /** The failed (or stuck) status last alerted; null for a first alert. */
  readonly previousStatus: WatchedStatus | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly lastUpdateTime: string | null;
  readonly failingSince: string;
  /** True when a mute rule matches: recorded and in the JSON alert, kept out of email and chat. */
  readonly muted: boolean;
}

/** The state operation that records that a change was alerted. */
export type StateWrite =
  | { readonly type: 'put'; readonly record: FailureRecord }
  | { readonly type: 'delete'; readonly key: FailureKey }
  /**
   * Written before an alert is published (write-ahead): the change is recorded as unconfirmed, so a
   * crash after the publish and before the confirmation is re-sent, never lost and never misread.
   * With a record, the record as it will be; without one (a recovery), a marker in its place.
   */
  | { readonly type: 'stage'; readonly key: FailureKey; readonly record?: FailureRecord; readonly change: Change };

/** A change that was staged but not confirmed: it may or may not have reached the subscribers. */
export interface UnconfirmedChange {
  readonly change: Change;
  /** The record staged with it; undefined for a staged recovery. */
  readonly record?: FailureRecord;
}

export interface FailureKey {
  readonly region: string;
  readonly conformancePack: string;
  readonly accountId: string;
}

/** A change to alert, with the state write that may only happen once SNS accepted the alert. */
export interface AlertableChange {
  readonly change: Change;
  readonly write: StateWrite;
}

export function failureKeyOf(value: FailureKey): FailureKey {
  return { region: value.region, conformancePack: value.conformancePack, accountId: value.accountId };
}
