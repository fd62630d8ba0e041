import { Arn, ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CONFIG_READ_ACTIONS } from './conformance-pack-monitor.js';

export const DEFAULT_SOURCE_ROLE_NAME = 'PackwatchRead';

export interface SourceReadRoleProps {
  /** The account where the Packwatch monitor (its sweep function) runs. */
  readonly monitorAccountId: string;
  /** The name of the monitor's sweep function role (PackwatchStack names it `packwatch-sweep-<region>`). */
  readonly sweepRoleName: string;
  /**
   * The name of the role created here; the monitor is given its ARN (`-c sourceRoleArns=…`).
   * @default PackwatchRead
   */
  readonly roleName?: string;
}

/**
 * A read-only role in an account that deploys organization conformance packs of its own (Config's
 * delegated administrator), assumable only by the Packwatch sweep function's role.
 */
export class SourceReadRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: SourceReadRoleProps) {
    super(scope, id);
    const sweepRoleArn = Arn.format(
      { partition: Stack.of(this).partition, service: 'iam', region: '', account: props.monitorAccountId, resource: 'role', resourceName: props.sweepRoleName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME },
    );
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName ?? DEFAULT_SOURCE_ROLE_NAME,
      description: 'Packwatch: lets the monitor read the organization conformance packs deployed from this account',
      assumedBy: new iam.ArnPrincipal(sweepRoleArn),
    });
    this.role.addToPolicy(new iam.PolicyStatement({ actions: [...CONFIG_READ_ACTIONS], resources: ['*'] }));
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'The AWS Config organization conformance pack read actions support no resource-level permissions (Service Authorization ' +
        'Reference), so "*" is the only resource they accept; the role has only these three read actions.',
    });
  }
}
