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
 */
export interface RankInput {
  id: string;
  authorId: string;
  likeCount: number;
  commentCount: number;
  shareCount: number;
  createdAtMs: number;
}

export interface RankContext {
  now: number;
  viewerId: string;
  /** The viewer's likes + comments per author. */
  interactions: ReadonlyMap<string, number>;
}

export const GRAVITY = 1.5;

export function scorePost(post: RankInput, ctx: RankContext): number {
  const ageHours = Math.max(0, (ctx.now - post.createdAtMs) / 3_600_000);
  const engagement = Math.log1p(post.likeCount) + 2 * Math.log1p(post.commentCount) + 3 * Math.log1p(post.shareCount);
  const affinity = post.authorId === ctx.viewerId ? 1.5 : 1 + 0.5 * Math.log1p(ctx.interactions.get(post.authorId) ?? 0);
  return ((1 + engagement) * affinity) / Math.pow(ageHours + 2, GRAVITY);
}

/** Ids ordered best first; equal scores keep newest first. */
export function rankPosts(posts: readonly RankInput[], ctx: RankContext): string[] {
  return posts
    .map((p) => ({ id: p.id, score: scorePost(p, ctx) }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .map((p) => p.id);
}
