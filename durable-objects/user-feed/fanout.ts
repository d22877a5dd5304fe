/**
 * One batch of a fan-out job. Followers are read from D1 a page at a time in id order; the job's
 * cursor is the last follower handled. Only followers active within the activity window get
 * pushes (inactive ones rebuild their timeline when they return), friends-only posts go to
 * friends only, and deliveries run with bounded concurrency so a big fan-out never has more
 * objects live than the platform allows.
 */
import type { Post } from "../../schema/api";
import type { Config, Env } from "../../worker/env";
import { log } from "../../worker/lib/log";
import { mapPool } from "../../worker/lib/pool";
import type { Job, JobQueue } from "./jobs";

/** Deliveries in flight at once from one author's object. */
export const FANOUT_CONCURRENCY = 32;

async function followerPage(env: Env, config: Config, authorId: string, friendsOnly: boolean, after: string): Promise<string[]> {
  const friendClause = friendsOnly ? "AND EXISTS (SELECT 1 FROM follows b WHERE b.follower_id = ?1 AND b.followee_id = f.follower_id)" : "";
  const { results } = await env.DB.prepare(
    `SELECT f.follower_id AS id FROM follows f JOIN users u ON u.id = f.follower_id
     WHERE f.followee_id = ?1 AND f.follower_id > ?2 AND u.last_active_at >= ?3 ${friendClause}
     ORDER BY f.follower_id LIMIT ?4`,
  )
    .bind(authorId, after, Date.now() - config.activeWindowMs, config.fanoutBatchSize)
    .all<{ id: string }>();
  return results.map((r) => r.id);
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
  const followers = await followerPage(env, config, authorId, friendsOnly, job.cursor);
  if (job.kind === "retract" && job.batches === 0) await env.CELEBRITY_FEED.getByName(authorId).remove(job.postId);
  const results = await mapPool(followers, FANOUT_CONCURRENCY, (followerId) => {
    const feed = env.USER_FEED.getByName(followerId);
    if (job.kind === "push") return feed.deliver([{ postId: job.postId, authorId }], payload.post);
    if (job.kind === "retract") return feed.retract(job.postId);
    return feed.postEdited(payload.post!).then(() => 1);
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
