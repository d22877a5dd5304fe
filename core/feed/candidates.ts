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
import type { Db } from "../d1";
import { jsonIds } from "../db";
import { POST_SELECT, POST_VISIBLE_SQL, type PostRecord } from "../posts";
import { mutesSql } from "../relations";
import { rankOrderSql } from "./ranking";

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

/** The CTEs up to `cand(id)`: ?1 viewer, ?2 timeline ids (JSON), ?3 before, ?4 from, ?5 limit, ?6 deep bound. */
function candidateCtes(range: CandidateRange): string {
  const deep =
    range.deepBefore === null
      ? ""
      : `, deep(id) AS (SELECT p.id FROM posts p WHERE p.id < ?6 AND p.id >= ?4
           AND (p.author_id = ?1 OR p.author_id IN (SELECT followee_id FROM follows WHERE follower_id = ?1))
           ORDER BY p.id DESC LIMIT ?5)`;
  return `WITH tl(id) AS (SELECT value FROM json_each(?2)),
       pulled(id) AS (
         SELECT p.id FROM users u
         CROSS JOIN follows f ON f.follower_id = ?1 AND f.followee_id = u.id
         CROSS JOIN posts p ON p.author_id = u.id AND p.id < ?3 AND p.id >= ?4
         WHERE u.is_pull_source = 1 ORDER BY p.id DESC LIMIT ?5)
       ${deep},
       cand(id) AS (SELECT id FROM tl UNION SELECT id FROM pulled ${range.deepBefore === null ? "" : "UNION SELECT id FROM deep"})`;
}

/** ?1..?6 of candidateCtes (?6 is null when there is no deep part: a statement may leave a number unused). */
const candidateBinds = (viewerId: string, timelineIds: readonly string[], range: CandidateRange) => [
  viewerId,
  jsonIds(timelineIds),
  range.before ?? "~",
  range.from ?? "",
  range.limit,
  range.deepBefore,
];

/** Hydrated rows for a feed page's candidates (and the posts they share); `is_candidate` marks the candidates. */
export function candidateStatement(db: Db, viewerId: string, timelineIds: readonly string[], range: CandidateRange): D1PreparedStatement {
  return db
    .prepare(
      `${candidateCtes(range)},
       all_ids(id) AS (SELECT id FROM cand UNION SELECT p.shared_post_id FROM cand c CROSS JOIN posts p ON p.id = c.id WHERE p.shared_post_id IS NOT NULL)
       SELECT ${POST_SELECT}, (a.id IN (SELECT id FROM cand)) AS is_candidate
       FROM all_ids a CROSS JOIN posts p ON p.id = a.id JOIN users u ON u.id = p.author_id`,
    )
    .bind(...candidateBinds(viewerId, timelineIds, range).slice(0, range.deepBefore === null ? 5 : 6));
}

/** A ranked first page's row: the window's summary, then a hydrated post (null columns when none). */
export type RankedPageRow = PostRecord & {
  /** JSON array of the window's visible candidates, best first: on one row only (it is ~5 KB). */
  ranked_ids: string | null;
  window_size: number;
  window_min: string | null;
};

/**
 * The ranked first page in one statement: the window is the newest `range.limit` candidates (taken
 * before privacy filtering, like every cursor, so a hidden post never shifts it); its visible posts,
 * but for those of muted authors, are ordered by the ranking formula (core/feed/ranking.ts) in
 * SQL, with the viewer's affinity taken from `affinity` (?9: a JSON object `{authorId: interactions}`
 * that the viewer's UserFeed keeps, so D1 no longer counts likes and comments per page); only the
 * first `pageSize` of them (and the posts they share) are hydrated. One row carries the whole order
 * for the snapshot; the LEFT JOIN keeps that row when the page is empty.
 */
export function rankedPageStatement(
  db: Db,
  viewerId: string,
  timelineIds: readonly string[],
  range: CandidateRange,
  now: number,
  pageSize: number,
  affinity: string,
): D1PreparedStatement {
  return db
    .prepare(
      `${candidateCtes(range)},
       win(id) AS (SELECT id FROM cand ORDER BY id DESC LIMIT ?5),
       affinity(author_id, n) AS MATERIALIZED (SELECT key, value FROM json_each(?9)),
       ranked(id, rn) AS (
         SELECT p.id, ROW_NUMBER() OVER (ORDER BY ${rankOrderSql({ viewer: "?1", now: "?7" }, "COALESCE(af.n, 0)")})
         FROM win w CROSS JOIN posts p ON p.id = w.id LEFT JOIN affinity af ON af.author_id = p.author_id
         WHERE ${POST_VISIBLE_SQL} AND NOT ${mutesSql("?1", "p.author_id")}),
       page(id) AS (SELECT id FROM ranked WHERE rn <= ?8),
       all_ids(id) AS (SELECT id FROM page UNION SELECT p.shared_post_id FROM page c CROSS JOIN posts p ON p.id = c.id WHERE p.shared_post_id IS NOT NULL),
       summary AS (SELECT (SELECT json_group_array(id ORDER BY rn) FROM ranked) AS ranked_ids,
                          (SELECT COUNT(*) FROM win) AS window_size, (SELECT MIN(id) FROM win) AS window_min)
       SELECT CASE WHEN ROW_NUMBER() OVER () = 1 THEN s.ranked_ids END AS ranked_ids, s.window_size, s.window_min, h.*
       FROM summary s LEFT JOIN (
         SELECT ${POST_SELECT} FROM all_ids a CROSS JOIN posts p ON p.id = a.id JOIN users u ON u.id = p.author_id) h ON 1`,
    )
    .bind(...candidateBinds(viewerId, timelineIds, range), now, pageSize, affinity);
}
