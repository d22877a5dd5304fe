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
export const GRAVITY = 1.5;

/** SQL expressions the score is computed from: the viewer's id and the current time (epoch ms). */
export interface ScoreParams {
  viewer: string;
  now: string;
}

/** The viewer's likes and comments on the posts of `author` (indexed: likes_user_author_idx, comments_author_post_author_idx). */
export const interactionsSql = (viewer: string, author: string) =>
  `((SELECT COUNT(*) FROM likes il WHERE il.user_id = ${viewer} AND il.author_id = ${author})
    + (SELECT COUNT(*) FROM comments ic WHERE ic.author_id = ${viewer} AND ic.post_author_id = ${author}))`;

/**
 * The score of the row `p` (posts' columns `author_id`, `like_count`, `comment_count`,
 * `share_count`, `created_at`); `interactions` is the viewer's count for `p.author_id` (the feed
 * uses interactionsSql once per author).
 */
export function scoreSql({ viewer, now }: ScoreParams, interactions: string): string {
  return `((1 + ln(1 + p.like_count) + 2 * ln(1 + p.comment_count) + 3 * ln(1 + p.share_count))
    * (CASE WHEN p.author_id = ${viewer} THEN 1.5 ELSE 1 + 0.5 * ln(1 + ${interactions}) END)
    / pow(max(0, ${now} - p.created_at) / 3600000.0 + 2, ${GRAVITY}))`;
}

/** Best first; equal scores keep the newest (largest id) first. */
export const rankOrderSql = (params: ScoreParams, interactions: string) => `${scoreSql(params, interactions)} DESC, p.id DESC`;
