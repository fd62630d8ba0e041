import { ConfigServiceClient, DescribeOrganizationConformancePacksCommand } from '@aws-sdk/client-config-service';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulatedAws, type EmulatedAws } from '../../local/emulated-aws';
import { loadBuiltInScenario } from '../../local/scenario';

/** Sets environment variables for the duration of `body`, then restores them. */
async function withEnvironment<T>(variables: Readonly<Record<string, string>>, body: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  Object.assign(process.env, variables);
  try {
    return await body();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe('startEmulatedAws', () => {
  let aws: EmulatedAws | undefined;
  afterEach(async () => {
    await aws?.stop();
    aws = undefined;
  });

  it('starts Config, SNS, DynamoDB and EventBridge and describes them with the standard SDK variables', async () => {
    aws = await startEmulatedAws({ scenario: loadBuiltInScenario('demo') });
    expect(aws.topicArn).toBe('arn:aws:sns:us-east-1:000000000000:packwatch-alerts');
    expect(aws.tableName).toBe('packwatch-state');
    expect(aws.environment).toEqual({
      AWS_ENDPOINT_URL_CONFIG_SERVICE: aws.config.url,
      AWS_ENDPOINT_URL_SNS: aws.sns.url,
      AWS_ENDPOINT_URL_DYNAMODB: aws.dynamodb.url,
      AWS_ENDPOINT_URL_EVENTBRIDGE: aws.eventBridge.url,
      AWS_ACCESS_KEY_ID: 'packwatch-local',
      AWS_SECRET_ACCESS_KEY: 'packwatch-local',
      AWS_REGION: 'us-east-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    for (const url of [aws.config.url, aws.sns.url, aws.dynamodb.url, aws.eventBridge.url]) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('lets clients built with default configuration (no endpoint, no credentials in code) reach all four', async () => {
    const started = await startEmulatedAws({ scenario: loadBuiltInScenario('demo'), tableName: 'state', topicName: 'alerts' });
    aws = started;
    await withEnvironment(started.environment, async () => {
      const config = new ConfigServiceClient({ region: 'eu-west-1' });
      const sns = new SNSClient({});
      const dynamodb = new DynamoDBClient({});
      const eventBridge = new EventBridgeClient({});
      try {
        const packs = await config.send(new DescribeOrganizationConformancePacksCommand({}));
        expect(packs.OrganizationConformancePacks!.map((pack) => pack.OrganizationConformancePackName)).toEqual([
          'cis-aws-foundations-v3',
          'security-baseline',
        ]);
        await sns.send(new PublishCommand({ TopicArn: started.topicArn, Message: 'hello' }));
        expect(started.sns.published().map((published) => published.topicArn)).toEqual(['arn:aws:sns:us-east-1:000000000000:alerts']);
        expect((await dynamodb.send(new ListTablesCommand({}))).TableNames).toEqual(['state']);
        expect(started.config.stats().byRegion).toEqual({ 'eu-west-1': 1 });
        await eventBridge.send(new PutEventsCommand({ Entries: [{ Source: 'packwatch', DetailType: 'Test', Detail: '{}' }] }));
        expect(started.eventBridge.events().map((event) => [event.source, event.region])).toEqual([['packwatch', 'us-east-1']]);
      } finally {
        eventBridge.destroy();
        config.destroy();
        sns.destroy();
        dynamodb.destroy();
      }
    });
  });

  it('stop() closes every port', async () => {
    const started = await startEmulatedAws({ scenario: loadBuiltInScenario('demo') });
    const urls = [started.config.url, started.sns.url, started.dynamodb.url, started.eventBridge.url];
    await started.stop();
    await started.stop(); // idempotent
    for (const url of urls) await expect(fetch(url, { method: 'POST', body: '{}' })).rejects.toThrow();
  });

  it('applies faults given at start on top of the scenario', async () => {
    aws = await startEmulatedAws({ scenario: loadBuiltInScenario('throttled'), faults: { throttleRate: null, latencyMs: 1 } });
    expect(aws.config.faults).toEqual({ rateLimitPerSecond: 5, seed: 42, latencyMs: 1 });
  });
});
