import { ENVIRONMENT_VARIABLES } from '../lambda/env.js';
import { scheduleIntervalSeconds } from '../lib/config.js';

/**
 * The deployment the cost model prices, as `cdk synth` would build it for the organization: 17 regions
 * swept every 5 minutes, everything else the stack's defaults. The model reads the function's memory, region
 * concurrency, pacing, intervals, alarms and dashboard from that template, so it follows the stack.
 */
export const REAL_DEPLOYMENT_CONTEXT = {
  regions: [
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
    'ca-central-1',
    'sa-east-1',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'eu-central-1',
    'eu-north-1',
    'ap-south-1',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-southeast-1',
    'ap-southeast-2',
  ].join(','),
  schedule: 'rate(5 minutes)',
} as const;

/** What the cost model takes from a synthesized deployment. */
export interface DeploymentFacts {
  /** The context it was synthesized with (for the report). */
  readonly context: Readonly<Record<string, string>>;
  readonly regions: number;
  readonly scheduleExpression: string;
  /** Minutes between two sweeps (a cron schedule counts as one day, as the alarms assume). */
  readonly scheduleMinutes: number;
  readonly memoryMb: number;
  readonly architecture: string;
  readonly regionConcurrency: number;
  readonly configCallsPerSecond: number;
  readonly fullReadIntervalSeconds: number;
  readonly reminderIntervalSeconds: number;
  readonly detailedMetrics: boolean;
  /** Seconds between two inventory reads (context `inventoryInterval`); 0 when the inventory is off. */
  readonly inventoryIntervalSeconds: number;
  readonly alarms: number;
  readonly dashboards: number;
  /** Logs Insights widgets of the dashboard: each runs a query over the log group when the dashboard is opened. */
  readonly logsInsightsWidgets: number;
}

interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
}

export interface SynthesizedTemplate {
  readonly Resources: Readonly<Record<string, TemplateResource>>;
}

/** The facts of a template of PackwatchStack; fails naming what it cannot find. */
export function deploymentFactsOf(template: SynthesizedTemplate, context: Readonly<Record<string, string>>): DeploymentFacts {
  const resources = Object.values(template.Resources);
  const ofType = (type: string) => resources.filter((resource) => resource.Type === type);
  const functions = ofType('AWS::Lambda::Function');
  if (functions.length !== 1) throw new Error(`expected one Lambda function in the template, found ${functions.length}`);
  const properties = functions[0]!.Properties ?? {};
  const variables = (properties.Environment?.Variables ?? {}) as Record<string, unknown>;
  const variable = (name: string): string => {
    const value = variables[name];
    if (typeof value !== 'string') throw new Error(`the function's ${name} is not a literal in the template (${JSON.stringify(value)})`);
    return value;
  };
  const number = (name: string): number => {
    const value = Number(variable(name));
    if (!Number.isFinite(value)) throw new Error(`the function's ${name} is not a number: ${variable(name)}`);
    return value;
  };
  const rules = ofType('AWS::Events::Rule').filter((rule) => typeof rule.Properties?.ScheduleExpression === 'string');
  if (rules.length !== 1) throw new Error(`expected one scheduled EventBridge rule in the template, found ${rules.length}`);
  const scheduleExpression = String(rules[0]!.Properties!.ScheduleExpression);
  const dashboards = ofType('AWS::CloudWatch::Dashboard');
  return {
    context,
    regions: variable(ENVIRONMENT_VARIABLES.regions).split(',').length,
    scheduleExpression,
    scheduleMinutes: scheduleIntervalSeconds(scheduleExpression) / 60,
    // CloudFormation's default when MemorySize is absent.
    memoryMb: Number(properties.MemorySize ?? 128),
    architecture: String(properties.Architectures?.[0] ?? 'x86_64'),
    regionConcurrency: number(ENVIRONMENT_VARIABLES.regionConcurrency),
    configCallsPerSecond: number(ENVIRONMENT_VARIABLES.configCallsPerSecond),
    fullReadIntervalSeconds: number(ENVIRONMENT_VARIABLES.fullReadIntervalSeconds),
    reminderIntervalSeconds: number(ENVIRONMENT_VARIABLES.reminderIntervalSeconds),
    detailedMetrics: variables[ENVIRONMENT_VARIABLES.detailedMetrics] === 'true',
    inventoryIntervalSeconds: number(ENVIRONMENT_VARIABLES.inventoryIntervalSeconds),
    alarms: ofType('AWS::CloudWatch::Alarm').length,
    dashboards: dashboards.length,
    logsInsightsWidgets: dashboards.reduce((sum, dashboard) => sum + countLogWidgets(dashboard.Properties?.DashboardBody), 0),
  };
}

/** Log widgets in a dashboard body, which CDK writes as a string or an Fn::Join of strings and tokens. */
function countLogWidgets(body: unknown): number {
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
  return (text.match(/\\?"type\\?":\\?"log\\?"/g) ?? []).length;
}

/**
 * `cdk synth` of PackwatchStack in this process, without bundling the Lambda (the template is all the model needs),
 * with the given context (default: the organization).
 */
export async function synthesizeDeployment(context: Readonly<Record<string, string>> = REAL_DEPLOYMENT_CONTEXT): Promise<DeploymentFacts> {
  // Loaded only here: aws-cdk-lib takes seconds to load.
  const { App } = await import('aws-cdk-lib');
  const { parsePackwatchContext } = await import('../lib/config.js');
  const { PackwatchStack } = await import('../lib/packwatch-stack.js');
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new PackwatchStack(app, 'Packwatch', { config: parsePackwatchContext(context) });
  const template = app.synth().getStackByName(stack.stackName).template as SynthesizedTemplate;
  return deploymentFactsOf(template, context);
}
