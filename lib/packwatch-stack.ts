import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { ConformancePackMonitor } from './conformance-pack-monitor.js';
import type { PackwatchConfig } from './config.js';

export interface PackwatchStackProps extends StackProps {
  /** Validated settings (see lib/config.ts). */
  readonly config: PackwatchConfig;
}

/** Composition only: the monitor, configured, and the outputs a user needs after `cdk deploy`. */
export class PackwatchStack extends Stack {
  readonly monitor: ConformancePackMonitor;

  constructor(scope: Construct, id: string, props: PackwatchStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.monitor = new ConformancePackMonitor(this, 'Monitor', {
      alertEmails: config.alertEmails,
      ...(config.regions ? { regions: config.regions } : {}),
      schedule: events.Schedule.expression(config.schedule),
      reminderInterval: Duration.seconds(config.reminderIntervalSeconds),
      stuckAfter: Duration.seconds(config.stuckAfterSeconds),
      muteRules: config.muteRules,
      eventBridge: config.eventBridge,
      ...(config.slack ? { slack: config.slack } : {}),
      ...(config.teams ? { teams: config.teams } : {}),
    });
    new CfnOutput(this, 'AlertsTopicArn', {
      value: this.monitor.alertsTopic.topicArn,
      description: 'Subscribe to this topic for Packwatch alerts',
    });
    new CfnOutput(this, 'SweepFunctionName', {
      value: this.monitor.sweepFunction.functionName,
      description: 'Invoke with a Scheduled Event to sweep now',
    });
    new CfnOutput(this, 'StateTableName', { value: this.monitor.stateTable.tableName });
  }
}
