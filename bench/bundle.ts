import { buildSync } from 'esbuild';
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { toEnvironmentVariables, type EnvironmentInput } from '../lambda/env.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../lambda/observability-names.js';

/** The Lambda code the bench runs, and what the stack deploys it with. */
export interface BenchBundle {
  /** How it was built: "cdk synth" (the cloud assembly's asset) or "esbuild" (same options as the stack, no synth). */
  readonly source: 'cdk synth' | 'esbuild';
  readonly file: string;
  readonly bytes: number;
  /** The function's environment as deployed; values the stack fills with CloudFormation references are undefined. */
  readonly environment: Readonly<Record<string, string | undefined>>;
  readonly memoryMb: number;
  readonly architecture: string;
  /** CloudWatch alarms in the template (undefined without a template). */
  readonly alarms: number | undefined;
  /** CloudWatch dashboards in the template (undefined without a template). */
  readonly dashboards: number | undefined;
}

const REPOSITORY = path.join(__dirname, '..');

/**
 * `cdk synth` in this process into `outdir` (as test/integration/bundled-handler.test.ts does): the stack
 * with its defaults, bundled by the locally installed esbuild. Returns the asset's index.js and the function's
 * environment, memory and the alarm count from the template.
 */
export async function synthesizeBundle(outdir: string): Promise<BenchBundle> {
  // Loaded only here: aws-cdk-lib takes seconds to load, and the esbuild path does not need it.
  const { App } = await import('aws-cdk-lib');
  const { AssetManifestArtifact } = await import('aws-cdk-lib/cx-api');
  const { parsePackwatchContext } = await import('../lib/config.js');
  const { PackwatchStack } = await import('../lib/packwatch-stack.js');
  const app = new App({ outdir });
  new PackwatchStack(app, 'Packwatch', { config: parsePackwatchContext({}) });
  const assembly = app.synth();
  const template = assembly.getStackByName('Packwatch').template as { Resources: Record<string, { Type: string; Properties?: any }> };
  const functions = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::Lambda::Function');
  if (functions.length !== 1) throw new Error(`expected one Lambda function in the template, found ${functions.length}`);
  const properties = functions[0]!.Properties;
  const objectKey = String(properties.Code.S3Key);
  const manifests = assembly.artifacts.filter((artifact): artifact is InstanceType<typeof AssetManifestArtifact> => artifact instanceof AssetManifestArtifact);
  const files = manifests.flatMap((manifest) =>
    Object.entries((JSON.parse(readFileSync(manifest.file, 'utf8')) as { files: Record<string, { source: { path: string } }> }).files),
  );
  const asset = files.find(([hash]) => objectKey === `${hash}.zip`);
  if (!asset) throw new Error(`no asset for the function code ${objectKey}`);
  const file = path.join(assembly.directory, asset[1].source.path, 'index.js');
  const variables = (properties.Environment?.Variables ?? {}) as Record<string, unknown>;
  return {
    source: 'cdk synth',
    file,
    bytes: statSync(file).size,
    environment: Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, typeof value === 'string' ? value : undefined])),
    memoryMb: Number(properties.MemorySize ?? 128),
    architecture: String(properties.Architectures?.[0] ?? 'x86_64'),
    alarms: Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm').length,
    dashboards: Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::CloudWatch::Dashboard').length,
  };
}

/**
 * The fast path for CI: lambda/handler.ts bundled by esbuild with the options the stack gives NodejsFunction
 * (CommonJS, node20, minified, source map), and the environment of the stack's defaults. No template: the
 * alarm count is unknown.
 */
export function esbuildBundle(outdir: string): BenchBundle {
  const file = path.join(outdir, 'index.js');
  buildSync({
    entryPoints: [path.join(REPOSITORY, 'lambda', 'handler.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'error',
  });
  // The stack's defaults (lib/conformance-pack-monitor.ts); written loosely so a new optional input does not break the bench.
  const defaults = {
    tableName: 'set-by-the-bench',
    topicArn: 'set-by-the-bench',
    regions: ['us-east-1'],
    reminderIntervalSeconds: 86_400,
    regionConcurrency: 1,
    packConcurrency: 4,
    configMaxAttempts: 8,
    stuckAfterSeconds: 6 * 3600,
    muteRules: [],
    eventBus: 'default',
    configCallsPerSecond: 10,
    fullReadIntervalSeconds: 6 * 3600,
    sourceRoleArns: [],
    inventoryIntervalSeconds: 86_400,
    sweepIntervalSeconds: 3600,
  } as unknown as EnvironmentInput;
  return {
    source: 'esbuild',
    file,
    bytes: statSync(file).size,
    environment: {
      ...toEnvironmentVariables(defaults),
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      POWERTOOLS_LOG_LEVEL: 'INFO',
    },
    memoryMb: 256,
    architecture: 'arm64',
    alarms: undefined,
    dashboards: undefined,
  };
}

/** A small program bundled next to the handler: the baseline full read. */
export function bundleBaseline(outdir: string): string {
  const file = path.join(outdir, 'baseline-full-read.js');
  buildSync({
    entryPoints: [path.join(__dirname, 'baseline-full-read.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    logLevel: 'error',
  });
  return file;
}
