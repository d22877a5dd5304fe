/**
 * Who a fan-out batch delivers to: one page of the author's followers, active within the activity
 * window (inactive ones rebuild their timeline when they return), friends only for a friends-only
 * post, in follower id order (the job's cursor is the last follower handled).
 */
import type { Db } from "./d1";
import type { Post } from "../schema/api";
import type { Config } from "./config";
import { jsonIds } from "./db";
import { viewsByViewer, viewsForViewersSql, type ViewerPostRecord } from "./posts";
import { ARE_FRIENDS_SQL } from "./users";

/** The SQL choosing one page of followers to deliver to: ?1 author, ?2 after, ?3 active since, ?4 page size. */
function followerPageSql(friendsOnly: boolean): string {
  return `SELECT f.follower_id FROM follows f JOIN users u ON u.id = f.follower_id
     WHERE f.followee_id = ?1 AND f.follower_id > ?2 AND u.last_active_at >= ?3
       ${friendsOnly ? `AND ${ARE_FRIENDS_SQL("?1", "f.follower_id")}` : ""}
     ORDER BY f.follower_id LIMIT ?4`;
}

export interface FollowerPage {
  /** Follower ids in id order. */
  followers: string[];
  /** The post as each follower may see it now (absent: it may not; or no post was asked for). */
  views: Map<string, Post>;
}

/**
 * One page of followers and, in the same D1 statement, the post as each of them sees it (the
 * REST hydration per recipient, core/posts.ts), so a delivery carries its recipient's own
 * `isLiked` and `sharedPost` and costs no extra round trip.
 */
export async function followerPage(db: Db, config: Config, authorId: string, friendsOnly: boolean, after: string, postId: string | null): Promise<FollowerPage> {
  const binds = [authorId, after, Date.now() - config.activeWindowMs, config.fanoutBatchSize];
  if (postId === null) {
    const { results } = await db.prepare(followerPageSql(friendsOnly)).bind(...binds).all<{ follower_id: string }>();
    return { followers: results.map((r) => r.follower_id), views: new Map() };
  }
  const { results } = await db.prepare(viewsForViewersSql(followerPageSql(friendsOnly), "?5"))
    .bind(...binds, jsonIds([postId]))
    .all<ViewerPostRecord>();
  // A delivery is a home-feed message: a follower who muted the author gets the timeline entry
  // (the feed read leaves it out, and unmuting brings it back) but no live push.
  const byViewer = viewsByViewer(results, config.celebrityThreshold, true);
  const views = new Map<string, Post>();
  for (const [viewerId, posts] of byViewer) {
    const post = posts.get(postId);
    if (post) views.set(viewerId, post);
  }
  return { followers: [...byViewer.keys()].sort(), views };
}

