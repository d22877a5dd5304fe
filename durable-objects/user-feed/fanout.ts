/**
 * One batch of a fan-out job. Followers are read from D1 a page at a time in id order; the job's
 * cursor is the last follower handled. Only followers active within the activity window get
 * pushes (inactive ones rebuild their timeline when they return), friends-only posts go to
 * friends only, and deliveries run with bounded concurrency so a big fan-out never has more
 * objects live than the platform allows.
 */
import type { Post } from "../../schema/api";
import { jsonIds } from "../../worker/data/db";
import { viewsByViewer, viewsForViewersSql, type ViewerPostRecord } from "../../worker/data/posts";
import { ARE_FRIENDS_SQL } from "../../worker/data/users";
import type { Config, Env } from "../../worker/env";
import { log } from "../../worker/lib/log";
import { mapPool } from "../../worker/lib/pool";
import type { Job, JobQueue } from "./jobs";

/** Deliveries in flight at once from one author's object. */
export const FANOUT_CONCURRENCY = 32;

/** The SQL choosing one page of followers to deliver to: ?1 author, ?2 after, ?3 active since, ?4 page size. */
function followerPageSql(friendsOnly: boolean): string {
  return `SELECT f.follower_id FROM follows f JOIN users u ON u.id = f.follower_id
     WHERE f.followee_id = ?1 AND f.follower_id > ?2 AND u.last_active_at >= ?3
       ${friendsOnly ? `AND ${ARE_FRIENDS_SQL("?1", "f.follower_id")}` : ""}
     ORDER BY f.follower_id LIMIT ?4`;
}

interface FollowerPage {
  /** Follower ids in id order. */
  followers: string[];
  /** The post as each follower may see it now (absent: it may not; or no post was asked for). */
  views: Map<string, Post>;
}

/**
 * One page of followers and, in the same D1 statement, the post as each of them sees it (the
 * REST hydration per recipient, worker/data/posts.ts), so a delivery carries its recipient's own
 * `isLiked` and `sharedPost` and costs no extra round trip.
 */
async function followerPage(env: Env, config: Config, authorId: string, friendsOnly: boolean, after: string, postId: string | null): Promise<FollowerPage> {
  const binds = [authorId, after, Date.now() - config.activeWindowMs, config.fanoutBatchSize];
  if (postId === null) {
    const { results } = await env.DB.prepare(followerPageSql(friendsOnly)).bind(...binds).all<{ follower_id: string }>();
    return { followers: results.map((r) => r.follower_id), views: new Map() };
  }
  const { results } = await env.DB.prepare(viewsForViewersSql(followerPageSql(friendsOnly), "?5"))
    .bind(...binds, jsonIds([postId]))
    .all<ViewerPostRecord>();
  const byViewer = viewsByViewer(results, config.celebrityThreshold);
  const views = new Map<string, Post>();
  for (const [viewerId, posts] of byViewer) {
    const post = posts.get(postId);
    if (post) views.set(viewerId, post);
  }
  return { followers: [...byViewer.keys()].sort(), views };
}

async function isCelebrity(env: Env, config: Config, authorId: string): Promise<boolean> {
  const row = await env.DB.prepare("SELECT follower_count, is_pull_source FROM users WHERE id = ?")
    .bind(authorId)
    .first<{ follower_count: number; is_pull_source: number }>();
  return !!row && (row.is_pull_source === 1 || row.follower_count >= config.celebrityThreshold);
}

export async function runJobBatch(env: Env, config: Config, authorId: string, jobs: JobQueue, job: Job): Promise<void> {
  const started = Date.now();
  const { requestId } = job.payload as { requestId?: string };
  if (job.kind === "outbox") {
    const { post } = job.payload as { post: Post };
    await env.CELEBRITY_FEED.getByName(authorId).append(post);
    jobs.finish(job.id);
    log("info", "fanout batch", { requestId, authorId, jobId: job.id, kind: job.kind, postId: job.postId, delivered: 1, durationMs: Date.now() - started });
    return;
  }
  const payload = job.payload as { post?: Post; postId?: string };
  if (job.kind !== "push" && job.batches === 0 && (await isCelebrity(env, config, authorId))) {
    // A celebrity's posts were pulled, not pushed: no follower timeline holds them, and viewers
    // with one on screen hear of the edit or delete as its watchers. O(1), like the post itself.
    if (job.kind === "retract") await env.CELEBRITY_FEED.getByName(authorId).remove(job.postId);
    jobs.finish(job.id);
    log("info", "fanout batch", { requestId, authorId, jobId: job.id, kind: job.kind, postId: job.postId, celebrity: true, durationMs: Date.now() - started });
    return;
  }
  // Deletes reach every active follower that may hold the post; new posts and edits (which carry
  // the post itself) respect privacy: a friends-only post's edit goes to friends only.
  const friendsOnly = (job.kind === "push" || job.kind === "update") && payload.post?.privacy === "friends";
  const { followers, views } = await followerPage(env, config, authorId, friendsOnly, job.cursor, job.kind === "retract" ? null : job.postId);
  if (job.kind === "retract" && job.batches === 0) await env.CELEBRITY_FEED.getByName(authorId).remove(job.postId);
  const results = await mapPool(followers, FANOUT_CONCURRENCY, (followerId) => {
    const feed = env.USER_FEED.getByName(followerId);
    if (job.kind === "push") return feed.deliver([{ postId: job.postId, authorId }], views.get(followerId));
    if (job.kind === "retract") return feed.retract(job.postId);
    const view = views.get(followerId);
    return view ? feed.postEdited(view).then(() => 1) : Promise.resolve(0);
  });
  const delivered = results.reduce<number>((sum, n) => sum + (n ?? 0), 0);
  if (followers.length < config.fanoutBatchSize) jobs.finish(job.id);
  else jobs.saveProgress(job.id, followers[followers.length - 1], delivered);
  log("info", "fanout batch", {
    requestId,
    authorId,
    jobId: job.id,
    kind: job.kind,
    postId: job.postId,
    recipients: followers.length,
    delivered,
    done: followers.length < config.fanoutBatchSize,
    durationMs: Date.now() - started,
  });
}
