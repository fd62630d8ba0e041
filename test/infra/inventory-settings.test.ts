import { App, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT_VARIABLES } from '../../lambda/env.js';
import { parsePackwatchContext } from '../../lib/config.js';
import { ConformancePackMonitor } from '../../lib/conformance-pack-monitor.js';
import { PackwatchStack } from '../../lib/packwatch-stack.js';

function appWithoutBundling() {
  return new App({ context: { 'aws:cdk:bundling-stacks': [] } });
}

function functionVariables(template: Template): Record<string, unknown> {
  const functions = Object.values(template.findResources('AWS::Lambda::Function')).filter(
    (resource) => resource.Properties.Environment?.Variables?.[ENVIRONMENT_VARIABLES.tableName] !== undefined,
  );
  expect(functions).toHaveLength(1);
  return functions[0]!.Properties.Environment.Variables as Record<string, unknown>;
}

describe('the inventory settings', () => {
  it.each([
    { context: {}, inventory: '86400', sweep: '3600' },
    { context: { inventoryInterval: '0', schedule: 'rate(5 minutes)' }, inventory: '0', sweep: '300' },
    { context: { inventoryInterval: '7d', schedule: 'rate(1 day)' }, inventory: '604800', sweep: '86400' },
  ])('passes inventoryInterval and the sweep interval of $context to the function', ({ context, inventory, sweep }) => {
    const template = Template.fromStack(new PackwatchStack(appWithoutBundling(), 'Packwatch', { config: parsePackwatchContext(context) }));
    const variables = functionVariables(template);
    expect(variables[ENVIRONMENT_VARIABLES.inventoryIntervalSeconds]).toBe(inventory);
    expect(variables[ENVIRONMENT_VARIABLES.sweepIntervalSeconds]).toBe(sweep);
  });

  it('takes the construct props: inventoryInterval, and sweepInterval over the schedule (a cron schedule counts as daily)', () => {
    const stack = new Stack(appWithoutBundling(), 'Embedding');
    new ConformancePackMonitor(stack, 'Monitor', {
      schedule: events.Schedule.expression('cron(0/10 * * * ? *)'),
      sweepInterval: Duration.minutes(10),
      inventoryInterval: Duration.hours(12),
    });
    const variables = functionVariables(Template.fromStack(stack));
    expect(variables[ENVIRONMENT_VARIABLES.inventoryIntervalSeconds]).toBe('43200');
    expect(variables[ENVIRONMENT_VARIABLES.sweepIntervalSeconds]).toBe('600');
  });

  it.each([
    { value: 'daily', message: 'Invalid context "inventoryInterval" ("daily"): expected a duration such as 1d or 12h, or 0 to turn the inventory (AccountsByStatus metrics) off' },
    { value: '59m', message: 'Invalid context "inventoryInterval" ("59m"): at least 1h: each inventory reads every account of every pack and sends its metrics again' },
    { value: '400d', message: 'Invalid context "inventoryInterval" ("400d"): longer than a year' },
  ])('fails synth naming inventoryInterval for $value', ({ value, message }) => {
    expect(() => parsePackwatchContext({ inventoryInterval: value })).toThrow(message);
  });
});
