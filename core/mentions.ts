/**
 * Mentions resolved by the server (schema/mentions.ts finds them in text): stored per post and per
 * comment when the text is written or edited, read back with the text in the same statement.
 * Blocking (issue 12) adds "not blocked either way" to the resolving statements below.
 */
import type { Db } from "./d1";
import { blockedBetweenSql } from "./relations";
import { LIMITS, type UserSummary } from "../schema/api";
import { mentionedUsernames } from "../schema/mentions";
import { jsonIds } from "./db";
import { toUserSummary } from "./users";

/** Where one kind of text keeps its mentions, and the table of the text itself. */
export type MentionTable = { table: "post_mentions"; column: "post_id"; owner: "posts" } | { table: "comment_mentions"; column: "comment_id"; owner: "comments" };
export const POST_MENTIONS: MentionTable = { table: "post_mentions", column: "post_id", owner: "posts" };
export const COMMENT_MENTIONS: MentionTable = { table: "comment_mentions", column: "comment_id", owner: "comments" };

/** The usernames `text` mentions, as the server resolves them (at most LIMITS.mentionsMax). */
export const mentionsIn = (text: string) => mentionedUsernames(text, LIMITS.mentionsMax);

/** SQL: a JSON array of the users that row `idExpr` mentions (one correlated lookup by primary key). */
export const mentionsJsonSql = ({ table, column }: MentionTable, idExpr: string) =>
  `(SELECT json_group_array(json_object('id', mu.id, 'username', mu.username, 'display_name', mu.display_name,
     'avatar_url', mu.avatar_url, 'follower_count', mu.follower_count))
    FROM ${table} mx JOIN users mu ON mu.id = mx.user_id WHERE mx.${column} = ${idExpr})`;

type MentionJson = { id: string; username: string; display_name: string; avatar_url: string | null; follower_count: number };

/** The contract's `mentions` from mentionsJsonSql's column, by username. */
export function mentionsFromJson(json: string | null | undefined, threshold: number): UserSummary[] {
  if (!json) return [];
  return (JSON.parse(json) as MentionJson[]).map((m) => toUserSummary(m, threshold)).sort((a, b) => (a.username < b.username ? -1 : 1));
}

/**
 * Stores the accounts among `names` as mentioned by `id` (idempotent; nothing when the text's row
 * does not exist, as when the write before it in the batch was refused).
 */
export function resolveMentions(db: Db, where: MentionTable, id: string, names: readonly string[]): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO ${where.table} (${where.column}, user_id)
       SELECT ?1, u.id FROM users u WHERE u.username IN (SELECT value FROM json_each(?2))
         AND EXISTS (SELECT 1 FROM ${where.owner} WHERE id = ?1)
         -- A deleted account, or one blocked either way with the writer, is not resolved: it stays text.
         AND u.deleted_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM ${where.owner} o WHERE o.id = ?1 AND ${blockedBetweenSql("o.author_id", "u.id")})
       ON CONFLICT DO NOTHING`,
    )
    .bind(id, jsonIds(names));
}

/** After an edit: forgets the mentions of `id` that are no longer among `names`. */
export function dropOtherMentions(db: Db, where: MentionTable, id: string, names: readonly string[]): D1PreparedStatement {
  return db
    .prepare(
      `DELETE FROM ${where.table} WHERE ${where.column} = ?1
         AND user_id NOT IN (SELECT u.id FROM users u WHERE u.username IN (SELECT value FROM json_each(?2)))`,
    )
    .bind(id, jsonIds(names));
}

/** The user ids `id` mentions now (read in a batch before and after an edit). */
export function mentionedIds(db: Db, where: MentionTable, id: string): D1PreparedStatement {
  return db.prepare(`SELECT user_id FROM ${where.table} WHERE ${where.column} = ?`).bind(id);
}
