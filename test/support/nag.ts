import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

interface ValidationReport {
  readonly pluginReports: { readonly violations: { readonly ruleName: string; readonly violatingConstructs: { readonly constructPath: string }[] }[] }[];
}

/**
 * Synthesizes what `build` adds to an app under cdk-nag's AwsSolutions rules (bundling skipped) and
 * returns every unacknowledged finding as "<rule> at <construct path>"; an empty list is clean.
 */
export function awsSolutionsViolations(build: (app: App) => void): string[] {
  const outdir = mkdtempSync(path.join(tmpdir(), 'packwatch-nag-'));
  try {
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
    build(app);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    try {
      app.synth();
      return [];
    } catch (error) {
      // A violating synth throws and leaves its findings in the report; any other error is a real failure.
      const reportFile = path.join(outdir, 'validation-report.json');
      if (!existsSync(reportFile)) throw error;
      const report = JSON.parse(readFileSync(reportFile, 'utf8')) as ValidationReport;
      return report.pluginReports.flatMap((plugin) =>
        plugin.violations.flatMap((violation) => violation.violatingConstructs.map((construct) => `${violation.ruleName} at ${construct.constructPath}`)),
      );
    }
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
