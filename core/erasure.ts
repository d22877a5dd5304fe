/**
 * Erasing a deleted account's remaining D1 rows, in bounded statements (core/ops/account.ts did
 * everything others can see; what is left is invisible): the likes and comments others made on
 * its posts, its posts, then its user row. Each call removes at most ERASE_BATCH rows of one part,
 * so no statement holds the database long, whatever the account's size (a celebrity's posts can
 * carry millions of likes). Deletes only, of rows that can no longer gain company (nobody can
 * like, comment on or follow an absent account), so a repeat after a crash simply continues.
 *
 * Extension point for the lead: media rows (issue 13) go here as a part before "posts" (after
 * their R2 objects are deleted by the erasure job), comment likes and replies (issue 11) before
 * "comments on its posts" if their foreign keys do not cascade.
 */
import type { Db } from "./d1";
export const ERASE_BATCH = 2000;

export const ERASE_PARTS = [
  {
    name: "likes on its posts",
    sql: `DELETE FROM likes WHERE rowid IN (SELECT l.rowid FROM posts p CROSS JOIN likes l ON l.post_id = p.id WHERE p.author_id = ?1 LIMIT ${ERASE_BATCH})`,
  },
  {
    name: "comments on its posts",
    sql: `DELETE FROM comments WHERE rowid IN (SELECT c.rowid FROM posts p CROSS JOIN comments c ON c.post_id = p.id WHERE p.author_id = ?1 LIMIT ${ERASE_BATCH})`,
  },
  // Their likes and comments are gone, so the cascade of each post delete is empty.
  { name: "its posts", sql: `DELETE FROM posts WHERE id IN (SELECT id FROM posts WHERE author_id = ?1 LIMIT ${ERASE_BATCH})` },
  // Last: the row the tombstone kept (every table that references it is empty for it by now).
  { name: "its account", sql: `DELETE FROM users WHERE id = ?1 AND deleted_at IS NOT NULL` },
] as const;

/** What the erasure asks of the account's row: its pull-source flag, and whether it was deleted (null: no row). */
export async function accountState(db: Db, userId: string): Promise<{ isPullSource: boolean; deleted: boolean } | null> {
  const row = await db.prepare("SELECT is_pull_source, deleted_at FROM users WHERE id = ?").bind(userId).first<{ is_pull_source: number; deleted_at: number | null }>();
  return row && { isPullSource: row.is_pull_source === 1, deleted: row.deleted_at !== null };
}

/** Runs one bounded statement of part `part`; true when that part has nothing left. */
export async function eraseRows(db: Db, userId: string, part: number): Promise<{ removed: number; partDone: boolean }> {
  const { meta } = await db.prepare(ERASE_PARTS[part].sql).bind(userId).run();
  const removed = meta.changes ?? 0;
  return { removed, partDone: removed < ERASE_BATCH };
}
