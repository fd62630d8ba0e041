import { describe, expect, it } from 'vitest';
import { InvalidEventError, scheduledTimeOf, sweepIdFrom } from '../../lambda/scheduled-event.js';

const SCHEDULED = {
  version: '0',
  id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2026-11-27T12:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:123456789012:rule/packwatch'],
  detail: {},
};

describe('sweepIdFrom', () => {
  it('uses the scheduled event ID as the sweep ID', () => {
    expect(sweepIdFrom(SCHEDULED)).toBe(SCHEDULED.id);
  });

  it('makes up an ID when the event has none', () => {
    const { id: _id, ...withoutId } = SCHEDULED;
    expect(sweepIdFrom(withoutId)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    { event: null, problem: 'got null' },
    { event: [], problem: 'got an array' },
    { event: 'go', problem: 'got string' },
    { event: { ...SCHEDULED, 'detail-type': 'Object Created' }, problem: 'detail-type is "Object Created"' },
    { event: { ...SCHEDULED, source: 'aws.s3' }, problem: 'source is "aws.s3"' },
  ])('rejects $problem', ({ event, problem }) => {
    expect(() => sweepIdFrom(event)).toThrow(new InvalidEventError(problem));
  });
});

describe('scheduledTimeOf', () => {
  const started = new Date('2026-11-27T12:00:01.250Z');
  it.each([
    { name: 'the event time, when it is before the invocation', event: { time: '2026-11-27T12:00:00Z' }, expected: '2026-11-27T12:00:00.000Z' },
    { name: 'the start, when the event has no time (a manual invoke)', event: { id: 'manual-1' }, expected: started.toISOString() },
    { name: 'the start, when the time is not a time', event: { time: 'noon' }, expected: started.toISOString() },
    { name: 'the start, when the time is later than the start', event: { time: '2026-11-27T12:05:00Z' }, expected: started.toISOString() },
    { name: 'the start, for something that is no object', event: 'tick', expected: started.toISOString() },
  ])('$name', ({ event, expected }) => {
    expect(scheduledTimeOf(event, started).toISOString()).toBe(expected);
  });
});
