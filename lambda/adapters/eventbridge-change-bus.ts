import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Change } from '../domain/types.js';
import { mapWithConcurrency } from '../map-with-concurrency.js';
import type { ChangeEventBus } from '../ports.js';

export const CHANGE_EVENT_SOURCE = 'packwatch';
export const CHANGE_EVENT_DETAIL_TYPE = 'Conformance Pack Deployment Change';
export const CHANGE_EVENT_SCHEMA = 'packwatch.change/1';

/** PutEvents takes at most 10 entries. */
const ENTRIES_PER_CALL = 10;
/** PutEvents calls in flight at once, so thousands of changes do not serialize the sweep. */
const CALLS_IN_FLIGHT = 8;

export interface EventBridgeChangeBusOptions {
  readonly client: EventBridgeClient;
  /** A bus name or ARN; the account's default bus is "default". */
  readonly eventBusName: string;
  /** Attempts at entries EventBridge did not accept before the sweep fails. @default 4 */
  readonly maxAttempts?: number;
  /** First backoff between those attempts; it doubles each time. @default 100 */
  readonly baseBackoffMs?: number;
}

/** Raised when EventBridge would not accept every change after the bounded retries. */
export class EventDeliveryError extends Error {
  constructor(
    readonly undelivered: number,
    readonly errorCodes: readonly string[],
  ) {
    super(`EventBridge did not accept ${undelivered} change event(s) (${[...new Set(errorCodes)].join(', ') || 'no error code'})`);
    this.name = 'EventDeliveryError';
  }
}

/** One event per change: source `packwatch`, detail-type `Conformance Pack Deployment Change`. */
export class EventBridgeChangeBus implements ChangeEventBus {
  constructor(private readonly options: EventBridgeChangeBusOptions) {}

  async putChanges(sweepId: string, changes: readonly Change[]): Promise<void> {
    const entries = changes.map((change) => this.toEntry(sweepId, change));
    const batches: PutEventsRequestEntry[][] = [];
    for (let start = 0; start < entries.length; start += ENTRIES_PER_CALL) batches.push(entries.slice(start, start + ENTRIES_PER_CALL));
    await mapWithConcurrency(batches, CALLS_IN_FLIGHT, (batch) => this.putBatch(batch));
  }

  private async putBatch(entries: PutEventsRequestEntry[]): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 4;
    const baseBackoffMs = this.options.baseBackoffMs ?? 100;
    let pending = entries;
    let errorCodes: string[] = [];
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > maxAttempts) throw new EventDeliveryError(pending.length, errorCodes);
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, baseBackoffMs * 2 ** (attempt - 2)));
      const result = await this.options.client.send(new PutEventsCommand({ Entries: pending }));
      // Results come back in request order; an entry with an ErrorCode was not accepted.
      const outcomes = result.Entries ?? [];
      errorCodes = outcomes.flatMap((outcome) => (outcome.ErrorCode ? [outcome.ErrorCode] : []));
      if ((result.FailedEntryCount ?? 0) === 0) return;
      // Without one result per entry there is no telling which failed: send them all again.
      pending = outcomes.length === pending.length ? pending.filter((_, index) => outcomes[index]?.ErrorCode) : pending;
    }
  }

  private toEntry(sweepId: string, change: Change): PutEventsRequestEntry {
    return {
      Source: CHANGE_EVENT_SOURCE,
      DetailType: CHANGE_EVENT_DETAIL_TYPE,
      EventBusName: this.options.eventBusName,
      Detail: JSON.stringify({ schema: CHANGE_EVENT_SCHEMA, sweepId, ...change }),
    };
  }
}
