import { describe, expect, it } from 'vitest';
import { lambdaHeapLimits, lambdaNodeOptions } from '../../bench/lambda-heap.js';

describe('lambdaHeapLimits', () => {
  it.each([
    { memoryMb: 128, maxOldSpaceMb: 116, maxSemiSpaceMb: 6 },
    { memoryMb: 256, maxOldSpaceMb: 231, maxSemiSpaceMb: 12 },
    { memoryMb: 512, maxOldSpaceMb: 461, maxSemiSpaceMb: 25 },
    { memoryMb: 1769, maxOldSpaceMb: 1593, maxSemiSpaceMb: 88 },
  ])('gives a $memoryMb MB function the heap the Lambda runtime bootstrap gives it', ({ memoryMb, maxOldSpaceMb, maxSemiSpaceMb }) => {
    expect(lambdaHeapLimits(memoryMb)).toEqual({ maxOldSpaceMb, maxSemiSpaceMb });
  });

  it.each([100, 256.5, Number.NaN])('refuses %s MB, which no Lambda function has', (memoryMb) => {
    expect(() => lambdaHeapLimits(memoryMb)).toThrow(RangeError);
  });
});

describe('lambdaNodeOptions', () => {
  it('adds the heap flags to other options', () => {
    expect(lambdaNodeOptions(256, undefined)).toBe('--max-old-space-size=231 --max-semi-space-size=12');
    expect(lambdaNodeOptions(256, ' --trace-gc ')).toBe('--max-old-space-size=231 --max-semi-space-size=12 --trace-gc');
  });

  it.each(['--max-old-space-size=150', '--max_semi_space_size=4 --trace-gc'])('leaves the heap to options that size it, as the bootstrap does: %s', (options) => {
    expect(lambdaNodeOptions(256, options)).toBe(options);
  });
});
