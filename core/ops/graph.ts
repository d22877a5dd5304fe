/** Follow, unfollow and profile edits. Counts move by `changes()` in the same batch: exact and idempotent. */
import type { UpdateProfileBody } from "../../schema/api";
import { ApiError } from "../errors";
import { searchTermsStatements } from "../search";
import { ARE_FRIENDS_SQL, findUserById, isPullSource, requireUserVisibleTo, toUser } from "../users";
import type { OpContext } from "./context";
import type { MutationResult } from "./types";

export async function setFollow(ctx: OpContext, username: string, follow: boolean): Promise<MutationResult> {
  const { db, viewerId, now } = ctx;
  // A user absent to the viewer (blocked either way, deleted) cannot be followed: 404, like any unknown name.
  const followee = await requireUserVisibleTo(db, viewerId, username);
  if (followee.id === viewerId) {
    if (follow) throw new ApiError(400, "CANNOT_FOLLOW_SELF", "You cannot follow yourself.");
    return { status: 200, body: { following: false, followerCount: followee.follower_count }, effects: [] };
  }
  const write = follow
    ? db.prepare("INSERT INTO follows (follower_id, followee_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING").bind(viewerId, followee.id, now)
    : db.prepare("DELETE FROM follows WHERE follower_id = ? AND followee_id = ?").bind(viewerId, followee.id);
  const sign = follow ? "+" : "-";
  const [, , after] = await db.batch<{ follower_count: number; friends: number }>([
    write,
    // One UPDATE for both rows, so changes() still refers to the follow write above.
    db
      .prepare(
        `UPDATE users SET
           follower_count = MAX(0, follower_count ${sign} CASE WHEN id = ?1 THEN changes() ELSE 0 END),
           following_count = MAX(0, following_count ${sign} CASE WHEN id = ?2 THEN changes() ELSE 0 END)
         WHERE id IN (?1, ?2)`,
      )
      .bind(followee.id, viewerId),
    db.prepare(`SELECT follower_count, ${ARE_FRIENDS_SQL("?1", "?2")} AS friends FROM users WHERE id = ?1`).bind(followee.id, viewerId),
  ]);
  const row = after.results[0];
  const effects: MutationResult["effects"] = follow
    ? [
        {
          type: "followed",
          followeeId: followee.id,
          followeeIsPullSource: followee.is_pull_source === 1,
          followeeIsCelebrity: isPullSource({ is_pull_source: followee.is_pull_source, follower_count: row.follower_count }, ctx.config.celebrityThreshold),
          nowFriends: row.friends === 1,
        },
      ]
    : [{ type: "unfollowed", followeeId: followee.id }];
  return { status: 200, body: { following: follow, followerCount: row.follower_count }, effects };
}

export async function updateProfile(ctx: OpContext, body: UpdateProfileBody): Promise<MutationResult> {
  const { db, viewerId } = ctx;
  const sets: string[] = [];
  const binds: unknown[] = [];
  if (body.displayName !== undefined) (sets.push("display_name = ?"), binds.push(body.displayName));
  if (body.bio !== undefined) (sets.push("bio = ?"), binds.push(body.bio === null || body.bio.trim() === "" ? null : body.bio));
  if (body.avatarUrl !== undefined) (sets.push("avatar_url = ?"), binds.push(body.avatarUrl));
  if (sets.length > 0) {
    // The search index follows the name in the same transaction.
    const terms = body.displayName !== undefined ? searchTermsStatements(db, viewerId, body.displayName) : [];
    await db.batch([db.prepare(`UPDATE users SET ${sets.join(", ")} WHERE id = ?`).bind(...binds, viewerId), ...terms]);
  }
  const user = await findUserById(db, viewerId);
  if (!user) throw new ApiError(401, "UNAUTHENTICATED", "Your account no longer exists.");
  return { status: 200, body: { user: toUser(user, ctx.config.celebrityThreshold) }, effects: [] };
}
