/**
 * One batch of a fan-out job. Followers are read from D1 a page at a time in id order; the job's
 * cursor is the last follower handled. Only followers active within the activity window get
 * pushes (inactive ones rebuild their timeline when they return), friends-only posts go to
 * friends only, and deliveries run with bounded concurrency so a big fan-out never has more
 * objects live than the platform allows.
 *
 * A new post's first batch starts with a live pass: followers with a tab open (`users.online_until`)
 * are shown the post on their sockets by a call that writes nothing (UserFeed.announce), before the
 * durable timeline writes. Each delivery commits a write in the follower's object, which costs far
 * more than a read-only call (locally ~1 ms against ~0.15 ms), so the online see the post in the
 * time of the cheap calls rather than after every write ahead of theirs. The pass is best effort;
 * the delivery after it is what makes the post durable, and it pushes to sockets the pass missed.
 */
import type { Post } from "../../schema/api";
import type { Config, Env } from "../../worker/env";
import { log } from "../../worker/lib/log";
import { mapPool } from "../../worker/lib/pool";
import type { Job, JobQueue } from "./jobs";

/** Deliveries in flight at once from one author's object. */
export const FANOUT_CONCURRENCY = 32;
/** The live pass's bound; a push author has fewer followers than the celebrity threshold anyway. */
const LIVE_PASS_MAX = 10_000;

/** Restricts `f.follower_id` to the author's (?1) friends: followers the author follows back. */
const FRIENDS_ONLY = "AND EXISTS (SELECT 1 FROM follows b WHERE b.follower_id = ?1 AND b.followee_id = f.follower_id)";

async function followerPage(env: Env, config: Config, authorId: string, friendsOnly: boolean, after: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    `SELECT f.follower_id AS id FROM follows f JOIN users u ON u.id = f.follower_id
     WHERE f.followee_id = ?1 AND f.follower_id > ?2 AND u.last_active_at >= ?3 ${friendsOnly ? FRIENDS_ONLY : ""}
     ORDER BY f.follower_id LIMIT ?4`,
  )
    .bind(authorId, after, Date.now() - config.activeWindowMs, config.fanoutBatchSize)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/** Shows `post` on the open sockets of the followers online now; returns how many showed it. */
async function announceToOnlineFollowers(env: Env, authorId: string, post: Post, requestId?: string): Promise<number> {
  try {
    const { results } = await env.DB.prepare(
      `SELECT f.follower_id AS id FROM follows f JOIN users u ON u.id = f.follower_id
       WHERE f.followee_id = ?1 AND u.online_until > ?2 ${post.privacy === "friends" ? FRIENDS_ONLY : ""} LIMIT ?3`,
    )
      .bind(authorId, Date.now(), LIVE_PASS_MAX)
      .all<{ id: string }>();
    const shown = await mapPool(results, FANOUT_CONCURRENCY, (r) =>
      env.USER_FEED.getByName(r.id)
        .announce(post)
        .catch(() => false),
    );
    return shown.filter(Boolean).length;
  } catch (error) {
    log("warn", "live pass failed", { requestId, authorId, postId: post.id, error: String(error) });
    return 0;
  }
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
  const announced = job.kind === "push" && job.batches === 0 && payload.post ? await announceToOnlineFollowers(env, authorId, payload.post, requestId) : undefined;
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
    ...(announced === undefined ? {} : { announced }),
    done: followers.length < config.fanoutBatchSize,
    durationMs: Date.now() - started,
  });
}
