/**
 * How AWS Lambda's managed Node.js runtime sizes V8's heap from the function's memory, so the bench's child
 * runs under the limits the deployed function has and its peak RSS means what it would in Lambda.
 *
 * The runtime's `/var/runtime/bootstrap` (as shipped in the public.ecr.aws/lambda/nodejs 14 and 18 images)
 * does, when AWS_LAMBDA_FUNCTION_MEMORY_SIZE is set:
 *
 *   new_space = memory / 10;  semi_space = new_space / 2;  old_space = memory - new_space
 *   node --max-semi-space-size=$semi_space --max-old-space-size=$old_space …   (integer MB)
 *
 * The nodejs24.x bootstrap keeps new_space = memory / 10 and old_space = memory - new_space, and gives
 * neither flag when NODE_OPTIONS already names one; it may divide the new space by 3 (V8's young generation
 * is three semi-spaces), a smaller semi-space: halving it is the larger, so the bench errs on the high side.
 */
export interface LambdaHeapLimits {
  readonly maxOldSpaceMb: number;
  readonly maxSemiSpaceMb: number;
}

export function lambdaHeapLimits(memoryMb: number): LambdaHeapLimits {
  if (!Number.isInteger(memoryMb) || memoryMb < 128) throw new RangeError(`a Lambda function has at least 128 MB, in whole MB, not ${memoryMb}`);
  const newSpaceMb = Math.floor(memoryMb / 10);
  return { maxOldSpaceMb: memoryMb - newSpaceMb, maxSemiSpaceMb: Math.floor(newSpaceMb / 2) };
}

/** NODE_OPTIONS as the bootstrap leaves them: its heap flags, unless the given options already size the heap. */
export function lambdaNodeOptions(memoryMb: number, extraOptions: string | undefined): string {
  const extra = extraOptions?.trim() ?? '';
  if (/--max[-_](old|semi)[-_]space[-_]size/.test(extra)) return extra;
  const limits = lambdaHeapLimits(memoryMb);
  return [`--max-old-space-size=${limits.maxOldSpaceMb}`, `--max-semi-space-size=${limits.maxSemiSpaceMb}`, extra].filter((option) => option !== '').join(' ');
}
