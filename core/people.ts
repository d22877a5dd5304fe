/**
 * Lists of people, keyset-paged: a user's followers and following (with the viewer's own follow
 * state, for the list's follow buttons), and the viewer's blocks and mutes (for undo in Settings).
 * A user absent to the viewer (blocked either way, deleted) is left out of every list but the
 * viewer's own blocks list, where it is what the list is for.
 */
import type { Db } from "./d1";
import type { Pagination, UserSummary } from "../schema/api";
import { encodeCursor } from "./cursor";
import { userAbsentSql } from "./relations";
import { toUserSummary, type UserRecord } from "./users";

export type ListedUser = UserSummary & { isFollowing: boolean };
export interface PeoplePage<T> {
  users: T[];
  pagination: Pagination;
}

type Row = Pick<UserRecord, "id" | "username" | "display_name" | "avatar_url" | "follower_count"> & { is_following: number; at: number };

function page<T>(rows: Row[], limit: number, map: (row: Row) => T, cursorOf: (row: Row) => unknown): PeoplePage<T> {
  const shown = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  const last = shown[shown.length - 1];
  return { users: shown.map(map), pagination: { nextCursor: hasMore && last ? encodeCursor(cursorOf(last)) : null, hasMore } };
}

/**
 * Followers or following of `userId` as `viewerId` sees them, newest accounts first (keyset on the
 * other user's id, so the follows indexes serve every page without sorting a celebrity's whole
 * follower list). `before`: the last id of the previous page.
 */
export async function followListPage(
  db: Db,
  viewerId: string,
  userId: string,
  direction: "followers" | "following",
  before: string | null,
  limit: number,
  threshold: number,
): Promise<PeoplePage<ListedUser>> {
  const [edge, other] = direction === "followers" ? ["followee_id", "follower_id"] : ["follower_id", "followee_id"];
  const { results } = await db
    .prepare(
      `SELECT u.id, u.username, u.display_name, u.avatar_url, u.follower_count, 0 AS at,
         EXISTS (SELECT 1 FROM follows x WHERE x.follower_id = ?1 AND x.followee_id = u.id) AS is_following
       FROM follows f CROSS JOIN users u ON u.id = f.${other}
       WHERE f.${edge} = ?2 AND f.${other} < ?3 AND NOT ${userAbsentSql("?1", "u")}
       ORDER BY f.${other} DESC LIMIT ?4`,
    )
    .bind(viewerId, userId, before ?? "~", limit + 1)
    .all<Row>();
  return page(results, limit, (r) => ({ ...toUserSummary(r, threshold), isFollowing: r.is_following === 1 }), (r) => ({ b: r.id }));
}

/** The viewer's blocks or mutes, the newest first (keyset on when, then id). */
export async function relationListPage(
  db: Db,
  viewerId: string,
  kind: "blocks" | "mutes",
  cursor: { t: number; b: string } | null,
  limit: number,
  threshold: number,
): Promise<PeoplePage<UserSummary>> {
  const [table, self, other] = kind === "blocks" ? ["blocks", "blocker_id", "blocked_id"] : ["mutes", "muter_id", "muted_id"];
  const { results } = await db
    .prepare(
      `SELECT u.id, u.username, u.display_name, u.avatar_url, u.follower_count, r.created_at AS at, 0 AS is_following
       FROM ${table} r CROSS JOIN users u ON u.id = r.${other}
       WHERE r.${self} = ?1 AND u.deleted_at IS NULL AND (r.created_at, r.${other}) < (?2, ?3)
       ORDER BY r.created_at DESC, r.${other} DESC LIMIT ?4`,
    )
    .bind(viewerId, cursor?.t ?? Number.MAX_SAFE_INTEGER, cursor?.b ?? "~", limit + 1)
    .all<Row>();
  return page(results, limit, (r) => toUserSummary(r, threshold), (r) => ({ t: r.at, b: r.id }));
}
