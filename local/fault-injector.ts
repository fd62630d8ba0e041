import { performance } from 'node:perf_hooks';
import { AwsServiceError } from './aws-json-protocol';
import { seededRandom, type RandomSource } from './seeded-random';
import { mergeFaults, validateFaultsPatch, type SimulatorFaults, type SimulatorFaultsPatch } from './simulator-faults';
import { SlidingWindowRateLimiter } from './sliding-window-rate-limiter';

const DEFAULT_SEED = 1;

const ACCESS_DENIED_MESSAGE =
  'This action can only be performed by the management account of the organization or a registered delegated ' +
  'administrator for AWS Config, and only while trusted access for config-multiaccountsetup.amazonaws.com is ' +
  'enabled in AWS Organizations. For all OrganizationConfigRule and OrganizationConformancePack APIs, Config ' +
  'throws this exception if the API is called from a member account.';

/**
 * Decides, call by call, which fault (if any) the simulator answers with. Random faults draw
 * from a seeded PRNG so a run that failed can be replayed exactly.
 */
export class FaultInjector {
  private current: SimulatorFaults = {};
  private random: RandomSource = seededRandom(DEFAULT_SEED);
  private readonly limiter = new SlidingWindowRateLimiter(1000);

  constructor(initial: SimulatorFaultsPatch = {}) {
    this.set(initial);
  }

  get faults(): SimulatorFaults {
    return this.current;
  }

  /** Validates and merges a patch; a new seed, throttleRate or errorRate restarts the PRNG from the seed. */
  set(patch: SimulatorFaultsPatch): SimulatorFaults {
    const valid = validateFaultsPatch(patch);
    this.current = mergeFaults(this.current, valid);
    if ('seed' in valid || 'throttleRate' in valid || 'errorRate' in valid) {
      this.random = seededRandom(this.current.seed ?? DEFAULT_SEED);
    }
    if ('rateLimitPerSecond' in valid) this.limiter.reset();
    return this.current;
  }

  clear(): void {
    this.current = {};
    this.random = seededRandom(DEFAULT_SEED);
    this.limiter.reset();
  }

  get latencyMs(): number {
    return this.current.latencyMs ?? 0;
  }

  get emptyFirstPage(): boolean {
    return this.current.emptyPageWithToken ?? false;
  }

  /** Throttling, rate limiting and internal failures: what a call meets before the service reads it. */
  atFrontDoor(region: string): AwsServiceError | undefined {
    const { rateLimitPerSecond, throttleRate, errorRate } = this.current;
    if (rateLimitPerSecond !== undefined && !this.limiter.tryAdmit(region, rateLimitPerSecond, performance.now())) {
      return new AwsServiceError('ThrottlingException', 'Rate exceeded');
    }
    if (throttleRate && this.random() < throttleRate) return new AwsServiceError('ThrottlingException', 'Rate exceeded');
    if (errorRate && this.random() < errorRate) {
      return new AwsServiceError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
    }
    return undefined;
  }

  accessDenied(region: string): AwsServiceError | undefined {
    if (!this.current.accessDeniedRegions?.includes(region)) return undefined;
    return new AwsServiceError('OrganizationAccessDeniedException', ACCESS_DENIED_MESSAGE);
  }

  /** The one-shot invalid token: fires on the first request that carries a NextToken. */
  invalidNextToken(carriesToken: boolean): AwsServiceError | undefined {
    if (!carriesToken || !this.current.invalidNextTokenOnce) return undefined;
    this.current = mergeFaults(this.current, { invalidNextTokenOnce: null });
    return new AwsServiceError('InvalidNextTokenException', 'The nextToken provided is invalid');
  }

  /** If the pack to delete was just listed, clears the fault and returns its name. */
  packToDeleteAfterListing(listed: readonly string[]): string | undefined {
    const name = this.current.deletePackAfterListing;
    if (name === undefined || !listed.includes(name)) return undefined;
    this.current = mergeFaults(this.current, { deletePackAfterListing: null });
    return name;
  }
}
