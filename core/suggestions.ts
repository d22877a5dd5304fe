/**
 * People you may know (GET /users/me/suggestions): friends of the viewer's friends ranked by how
 * many friends they share with the viewer, then popular accounts (most followers) to fill the
 * list, e.g. for someone with no friends yet. Never the viewer, someone the viewer follows, a user
 * blocked either way, a deleted account, or one the viewer dismissed.
 *
 * Computed per request from the graph as it is (so a follow made before the request counts), in
 * one D1 statement with bounded work: the viewer's friends (one pass over the viewer's follows,
 * newest friendships first) and at most FOF_EDGES of their friendships, counted per candidate;
 * the popular fallback walks users_follower_count_idx from the top, skipping the ineligible.
 */
import type { Db } from "./d1";
import type { SuggestedUser } from "../schema/api";
import { blockedBetweenSql } from "./relations";
import { toUserSummary, type UserRecord } from "./users";

/** Friend-of-friend edges counted per request (the bound on the statement's work). */
export const SUGGESTION_EDGES = 5_000;

interface SuggestionRow extends Pick<UserRecord, "id" | "username" | "display_name" | "avatar_url" | "follower_count"> {
  reason: SuggestedUser["reason"];
  mutual: number;
}

/** SQL: the users row `u` may be suggested to ?1. */
const ELIGIBLE_SQL = `u.id <> ?1 AND u.deleted_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM follows x WHERE x.follower_id = ?1 AND x.followee_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM suggestion_dismissals d WHERE d.user_id = ?1 AND d.dismissed_id = u.id)
  AND NOT ${blockedBetweenSql("?1", "u.id")}`;

/** ?1 viewer, ?2 limit. Friends of friends (by mutual count) first, then the popular; the caller de-duplicates. */
export function suggestionsStatement(db: Db, viewerId: string, limit: number): D1PreparedStatement {
  return db
    .prepare(
      `WITH my_friends(id) AS MATERIALIZED (
         SELECT f.followee_id FROM follows f
         WHERE f.follower_id = ?1 AND EXISTS (SELECT 1 FROM follows r WHERE r.follower_id = f.followee_id AND r.followee_id = ?1)
         ORDER BY f.created_at DESC),
       edges(id) AS (
         SELECT b.followee_id FROM my_friends mf CROSS JOIN follows b ON b.follower_id = mf.id
         WHERE EXISTS (SELECT 1 FROM follows r WHERE r.follower_id = b.followee_id AND r.followee_id = mf.id)
         LIMIT ${SUGGESTION_EDGES}),
       -- Ranked before the eligibility checks, which then run in that order and stop at the limit.
       fof(id, mutual) AS MATERIALIZED (SELECT id, COUNT(*) AS mutual FROM edges GROUP BY id ORDER BY mutual DESC, id),
       near AS (
         SELECT 'mutual_friends' AS reason, u.id, u.username, u.display_name, u.avatar_url, u.follower_count, fof.mutual
         FROM fof CROSS JOIN users u ON u.id = fof.id WHERE ${ELIGIBLE_SQL} LIMIT ?2),
       popular AS (
         SELECT 'popular' AS reason, u.id, u.username, u.display_name, u.avatar_url, u.follower_count, 0 AS mutual
         FROM users u WHERE ${ELIGIBLE_SQL} ORDER BY u.follower_count DESC LIMIT ?2 * 2)
       SELECT * FROM near UNION ALL SELECT * FROM popular`,
    )
    .bind(viewerId, limit);
}

export async function suggestionsFor(db: Db, viewerId: string, limit: number, threshold: number): Promise<SuggestedUser[]> {
  const { results } = await suggestionsStatement(db, viewerId, limit).all<SuggestionRow>();
  const out: SuggestedUser[] = [];
  const seen = new Set<string>();
  for (const row of results) {
    if (seen.has(row.id) || out.length >= limit) continue;
    seen.add(row.id);
    out.push({ ...toUserSummary(row, threshold), mutualFriendCount: row.mutual, reason: row.reason });
  }
  return out;
}
