import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SweepLease } from '../ports.js';
import { STATE_TABLE_KEY } from './state-table.js';

/** The lease item shares the state table: partition `LEASE`, sort `SWEEP`. */
const LEASE_KEY = { [STATE_TABLE_KEY.partitionKey]: 'LEASE', [STATE_TABLE_KEY.sortKey]: 'SWEEP' };

export interface DynamoDbSweepLeaseOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** A conditional write makes the lease: only one sweep can hold it until it expires or is released. */
export class DynamoDbSweepLease implements SweepLease {
  constructor(private readonly options: DynamoDbSweepLeaseOptions) {}

  async acquire(owner: string, now: Date, expiresAt: Date): Promise<boolean> {
    try {
      await this.options.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: { ...LEASE_KEY, owner, acquiredAt: now.toISOString(), expiresAtMs: expiresAt.getTime() },
          ConditionExpression: 'attribute_not_exists(#pk) OR #expires < :now',
          ExpressionAttributeNames: { '#pk': STATE_TABLE_KEY.partitionKey, '#expires': 'expiresAtMs' },
          ExpressionAttributeValues: { ':now': now.getTime() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  async release(owner: string): Promise<boolean> {
    try {
      await this.options.client.send(
        new DeleteCommand({
          TableName: this.options.tableName,
          Key: LEASE_KEY,
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
      return true;
    } catch (error) {
      // Someone else holds it now (ours expired): theirs is not ours to delete.
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }
}

function isConditionalCheckFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error instanceof Error && error.name === 'ConditionalCheckFailedException');
}
