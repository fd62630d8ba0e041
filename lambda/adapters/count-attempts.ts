import type { DeserializeHandlerOptions, MiddlewareStack } from '@smithy/types';
import type { SweepCounters } from '../sweep-counters.js';
import type { CallPacer } from './call-pacer.js';

const THROTTLING_ERRORS = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded']);

const PLACEMENT: DeserializeHandlerOptions & { name: string; priority: 'high' } = {
  step: 'deserialize',
  name: 'packwatchCountAttempts',
  priority: 'high',
};

/**
 * Counts every attempt of a command, retries included, and the attempts answered with throttling;
 * with a pacer, each attempt first waits for its slot. It sits in the deserialize step, inside the
 * SDK's retry loop, so each attempt passes through it.
 */
export function countAttempts<Input extends object, Output extends object>(
  command: { readonly middlewareStack: MiddlewareStack<Input, Output> },
  counters: SweepCounters,
  pacer?: CallPacer,
): void {
  command.middlewareStack.add(
    (next) => async (args) => {
      await pacer?.take();
      counters.apiCalls += 1;
      try {
        return await next(args);
      } catch (error) {
        if (isThrottling(error)) counters.throttles += 1;
        throw error;
      }
    },
    PLACEMENT,
  );
}

function isThrottling(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return THROTTLING_ERRORS.has(error.name) || status === 429;
}
