import {
  ConfigServiceClient,
  DescribeOrganizationConformancePackStatusesCommand,
  DescribeOrganizationConformancePacksCommand,
  GetOrganizationConformancePackDetailedStatusCommand,
  type OrganizationResourceDetailedStatusFilters,
} from '@aws-sdk/client-config-service';
import { parseDeploymentRecord } from '../domain/account-deployment-record.js';
import { countStatuses } from '../domain/status-counts.js';
import { FAILED_STATUSES, IN_PROGRESS_STATUSES, type DeploymentStatus } from '../domain/deployment-status.js';
import type { AccountDeployment } from '../domain/types.js';
import {
  MalformedRecordError,
  OrganizationAccessDeniedError,
  PackNotFoundError,
  type InventorySource,
  type StatusCountPage,
  type StatusSource,
} from '../ports.js';
import type { SweepCounters } from '../sweep-counters.js';
import type { CallPacer } from './call-pacer.js';
import { countAttempts } from './count-attempts.js';

/** The largest page AWS Config serves. */
const PAGE_LIMIT = 100;

export interface ConfigStatusSourceOptions {
  /** The Config client of a region (cached by the caller so connections are reused across sweeps). */
  readonly clientFor: (region: string) => ConfigServiceClient;
  readonly counters: SweepCounters;
  /** Paces every attempt in a region (each region has its own limit). @default - no pacing */
  readonly pacerFor?: (region: string) => CallPacer;
  /** Told about each record skipped as malformed; the count is kept in `counters`. */
  readonly onMalformedRecord: (region: string, conformancePack: string, problem: string) => void;
}

/** Reads organization conformance packs through the AWS Config API; owns paging and error mapping. */
export class ConfigStatusSource implements StatusSource, InventorySource {
  constructor(private readonly options: ConfigStatusSourceOptions) {}

  async listPacks(region: string): Promise<string[]> {
    const names: string[] = [];
    await this.readAllPages(region, undefined, async (nextToken) => {
      const command = new DescribeOrganizationConformancePacksCommand({ Limit: PAGE_LIMIT, NextToken: nextToken });
      countAttempts(command, this.options.counters, this.options.pacerFor?.(region));
      const page = await this.options.clientFor(region).send(command);
      for (const pack of page.OrganizationConformancePacks ?? []) {
        if (pack.OrganizationConformancePackName) names.push(pack.OrganizationConformancePackName);
      }
      return page.NextToken;
    }, () => {
      names.length = 0;
    });
    return [...new Set(names)];
  }

  async listPackSummaries(region: string): Promise<Map<string, string>> {
    const summaries = new Map<string, string>();
    await this.readAllPages(region, undefined, async (nextToken) => {
      const command = new DescribeOrganizationConformancePackStatusesCommand({ Limit: PAGE_LIMIT, NextToken: nextToken });
      countAttempts(command, this.options.counters, this.options.pacerFor?.(region));
      const page = await this.options.clientFor(region).send(command);
      for (const summary of page.OrganizationConformancePackStatuses ?? []) {
        if (summary.OrganizationConformancePackName && summary.Status) summaries.set(summary.OrganizationConformancePackName, summary.Status);
      }
      return page.NextToken;
    }, () => summaries.clear());
    return summaries;
  }

  async listFailingAccounts(region: string, conformancePack: string): Promise<AccountDeployment[]> {
    return this.readStatuses(region, conformancePack, FAILED_STATUSES);
  }

  async listInProgressAccounts(region: string, conformancePack: string): Promise<AccountDeployment[]> {
    return this.readStatuses(region, conformancePack, IN_PROGRESS_STATUSES);
  }

  /** One filtered query per status (`Filters.Status` takes one value), one after the other. */
  private async readStatuses(region: string, conformancePack: string, statuses: readonly DeploymentStatus[]): Promise<AccountDeployment[]> {
    const deployments: AccountDeployment[] = [];
    for (const status of statuses) deployments.push(...(await this.readStatus(region, conformancePack, status)));
    return deployments;
  }

  async getAccountDeployment(region: string, conformancePack: string, accountId: string): Promise<AccountDeployment | null> {
    const { deployments, malformed } = await this.readDeployments(region, conformancePack, { AccountId: accountId });
    if (malformed.length > 0) throw new MalformedRecordError(region, conformancePack, malformed.join('; '));
    return deployments.find((deployment) => deployment.accountId === accountId) ?? null;
  }

  /**
   * One unfiltered page, counted by status. A token AWS no longer accepts (a checkpoint can outlive it)
   * restarts the pack from its first page, and says so. Malformed records are returned, not counted here:
   * the inventory counts and logs them.
   */
  async readStatusCountPage(region: string, conformancePack: string, nextToken: string | undefined, signal?: AbortSignal): Promise<StatusCountPage> {
    try {
      return { ...(await this.readCountPage(region, conformancePack, nextToken, signal)), restarted: false };
    } catch (error) {
      if (nextToken === undefined || errorName(error) !== 'InvalidNextTokenException') throw this.mapError(region, conformancePack, error);
    }
    try {
      return { ...(await this.readCountPage(region, conformancePack, undefined, signal)), restarted: true };
    } catch (error) {
      throw this.mapError(region, conformancePack, error);
    }
  }

  private async readCountPage(region: string, conformancePack: string, nextToken: string | undefined, signal: AbortSignal | undefined) {
    const command = new GetOrganizationConformancePackDetailedStatusCommand({
      OrganizationConformancePackName: conformancePack,
      Limit: PAGE_LIMIT,
      NextToken: nextToken,
    });
    countAttempts(command, this.options.counters, this.options.pacerFor?.(region));
    const page = await this.options.clientFor(region).send(command, signal ? { abortSignal: signal } : {});
    const { counts, malformed } = countStatuses(page.OrganizationConformancePackDetailedStatuses ?? []);
    return { counts, malformed, ...(page.NextToken ? { nextToken: page.NextToken } : {}) };
  }

  /** The accounts under one status; malformed records are counted, reported and skipped. */
  private async readStatus(region: string, conformancePack: string, status: DeploymentStatus): Promise<AccountDeployment[]> {
    const { deployments, malformed } = await this.readDeployments(region, conformancePack, { Status: status });
    for (const problem of malformed) {
      this.options.counters.malformedRecords += 1;
      this.options.onMalformedRecord(region, conformancePack, problem);
    }
    return deployments;
  }

  /** Every page of one filtered detailed-status query, valid records apart from the problems of malformed ones. */
  private async readDeployments(
    region: string,
    conformancePack: string,
    filters: OrganizationResourceDetailedStatusFilters,
  ): Promise<{ deployments: AccountDeployment[]; malformed: string[] }> {
    const deployments: AccountDeployment[] = [];
    const malformed: string[] = [];
    await this.readAllPages(
      region,
      conformancePack,
      async (nextToken) => {
        const command = new GetOrganizationConformancePackDetailedStatusCommand({
          OrganizationConformancePackName: conformancePack,
          Filters: filters,
          Limit: PAGE_LIMIT,
          NextToken: nextToken,
        });
        countAttempts(command, this.options.counters, this.options.pacerFor?.(region));
        const page = await this.options.clientFor(region).send(command);
        for (const raw of page.OrganizationConformancePackDetailedStatuses ?? []) {
          const parsed = parseDeploymentRecord(raw);
          if (parsed.ok) deployments.push(parsed.deployment);
          else malformed.push(parsed.problem);
        }
        return page.NextToken;
      },
      () => {
        // A restart reads the first pages again: forget what they gave.
        deployments.length = 0;
        malformed.length = 0;
      },
    );
    return { deployments, malformed };
  }

  /**
   * Follows NextToken to the end, never stopping on an empty page. A token AWS no longer accepts
   * restarts the read once from the first page, after `restart` discarded what was read.
   */
  private async readAllPages(
    region: string,
    conformancePack: string | undefined,
    readPage: (nextToken: string | undefined) => Promise<string | undefined>,
    restart: () => void,
  ): Promise<void> {
    let restarted = false;
    let nextToken: string | undefined;
    for (;;) {
      try {
        nextToken = await readPage(nextToken);
      } catch (error) {
        if (nextToken !== undefined && !restarted && errorName(error) === 'InvalidNextTokenException') {
          restarted = true;
          nextToken = undefined;
          restart();
          continue;
        }
        throw this.mapError(region, conformancePack, error);
      }
      if (!nextToken) return;
    }
  }

  private mapError(region: string, conformancePack: string | undefined, error: unknown): unknown {
    const name = errorName(error);
    if (name === 'NoSuchOrganizationConformancePackException' && conformancePack !== undefined) {
      return new PackNotFoundError(region, conformancePack);
    }
    if (name === 'OrganizationAccessDeniedException') {
      return new OrganizationAccessDeniedError(region, error instanceof Error ? error.message : String(error));
    }
    return error;
  }
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}
