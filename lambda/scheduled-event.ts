import { randomUUID } from 'node:crypto';

/** Raised when the function is invoked with anything but an EventBridge scheduled event. */
export class InvalidEventError extends Error {
  constructor(problem: string) {
    super(`Packwatch expects an EventBridge "Scheduled Event" from aws.events: ${problem}`);
    this.name = 'InvalidEventError';
  }
}

/** Validates the scheduled event and returns the sweep's ID: the event's own ID, so retries keep it. */
export function sweepIdFrom(event: unknown): string {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new InvalidEventError(`got ${event === null ? 'null' : Array.isArray(event) ? 'an array' : typeof event}`);
  }
  const fields = event as Record<string, unknown>;
  if (fields['detail-type'] !== 'Scheduled Event') {
    throw new InvalidEventError(`detail-type is ${JSON.stringify(fields['detail-type'])}`);
  }
  if (fields.source !== 'aws.events') {
    throw new InvalidEventError(`source is ${JSON.stringify(fields.source)}`);
  }
  return typeof fields.id === 'string' && fields.id !== '' ? fields.id : randomUUID();
}

/**
 * When the scheduled event was due (its `time`), or `fallback` (the invocation's start) when it has none or one
 * later than the fallback (a clock cannot schedule the future): the next scheduled sweep comes one interval later.
 */
export function scheduledTimeOf(event: unknown, fallback: Date): Date {
  const time = typeof event === 'object' && event !== null ? (event as Record<string, unknown>).time : undefined;
  const parsed = typeof time === 'string' ? Date.parse(time) : Number.NaN;
  return Number.isFinite(parsed) && parsed <= fallback.getTime() ? new Date(parsed) : fallback;
}
