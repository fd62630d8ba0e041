import type { AccountDeployment } from './types.js';

/**
 * What one sweep learned about one pack in one region.
 * - `read`: every failing account was listed (all three failed statuses, all pages), and when stuck
 *   deployments are watched, every account in progress (`inProgress`, else empty). `rechecked` holds
 *   the current deployment of accounts that were failing before and were not listed as failing now;
 *   `null` means AWS no longer reports the account for this pack. An account missing from `rechecked`
 *   could not be read, so nothing may be concluded about it.
 * - `deleted`: the pack no longer exists (NoSuchOrganizationConformancePackException).
 * - `unreadable`: the read failed; nothing may be concluded about the pack.
 * - `deferred`: the sweep ran out of time before reading it; nothing may be concluded either.
 */
export type PackObservation =
  | {
      readonly outcome: 'read';
      readonly conformancePack: string;
      readonly failing: readonly AccountDeployment[];
      readonly inProgress: readonly AccountDeployment[];
      readonly rechecked: ReadonlyMap<string, AccountDeployment | null>;
    }
  | { readonly outcome: 'deleted'; readonly conformancePack: string }
  | { readonly outcome: 'unreadable'; readonly conformancePack: string; readonly reason: string }
  | { readonly outcome: 'deferred'; readonly conformancePack: string };
