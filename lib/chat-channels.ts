import { Stack } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface SlackChannel {
  /** The Slack workspace (team) ID authorized in the AWS Chatbot console, e.g. T07EA123LEP. */
  readonly workspaceId: string;
  /** The channel ID, e.g. C07EZ1ABC23 (channel details → bottom). */
  readonly channelId: string;
}

export interface TeamsChannel {
  /** The Microsoft Teams team ID (a UUID) authorized in the AWS Chatbot console. */
  readonly teamId: string;
  /** The channel ID as AWS Chatbot shows it, e.g. 19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2. */
  readonly channelId: string;
  /** The Microsoft Entra tenant ID (a UUID). */
  readonly tenantId: string;
}

export interface ChatChannelsProps {
  /** The topic whose alerts are posted to the channels. */
  readonly topic: sns.ITopic;
  /**
   * A Slack channel to post to.
   * @default - no Slack channel
   */
  readonly slack?: SlackChannel;
  /**
   * A Microsoft Teams channel to post to.
   * @default - no Teams channel
   */
  readonly teams?: TeamsChannel;
}

/**
 * AWS Chatbot (Amazon Q Developer in chat applications) channel configurations subscribed to the
 * alerts topic. Their guardrail is ReadOnlyAccess: without one, a channel member could run any
 * command the channel role allows, and AWS Chatbot's console default is AdministratorAccess.
 */
export class ChatChannels extends Construct {
  readonly slackChannel?: chatbot.SlackChannelConfiguration;
  readonly teamsChannel?: chatbot.CfnMicrosoftTeamsChannelConfiguration;

  constructor(scope: Construct, id: string, props: ChatChannelsProps) {
    super(scope, id);
    const guardrail = iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess');
    // Notifications only: the channel role needs no permission at all.
    const role = new iam.Role(this, 'ChannelRole', {
      assumedBy: new iam.ServicePrincipal('chatbot.amazonaws.com'),
      description: 'Packwatch chat channels: posts notifications only, no permissions',
    });
    const name = (suffix: string) => `${Stack.of(this).stackName}-${suffix}`.slice(0, 128);

    if (props.slack) {
      this.slackChannel = new chatbot.SlackChannelConfiguration(this, 'Slack', {
        slackChannelConfigurationName: name('slack'),
        slackWorkspaceId: props.slack.workspaceId,
        slackChannelId: props.slack.channelId,
        notificationTopics: [props.topic],
        guardrailPolicies: [guardrail],
        role,
      });
    }
    if (props.teams) {
      this.teamsChannel = new chatbot.CfnMicrosoftTeamsChannelConfiguration(this, 'Teams', {
        configurationName: name('teams'),
        teamId: props.teams.teamId,
        teamsChannelId: props.teams.channelId,
        teamsTenantId: props.teams.tenantId,
        snsTopicArns: [props.topic.topicArn],
        guardrailPolicies: [guardrail.managedPolicyArn],
        iamRoleArn: role.roleArn,
      });
    }
  }
}
