/** Follow, unfollow and profile edits. Counts move by `changes()` in the same batch: exact and idempotent. */
import type { UpdateProfileBody } from "../../schema/api";
import { ApiError, notFound } from "../errors";
import { userAbsentSql } from "../relations";
import { POST_VISIBLE_SQL } from "../posts";
import { addNotice, undoNotice, utcDay } from "../notices";
import { mayNotifySql } from "../notify-rules";
import { searchTermsStatements } from "../search";
import { ARE_FRIENDS_SQL, findUserById, isPullSource, summaryStatement, toUser, toUserSummary, type UserRecord } from "../users";
import { avatarableSql } from "../media/records";
import { mediaUrl } from "../media/post-media";
import type { OpContext } from "./context";
import type { MutationResult } from "./types";

/**
 * Follow or unfollow, in one D1 batch (one round trip): the followee is found by username inside
 * each statement (`FOLLOWEE_SQL`), so the write happens only when they are visible to the viewer
 * and not the viewer, and the counts move by changes() of that write. The batch's last read says
 * which of those it was: unknown or absent (404), oneself (400 for a follow), or done.
 */
const FOLLOWEE_SQL = (viewer: string, username: string) => `(SELECT u.id FROM users u WHERE u.username = ${username} AND NOT ${userAbsentSql(viewer, "u")})`;

export async function setFollow(ctx: OpContext, username: string, follow: boolean): Promise<MutationResult> {
  const { db, viewerId, now } = ctx;
  const name = username.toLowerCase();
  // ?1 viewer, ?2 username (lowercase), ?3 now. A user absent to the viewer (blocked either way,
  // deleted) cannot be followed: 404, like any unknown name.
  const followee = FOLLOWEE_SQL("?1", "?2");
  const write = follow
    ? db
        .prepare(`INSERT INTO follows (follower_id, followee_id, created_at) SELECT ?1, f.id, ?3 FROM ${followee} f WHERE f.id != ?1 ON CONFLICT DO NOTHING`)
        .bind(viewerId, name, now)
    : db.prepare(`DELETE FROM follows WHERE follower_id = ?1 AND followee_id = ${followee}`).bind(viewerId, name);
  const sign = follow ? "+" : "-";
  // The followee's posts for the follower's timeline (user-feed/effects.ts), in the same round
  // trip, after the write (a follow back makes friends: their friends-only posts count).
  const window = follow ? ctx.local?.timelineWindow() : undefined;
  const backfill = window
    ? [
        db
          .prepare(
            `SELECT p.id FROM posts p WHERE p.author_id = (SELECT u.id FROM users u WHERE u.id = ${followee} AND u.is_pull_source = 0)
               AND p.id >= ?3 AND ${POST_VISIBLE_SQL} ORDER BY p.id DESC LIMIT ?4`,
          )
          .bind(viewerId, name, window.from, window.cap),
      ]
    : [];
  const [written, , after, me, backfilled] = await db.batch<Record<string, unknown>>([
    write,
    // One UPDATE for both rows, so changes() still refers to the follow write above.
    db
      .prepare(
        `UPDATE users SET
           follower_count = MAX(0, follower_count ${sign} CASE WHEN id = ${followee} THEN changes() ELSE 0 END),
           following_count = MAX(0, following_count ${sign} CASE WHEN id = ?1 THEN changes() ELSE 0 END)
         WHERE id IN (${followee}, ?1)`,
      )
      .bind(viewerId, name),
    db
      .prepare(
        `SELECT id, follower_count, is_pull_source, ${ARE_FRIENDS_SQL("u.id", "?1")} AS friends, ${mayNotifySql("?1", "u.id", null)} AS may_notify
         FROM users u WHERE u.id = ${followee}`,
      )
      .bind(viewerId, name),
    summaryStatement(db, viewerId),
    ...backfill,
  ]);
  const row = after.results[0] as { id: string; follower_count: number; is_pull_source: number; friends: number; may_notify: number } | undefined;
  if (!row) throw notFound("USER_NOT_FOUND", `User "${username}"`);
  if (row.id === viewerId) {
    if (follow) throw new ApiError(400, "CANNOT_FOLLOW_SELF", "You cannot follow yourself.");
    return { status: 200, body: { following: false, followerCount: row.follower_count }, effects: [] };
  }
  const effects: MutationResult["effects"] = follow
    ? [
        {
          type: "followed",
          followeeId: row.id,
          // Never cleared, and set only by posting: the same before the follow as after it.
          followeeIsPullSource: row.is_pull_source === 1,
          followeeIsCelebrity: isPullSource({ is_pull_source: row.is_pull_source, follower_count: row.follower_count }, ctx.config.celebrityThreshold),
          nowFriends: row.friends === 1,
          ...(backfilled ? { backfill: (backfilled.results as { id: string }[]).map((r) => ({ postId: r.id, authorId: row.id })) } : {}),
        },
      ]
    : [{ type: "unfollowed", followeeId: row.id }];
  // A follow that makes two users friends is a `friend`; follows group per UTC day.
  if (written.meta.changes > 0 && row.may_notify === 1) {
    const actor = toUserSummary(me.results[0] as unknown as UserRecord, ctx.config.celebrityThreshold);
    effects.push(
      follow
        ? addNotice(row.id, row.friends === 1 ? "friend" : "follow", actor, now, { target: utcDay(now), ref: "" })
        : undoNotice(row.id, ["follow", "friend"], viewerId, [""]),
    );
  }
  return { status: 200, body: { following: follow, followerCount: row.follower_count }, effects };
}

/**
 * A profile edit, in one UPDATE. `avatarMediaId` must name the user's own upload that no post has
 * taken (or the avatar it already is): the guard is in the same statement, so a refused avatar
 * changes nothing else either (400 INVALID_MEDIA). The upload is public from then on (core/media/
 * records.ts IS_AVATAR_SQL reads avatar_url) and kept while it is the avatar; an avatar upload that
 * is replaced becomes an unposted upload again, removed by the media sweep once its 24 hours are over.
 */
export async function updateProfile(ctx: OpContext, body: UpdateProfileBody): Promise<MutationResult> {
  const { db, viewerId } = ctx;
  const before = await findUserById(db, viewerId);
  if (!before) throw new ApiError(401, "UNAUTHENTICATED", "Your account no longer exists.");
  const sets: string[] = [];
  const binds: unknown[] = [];
  if (body.displayName !== undefined) (sets.push("display_name = ?"), binds.push(body.displayName));
  if (body.bio !== undefined) (sets.push("bio = ?"), binds.push(body.bio === null || body.bio.trim() === "" ? null : body.bio));
  if (body.avatarUrl !== undefined) (sets.push("avatar_url = ?"), binds.push(body.avatarUrl));
  if (body.avatarMediaId !== undefined) (sets.push("avatar_url = ?"), binds.push(mediaUrl(body.avatarMediaId)));
  if (sets.length > 0) {
    const guard = body.avatarMediaId === undefined ? "" : `AND EXISTS (SELECT 1 FROM media m WHERE m.id = ? AND ${avatarableSql("users.id", "?")})`;
    const guardBinds = body.avatarMediaId === undefined ? [] : [body.avatarMediaId, ctx.now];
    // The search index follows the name in the same transaction (only when the update itself happened).
    const terms = body.displayName !== undefined ? searchTermsStatements(db, viewerId, body.displayName) : [];
    const [{ meta }] = await db.batch([db.prepare(`UPDATE users SET ${sets.join(", ")} WHERE id = ? ${guard}`).bind(...binds, viewerId, ...guardBinds), ...terms]);
    if (meta.changes === 0 && body.avatarMediaId !== undefined)
      throw new ApiError(400, "INVALID_MEDIA", "An avatar must be one of your own uploads that no post has taken (uploads are kept 24 hours).", { reason: "not_available" });
  }
  const user = await findUserById(db, viewerId);
  if (!user) throw new ApiError(401, "UNAUTHENTICATED", "Your account no longer exists.");
  // The avatar upload it replaced may now be removable.
  const replacedUpload = before.avatar_url?.startsWith(mediaUrl("")) && before.avatar_url !== user.avatar_url;
  return { status: 200, body: { user: toUser(user, ctx.config.celebrityThreshold) }, effects: replacedUpload ? [{ type: "mediaSweepDue", at: ctx.now }] : [] };
}
