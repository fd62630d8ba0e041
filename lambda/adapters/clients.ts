import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';

/**
 * SDK clients, created on first use and kept for the life of the process so connections are reused.
 * Endpoints and credentials come from the SDK's default resolution (AWS_ENDPOINT_URL_*, AWS_REGION …);
 * only the Config client's region is set: it is the region being swept.
 */
export class AwsClients {
  private readonly configClients = new Map<string, ConfigServiceClient>();
  private sns?: SNSClient;
  private dynamoDb?: DynamoDBDocumentClient;
  private eventBridge?: EventBridgeClient;

  constructor(private readonly configMaxAttempts: number) {}

  configFor(region: string): ConfigServiceClient {
    let client = this.configClients.get(region);
    if (!client) {
      // Adaptive retry paces requests after throttling instead of hammering an unpublished limit.
      client = new ConfigServiceClient({ region, retryMode: 'adaptive', maxAttempts: this.configMaxAttempts });
      this.configClients.set(region, client);
    }
    return client;
  }

  snsClient(): SNSClient {
    this.sns ??= new SNSClient({});
    return this.sns;
  }

  eventBridgeClient(): EventBridgeClient {
    this.eventBridge ??= new EventBridgeClient({});
    return this.eventBridge;
  }

  documentClient(): DynamoDBDocumentClient {
    this.dynamoDb ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
      marshallOptions: { removeUndefinedValues: true },
    });
    return this.dynamoDb;
  }
}
