/** Small, pure text helpers shared by the renderings. */

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** Shortens on a code point boundary, marking what was cut. */
export function shorten(text: string, maxCharacters: number): string {
  const codePoints = [...text];
  if (codePoints.length <= maxCharacters) return text;
  return `${codePoints.slice(0, Math.max(0, maxCharacters - 1)).join('')}…`;
}

/** Control characters (line breaks included) become spaces: for subjects and one-line fields. */
export function singleLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}

export function configConsoleUrl(region: string): string {
  return `https://${region}.console.aws.amazon.com/config/home?region=${region}#/conformance-packs`;
}
