import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderDigest, type AlertMessage } from '../../lambda/domain/alert-message.js';
import { alertable, REALISTIC_CHANGES, REALISTIC_CONTEXT } from './realistic-digest.js';

/**
 * Golden files: what people and programs receive for a realistic digest, reviewed as plain files in
 * test/domain/golden/. Any change to a rendering fails this test until the files are regenerated and
 * the diff is reviewed:
 *
 *   UPDATE_GOLDEN=1 npx vitest run test/domain/golden.test.ts
 *
 * Per message: `<name>.email.txt` (the `email` body), `<name>.chat.json` (the `https` body, an AWS
 * Chatbot custom notification), `<name>.default.json` (the `default` body, schema packwatch.alert/1)
 * and `<name>.envelope.json` (subject and message attributes). JSON bodies are stored pretty-printed.
 */

const GOLDEN_DIRECTORY = path.join(__dirname, 'golden');
const UPDATING = process.env.UPDATE_GOLDEN === '1';
/** Small enough to split the realistic digest into three parts. */
const SPLIT_BYTE_LIMIT = 14_000;

function goldenFilesOf(name: string, message: AlertMessage): Record<string, string> {
  const bodies = JSON.parse(message.message) as { default: string; email: string; https: string };
  const pretty = (json: string) => `${JSON.stringify(JSON.parse(json), null, 2)}\n`;
  return {
    [`${name}.email.txt`]: bodies.email,
    [`${name}.chat.json`]: pretty(bodies.https),
    [`${name}.default.json`]: pretty(bodies.default),
    [`${name}.envelope.json`]: `${JSON.stringify({ subject: message.subject, attributes: message.attributes }, null, 2)}\n`,
  };
}

const whole = renderDigest(alertable(REALISTIC_CHANGES), REALISTIC_CONTEXT);
const split = renderDigest(alertable(REALISTIC_CHANGES), REALISTIC_CONTEXT, SPLIT_BYTE_LIMIT);
const rendered: Record<string, string> = {
  ...Object.assign({}, ...whole.map((message) => goldenFilesOf('realistic', message))),
  ...Object.assign({}, ...split.map((message, index) => goldenFilesOf(`split-${index + 1}-of-${split.length}`, message))),
};

if (UPDATING) {
  mkdirSync(GOLDEN_DIRECTORY, { recursive: true });
  for (const [file, text] of Object.entries(rendered)) writeFileSync(path.join(GOLDEN_DIRECTORY, file), text);
}

describe('golden renderings of a realistic digest', () => {
  it('renders the realistic digest as one message and the small-limit digest as three parts', () => {
    expect(whole).toHaveLength(1);
    expect(split).toHaveLength(3);
  });

  it('has a golden file for every rendering and no stale file', () => {
    const stored = existsSync(GOLDEN_DIRECTORY) ? readdirSync(GOLDEN_DIRECTORY).sort() : [];
    expect(stored).toEqual(Object.keys(rendered).sort());
  });

  it.each(Object.keys(rendered).sort())('matches golden/%s', (file) => {
    const goldenPath = path.join(GOLDEN_DIRECTORY, file);
    expect(existsSync(goldenPath), `${file} is missing: run UPDATE_GOLDEN=1 npx vitest run test/domain/golden.test.ts`).toBe(true);
    expect(rendered[file], `${file} differs: review, then run UPDATE_GOLDEN=1 npx vitest run test/domain/golden.test.ts`).toBe(
      readFileSync(goldenPath, 'utf8'),
    );
  });
});
