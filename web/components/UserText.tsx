/**
 * User text as text nodes, with two kinds of elements built (never parsed markup): http(s) URLs as
 * links, and `@username` as a profile link only where the server resolved that mention (the
 * text's `mentions`); any other `@word` stays text.
 */
import type { UserSummary } from "../../schema/api";
import { MENTION_PATTERN } from "../../schema/mentions";

/** An http(s) URL in user text; a trailing punctuation mark or bracket stays text ("see https://x.y/z."). */
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]'’]/;
/** URLs first at any position, so an `@name` inside a URL stays part of the URL. */
const TOKENS = new RegExp(`${URL_IN_TEXT.source}|${MENTION_PATTERN.source}`, "g");

export function UserText({ text, mentions }: { text: string; mentions?: readonly UserSummary[] }) {
  const known = new Set((mentions ?? []).map((m) => m.username));
  const parts: (string | preact.JSX.Element)[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKENS)) {
    const name = match[1]?.toLowerCase();
    if (name !== undefined && !known.has(name)) continue;
    parts.push(text.slice(last, match.index));
    parts.push(
      name === undefined ? (
        <a href={match[0]} target="_blank" rel="noopener noreferrer nofollow ugc">
          {match[0]}
        </a>
      ) : (
        <a class="mention" href={`/profile/${encodeURIComponent(name)}`}>
          {match[0]}
        </a>
      ),
    );
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}
