import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { AssetManifestArtifact } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePackwatchContext } from '../../lib/config.js';
import { PackwatchStack } from '../../lib/packwatch-stack.js';

/** The one test that bundles the Lambda for real (local esbuild, no Docker), as `cdk synth` does. */
describe('the synthesized Lambda bundle', () => {
  const ONE_MEGABYTE = 1024 * 1024;
  let outdir: string;
  let bundleFile: string;

  beforeAll(() => {
    // Prepare
    outdir = mkdtempSync(path.join(tmpdir(), 'packwatch-bundle-'));
    const app = new App({ outdir });
    new PackwatchStack(app, 'Packwatch', { config: parsePackwatchContext({}) });

    // Act
    const assembly = app.synth();

    // Find the folder of the asset the function's Code points at, through the cloud assembly's asset manifest.
    const template = assembly.getStackByName('Packwatch').template as { Resources: Record<string, any> };
    const functions = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::Lambda::Function');
    expect(functions).toHaveLength(1);
    const objectKey = String(functions[0].Properties.Code.S3Key);
    const manifests = assembly.artifacts.filter((artifact): artifact is AssetManifestArtifact => artifact instanceof AssetManifestArtifact);
    const files = manifests.flatMap((manifest) =>
      Object.entries((JSON.parse(readFileSync(manifest.file, 'utf8')) as { files: Record<string, any> }).files),
    );
    const codeAsset = files.find(([hash]) => objectKey === `${hash}.zip`);
    expect(codeAsset, `asset for ${objectKey}`).toBeDefined();
    expect(codeAsset![1].source.packaging).toBe('zip');
    bundleFile = path.join(assembly.directory, codeAsset![1].source.path, 'index.js');
  }, 60_000);

  afterAll(() => {
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  it('contains an index.js under 1 MB', () => {
    // Assess
    expect(existsSync(bundleFile)).toBe(true);
    expect(statSync(bundleFile).size).toBeGreaterThan(0);
    expect(statSync(bundleFile).size).toBeLessThan(ONE_MEGABYTE);
  });

  it('exports a handler function when required by plain Node.js', () => {
    // Act
    const exported = execFileSync(
      process.execPath,
      ['-e', 'const bundle = require(process.argv[1]); process.stdout.write(typeof bundle.handler);', bundleFile],
      {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
        timeout: 30_000,
      },
    );

    // Assess
    expect(exported).toBe('function');
  });
});
