import { buildAlertDocument, summarize, type DigestContext } from './alert-document.js';
import { alertSubject } from './alert-headline.js';
import { renderChat } from './render-chat.js';
import { renderEmail } from './render-email.js';
import { shorten } from './text.js';
import type { AlertableChange, Change } from './types.js';

/** SNS rejects a message (body plus attributes) over 256 KiB. */
export const SNS_MESSAGE_BYTE_LIMIT = 262_144;
/** Room kept free under the limit for the envelope SNS counts and for safety. */
const SAFETY_MARGIN_BYTES = 2_048;
/** Even the JSON caps an error message: one record must always fit in a message. */
export const ERROR_MESSAGE_MAX_CHARACTERS = 16_384;

/**
 * The `packs` attribute names at most this many packs (an organization has at most 50 organization
 * conformance packs), so it stays small next to SNS's 10 attributes and 256 KiB per message.
 */
export const PACKS_ATTRIBUTE_MAX_NAMES = 50;

export interface MessageAttribute {
  readonly dataType: 'String' | 'String.Array';
  readonly value: string;
}

/** One SNS publish: `MessageStructure: "json"`, with the changes whose state it carries. */
export interface AlertMessage {
  readonly subject: string;
  /** JSON object with `default`, `email` and `https` string bodies. */
  readonly message: string;
  readonly attributes: Readonly<Record<string, MessageAttribute>>;
  readonly changes: readonly AlertableChange[];
}

/**
 * Renders one digest as one or more messages under the SNS size limit. Every change is in exactly
 * one part, in order; an empty digest renders no message at all. Muted changes are in the JSON of
 * the parts; email, chat, subject and attributes speak only of the others.
 */
export function renderDigest(
  changes: readonly AlertableChange[],
  context: DigestContext,
  byteLimit: number = SNS_MESSAGE_BYTE_LIMIT,
): AlertMessage[] {
  const plan = planDigest(changes, context, byteLimit);
  return Array.from({ length: plan.parts }, (_, index) => plan.render(index + 1));
}

/** How a digest splits into parts; each part is rendered only when asked for, so a large digest is never in memory whole. */
export interface DigestPlan {
  readonly parts: number;
  /** Renders part `part` (1-based). */
  render(part: number): AlertMessage;
}

/** Digests this small are simply rendered whole first: most sweeps have a handful of changes. */
const SMALL_DIGEST = 100;

export function planDigest(
  changes: readonly AlertableChange[],
  context: DigestContext,
  byteLimit: number = SNS_MESSAGE_BYTE_LIMIT,
): DigestPlan {
  const chunks = splitIntoChunks(changes, context, byteLimit - SAFETY_MARGIN_BYTES);
  return {
    parts: chunks.length,
    render: (part) => {
      const chunk = chunks[part - 1];
      if (!chunk) throw new RangeError(`part ${part} of a digest of ${chunks.length} part(s)`);
      return renderPart(chunk, context, part, chunks.length);
    },
  };
}

/** Changes rendered to size the first part, before any part has been measured. */
const ESTIMATE_BLOCK = 32;
/** A part this full (of the byte budget) is taken as it is, without trying a larger one. */
const FULL_ENOUGH = 0.9;
/** Renderings tried per part before the largest one that fits is taken. */
const ATTEMPTS_PER_PART = 4;

/**
 * Splits greedily, part after part: each part is sized from the bytes per change the last rendering
 * measured, then rendered for real (with the widest part label the split could need, so numbering later
 * cannot overflow) and resized until it fits and is full enough. Rendering is what a large digest costs
 * (about a millisecond per ten changes); most parts are rendered once here, once more when published.
 */
function splitIntoChunks(changes: readonly AlertableChange[], context: DigestContext, budget: number): AlertableChange[][] {
  if (changes.length === 0) return [];
  const sizeOf = (chunk: readonly AlertableChange[]) => messageBytes(renderPart(chunk, context, changes.length, changes.length));
  if (changes.length <= SMALL_DIGEST && sizeOf(changes) <= budget) return [[...changes]];

  const overhead = sizeOf([]);
  const firstBlock = changes.slice(0, ESTIMATE_BLOCK);
  let perChange = Math.max(1, (sizeOf(firstBlock) - overhead) / firstBlock.length);
  const chunks: AlertableChange[][] = [];
  for (let start = 0; start < changes.length; ) {
    const left = changes.length - start;
    const guess = (bytesPerChange: number) => Math.floor(((budget - overhead) / bytesPerChange) * 0.99);
    let count = Math.min(left, Math.max(1, guess(perChange)));
    // The largest count known to fit (one change always does: its error message is capped) and the smallest known not to.
    let fits = { count: 0, bytes: 0 };
    let tooMany = left + 1;
    for (let attempt = 1; ; attempt += 1) {
      const bytes = sizeOf(changes.slice(start, start + count));
      if (bytes <= budget || count === 1) fits = count > fits.count ? { count, bytes } : fits;
      else tooMany = Math.min(tooMany, count);
      perChange = Math.max(1, (bytes - overhead) / count);
      const done = fits.count > 0 && (fits.count === left || fits.bytes >= budget * FULL_ENOUGH || fits.count + 1 >= tooMany || attempt >= ATTEMPTS_PER_PART);
      if (done) break;
      // Next try from this measurement, strictly between what fits and what does not; halving when that gives nothing new.
      const next = Math.min(tooMany - 1, Math.max(fits.count + 1, guess(perChange)));
      count = next === count ? Math.max(fits.count + 1, Math.floor((fits.count + tooMany) / 2)) : next;
      if (fits.count === 0 && attempt >= ATTEMPTS_PER_PART) count = Math.max(1, Math.floor(count / 2));
    }
    chunks.push(changes.slice(start, start + fits.count));
    start += fits.count;
  }
  return chunks;
}

export function messageBytes(message: AlertMessage): number {
  const attributeBytes = Object.entries(message.attributes).reduce(
    (total, [name, attribute]) =>
      total + Buffer.byteLength(name) + Buffer.byteLength(attribute.dataType) + Buffer.byteLength(attribute.value),
    0,
  );
  return Buffer.byteLength(message.message) + attributeBytes;
}

function renderPart(chunk: readonly AlertableChange[], context: DigestContext, part: number, parts: number): AlertMessage {
  const changes = chunk.map((item) => capErrorMessage(item.change));
  const document = buildAlertDocument(changes, context, { part, parts });
  const visible = changes.filter((change) => !change.muted);
  const regions = [...new Set(visible.map((change) => change.region))];
  const kinds = [...new Set(visible.map((change) => change.kind))];
  const packs = [...new Set(visible.map((change) => change.conformancePack))].slice(0, PACKS_ATTRIBUTE_MAX_NAMES);
  const summary = summarize(changes, context.failingAccounts);
  const failing = summary.newFailures + summary.changedFailures + summary.reminders + summary.stuck > 0;
  return {
    subject: alertSubject(document),
    message: JSON.stringify({
      default: JSON.stringify(document),
      email: renderEmail(document),
      https: JSON.stringify(renderChat(document)),
    }),
    attributes: {
      schema: { dataType: 'String', value: document.schema },
      kinds: { dataType: 'String.Array', value: JSON.stringify(kinds) },
      regions: { dataType: 'String.Array', value: JSON.stringify(regions) },
      packs: { dataType: 'String.Array', value: JSON.stringify(packs) },
      // A part can hold only muted changes when a digest is split: it pages nobody.
      severity: { dataType: 'String', value: failing ? 'failure' : summary.recoveries > 0 ? 'recovery' : 'muted' },
    },
    changes: chunk,
  };
}

function capErrorMessage(change: Change): Change {
  if (!change.errorMessage || change.errorMessage.length <= ERROR_MESSAGE_MAX_CHARACTERS) return change;
  return { ...change, errorMessage: shorten(change.errorMessage, ERROR_MESSAGE_MAX_CHARACTERS) };
}
