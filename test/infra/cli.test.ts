import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const REPOSITORY = path.resolve(__dirname, '..', '..');

/**
 * Runs bin/packwatch.ts the way the CDK CLI runs the "app" of cdk.json: the CLI passes the output
 * directory in CDK_OUTDIR and the context in CDK_CONTEXT_JSON, and the App synthesizes on exit.
 */
function runApp(outdir: string, context: Record<string, unknown>) {
  return spawnSync('npx', ['tsx', 'bin/packwatch.ts'], {
    cwd: REPOSITORY,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      CDK_OUTDIR: outdir,
      // Bundling is skipped: this checks the context path, bundle.test.ts checks the bundle.
      CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:bundling-stacks': [], ...context }),
    },
  });
}

describe('bin/packwatch.ts run as the CDK CLI runs it', () => {
  let outdir: string;

  beforeEach(() => {
    outdir = mkdtempSync(path.join(tmpdir(), 'packwatch-cli-'));
  });

  afterEach(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  it('fails with a non-zero exit and a message naming alertEmails when an address is invalid', () => {
    // Act
    const run = runApp(outdir, { alertEmails: 'not-an-email' });

    // Assess
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('alertEmails');
    expect(run.stderr).toContain('not-an-email');
    expect(readdirSync(outdir).filter((file) => file.endsWith('.template.json'))).toEqual([]);
  });

  it('writes Packwatch.template.json built from the context when the context is valid', () => {
    // Act
    const run = runApp(outdir, { alertEmails: 'ops@example.com', schedule: 'rate(6 hours)', regions: 'us-east-1,eu-west-1' });

    // Assess
    expect(run.status, run.stderr).toBe(0);
    const templateFile = path.join(outdir, 'Packwatch.template.json');
    expect(existsSync(templateFile)).toBe(true);
    const template = JSON.parse(readFileSync(templateFile, 'utf8')) as { Resources: Record<string, { Type: string; Properties: any }> };
    const resources = Object.values(template.Resources);
    expect(resources.find((resource) => resource.Type === 'AWS::Events::Rule')?.Properties.ScheduleExpression).toBe('rate(6 hours)');
    expect(resources.filter((resource) => resource.Type === 'AWS::SNS::Subscription').map((resource) => resource.Properties.Endpoint)).toEqual([
      'ops@example.com',
    ]);
    expect(resources.find((resource) => resource.Type === 'AWS::Lambda::Function')?.Properties.Environment.Variables.PACKWATCH_REGIONS).toBe(
      'us-east-1,eu-west-1',
    );
  });
});
