/**
 * Blocks, mutes and dismissed suggestions. Blocking ends the follows both ways in the same D1
 * batch as the block, each follower/following count moving by `changes()` of its delete (exact
 * and idempotent, like a follow); its effect takes each user out of the other's timeline, screens
 * and leases (durable-objects/user-feed/effects.ts). Everything else about a block is read, not
 * written: the privacy rule and the people reads ask core/relations.ts.
 *
 * Who may be named: block and unblock accept any existing account, including one that has blocked
 * the viewer (blocking is self-protection: it must hold if the other ever unblocks), and answer
 * only `{blocked}`, nothing of the other. Mute and dismiss treat a user absent to the viewer
 * (blocked either way, deleted) as not found, like every other route.
 */
import type { Db } from "../d1";
import { ApiError } from "../errors";
import { isPullSource, requireUserByUsername, requireUserVisibleTo, type UserRecord } from "../users";
import type { OpContext } from "./context";
import type { MutationResult } from "./types";

/** Ends `follower` → `followee` and moves both counts by what the delete changed. */
function unfollowStatements(db: Db, followerId: string, followeeId: string): D1PreparedStatement[] {
  return [
    db.prepare("DELETE FROM follows WHERE follower_id = ? AND followee_id = ?").bind(followerId, followeeId),
    db
      .prepare(
        `UPDATE users SET
           follower_count = MAX(0, follower_count - CASE WHEN id = ?1 THEN changes() ELSE 0 END),
           following_count = MAX(0, following_count - CASE WHEN id = ?2 THEN changes() ELSE 0 END)
         WHERE id IN (?1, ?2)`,
      )
      .bind(followeeId, followerId),
  ];
}

export async function setBlock(ctx: OpContext, username: string, block: boolean): Promise<MutationResult> {
  const { db, viewerId, now } = ctx;
  const other = await requireUserByUsername(db, username);
  if (other.id === viewerId) {
    if (block) throw new ApiError(400, "CANNOT_BLOCK_SELF", "You cannot block yourself.");
    return { status: 200, body: { blocked: false }, effects: [] };
  }
  if (!block) {
    // Unblocking restores nothing: the follows the block ended stay ended.
    await db.prepare("DELETE FROM blocks WHERE blocker_id = ? AND blocked_id = ?").bind(viewerId, other.id).run();
    return { status: 200, body: { blocked: false }, effects: [] };
  }
  const results = await db.batch<Pick<UserRecord, "is_pull_source" | "follower_count">>([
    db.prepare("INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING").bind(viewerId, other.id, now),
    ...unfollowStatements(db, viewerId, other.id),
    ...unfollowStatements(db, other.id, viewerId),
    db.prepare("SELECT is_pull_source, follower_count FROM users WHERE id = ?").bind(viewerId),
  ]);
  const self = results[results.length - 1].results[0];
  const threshold = ctx.config.celebrityThreshold;
  return {
    status: 200,
    body: { blocked: true },
    effects: [{ type: "blocked", otherId: other.id, otherIsPullSource: isPullSource(other, threshold), selfIsPullSource: !!self && isPullSource(self, threshold) }],
  };
}

export async function setMute(ctx: OpContext, username: string, mute: boolean): Promise<MutationResult> {
  const { db, viewerId, now } = ctx;
  const other = await requireUserVisibleTo(db, viewerId, username);
  if (other.id === viewerId) {
    if (mute) throw new ApiError(400, "CANNOT_MUTE_SELF", "You cannot mute yourself.");
    return { status: 200, body: { muted: false }, effects: [] };
  }
  // Nothing but reads change: the feed statements and the home pushes leave muted authors out.
  await (mute
    ? db.prepare("INSERT INTO mutes (muter_id, muted_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING").bind(viewerId, other.id, now)
    : db.prepare("DELETE FROM mutes WHERE muter_id = ? AND muted_id = ?").bind(viewerId, other.id)
  ).run();
  return { status: 200, body: { muted: mute }, effects: [] };
}

/** Keeps `username` out of the viewer's suggestions for good. Dismissing oneself changes nothing. */
export async function dismissSuggestion(ctx: OpContext, username: string): Promise<MutationResult> {
  const { db, viewerId, now } = ctx;
  const other = await requireUserVisibleTo(db, viewerId, username);
  if (other.id !== viewerId) {
    await db
      .prepare("INSERT INTO suggestion_dismissals (user_id, dismissed_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
      .bind(viewerId, other.id, now)
      .run();
  }
  return { status: 200, body: {}, effects: [] };
}
