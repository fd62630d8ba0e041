import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { SourceReadRole, type SourceReadRoleProps } from './source-read-role.js';

export interface PackwatchSourceRoleStackProps extends StackProps, SourceReadRoleProps {}

/** Deployed into a delegated administrator account: the role through which the monitor reads its packs. */
export class PackwatchSourceRoleStack extends Stack {
  readonly sourceRole: SourceReadRole;

  constructor(scope: Construct, id: string, props: PackwatchSourceRoleStackProps) {
    super(scope, id, props);
    this.sourceRole = new SourceReadRole(this, 'SourceReadRole', props);
    new CfnOutput(this, 'SourceRoleArn', {
      value: this.sourceRole.role.roleArn,
      description: 'Give this to the monitor: cdk deploy Packwatch -c sourceRoleArns=<this ARN>',
    });
  }
}
