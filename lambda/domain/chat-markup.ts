import { singleLine } from './text.js';

/**
 * Putting text that came from an API (error messages and codes, pack names) into an AWS Chatbot
 * `client-markdown` notification, which Slack renders as mrkdwn and Microsoft Teams as its markdown.
 *
 * The two clients do not share an escape syntax: Slack has no backslash escapes at all (`\*` shows
 * the backslash), Teams has no `<…>` control sequences. So API text is never escaped character by
 * character; it is made inert:
 * - it is put in an inline code span, where neither client applies bold, italics, strike-through,
 *   links or emoji, and a backtick inside it becomes `ˋ` (U+02CB) so it cannot close the span;
 * - on top of that, whatever could still act in a client that shows code spans literally is defused:
 *   `<` and `>` become `‹` and `›` (no `<!channel>`, `<@U123>`, `<https://x|y>`, no `>` quote),
 *   `@` is followed by a zero-width space (no `@here`, `@channel`, `@user`), `://` gets a zero-width
 *   space (no autolinked URL) and so does `](` (no `[text](url)` link);
 * - line breaks become spaces, so nothing starts a line (no quote, heading or list).
 * The text still reads the same; the email and the JSON alert keep it byte for byte.
 */

const ZERO_WIDTH_SPACE = '\u200b';

/** API text as an inert inline code span; empty text stays empty. */
export function chatLiteral(text: string): string {
  const inert = singleLine(text)
    .replace(/`/g, 'ˋ')
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/@/g, `@${ZERO_WIDTH_SPACE}`)
    .replace(/:\/\//g, `:/${ZERO_WIDTH_SPACE}/`)
    .replace(/\]\(/g, `]${ZERO_WIDTH_SPACE}(`);
  return inert === '' ? '' : `\`${inert}\``;
}

/**
 * A name shown as is when it has no character either client treats as markup (letters, digits,
 * spaces, `.`, `,`, `-`), otherwise as `chatLiteral`. Pack names and error codes are plain in practice.
 */
export function chatName(text: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9 .,-]*$/.test(text) ? text : chatLiteral(text);
}
