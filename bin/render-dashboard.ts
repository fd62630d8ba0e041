#!/usr/bin/env node
/**
 * Draws the Packwatch dashboard's widget grid from the synthesized stack, for the README:
 *
 *   npx tsx bin/render-dashboard.ts > docs/dashboard.md          # text drawing and table
 *   npx tsx bin/render-dashboard.ts --svg > docs/dashboard.svg   # picture
 *
 * Context settings may follow as key=value (as with `cdk synth -c`), e.g. `regions=us-east-1,eu-west-1`.
 * No AWS credentials, network or Lambda bundling are needed.
 */
import { renderMarkdown, renderSvg, synthesizeDashboardBody, widgetsOf } from './dashboard-picture.js';

const args = process.argv.slice(2);
const context = Object.fromEntries(
  args
    .filter((arg) => arg.includes('='))
    .map((arg) => [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] as const),
);
const widgets = widgetsOf(synthesizeDashboardBody(context));
process.stdout.write(args.includes('--svg') ? renderSvg(widgets) : renderMarkdown(widgets));
