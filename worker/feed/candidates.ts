/**
 * The one D1 statement behind a feed page. Given the ids the viewer's timeline holds for the page,
 * it adds the posts pulled from followed celebrities (authors flagged `is_pull_source`), and below
 * the timeline's horizon the posts of everyone followed, then hydrates them all (with the posts
 * they share) for the viewer. `is_candidate` marks rows that compete for the page, so the caller
 * can take its cursor before privacy filtering and never shift a page.
 */
// Followed celebrities are found from the (few) pull sources, each checked against the viewer's
// follows by primary key, not by walking every follow the viewer has: 2,000 follows cost 2 ms in
// SQLite the other way round, ~0.01 ms this way (bench world, EXPLAIN QUERY PLAN). CROSS JOIN fixes
// SQLite's join order.
import { jsonIds } from "../data/db";
import { POST_SELECT } from "../data/posts";

export interface CandidateRange {
  /** Exclusive upper bound on post id; null for "newest". */
  before: string | null;
  /** Inclusive lower bound on post id for pulled posts (catch-up calls); null for none. */
  from: string | null;
  /** At most this many from each source. */
  limit: number;
  /** Exclusive upper bound for the D1 fallback below the timeline's horizon; null when complete. */
  deepBefore: string | null;
}

export function candidateStatement(db: D1Database, viewerId: string, timelineIds: readonly string[], range: CandidateRange): D1PreparedStatement {
  const before = range.before ?? "~";
  const from = range.from ?? "";
  const deep =
    range.deepBefore === null
      ? ""
      : `, deep(id) AS (SELECT p.id FROM posts p WHERE p.id < ?6 AND p.id >= ?4
           AND (p.author_id = ?1 OR p.author_id IN (SELECT followee_id FROM follows WHERE follower_id = ?1))
           ORDER BY p.id DESC LIMIT ?5)`;
  return db
    .prepare(
      `WITH tl(id) AS (SELECT value FROM json_each(?2)),
       pulled(id) AS (
         SELECT p.id FROM users u
         CROSS JOIN follows f ON f.follower_id = ?1 AND f.followee_id = u.id
         CROSS JOIN posts p ON p.author_id = u.id AND p.id < ?3 AND p.id >= ?4
         WHERE u.is_pull_source = 1 ORDER BY p.id DESC LIMIT ?5)
       ${deep},
       cand(id) AS (SELECT id FROM tl UNION SELECT id FROM pulled ${range.deepBefore === null ? "" : "UNION SELECT id FROM deep"}),
       all_ids(id) AS (SELECT id FROM cand UNION SELECT p.shared_post_id FROM cand c CROSS JOIN posts p ON p.id = c.id WHERE p.shared_post_id IS NOT NULL)
       SELECT ${POST_SELECT}, (a.id IN (SELECT id FROM cand)) AS is_candidate
       FROM all_ids a CROSS JOIN posts p ON p.id = a.id JOIN users u ON u.id = p.author_id`,
    )
    .bind(viewerId, jsonIds(timelineIds), before, from, range.limit, ...(range.deepBefore === null ? [] : [range.deepBefore]));
}

/** The viewer's likes and comments per author: the affinity term of the ranking. */
export function interactionsStatement(db: D1Database, viewerId: string): D1PreparedStatement {
  return db
    .prepare(
      `SELECT author_id, SUM(n) AS n FROM (
         SELECT author_id, COUNT(*) AS n FROM likes WHERE user_id = ?1 GROUP BY author_id
         UNION ALL
         SELECT post_author_id AS author_id, COUNT(*) AS n FROM comments WHERE author_id = ?1 GROUP BY post_author_id)
       GROUP BY author_id`,
    )
    .bind(viewerId);
}
