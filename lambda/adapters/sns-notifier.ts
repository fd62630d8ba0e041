import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { AlertMessage } from '../domain/alert-message.js';
import type { Notifier } from '../ports.js';

export interface SnsNotifierOptions {
  readonly client: SNSClient;
  readonly topicArn: string;
}

/** Publishes each alert as one SNS message with a body per protocol (`MessageStructure: "json"`). */
export class SnsNotifier implements Notifier {
  constructor(private readonly options: SnsNotifierOptions) {}

  async publish(message: AlertMessage): Promise<void> {
    await this.options.client.send(
      new PublishCommand({
        TopicArn: this.options.topicArn,
        Subject: message.subject,
        Message: message.message,
        MessageStructure: 'json',
        MessageAttributes: Object.fromEntries(
          Object.entries(message.attributes).map(([name, attribute]) => [
            name,
            { DataType: attribute.dataType, StringValue: attribute.value },
          ]),
        ),
      }),
    );
  }
}
