#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { CONTEXT_KEYS, parsePackwatchContext } from '../lib/config.js';
import { PackwatchStack } from '../lib/packwatch-stack.js';

// The only reader of CDK context and of the environment in the CDK app.
const app = new App();
const config = parsePackwatchContext(
  Object.fromEntries(Object.values(CONTEXT_KEYS).map((key) => [key, app.node.tryGetContext(key)])),
);
new PackwatchStack(app, 'Packwatch', {
  description: 'Packwatch: alerts on failed AWS Config organization conformance pack deployments',
  config,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
