import type { AlertMessage } from '../domain/alert-message.js';
import type { FailureRecord, StateWrite } from '../domain/types.js';
import type { Notifier, StateStore } from '../ports.js';

/**
 * For a read-only sweep (`packwatch check`): no remembered state, so every failing account is
 * reported, and nothing is ever written.
 */
export class NoStateStore implements StateStore {
  async loadFailures(_region: string): Promise<FailureRecord[]> {
    return [];
  }

  async apply(_writes: readonly StateWrite[]): Promise<void> {
    // Read-only by design: the check command never records anything.
  }
}

/** Keeps the alert messages instead of sending them. */
export class CollectingNotifier implements Notifier {
  readonly messages: AlertMessage[] = [];

  async publish(message: AlertMessage): Promise<void> {
    this.messages.push(message);
  }
}
