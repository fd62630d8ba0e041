#!/usr/bin/env node
// Entry point of `npx packwatch`: runs the TypeScript CLI through tsx.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs/api').register();
const { main } = require('./packwatch-cli.ts');

main({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`packwatch: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 2;
  },
);
