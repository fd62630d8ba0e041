import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { isFailedStatus } from '../../lambda/domain/deployment-status.js';
import type { ConfigSimulator } from '../../local/config-simulator.js';
import type { EmulatedAws } from '../../local/emulated-aws.js';
import type { Evolution } from '../../local/organization-evolution.js';
import type { PublishedMessage } from '../../local/sns-sink.js';

/** Helpers shared by the integration tests: they read what the emulated AWS saw, through real protocols. */

export const LOCAL_CREDENTIALS = { accessKeyId: 'packwatch-local', secretAccessKey: 'packwatch-local' };

/** One (region, pack, account) whose deployment is failing, as the simulator holds it. */
export interface FailingPair {
  readonly region: string;
  readonly conformancePack: string;
  readonly accountId: string;
  readonly status: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

export function pairKey(pair: { readonly region: string; readonly conformancePack: string; readonly accountId: string }): string {
  return `${pair.region}/${pair.conformancePack}/${pair.accountId}`;
}

/** Every failing deployment the simulator holds now, computed from its own organization (not hard-coded). */
export function failingPairsOf(simulator: ConfigSimulator, regions: readonly string[] = simulator.listRegions()): FailingPair[] {
  return regions.flatMap((region) =>
    simulator.listPacks(region).flatMap((conformancePack) =>
      simulator
        .listAccounts(region, conformancePack)
        .filter((account) => isFailedStatus(account.status))
        .map((account) => ({
          region,
          conformancePack,
          accountId: account.accountId,
          status: account.status,
          ...(account.errorCode !== undefined && { errorCode: account.errorCode }),
          ...(account.errorMessage !== undefined && { errorMessage: account.errorMessage }),
        })),
    ),
  );
}

/** A change as the `packwatch.alert/1` document carries it. */
export interface AlertChange {
  readonly kind: string;
  readonly region: string;
  readonly conformancePack: string;
  readonly accountId: string;
  readonly status: string | null;
  readonly previousStatus: string | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly lastUpdateTime: string | null;
  readonly failingSince: string;
}

export interface AlertDocumentV1 {
  readonly schema: string;
  readonly sweepId: string;
  readonly generatedAt: string;
  readonly part: number;
  readonly parts: number;
  readonly summary: {
    readonly newFailures: number;
    readonly changedFailures: number;
    readonly reminders: number;
    readonly recoveries: number;
    readonly failingAccounts: number;
  };
  readonly changes: readonly AlertChange[];
}

export interface DecodedAlert {
  readonly published: PublishedMessage;
  /** The protocol bodies of `MessageStructure: "json"`. */
  readonly bodies: Record<string, unknown>;
  readonly document: AlertDocumentV1;
}

/** Decodes one publish: the JSON envelope, then its `default` body (the machine-readable alert). */
export function decodeAlert(published: PublishedMessage): DecodedAlert {
  expect(published.messageStructure).toBe('json');
  const bodies = JSON.parse(published.message) as Record<string, unknown>;
  expect(typeof bodies.default).toBe('string');
  const document = JSON.parse(bodies.default as string) as AlertDocumentV1;
  return { published, bodies, document };
}

/** Every change of every part of the given publishes, in order. */
/** The changes of the digest messages (schema packwatch.alert/1); operator alerts carry none. */
export function changesOf(published: readonly PublishedMessage[]): AlertChange[] {
  return digestsOf(published).flatMap((message) => decodeAlert(message).document.changes);
}

export function digestsOf(published: readonly PublishedMessage[]): PublishedMessage[] {
  return published.filter((message) => message.messageAttributes.schema?.value === 'packwatch.alert/1');
}

export function operatorAlertsOf(published: readonly PublishedMessage[]): Record<string, unknown>[] {
  return published
    .filter((message) => message.messageAttributes.schema?.value === 'packwatch.operator/1')
    .map((message) => JSON.parse((JSON.parse(message.message) as { default: string }).default) as Record<string, unknown>);
}

export interface StoredFailure {
  readonly pk: string;
  readonly sk: string;
  readonly region: string;
  readonly conformancePack: string;
  readonly accountId: string;
  readonly status: string;
  readonly failingSince: string;
  readonly lastAlertedAt: string;
  readonly errorCode?: string;
}

/** Reads the state table the way an operator would: a real DynamoDB client, one Query per region partition. */
export async function readStoredFailures(aws: EmulatedAws, regions: readonly string[]): Promise<StoredFailure[]> {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: aws.dynamodb.url, region: 'us-east-1', credentials: LOCAL_CREDENTIALS }),
  );
  try {
    const items: StoredFailure[] = [];
    for (const region of regions) {
      let exclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: aws.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :failure)',
            ExpressionAttributeValues: { ':pk': `REGION#${region}`, ':failure': 'FAILURE#' },
            ConsistentRead: true,
            ExclusiveStartKey: exclusiveStartKey,
          }),
        );
        // Confirmed records only: items staged ahead of a publish that was never confirmed are left out.
        items.push(...((page.Items ?? []).filter((item) => item.pendingChange === undefined) as StoredFailure[]));
        exclusiveStartKey = page.LastEvaluatedKey;
      } while (exclusiveStartKey);
    }
    return items;
  } finally {
    client.destroy();
  }
}

export function sortedKeys(items: readonly { readonly region: string; readonly conformancePack: string; readonly accountId: string }[]): string[] {
  return items.map(pairKey).sort();
}

const KIND_OF_EVOLUTION: Record<Evolution['kind'], string> = {
  'new failure': 'NEW_FAILURE',
  'changed failure': 'CHANGED_FAILURE',
  recovery: 'RECOVERED',
};

/** What the alert should say about each evolution of the organization, in a comparable order. */
export function expectedChangesOf(evolutions: readonly Evolution[]) {
  return evolutions
    .map((evolution) => ({
      kind: KIND_OF_EVOLUTION[evolution.kind],
      region: evolution.region,
      conformancePack: evolution.conformancePack,
      accountId: evolution.accountId,
      status: evolution.to,
      previousStatus: evolution.kind === 'new failure' ? null : evolution.from,
    }))
    .sort((a, b) => a.kind.localeCompare(b.kind));
}

/** The same fields of alerted changes, in the same order, to compare with expectedChangesOf. */
export function comparableChanges(changes: readonly AlertChange[]) {
  return changes
    .map(({ kind, region, conformancePack, accountId, status, previousStatus }) => ({ kind, region, conformancePack, accountId, status, previousStatus }))
    .sort((a, b) => a.kind.localeCompare(b.kind));
}
