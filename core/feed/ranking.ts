/**
 * The ranked feed's formula. Plain and documented so people can predict it:
 *
 *   score = (1 + engagement) × affinity ÷ (ageHours + 2)^1.5
 *   engagement = ln(1 + likes) + 2·ln(1 + comments) + 3·ln(1 + shares)
 *   affinity   = 1.5 for the viewer's own posts, else 1 + 0.5·ln(1 + interactions), where
 *                interactions = the viewer's likes and comments on that author's posts
 *
 * Recency decays like Hacker News' gravity (the +2 keeps brand-new posts from dividing by ~0);
 * logarithms keep one viral post from burying everything else; ties go to the newer post.
 *
 * It is computed in SQL, inside the one D1 statement of a ranked page (core/feed/candidates.ts),
 * so a page hydrates only the 20 posts it shows instead of all 200 candidates it ranks (see the
 * README's benchmark section for what that measured). SQLite's math functions (ln, pow) are built
 * into workerd's SQLite, which D1 runs on.
 */
import type { Db } from "../d1";

export const GRAVITY = 1.5;

/** SQL expressions the score is computed from: the viewer's id and the current time (epoch ms). */
export interface ScoreParams {
  viewer: string;
  now: string;
}

/**
 * How many of the viewer's top authors (by interactions) a ranked page is given. The viewer's
 * UserFeed keeps the count for every author (durable-objects/user-feed/affinity.ts); a page binds
 * only these, as one JSON object, so the statement stays small (~10 KB at most) for any history.
 * An author past the 256th has at most as many interactions as the 256th and ranks as if it had
 * none: the one way this differs from counting in D1, and only for such heavy interactors.
 */
export const AFFINITY_AUTHORS_PER_PAGE = 256;

/** At most this many authors are read back when the object rebuilds its counts from D1. */
export const AFFINITY_REBUILD_MAX = 5_000;

/**
 * The viewer's interactions per author, most first (?1 viewer, ?2 limit): what "interactions" means
 * above, counted in D1 for the object to keep (indexed: likes_user_author_idx,
 * comments_author_post_author_idx). Run only to rebuild the object's counts, never per page.
 */
export const interactionsByAuthorStatement = (db: Db, viewerId: string) =>
  db
    .prepare(
      `SELECT author_id, SUM(n) AS n FROM (
         SELECT author_id, COUNT(*) AS n FROM likes WHERE user_id = ?1 GROUP BY author_id
         UNION ALL SELECT post_author_id, COUNT(*) FROM comments WHERE author_id = ?1 GROUP BY post_author_id)
       GROUP BY author_id ORDER BY n DESC, author_id LIMIT ?2`,
    )
    .bind(viewerId, AFFINITY_REBUILD_MAX);

/**
 * The score of the row `p` (posts' columns `author_id`, `like_count`, `comment_count`,
 * `share_count`, `created_at`); `interactions` is the viewer's count for `p.author_id` (the feed
 * binds the counts its object keeps, see rankedPageStatement).
 */
export function scoreSql({ viewer, now }: ScoreParams, interactions: string): string {
  return `((1 + ln(1 + p.like_count) + 2 * ln(1 + p.comment_count) + 3 * ln(1 + p.share_count))
    * (CASE WHEN p.author_id = ${viewer} THEN 1.5 ELSE 1 + 0.5 * ln(1 + ${interactions}) END)
    / pow(max(0, ${now} - p.created_at) / 3600000.0 + 2, ${GRAVITY}))`;
}

/** Best first; equal scores keep the newest (largest id) first. */
export const rankOrderSql = (params: ScoreParams, interactions: string) => `${scoreSql(params, interactions)} DESC, p.id DESC`;
