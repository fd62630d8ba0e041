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
