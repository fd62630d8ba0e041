import { Aws, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ConformancePackMonitor } from './conformance-pack-monitor.js';
import { scheduleIntervalSeconds, type PackwatchConfig } from './config.js';

export interface PackwatchStackProps extends StackProps {
  /** Validated settings (see lib/config.ts). */
  readonly config: PackwatchConfig;
}

/** The sweep role's name in a region: what a source role (lib/source-read-role.ts) trusts. */
export function sweepRoleNameFor(region: string): string {
  return `packwatch-sweep-${region}`;
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
      logRetention: config.logRetentionDays as logs.RetentionDays,
      configCallsPerSecond: config.configCallsPerSecond,
      fullReadInterval: Duration.seconds(config.fullReadIntervalSeconds),
      inventoryInterval: Duration.seconds(config.inventoryIntervalSeconds),
      operationsEmails: config.opsEmails,
      sweepInterval: Duration.seconds(scheduleIntervalSeconds(config.schedule)),
      ...(config.slack ? { slack: config.slack } : {}),
      ...(config.teams ? { teams: config.teams } : {}),
      sourceRoleArns: config.sourceRoleArns,
      detailedMetrics: config.detailedMetrics,
      // A fixed name, so a source role in a delegated administrator account can trust it by ARN.
      sweepRoleName: sweepRoleNameFor(this.region === Aws.REGION ? Aws.REGION : this.region),
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
    new CfnOutput(this, 'DashboardName', {
      value: this.monitor.monitoring.dashboard.dashboardName,
      description: 'The CloudWatch dashboard that watches the sweep',
    });
  }
}
