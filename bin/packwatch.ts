#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CONTEXT_KEYS, parsePackwatchContext } from '../lib/config.js';
import { PackwatchStack } from '../lib/packwatch-stack.js';

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
