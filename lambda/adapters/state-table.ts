/**
 * The one definition of the state table's key schema. The CDK construct and the local
 * DynamoDB emulator both build the table from it, so they cannot drift apart.
 */
export const STATE_TABLE_KEY = {
  partitionKey: 'pk',
  sortKey: 'sk',
} as const;

/** CreateTable input for the emulator; the stack maps the same keys to CDK attributes. */
export function stateTableCreateInput(tableName: string) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [
      { AttributeName: STATE_TABLE_KEY.partitionKey, AttributeType: 'S' as const },
      { AttributeName: STATE_TABLE_KEY.sortKey, AttributeType: 'S' as const },
    ],
    KeySchema: [
      { AttributeName: STATE_TABLE_KEY.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: STATE_TABLE_KEY.sortKey, KeyType: 'RANGE' as const },
    ],
  };
}

/** The partition of a region's items: its failure records, its bookkeeping and its inventory checkpoint. */
export function regionPartition(region: string): string {
  return `REGION#${region}`;
}

/** The sort key of a region's inventory checkpoint, beside its failure records (which the sweep skips it among). */
export const INVENTORY_SORT_KEY = 'INVENTORY';
