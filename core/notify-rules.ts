/**
 * Who may be notified, the one place it is decided (API.md, Notifications): nobody of their own
 * actions, and nobody about a post they may not see (its text, or a comment on it, or a share of
 * it). Every op asks this in the same D1 batch as its write, so deciding costs no round trip.
 *
 * Blocking (issue 12) adds its check here, in SQL, once: "and neither has blocked the other".
 */
import type { Db } from "./d1";
import { blockedBetweenSql } from "./relations";
import { jsonIds } from "./db";
import { postVisibleSql } from "./posts";

/**
 * SQL, 1 or 0: may `actor` notify `recipient`, about post `postId` when it is not null. Each
 * argument is a bound parameter (?1) or a column of the caller's query, never of an alias `p`
 * (the post check's own subquery names the post `p`, as postVisibleSql does).
 */
export const mayNotifySql = (actor: string, recipient: string, postId: string | null): string =>
  // Never about their own actions, never from someone blocked either way (core/relations.ts).
  `(${recipient} IS NOT NULL AND ${recipient} <> ${actor} AND NOT ${blockedBetweenSql(actor, recipient)}` +
  (postId === null ? "" : ` AND EXISTS (SELECT 1 FROM posts p WHERE p.id = ${postId} AND ${postVisibleSql(recipient)})`) +
  ")";

/**
 * What a stored notification may still show its recipient when it is read: the posts among
 * `postIds` the viewer may see now (a friendship ended, a post was deleted) and the comments among
 * `commentIds` that still exist. One statement for a page of notifications.
 */
export async function visibleTargets(
  db: Db,
  viewerId: string,
  postIds: readonly string[],
  commentIds: readonly string[],
): Promise<{ posts: Set<string>; comments: Set<string> }> {
  const posts = new Set<string>();
  const comments = new Set<string>();
  if (postIds.length === 0 && commentIds.length === 0) return { posts, comments };
  const { results } = await db
    .prepare(
      `SELECT 'p' AS t, p.id FROM posts p WHERE p.id IN (SELECT value FROM json_each(?2)) AND ${postVisibleSql("?1")}
       UNION ALL SELECT 'c' AS t, c.id FROM comments c WHERE c.id IN (SELECT value FROM json_each(?3))`,
    )
    .bind(viewerId, jsonIds(postIds), jsonIds(commentIds))
    .all<{ t: "p" | "c"; id: string }>();
  for (const row of results) (row.t === "p" ? posts : comments).add(row.id);
  return { posts, comments };
}
