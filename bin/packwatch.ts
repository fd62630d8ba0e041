#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CONTEXT_KEYS, parsePackwatchContext } from '../lib/config.js';
import { PackwatchStack, sweepRoleNameFor } from '../lib/packwatch-stack.js';
import { PackwatchSourceRoleStack } from '../lib/source-role-stack.js';

// The only reader of CDK context and of the environment in the CDK app.
const app = new App();
const config = parsePackwatchContext(
  Object.fromEntries(Object.values(CONTEXT_KEYS).map((key) => [key, app.node.tryGetContext(key)])),
);
// Every synth is checked against the AwsSolutions rules; an unacknowledged finding fails it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
new PackwatchStack(app, 'Packwatch', {
  description: 'Packwatch: alerts on failed AWS Config organization conformance pack deployments',
  config,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});

// With -c monitorAccountId=… -c monitorRegion=…, also the read role for a delegated administrator
// account: deploy it there (cdk deploy PackwatchSourceRole --profile <delegated-admin>).
if (config.monitor) {
  new PackwatchSourceRoleStack(app, 'PackwatchSourceRole', {
    description: 'Packwatch: read-only access to this account\'s organization conformance packs for the monitor',
    monitorAccountId: config.monitor.accountId,
    sweepRoleName: sweepRoleNameFor(config.monitor.region),
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
}
