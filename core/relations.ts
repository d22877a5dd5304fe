/**
 * Who is absent to whom: blocks, deleted accounts, and mutes. The one definition of each, as SQL
 * fragments over a bound parameter (?1) or a column (u.id), so every read path asks the same
 * question inside its own statement: the privacy rule (core/posts.ts `postVisibleSql`) includes
 * `absentToSql`, and reads of people (profiles, lists, search, suggestions) use `userAbsentSql`.
 *
 * - A block, either way, makes each user absent to the other: profile and posts 404, nothing in
 *   feeds, lists, search, suggestions, comments or sockets. (Blocking also ends the follows both
 *   ways: core/ops/relations.ts.)
 * - A deleted account is absent to everyone from the moment DELETE /users/me answers, while its
 *   rows are erased in the background (users.deleted_at).
 * - A mute is not absence: it only keeps the muted user's posts out of the muter's home feed and
 *   its live pushes (core/feed/candidates.ts, core/fanout.ts, CelebrityFeed).
 *
 * Aliases inside the fragments are unusual on purpose so they never shadow the caller's.
 */
import type { Db } from "./d1";

/** Either of `a` and `b` has blocked the other (two primary-key lookups). */
export const blockedBetweenSql = (a: string, b: string) =>
  `(EXISTS (SELECT 1 FROM blocks blk_a WHERE blk_a.blocker_id = ${a} AND blk_a.blocked_id = ${b}) OR EXISTS (SELECT 1 FROM blocks blk_b WHERE blk_b.blocker_id = ${b} AND blk_b.blocked_id = ${a}))`;

/** The account `userId` (a parameter or column) is deleted: absent to everyone. */
export const accountDeletedSql = (userId: string) => `EXISTS (SELECT 1 FROM users gone_u WHERE gone_u.id = ${userId} AND gone_u.deleted_at IS NOT NULL)`;

/** User `other` (an id) is absent to `viewer`: deleted, or blocked either way. */
export const absentToSql = (viewer: string, other: string) => `(${accountDeletedSql(other)} OR ${blockedBetweenSql(viewer, other)})`;

/** The same for a users row already in the query (alias `u`): no lookup for the deleted flag. */
export const userAbsentSql = (viewer: string, u: string) => `(${u}.deleted_at IS NOT NULL OR ${blockedBetweenSql(viewer, `${u}.id`)})`;

/** Of `userIds`, those absent to `viewerId` now: deleted (or erased), or blocked either way. One statement. */
export async function absentAmong(db: Db, viewerId: string, userIds: readonly string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const { results } = await db
    .prepare(`SELECT v.value AS id FROM json_each(?2) v LEFT JOIN users u ON u.id = v.value WHERE u.id IS NULL OR ${userAbsentSql("?1", "u")}`)
    .bind(viewerId, JSON.stringify(userIds))
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/** `muter` has muted `muted`. */
export const mutesSql = (muter: string, muted: string) => `EXISTS (SELECT 1 FROM mutes mut_m WHERE mut_m.muter_id = ${muter} AND mut_m.muted_id = ${muted})`;

/** One relation, as booleans: for the people routes that must answer 404 or report the state. */
export interface Relation {
  blocked: boolean;
  blockedBy: boolean;
  muted: boolean;
}

export async function relationBetween(db: Db, viewerId: string, otherId: string): Promise<Relation> {
  const row = await db
    .prepare(
      `SELECT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ?1 AND blocked_id = ?2) AS blocked,
              EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ?2 AND blocked_id = ?1) AS blocked_by,
              ${mutesSql("?1", "?2")} AS muted`,
    )
    .bind(viewerId, otherId)
    .first<{ blocked: number; blocked_by: number; muted: number }>();
  return { blocked: row?.blocked === 1, blockedBy: row?.blocked_by === 1, muted: row?.muted === 1 };
}
