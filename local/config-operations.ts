import { AwsServiceError } from './aws-json-protocol';
import { pageLimit, RequestReader } from './config-request-validation';
import type { MemberAccountState } from './member-account-index';
import type { Organization, OrganizationPack } from './organization-model';
import { InvalidPageTokenError, type PageScope, type PageTokenCodec } from './page-token';

/** What an operation needs besides its input. */
export interface OperationContext {
  readonly organization: Organization;
  readonly tokens: PageTokenCodec;
  readonly region: string;
  /** Fault "emptyPageWithToken": answer a first page with no items but a NextToken. */
  readonly emptyFirstPage: boolean;
}

export interface OperationResult {
  readonly body: Record<string, unknown>;
  /** Packs named in a DescribeOrganizationConformancePacks answer (for the deletePackAfterListing fault). */
  readonly listedPacks?: readonly string[];
}

export type ConfigOperation = (input: Record<string, unknown>, context: OperationContext) => OperationResult;

/** The AWS Config operations the simulator serves, by X-Amz-Target operation name. */
export const CONFIG_OPERATIONS: Readonly<Record<string, ConfigOperation>> = {
  DescribeOrganizationConformancePacks: describeOrganizationConformancePacks,
  GetOrganizationConformancePackDetailedStatus: getOrganizationConformancePackDetailedStatus,
  DescribeOrganizationConformancePackStatuses: describeOrganizationConformancePackStatuses,
};

/** JSON 1.1 timestamps are epoch seconds. */
function epochSeconds(millis: number): number {
  return millis / 1000;
}

function describeOrganizationConformancePacks(input: Record<string, unknown>, context: OperationContext): OperationResult {
  const { packs, nextToken } = pageOfPacks('DescribeOrganizationConformancePacks', input, context);
  return {
    body: {
      OrganizationConformancePacks: packs.map((pack) => ({
        OrganizationConformancePackName: pack.name,
        OrganizationConformancePackArn: pack.arn,
        DeliveryS3Bucket: pack.deliveryS3Bucket,
        ConformancePackInputParameters: [],
        ExcludedAccounts: [],
        LastUpdateTime: epochSeconds(pack.lastUpdateTime),
      })),
      ...(nextToken !== undefined && { NextToken: nextToken }),
    },
    listedPacks: packs.map((pack) => pack.name),
  };
}

function describeOrganizationConformancePackStatuses(input: Record<string, unknown>, context: OperationContext): OperationResult {
  const { packs, nextToken } = pageOfPacks('DescribeOrganizationConformancePackStatuses', input, context);
  return {
    body: {
      OrganizationConformancePackStatuses: packs.map((pack) => {
        const summary = pack.summary();
        return {
          OrganizationConformancePackName: pack.name,
          Status: summary.status,
          ...(summary.errorCode !== undefined && { ErrorCode: summary.errorCode }),
          ...(summary.errorMessage !== undefined && { ErrorMessage: summary.errorMessage }),
          LastUpdateTime: epochSeconds(pack.lastUpdateTime),
        };
      }),
      ...(nextToken !== undefined && { NextToken: nextToken }),
    },
  };
}

/** Shared by the two pack listings: optional names (≤ 25, all must exist), Limit, NextToken. */
function pageOfPacks(
  operation: string,
  input: Record<string, unknown>,
  context: OperationContext,
): { packs: OrganizationPack[]; nextToken: string | undefined } {
  const reader = new RequestReader(input);
  const names = reader.stringList('OrganizationConformancePackNames');
  const limitInput = reader.integer('Limit');
  const token = nonEmpty(reader.string('NextToken'));
  if (names) {
    reader.check(
      names.length,
      'organizationConformancePackNames',
      names.length <= 25,
      'Member must have length less than or equal to 25',
    );
    names.forEach((name, index) => reader.packName(name, `organizationConformancePackNames.${index + 1}.member`, true));
  }
  reader.done();
  const limit = pageLimit(limitInput);

  let packs = context.organization.packs(context.region);
  if (names && names.length > 0) {
    const missing = names.filter((name) => !context.organization.pack(context.region, name));
    if (missing.length > 0) {
      throw new AwsServiceError(
        'NoSuchOrganizationConformancePackException',
        `One or more organization conformance packs with the specified names are not present: ${missing.join(', ')}. Ensure the names are correct and try again.`,
      );
    }
    const wanted = new Set(names);
    packs = packs.filter((pack) => wanted.has(pack.name));
  }
  const scope: PageScope = {
    operation,
    region: context.region,
    query: { names: names && names.length > 0 ? [...new Set(names)].sort() : null },
  };
  const after = resumeAfter(context, scope, token);
  if (after === undefined) return { packs: [], nextToken: context.tokens.encode(scope, '') };
  const start = after === '' ? 0 : packs.findIndex((pack) => pack.name > after);
  const from = start === -1 ? packs.length : start;
  const page = packs.slice(from, from + limit);
  const more = from + limit < packs.length;
  return { packs: page, nextToken: more ? context.tokens.encode(scope, page[page.length - 1]!.name) : undefined };
}

function getOrganizationConformancePackDetailedStatus(
  input: Record<string, unknown>,
  context: OperationContext,
): OperationResult {
  const reader = new RequestReader(input);
  const packName = reader.string('OrganizationConformancePackName');
  const filters = reader.object('Filters');
  const accountId = filters && reader.string('AccountId', filters, 'filters.accountId');
  const status = filters && reader.string('Status', filters, 'filters.status');
  const limitInput = reader.integer('Limit');
  const token = nonEmpty(reader.string('NextToken'));
  reader.packName(packName, 'organizationConformancePackName', true);
  if (accountId !== undefined) reader.accountId(accountId, 'filters.accountId');
  if (status !== undefined) reader.status(status, 'filters.status');
  reader.done();
  const limit = pageLimit(limitInput);

  const pack = context.organization.pack(context.region, packName!);
  if (!pack) {
    throw new AwsServiceError(
      'NoSuchOrganizationConformancePackException',
      `Could not find an organization conformance pack named ${packName} in ${context.region}.`,
    );
  }
  const filter = { ...(accountId !== undefined && { accountId }), ...(status !== undefined && { status }) };
  const scope: PageScope = {
    operation: 'GetOrganizationConformancePackDetailedStatus',
    region: context.region,
    query: { pack: pack.name, accountId: accountId ?? null, status: status ?? null },
  };
  const after = resumeAfter(context, scope, token);
  if (after === undefined) {
    return { body: { OrganizationConformancePackDetailedStatuses: [], NextToken: context.tokens.encode(scope, '') } };
  }
  const { items, more } = pack.accounts.page(filter, after, limit);
  return {
    body: {
      OrganizationConformancePackDetailedStatuses: items.map((account) => detailedStatus(pack, account)),
      ...(more && { NextToken: context.tokens.encode(scope, items[items.length - 1]!.accountId) }),
    },
  };
}

function detailedStatus(pack: OrganizationPack, account: MemberAccountState): Record<string, unknown> {
  return {
    AccountId: account.accountId,
    ConformancePackName: pack.memberPackName,
    Status: account.status,
    ...(account.errorCode !== undefined && { ErrorCode: account.errorCode }),
    ...(account.errorMessage !== undefined && { ErrorMessage: account.errorMessage }),
    LastUpdateTime: epochSeconds(account.lastUpdateTime),
  };
}

/**
 * Where this page starts: after the key in the token, '' for a first page, or undefined when
 * the emptyPageWithToken fault wants this first page served empty.
 */
function resumeAfter(context: OperationContext, scope: PageScope, token: string | undefined): string | undefined {
  if (token === undefined) return context.emptyFirstPage ? undefined : '';
  try {
    return context.tokens.decode(scope, token);
  } catch (error) {
    if (error instanceof InvalidPageTokenError) {
      throw new AwsServiceError('InvalidNextTokenException', 'The nextToken provided is invalid');
    }
    throw error;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
