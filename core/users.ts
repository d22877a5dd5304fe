/** Reading users and the follow graph from D1, and mapping rows to the contract's shapes. */
import type { Db } from "./d1";
import type { User, UserProfile, UserSummary } from "../schema/api";
import { notFound } from "./errors";
import { iso, jsonIds } from "./db";
import { mutesSql, userAbsentSql } from "./relations";

export interface UserRecord {
  id: string;
  username: string;
  display_name: string;
  avatar_url: string | null;
  bio: string | null;
  follower_count: number;
  following_count: number;
  created_at: number;
  last_active_at: number;
  is_pull_source: number;
}

export const USER_COLUMNS =
  "id, username, display_name, avatar_url, bio, follower_count, following_count, created_at, last_active_at, is_pull_source";

export function toUserSummary(row: Pick<UserRecord, "id" | "username" | "display_name" | "avatar_url" | "follower_count">, threshold: number): UserSummary {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    avatarUrl: row.avatar_url,
    isCelebrity: row.follower_count >= threshold,
  };
}

export function toUser(row: UserRecord, threshold: number): User {
  return {
    ...toUserSummary(row, threshold),
    bio: row.bio,
    followerCount: row.follower_count,
    followingCount: row.following_count,
    createdAt: iso(row.created_at),
  };
}

/** An account by username; a deleted one (being erased) is not found. */
export async function findUserByUsername(db: Db, username: string): Promise<UserRecord | null> {
  return db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE username = ? AND deleted_at IS NULL`).bind(username.toLowerCase()).first<UserRecord>();
}

export async function requireUserByUsername(db: Db, username: string): Promise<UserRecord> {
  const user = await findUserByUsername(db, username);
  if (!user) throw notFound("USER_NOT_FOUND", `User "${username}"`);
  return user;
}

/** A statement for `userId`'s summary columns (an actor's, read in its op's batch for notifications). */
export const summaryStatement = (db: Db, userId: string): D1PreparedStatement =>
  db.prepare("SELECT id, username, display_name, avatar_url, follower_count FROM users WHERE id = ?").bind(userId);

export async function findUserById(db: Db, id: string): Promise<UserRecord | null> {
  return db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE id = ? AND deleted_at IS NULL`).bind(id).first<UserRecord>();
}

/**
 * An account as `viewerId` may see it: null when it does not exist, is deleted, or either has
 * blocked the other (absent, core/relations.ts). By username or by id.
 */
export async function findUserVisibleTo(db: Db, viewerId: string, by: { username: string } | { id: string }): Promise<UserRecord | null> {
  const [column, value] = "username" in by ? ["username", by.username.toLowerCase()] : ["id", by.id];
  return db
    .prepare(`SELECT ${USER_COLUMNS} FROM users u WHERE u.${column} = ?2 AND NOT ${userAbsentSql("?1", "u")}`)
    .bind(viewerId, value)
    .first<UserRecord>();
}

export async function requireUserVisibleTo(db: Db, viewerId: string, username: string): Promise<UserRecord> {
  const user = await findUserVisibleTo(db, viewerId, { username });
  if (!user) throw notFound("USER_NOT_FOUND", `User "${username}"`);
  return user;
}

/**
 * Who is a pull source, the one definition: an author flagged `is_pull_source` (set once it posts
 * at or above CELEBRITY_THRESHOLD followers, never cleared, so feeds stay complete) or at or above
 * the threshold now (about to post its first pulled post). Such an author's posts are pulled at
 * read time; everyone else's are pushed.
 */
export const isPullSourceSql = (u: string, threshold: string) => `(${u}.is_pull_source = 1 OR ${u}.follower_count >= ${threshold})`;
export const isPullSource = (row: Pick<UserRecord, "is_pull_source" | "follower_count">, threshold: number) =>
  row.is_pull_source === 1 || row.follower_count >= threshold;
/** The push-or-pull decision for a new post, the one place it is made: pull at or above the threshold. */
export const postGoesByPull = (authorFollowerCount: number, threshold: number) => authorFollowerCount >= threshold;

export async function isPullSourceById(db: Db, userId: string, threshold: number): Promise<boolean> {
  const row = await db.prepare("SELECT follower_count, is_pull_source FROM users WHERE id = ?").bind(userId).first<Pick<UserRecord, "is_pull_source" | "follower_count">>();
  return !!row && isPullSource(row, threshold);
}

/** The pull sources `userId` follows (their CelebrityFeeds push live only to leaseholders). */
export async function followedPullSources(db: Db, userId: string, threshold: number): Promise<string[]> {
  const { results } = await db
    .prepare(`SELECT f.followee_id AS id FROM follows f JOIN users u ON u.id = f.followee_id WHERE f.follower_id = ?1 AND ${isPullSourceSql("u", "?2")}`)
    .bind(userId, threshold)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/** Fan-out pushes only to recently active users (the rest rebuild their timeline on return). */
export const markActiveStatement = (db: Db, userId: string, now: number) => db.prepare("UPDATE users SET last_active_at = ? WHERE id = ?").bind(now, userId);

export async function markActive(db: Db, userId: string, now: number): Promise<void> {
  await markActiveStatement(db, userId, now).run();
}

/** Friends are users who follow each other. */
export const ARE_FRIENDS_SQL = (a: string, b: string) =>
  `(EXISTS (SELECT 1 FROM follows fa WHERE fa.follower_id = ${a} AND fa.followee_id = ${b}) AND EXISTS (SELECT 1 FROM follows fb WHERE fb.follower_id = ${b} AND fb.followee_id = ${a}))`;

/**
 * SQL: the friends of `user` (a parameter or column), as rows of `id`: the rule above, for each
 * user `user` follows (row `a` is one half of it already, so only the other half is looked up:
 * one index probe per follow, not two).
 */
export const friendsOfSql = (user: string) =>
  `SELECT a.followee_id AS id FROM follows a WHERE a.follower_id = ${user} AND EXISTS (SELECT 1 FROM follows fb WHERE fb.follower_id = a.followee_id AND fb.followee_id = ${user})`;

/** Of `userIds`, those who are `userId`'s friends: one query, any count. */

export async function friendsAmong(db: Db, userId: string, userIds: readonly string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const { results } = await db
    .prepare(`SELECT s.value AS id FROM json_each(?2) s WHERE ${ARE_FRIENDS_SQL("?1", "s.value")}`)
    .bind(userId, jsonIds(userIds))
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

export async function areFriends(db: Db, a: string, b: string): Promise<boolean> {
  if (a === b) return false;
  const row = await db.prepare(`SELECT ${ARE_FRIENDS_SQL("?1", "?2")} AS friends`).bind(a, b).first<{ friends: number }>();
  return row?.friends === 1;
}

export async function loadProfile(db: Db, viewerId: string, user: UserRecord, threshold: number): Promise<UserProfile> {
  const [relation, mutual] = await db.batch<Record<string, unknown>>([
    db
      .prepare(
        `SELECT EXISTS (SELECT 1 FROM follows WHERE follower_id = ?1 AND followee_id = ?2) AS is_following,
                EXISTS (SELECT 1 FROM follows WHERE follower_id = ?2 AND followee_id = ?1) AS is_followed_by,
                ${mutesSql("?1", "?2")} AS is_muted`,
      )
      .bind(viewerId, user.id),
    // Mutual friends: friends of the viewer who are also friends of the profile's user.
    db
      .prepare(
        `WITH viewer_friends AS (${friendsOfSql("?1")}), user_friends AS (${friendsOfSql("?2")})
         SELECT u.id, u.username, u.display_name, u.avatar_url, u.follower_count, COUNT(*) OVER () AS total
         FROM users u JOIN viewer_friends v ON v.id = u.id JOIN user_friends f ON f.id = u.id
         WHERE u.id NOT IN (?1, ?2) ORDER BY u.username LIMIT 20`,
      )
      .bind(viewerId, user.id),
  ]);
  const rel = relation.results[0] as { is_following: number; is_followed_by: number; is_muted: number };
  const mutualRows = mutual.results as unknown as (UserRecord & { total: number })[];
  return {
    ...toUser(user, threshold),
    isFollowing: rel.is_following === 1,
    isFollowedBy: rel.is_followed_by === 1,
    isMuted: rel.is_muted === 1,
    mutualFriends: mutualRows.map((r) => toUserSummary(r, threshold)),
    mutualFriendCount: mutualRows[0]?.total ?? 0,
  };
}
