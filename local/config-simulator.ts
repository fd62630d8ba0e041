import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AwsServiceError,
  parseJsonObject,
  regionFromAuthorization,
  sendJson,
  sendJsonError,
} from './aws-json-protocol';
import { ACCOUNT_ID_PATTERN, ORGANIZATION_CONFORMANCE_PACK_NAME_PATTERN } from './conformance-pack-statuses';
import { CONFIG_OPERATIONS } from './config-operations';
import { FaultInjector } from './fault-injector';
import { readRequestBody, RequestTooLargeError, serveOnLoopback, type LoopbackListener } from './loopback-http-server';
import type { MemberAccountState } from './member-account-index';
import { Organization, type OrganizationPack } from './organization-model';
import { PageTokenCodec } from './page-token';
import { validateScenario, type Scenario } from './scenario';
import type { SimulatorFaults, SimulatorFaultsPatch } from './simulator-faults';

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'StarlingDoveService.';
const MAX_REQUEST_BYTES = 1024 * 1024;

export interface ConfigSimulatorOptions {
  /** The organization to start with (validated); default: one empty region, us-east-1. */
  readonly scenario?: Scenario;
  /** Applied on top of the scenario's faults. */
  readonly faults?: SimulatorFaultsPatch;
}

/** A member account as the programmatic API reads and writes it. */
export interface MemberAccount {
  readonly accountId: string;
  /** Normally one of the nine statuses; any other string emulates a status AWS might add. */
  readonly status: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /** ISO-8601 when read; accepts a Date, ISO string or epoch ms when written (default: now). */
  readonly lastUpdateTime?: string | Date | number;
}

export interface ConfigSimulatorStats {
  /** Every HTTP request received, answered or not. */
  readonly calls: number;
  readonly byOperation: Readonly<Record<string, number>>;
  /** Requests whose signature named a region. */
  readonly byRegion: Readonly<Record<string, number>>;
  /** Error answers by error code, throttling included. */
  readonly byError: Readonly<Record<string, number>>;
  /** ThrottlingException answers (rate limit and throttleRate). */
  readonly throttled: number;
  /** Error answers other than throttling (4xx and 5xx). */
  readonly errors: number;
}

/**
 * AWS Config's organization conformance pack API on 127.0.0.1, speaking the JSON 1.1 protocol
 * the real SDK uses, with an organization a test can reshape between sweeps and faults it can
 * switch on: throttling, 500s, bad tokens, packs vanishing mid-sweep, access denied, latency.
 */
export class ConfigSimulator {
  private readonly injector: FaultInjector;
  private readonly tokens = new PageTokenCodec();
  private readonly aborter = new AbortController();
  private counters = emptyCounters();
  private listener: LoopbackListener | undefined;

  private constructor(
    private readonly organization: Organization,
    faults: SimulatorFaultsPatch,
  ) {
    this.injector = new FaultInjector(faults);
  }

  static async start(options: ConfigSimulatorOptions = {}): Promise<ConfigSimulator> {
    const scenario = options.scenario
      ? validateScenario(options.scenario)
      : ({ name: 'empty', regions: { 'us-east-1': { packs: [] } } } satisfies Scenario);
    const simulator = new ConfigSimulator(Organization.fromScenario(scenario), {
      ...scenario.faults,
      ...options.faults,
    });
    simulator.listener = await serveOnLoopback(
      (request, response) => simulator.handle(request, response),
      (response, error) => sendJsonError(response, new AwsServiceError('InternalFailure', String(error), 500), CONTENT_TYPE),
    );
    return simulator;
  }

  /** http://127.0.0.1:<port> — pass as `endpoint` to ConfigServiceClient. */
  get url(): string {
    return this.requireListener().url;
  }

  get port(): number {
    return this.requireListener().port;
  }

  async stop(): Promise<void> {
    this.aborter.abort();
    await this.listener?.stop();
  }

  // ---- faults -------------------------------------------------------------------------------

  get faults(): SimulatorFaults {
    return this.injector.faults;
  }

  /** Merges `patch` into the active faults (null/undefined switches one off); returns them all. */
  setFaults(patch: SimulatorFaultsPatch): SimulatorFaults {
    return this.injector.set(patch);
  }

  clearFaults(): void {
    this.injector.clear();
  }

  // ---- organization ---------------------------------------------------------------------------

  /** Regions that have (or had) packs. */
  listRegions(): string[] {
    return this.organization.regionNames();
  }

  listPacks(region: string): string[] {
    return this.organization.packs(region).map((pack) => pack.name);
  }

  addPack(region: string, packName: string, options: { summaryStatus?: string } = {}): void {
    if (!ORGANIZATION_CONFORMANCE_PACK_NAME_PATTERN.test(packName) || packName.length > 128) {
      throw new Error(`invalid organization conformance pack name ${JSON.stringify(packName)}`);
    }
    this.organization.addPack(region, packName, options);
  }

  removePack(region: string, packName: string): boolean {
    return this.organization.removePack(region, packName);
  }

  /** Forces (or, with undefined, stops forcing) the pack's DescribeOrganizationConformancePackStatuses answer. */
  setPackSummaryStatus(region: string, packName: string, status: string | undefined): void {
    this.requirePack(region, packName).summaryStatus = status;
  }

  /** Inserts or replaces one member account's status. */
  setAccount(region: string, packName: string, account: MemberAccount): void {
    if (typeof account.accountId !== 'string' || !ACCOUNT_ID_PATTERN.test(account.accountId)) {
      throw new Error(`accountId must be 12 digits as a string, got ${JSON.stringify(account.accountId)}`);
    }
    if (typeof account.status !== 'string' || account.status === '') {
      throw new Error(`status must be a non-empty string, got ${JSON.stringify(account.status)}`);
    }
    const lastUpdateTime = account.lastUpdateTime === undefined ? Date.now() : new Date(account.lastUpdateTime).getTime();
    if (Number.isNaN(lastUpdateTime)) throw new Error(`lastUpdateTime is not a valid time: ${String(account.lastUpdateTime)}`);
    this.requirePack(region, packName).accounts.upsert({
      accountId: account.accountId,
      status: account.status,
      ...(account.errorCode !== undefined && { errorCode: account.errorCode }),
      ...(account.errorMessage !== undefined && { errorMessage: account.errorMessage }),
      lastUpdateTime,
    });
  }

  removeAccount(region: string, packName: string, accountId: string): boolean {
    return this.requirePack(region, packName).accounts.remove(accountId);
  }

  /** Every member account of the pack, ascending by ID. */
  listAccounts(region: string, packName: string): MemberAccount[] {
    return this.requirePack(region, packName).accounts.list().map(toMemberAccount);
  }

  // ---- counters -------------------------------------------------------------------------------

  stats(): ConfigSimulatorStats {
    const { calls, throttled, errors, byOperation, byRegion, byError } = this.counters;
    return { calls, throttled, errors, byOperation: { ...byOperation }, byRegion: { ...byRegion }, byError: { ...byError } };
  }

  resetStats(): void {
    this.counters = emptyCounters();
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const counters = this.counters;
    counters.calls += 1;
    const target = headerValue(request, 'x-amz-target') ?? '';
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target || '(none)';
    counters.byOperation[operation] = (counters.byOperation[operation] ?? 0) + 1;
    try {
      const body = await readRequestBody(request, MAX_REQUEST_BYTES);
      if (this.injector.latencyMs > 0) await sleep(this.injector.latencyMs, undefined, { signal: this.aborter.signal });
      const result = this.answer(request, operation, body);
      sendJson(response, 200, result, CONTENT_TYPE);
    } catch (error) {
      if (this.aborter.signal.aborted) return;
      const serviceError = toServiceError(error);
      counters.byError[serviceError.code] = (counters.byError[serviceError.code] ?? 0) + 1;
      if (serviceError.code === 'ThrottlingException') counters.throttled += 1;
      else counters.errors += 1;
      sendJsonError(response, serviceError, CONTENT_TYPE);
    }
  }

  private answer(request: IncomingMessage, operation: string, body: Buffer): Record<string, unknown> {
    const region = regionFromAuthorization(headerValue(request, 'authorization'));
    if (!region) {
      throw new AwsServiceError(
        'MissingAuthenticationTokenException',
        'Request is missing Authentication Token: sign it with SigV4 (the region is read from the credential scope).',
      );
    }
    this.counters.byRegion[region] = (this.counters.byRegion[region] ?? 0) + 1;
    const handler = Object.hasOwn(CONFIG_OPERATIONS, operation) ? CONFIG_OPERATIONS[operation] : undefined;
    if (request.method !== 'POST' || !handler) {
      throw new AwsServiceError('UnknownOperationException', `Operation ${operation} is not supported by this endpoint.`);
    }
    const input = parseJsonObject(body);
    const fault =
      this.injector.atFrontDoor(region) ??
      this.injector.accessDenied(region) ??
      this.injector.invalidNextToken(typeof input.NextToken === 'string' && input.NextToken !== '');
    if (fault) throw fault;
    const result = handler(input, {
      organization: this.organization,
      tokens: this.tokens,
      region,
      emptyFirstPage: this.injector.emptyFirstPage,
    });
    const doomed = result.listedPacks && this.injector.packToDeleteAfterListing(result.listedPacks);
    if (doomed) this.organization.removePack(region, doomed);
    return result.body;
  }

  private requirePack(region: string, packName: string): OrganizationPack {
    const pack = this.organization.pack(region, packName);
    if (!pack) throw new Error(`no organization conformance pack ${packName} in ${region}`);
    return pack;
  }

  private requireListener(): LoopbackListener {
    if (!this.listener) throw new Error('the simulator is not listening');
    return this.listener;
  }
}

/** Starts a ConfigSimulator; same as ConfigSimulator.start. */
export function startConfigSimulator(options: ConfigSimulatorOptions = {}): Promise<ConfigSimulator> {
  return ConfigSimulator.start(options);
}

function emptyCounters() {
  return {
    calls: 0,
    throttled: 0,
    errors: 0,
    byOperation: {} as Record<string, number>,
    byRegion: {} as Record<string, number>,
    byError: {} as Record<string, number>,
  };
}

function toMemberAccount(state: MemberAccountState): MemberAccount {
  return {
    accountId: state.accountId,
    status: state.status,
    ...(state.errorCode !== undefined && { errorCode: state.errorCode }),
    ...(state.errorMessage !== undefined && { errorMessage: state.errorMessage }),
    lastUpdateTime: new Date(state.lastUpdateTime).toISOString(),
  };
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function toServiceError(error: unknown): AwsServiceError {
  if (error instanceof AwsServiceError) return error;
  if (error instanceof RequestTooLargeError) return new AwsServiceError('SerializationException', error.message, 413);
  return new AwsServiceError('InternalFailure', `The simulator failed: ${String(error)}`, 500);
}
