import { formatPackId, parsePackId } from '../domain/pack-id.js';
import type { AccountDeployment } from '../domain/types.js';
import { OrganizationAccessDeniedError, type InventorySource, type StatusCountPage, type StatusSource } from '../ports.js';

export interface PackSource {
  /** The account whose packs this source reads; undefined for the calling account itself. */
  readonly sourceAccount?: string;
  readonly source: StatusSource & InventorySource;
}

/** Raised when one source cannot be read: the whole region is then left as it was. */
export class SourceReadError extends Error {
  constructor(
    readonly sourceAccount: string,
    cause: unknown,
  ) {
    super(`Could not read the packs deployed from account ${sourceAccount}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = cause instanceof Error ? cause.name : 'SourceReadError';
  }
}

/**
 * Reads the packs of the calling account and of each source account (a delegated administrator sees
 * only the packs it deployed, and the management account only its own) as one organization.
 * A listing is complete only if every source listed: otherwise it throws, because a partial listing
 * would make the other source's packs look deleted.
 */
export class MultiAccountStatusSource implements StatusSource, InventorySource {
  private readonly byAccount = new Map<string | undefined, StatusSource & InventorySource>();

  constructor(private readonly sources: readonly PackSource[]) {
    for (const { sourceAccount, source } of sources) this.byAccount.set(sourceAccount, source);
  }

  async listPacks(region: string): Promise<string[]> {
    const listings = await Promise.all(
      this.sources.map(async ({ sourceAccount, source }) => {
        try {
          return (await source.listPacks(region)).map((name) => formatPackId({ ...(sourceAccount ? { sourceAccount } : {}), name }));
        } catch (error) {
          if (!sourceAccount) throw error;
          if (error instanceof OrganizationAccessDeniedError) {
            throw new OrganizationAccessDeniedError(region, `source account ${sourceAccount}: ${error.message}`);
          }
          throw new SourceReadError(sourceAccount, error);
        }
      }),
    );
    return listings.flat();
  }

  async listPackSummaries(region: string): Promise<Map<string, string>> {
    const summaries = new Map<string, string>();
    for (const { sourceAccount, source } of this.sources) {
      for (const [name, status] of await source.listPackSummaries(region)) {
        summaries.set(formatPackId({ ...(sourceAccount ? { sourceAccount } : {}), name }), status);
      }
    }
    return summaries;
  }

  listFailingAccounts(region: string, pack: string): Promise<AccountDeployment[]> {
    const { source, name } = this.route(pack);
    return source.listFailingAccounts(region, name);
  }

  listInProgressAccounts(region: string, pack: string): Promise<AccountDeployment[]> {
    const { source, name } = this.route(pack);
    return source.listInProgressAccounts(region, name);
  }

  getAccountDeployment(region: string, pack: string, accountId: string): Promise<AccountDeployment | null> {
    const { source, name } = this.route(pack);
    return source.getAccountDeployment(region, name, accountId);
  }

  readStatusCountPage(region: string, pack: string, nextToken: string | undefined, signal?: AbortSignal): Promise<StatusCountPage> {
    const { source, name } = this.route(pack);
    return source.readStatusCountPage(region, name, nextToken, signal);
  }

  private route(pack: string): { source: StatusSource & InventorySource; name: string } {
    const id = parsePackId(pack);
    const source = this.byAccount.get(id.sourceAccount);
    if (!source) throw new Error(`No source reads packs of account ${id.sourceAccount ?? '(calling account)'} for pack ${pack}`);
    return { source, name: id.name };
  }
}
