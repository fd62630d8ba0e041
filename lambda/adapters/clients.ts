import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

/**
 * SDK clients, created on first use and kept for the life of the process so connections are reused.
 * Endpoints and credentials come from the SDK's default resolution (AWS_ENDPOINT_URL_*, AWS_REGION …);
 * only the Config client's region is set: it is the region being swept.
 */
export class AwsClients {
  private readonly configClients = new Map<string, ConfigServiceClient>();
  private readonly roleCredentials = new Map<string, AwsCredentialIdentityProvider>();
  private sns?: SNSClient;
  private dynamoDb?: DynamoDBDocumentClient;
  private eventBridge?: EventBridgeClient;

  constructor(private readonly configMaxAttempts: number) {}

  /** The Config client of a region, with the function's own credentials or those of a source role. */
  configFor(region: string, roleArn?: string): ConfigServiceClient {
    const key = `${region}|${roleArn ?? ''}`;
    let client = this.configClients.get(key);
    if (!client) {
      // Adaptive retry backs off after throttling instead of hammering an unpublished limit.
      client = new ConfigServiceClient({
        region,
        retryMode: 'adaptive',
        maxAttempts: this.configMaxAttempts,
        ...(roleArn ? { credentials: this.credentialsOf(roleArn) } : {}),
      });
      this.configClients.set(key, client);
    }
    return client;
  }

  /** STS AssumeRole through the standard resolution (AWS_ENDPOINT_URL_STS too); refreshed before expiry. */
  private credentialsOf(roleArn: string): AwsCredentialIdentityProvider {
    let credentials = this.roleCredentials.get(roleArn);
    if (!credentials) {
      credentials = fromTemporaryCredentials({ params: { RoleArn: roleArn, RoleSessionName: 'packwatch-sweep', DurationSeconds: 3600 } });
      this.roleCredentials.set(roleArn, credentials);
    }
    return credentials;
  }

  /**
   * SNS and EventBridge keep their resolved middleware stack (no command adds its own): a mass failure's
   * thousands of PutEvents and parts otherwise resolve and sort it again on every call. The DynamoDB
   * document client cannot (its commands add their marshalling to the stack).
   */
  snsClient(): SNSClient {
    this.sns ??= new SNSClient({ cacheMiddleware: true });
    return this.sns;
  }

  eventBridgeClient(): EventBridgeClient {
    this.eventBridge ??= new EventBridgeClient({ cacheMiddleware: true });
    return this.eventBridge;
  }

  documentClient(): DynamoDBDocumentClient {
    this.dynamoDb ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
      marshallOptions: { removeUndefinedValues: true },
    });
    return this.dynamoDb;
  }
}
