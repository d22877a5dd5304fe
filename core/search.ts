/**
 * Finding people (GET /search/users): a prefix of the username, or a prefix of each word of the
 * display name, case- and accent-insensitive ("jose" finds "José Núñez", "nun" too), friends and
 * friends of friends first. Never a scan: usernames are lower-case ASCII and their prefixes are a
 * range of users_username_idx; display names are indexed word by word, folded, in
 * user_search_terms (schema/tables.ts), whose primary key serves a prefix as a range.
 *
 * The work per query is bounded: candidates are at most SEARCH_WINDOW rows from each index range,
 * plus the people the viewer follows and up to FOF_EDGES friend-of-friend edges that match (so a
 * friend or friend of a friend is found even when a short prefix matches thousands of strangers).
 */
import type { Db } from "./d1";
import type { SearchUser } from "../schema/api";
import { jsonIds } from "./db";
import { userAbsentSql } from "./relations";
import { friendsOfSql, toUserSummary, type UserRecord } from "./users";

/** Letters NFKD does not decompose into a base letter and marks. */
const SPECIAL_LETTERS: Record<string, string> = { ß: "ss", æ: "ae", œ: "oe", ø: "o", đ: "d", ð: "d", þ: "th", ł: "l", ı: "i", ħ: "h", ŋ: "n", ŧ: "t" };

/** Text as the search compares it: compatibility-decomposed, marks removed, lower case ("Ǆémón" → "dzemon"). */
export function foldForSearch(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[ßæœøđðþłıħŋŧ]/g, (c) => SPECIAL_LETTERS[c]);
}

/** At most this many words of a name are indexed (a display name holds at most 80 characters). */
const MAX_TERMS = 24;

/** The folded words of a display name (or of a query), each once: what user_search_terms holds. */
export function searchTerms(text: string): string[] {
  return [...new Set(foldForSearch(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean))].slice(0, MAX_TERMS);
}

/** The statements that (re)write `userId`'s terms for `displayName`; part of the batch that writes the name. */
export function searchTermsStatements(db: Db, userId: string, displayName: string): D1PreparedStatement[] {
  return [
    db.prepare("DELETE FROM user_search_terms WHERE user_id = ?").bind(userId),
    // Only while the account exists (a sign-up that lost its username race inserted no user).
    db
      .prepare("INSERT OR IGNORE INTO user_search_terms (term, user_id) SELECT value, ?1 FROM json_each(?2) WHERE EXISTS (SELECT 1 FROM users WHERE id = ?1)")
      .bind(userId, jsonIds(searchTerms(displayName))),
  ];
}

/** Rows taken from each index range before ranking. */
export const SEARCH_WINDOW = 200;
/** Follows of the viewer's friends looked at for friends of friends who match. */
export const FOF_EDGES = 2000;
/** Query words used (the rest of a long query adds nothing a prefix needs). */
const MAX_QUERY_WORDS = 5;

interface SearchRow extends Pick<UserRecord, "id" | "username" | "display_name" | "avatar_url" | "follower_count"> {
  is_following: number;
  mutual: number;
}

/** What a raw query asks for: a username prefix (if it can be one) and the name words. */
export function parseQuery(raw: string): { handle: string | null; words: string[] } {
  const handle = foldForSearch(raw.trim().replace(/^@/, ""));
  const words = searchTerms(raw).slice(0, MAX_QUERY_WORDS);
  return { handle: /^[a-z0-9_]{1,30}$/.test(handle) ? handle : null, words };
}

/** SQL: the user row `u` matches (?3 username prefix or null; ?4 JSON array of words, each a prefix of some term). */
const MATCHES_SQL = `((?3 IS NOT NULL AND u.username >= ?3 AND u.username < ?3 || '~')
  OR (json_array_length(?4) > 0 AND NOT EXISTS (SELECT 1 FROM json_each(?4) w WHERE NOT EXISTS (
    SELECT 1 FROM user_search_terms t WHERE t.user_id = u.id AND t.term >= w.value AND t.term < w.value || char(1114111)))))`;

/**
 * The statement: ?1 viewer, ?2 limit, ?3 username prefix (or null), ?4 words (JSON), ?5 the
 * longest word (drives the name range; null without words). One D1 round trip. Candidates come in
 * tiers, each bounded: the people the viewer follows who match (friends first), friends of friends
 * who match among the first FOF_EDGES follows of the viewer's friends, then the index windows.
 * Only the page's rows get their exact mutual-friend count (the candidate's follows looked up in
 * the viewer's friends, held in memory).
 */
export function searchStatement(db: Db, viewerId: string, query: { handle: string | null; words: string[] }, limit: number): D1PreparedStatement {
  const longest = query.words.reduce<string | null>((best, w) => (best === null || w.length > best.length ? w : best), null);
  return db
    .prepare(
      `WITH my_friends(id) AS MATERIALIZED (${friendsOfSql("?1")}),
       near(id, friend) AS MATERIALIZED (
         SELECT u.id, u.id IN (SELECT id FROM my_friends) FROM follows f CROSS JOIN users u ON u.id = f.followee_id
         WHERE f.follower_id = ?1 AND ${MATCHES_SQL}),
       fof(id, via) AS MATERIALIZED (
         SELECT u.id, COUNT(*) FROM (
           SELECT b.followee_id AS id, mf.id AS friend FROM my_friends mf CROSS JOIN follows b ON b.follower_id = mf.id LIMIT ${FOF_EDGES}) e
         CROSS JOIN users u ON u.id = e.id
         WHERE ${MATCHES_SQL} AND EXISTS (SELECT 1 FROM follows r WHERE r.follower_id = e.id AND r.followee_id = e.friend)
         GROUP BY u.id),
       wide(id) AS (
         SELECT id FROM (SELECT id FROM users WHERE ?3 IS NOT NULL AND username >= ?3 AND username < ?3 || '~' ORDER BY username LIMIT ${SEARCH_WINDOW})
         UNION SELECT user_id FROM (SELECT user_id FROM user_search_terms WHERE ?5 IS NOT NULL AND term >= ?5 AND term < ?5 || char(1114111) LIMIT ${SEARCH_WINDOW})),
       cand(id) AS (SELECT id FROM near UNION SELECT id FROM fof UNION SELECT id FROM wide),
       page AS MATERIALIZED (
         SELECT u.id, u.username, u.display_name, u.avatar_url, u.follower_count, n.id IS NOT NULL AS is_following,
           CASE WHEN n.friend = 1 THEN 0 WHEN ff.id IS NOT NULL THEN 1 WHEN n.id IS NOT NULL THEN 2 ELSE 3 END AS tier, COALESCE(ff.via, 0) AS via
         FROM cand c CROSS JOIN users u ON u.id = c.id LEFT JOIN near n ON n.id = u.id LEFT JOIN fof ff ON ff.id = u.id
         WHERE u.id <> ?1 AND (n.id IS NOT NULL OR ff.id IS NOT NULL OR ${MATCHES_SQL}) AND NOT ${userAbsentSql("?1", "u")}
         ORDER BY tier, via DESC, u.follower_count DESC, u.username LIMIT ?2)
       SELECT id, username, display_name, avatar_url, follower_count, is_following,
         (SELECT COUNT(*) FROM follows a WHERE a.follower_id = page.id AND a.followee_id IN (SELECT id FROM my_friends)
            AND EXISTS (SELECT 1 FROM follows r WHERE r.follower_id = a.followee_id AND r.followee_id = page.id)) AS mutual
       FROM page ORDER BY tier, via DESC, follower_count DESC, username`,
    )
    .bind(viewerId, limit, query.handle, JSON.stringify(query.words), longest);
}

export async function searchUsers(db: Db, viewerId: string, raw: string, limit: number, threshold: number): Promise<SearchUser[]> {
  const query = parseQuery(raw);
  if (query.handle === null && query.words.length === 0) return [];
  const { results } = await searchStatement(db, viewerId, query, limit).all<SearchRow>();
  return results.map((r) => ({ ...toUserSummary(r, threshold), isFollowing: r.is_following === 1, mutualFriendCount: r.mutual }));
}

/**
 * Rebuilds the terms of up to `limit` users after `after` (by id): for rows written in bulk
 * without them (the seed's SQL load). Two statements whatever the page size. Returns the last id
 * (null at the end).
 */
export async function reindexSearchPage(db: Db, after: string, limit: number): Promise<{ users: number; terms: number; next: string | null }> {
  const { results } = await db
    .prepare("SELECT id, display_name FROM users WHERE id > ? AND deleted_at IS NULL ORDER BY id LIMIT ?")
    .bind(after, limit)
    .all<{ id: string; display_name: string }>();
  if (results.length === 0) return { users: 0, terms: 0, next: null };
  const pairs = results.flatMap((u) => searchTerms(u.display_name).map((term) => [term, u.id]));
  await db.batch([
    db.prepare("DELETE FROM user_search_terms WHERE user_id IN (SELECT value FROM json_each(?))").bind(jsonIds(results.map((u) => u.id))),
    db
      .prepare("INSERT OR IGNORE INTO user_search_terms (term, user_id) SELECT value ->> 0, value ->> 1 FROM json_each(?)")
      .bind(JSON.stringify(pairs)),
  ]);
  return { users: results.length, terms: pairs.length, next: results.length < limit ? null : results[results.length - 1].id };
}
