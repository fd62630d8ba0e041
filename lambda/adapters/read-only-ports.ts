import type { AlertMessage } from '../domain/alert-message.js';
import type { StateWrite } from '../domain/types.js';
import type { Notifier, RegionBookkeeping, StateStore, StoredRecords } from '../ports.js';

/**
 * For a read-only sweep (`packwatch check`): no remembered state, so every failing account is
 * reported, and nothing is ever written.
 */
export class NoStateStore implements StateStore {
  async loadBookkeeping(_region: string): Promise<RegionBookkeeping> {
    // Nothing is recorded for any pack, so no record is ever read.
    return { deferredPacks: [], recordedPacks: {} };
  }

  async loadRecords(_region: string, _conformancePack?: string): Promise<StoredRecords> {
    return { failures: [], unconfirmed: [] };
  }

  async apply(_writes: readonly StateWrite[]): Promise<void> {
    // Read-only by design: the check command never records anything.
  }

  async saveBookkeeping(_region: string, _bookkeeping: RegionBookkeeping): Promise<void> {
    // Read-only by design.
  }
}

/** Keeps the alert messages instead of sending them. */
export class CollectingNotifier implements Notifier {
  readonly messages: AlertMessage[] = [];

  async publish(message: AlertMessage): Promise<void> {
    this.messages.push(message);
  }
}
