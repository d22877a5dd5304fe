/**
 * Mentions in user text (API.md, Conversations): `@username`, 3–30 of a-z0-9_ in any case, not
 * preceded by a letter, digit, `_` or `@` (so `ada@example.com` mentions nobody) and not followed
 * by one (so `@ada_lovelace_` is one name, and `@abcdefghijklmnopqrstuvwxyz012345` none). The
 * server resolves them to accounts when the text is written; the web client links only the ones the
 * server resolved. No zod here: the browser bundle imports this file.
 */
export const MENTION_PATTERN = /(?<![A-Za-z0-9_@])@([A-Za-z0-9_]{3,30})(?![A-Za-z0-9_])/g;

/** The distinct usernames mentioned in `text`, lower-cased, in order of first appearance, at most `max`. */
export function mentionedUsernames(text: string, max: number): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(MENTION_PATTERN)) {
    const name = match[1].toLowerCase();
    if (!names.includes(name)) names.push(name);
    if (names.length >= max) break;
  }
  return names;
}
