/**
 * What D1 says belongs in a user's timeline: everything (a rebuild for a returning user) or one
 * author's posts (a follow, or a new friendship). Only posts the user may see, newest first.
 */
import type { Db } from "../d1";
import { POST_VISIBLE_SQL } from "../posts";

export interface TimelineEntry {
  postId: string;
  authorId: string;
}

/** The newest `cap` posts of the user and the pushed (non pull-source) authors they follow. */
export async function timelineFromD1(db: Db, userId: string, cap: number): Promise<TimelineEntry[]> {
  const { results } = await db
    .prepare(
      // The authors drive the join (CROSS JOIN): each one's posts come from posts_author_idx, so
      // the cost follows what this user follows, never the size of the posts table.
      `SELECT p.id, p.author_id FROM (
         SELECT ?1 AS id UNION ALL
         SELECT f.followee_id FROM follows f JOIN users u ON u.id = f.followee_id WHERE f.follower_id = ?1 AND u.is_pull_source = 0) a
       CROSS JOIN posts p ON p.author_id = a.id
       WHERE ${POST_VISIBLE_SQL}
       ORDER BY p.id DESC LIMIT ?2`,
    )
    .bind(userId, cap)
    .all<{ id: string; author_id: string }>();
  return results.map((r) => ({ postId: r.id, authorId: r.author_id }));
}

/** `authorId`'s posts from `fromId` up that the user may see, at most `cap`. */
export async function authorPostsFromD1(db: Db, userId: string, authorId: string, fromId: string, cap: number): Promise<TimelineEntry[]> {
  const { results } = await db
    .prepare(`SELECT p.id FROM posts p WHERE p.author_id = ?2 AND p.id >= ?3 AND ${POST_VISIBLE_SQL} ORDER BY p.id DESC LIMIT ?4`)
    .bind(userId, authorId, fromId, cap)
    .all<{ id: string }>();
  return results.map((r) => ({ postId: r.id, authorId }));
}
