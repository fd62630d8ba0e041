/** Small, pure text helpers shared by the renderings. */

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** Shortens on a code point boundary, marking what was cut. */
export function shorten(text: string, maxCharacters: number): string {
  // No more UTF-16 units than allowed means no more code points either: most texts stop here.
  if (text.length <= maxCharacters) return text;
  const codePoints = leadingCodePoints(text, maxCharacters + 1);
  if (codePoints.length <= maxCharacters) return text;
  return `${codePoints.slice(0, Math.max(0, maxCharacters - 1)).join('')}…`;
}

/** The first `count` code points of a text (fewer when it is shorter), without splitting all of a long one. */
function leadingCodePoints(text: string, count: number): string[] {
  const codePoints: string[] = [];
  for (const codePoint of text) {
    if (codePoints.length >= count) break;
    codePoints.push(codePoint);
  }
  return codePoints;
}

/**
 * Shortens for a reader: cuts at the last space of the final fifth when there is one (so a word or an
 * ARN is not split), on a code point boundary, and marks the cut with `…`. At most `maxCharacters`.
 */
export function shortenAtWord(text: string, maxCharacters: number): string {
  if (text.length <= maxCharacters) return text;
  const codePoints = leadingCodePoints(text, maxCharacters + 1);
  if (codePoints.length <= maxCharacters) return text;
  const kept = codePoints.slice(0, Math.max(0, maxCharacters - 1));
  const lastSpace = kept.lastIndexOf(' ');
  const cut = lastSpace >= Math.floor(kept.length * 0.8) ? kept.slice(0, lastSpace) : kept;
  return `${cut.join('').trimEnd()}…`;
}

/** Control characters (line breaks included) become spaces: for subjects and one-line fields. */
export function singleLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}

/**
 * Word-wraps one paragraph at `width` columns. Words longer than a line (ARNs, URLs) stay whole on a
 * line of their own rather than being cut. Returns the lines without indentation.
 */
export function wrapWords(text: string, width: number): string[] {
  const words = singleLine(text).split(/\s+/).filter((word) => word !== '');
  const lines: string[] = [];
  let line = '';
  // In code points, kept as the line grows: counting the whole line again per word made digests slow.
  let lineLength = 0;
  for (const word of words) {
    const wordLength = codePointLength(word);
    if (line === '') {
      line = word;
      lineLength = wordLength;
    } else if (lineLength + 1 + wordLength <= width) {
      line = `${line} ${word}`;
      lineLength += 1 + wordLength;
    } else {
      lines.push(line);
      line = word;
      lineLength = wordLength;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

function codePointLength(text: string): number {
  let length = 0;
  // Counts code points without building an array of them.
  for (const _ of text) length += 1;
  return length;
}

/** "2026-11-20 10:00 UTC": an ISO-8601 time as people read it; text that is not a time is returned as is. */
export function formatTime(iso: string): string {
  let formatted = FORMATTED_TIMES.get(iso);
  if (formatted === undefined) {
    const time = Date.parse(iso);
    const text = Number.isFinite(time) ? new Date(time).toISOString() : undefined;
    formatted = text === undefined ? iso : `${text.slice(0, 10)} ${text.slice(11, 16)} UTC`;
    // A digest repeats the same few times thousands of times; the cache is bounded, the function stays pure.
    if (FORMATTED_TIMES.size >= FORMATTED_TIMES_KEPT) FORMATTED_TIMES.clear();
    FORMATTED_TIMES.set(iso, formatted);
  }
  return formatted;
}

const FORMATTED_TIMES = new Map<string, string>();
const FORMATTED_TIMES_KEPT = 4_096;

/** "3d 4h", "5h 12m", "7m", "under a minute": how long, to the two largest units. */
export function formatDuration(milliseconds: number): string {
  if (!Number.isFinite(milliseconds) || milliseconds < 60_000) return 'under a minute';
  const minutes = Math.floor(milliseconds / 60_000);
  const days = Math.floor(minutes / 1_440);
  const hours = Math.floor((minutes % 1_440) / 60);
  const rest = minutes % 60;
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return rest > 0 ? `${hours}h ${rest}m` : `${hours}h`;
  return `${rest}m`;
}

/** "2026-11-20 10:00 UTC (7d 2h)": a start time and how long before `now` it was. */
export function formatSince(startIso: string, nowIso: string): string {
  const elapsed = Date.parse(nowIso) - Date.parse(startIso);
  return Number.isFinite(elapsed) && elapsed >= 0 ? `${formatTime(startIso)} (${formatDuration(elapsed)})` : formatTime(startIso);
}

/**
 * Organization conformance pack names as AWS Config allows them to be created. A name of another shape
 * (API text Packwatch cannot vouch for) is never put in a subject, a shell command or chat markup as is.
 */
export function isPlainPackName(name: string): boolean {
  return /^[A-Za-z][-A-Za-z0-9]{0,127}$/.test(name);
}

/**
 * The region's conformance packs in the AWS Config console. The console has no page for an organization
 * conformance pack itself (packs deployed to accounts get a suffixed name), so this is the region's list.
 */
export function configConsoleUrl(region: string): string {
  return `https://${region}.console.aws.amazon.com/config/home?region=${region}#/conformance-packs`;
}

/**
 * The CLI command that lists a pack's failing accounts with their errors, or undefined when the pack's
 * name is not a plain name (it would not be safe to paste into a shell).
 */
export function detailedStatusCommand(region: string, conformancePack: string): string | undefined {
  if (!isPlainPackName(conformancePack) || !/^[a-z0-9-]+$/.test(region)) return undefined;
  return `aws configservice get-organization-conformance-pack-detailed-status --region ${region} --organization-conformance-pack-name ${conformancePack}`;
}
