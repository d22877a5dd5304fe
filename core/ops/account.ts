/**
 * The account's own life: a new password (other sessions end), signing out everywhere, and
 * deletion. The worker has checked the password these need (worker/routes/account.ts) and hashed
 * a new one; the ops only write D1 and say what the user's object must do.
 *
 * Deletion happens in two parts (API.md: "when the 200 returns, all of it is invisible everywhere
 * and the counts of others are corrected; only the removal of stored data may go on"):
 * 1. here, one D1 batch (one transaction): the account is marked deleted, which the privacy rule
 *    and every read of people treat as absent (core/relations.ts); its name is freed and its
 *    profile text dropped; its likes, comments and shares of others' posts are deleted with those
 *    posts' counts corrected; its follows both ways are deleted with everyone's counts corrected;
 *    its sessions, blocks, mutes, dismissals and search terms go. Each statement is set-based and
 *    reads what is still there, so a repeat (a retry after a crash) corrects nothing twice.
 * 2. then its UserFeed erases in the background, batch by batch, resumable (core/erasure.ts for
 *    the D1 part, durable-objects/user-feed/erasure.ts for the job): its posts out of followers'
 *    timelines and screens, its posts (with the likes and comments others made on them) and its
 *    user row from D1, its objects' storage.
 */
import type { Db } from "../d1";
import type { Config } from "../config";
import type { OpContext } from "./context";
import type { MutationResult } from "./types";

export async function changePassword(ctx: OpContext, passwordHash: string, keepSession: string): Promise<MutationResult> {
  const { db, viewerId } = ctx;
  await db.batch([
    db.prepare("UPDATE users SET password_hash = ? WHERE id = ?").bind(passwordHash, viewerId),
    db.prepare("DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?").bind(viewerId, keepSession),
  ]);
  return { status: 200, body: {}, effects: [{ type: "sessionsEnded", keep: keepSession }] };
}

export async function endAllSessions(ctx: OpContext): Promise<MutationResult> {
  await ctx.db.prepare("DELETE FROM sessions WHERE user_id = ?").bind(ctx.viewerId).run();
  return { status: 200, body: {}, effects: [{ type: "sessionsEnded", keep: null }] };
}

/** ?1 is always the account. */
function deletionStatements(db: Db, userId: string, now: number, config: Config): D1PreparedStatement[] {
  const sql = (text: string) => db.prepare(text).bind(userId);
  return [
    // Read first, in the same transaction: whose timelines may hold its posts (pushed to active followers).
    db
      .prepare(`SELECT f.follower_id AS id FROM follows f JOIN users u ON u.id = f.follower_id WHERE f.followee_id = ?1 AND u.last_active_at >= ?2`)
      .bind(userId, now - config.activeWindowMs),
    // The celebrities it follows hold its lease while it is online: they must stop pushing to it.
    sql(`SELECT f.followee_id AS id FROM follows f JOIN users u ON u.id = f.followee_id WHERE f.follower_id = ?1 AND u.is_pull_source = 1`),
    // Absent from now on; the name is free at once; nothing of the profile stays readable.
    db
      .prepare(
        `UPDATE users SET deleted_at = ?2, username = '~' || id, display_name = '', bio = NULL, avatar_url = NULL, password_hash = '!'
         WHERE id = ?1 AND deleted_at IS NULL`,
      )
      .bind(userId, now),
    sql(`DELETE FROM sessions WHERE user_id = ?1`),
    sql(`DELETE FROM user_search_terms WHERE user_id = ?1`),
    // Its likes, comments and shares on others' posts: counts first (from the rows), then the rows.
    sql(`UPDATE posts SET like_count = MAX(0, like_count - 1) WHERE id IN (SELECT post_id FROM likes WHERE user_id = ?1)`),
    sql(`DELETE FROM likes WHERE user_id = ?1`),
    sql(`UPDATE posts SET comment_count = MAX(0, comment_count - (SELECT COUNT(*) FROM comments c WHERE c.post_id = posts.id AND c.author_id = ?1))
         WHERE id IN (SELECT post_id FROM comments WHERE author_id = ?1)`),
    sql(`DELETE FROM comments WHERE author_id = ?1`),
    sql(`UPDATE posts SET share_count = MAX(0, share_count - (SELECT COUNT(*) FROM posts s WHERE s.shared_post_id = posts.id AND s.author_id = ?1))
         WHERE id IN (SELECT shared_post_id FROM posts WHERE author_id = ?1 AND shared_post_id IS NOT NULL) AND author_id <> ?1`),
    // Its follows both ways, with everyone's counts.
    sql(`UPDATE users SET following_count = MAX(0, following_count - 1) WHERE id IN (SELECT follower_id FROM follows WHERE followee_id = ?1)`),
    sql(`UPDATE users SET follower_count = MAX(0, follower_count - 1) WHERE id IN (SELECT followee_id FROM follows WHERE follower_id = ?1)`),
    sql(`DELETE FROM follows WHERE followee_id = ?1`),
    sql(`DELETE FROM follows WHERE follower_id = ?1`),
    sql(`UPDATE users SET follower_count = 0, following_count = 0 WHERE id = ?1`),
    sql(`DELETE FROM blocks WHERE blocker_id = ?1`),
    sql(`DELETE FROM blocks WHERE blocked_id = ?1`),
    sql(`DELETE FROM mutes WHERE muter_id = ?1`),
    sql(`DELETE FROM mutes WHERE muted_id = ?1`),
    sql(`DELETE FROM suggestion_dismissals WHERE user_id = ?1`),
    sql(`DELETE FROM suggestion_dismissals WHERE dismissed_id = ?1`),
  ];
}

export async function deleteAccount(ctx: OpContext): Promise<MutationResult> {
  const [followers, celebrities] = await ctx.db.batch<{ id: string }>(deletionStatements(ctx.db, ctx.viewerId, ctx.now, ctx.config));
  const ids = (rows: { results: { id: string }[] }) => rows.results.map((r) => r.id);
  return { status: 200, body: { deleted: true }, effects: [{ type: "accountDeleted", followers: ids(followers), celebrities: ids(celebrities) }] };
}
