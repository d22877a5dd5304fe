/**
 * One batch of a fan-out job. Followers are read from D1 a page at a time in id order; the job's
 * cursor is the last follower handled. Only followers active within the activity window get
 * pushes (inactive ones rebuild their timeline when they return), friends-only posts go to
 * friends only, and deliveries run with bounded concurrency so a big fan-out never has more
 * objects live than the platform allows.
 */
import type { Post } from "../../schema/api";
import { DELIVERY_CONCURRENCY, type Config } from "../../core/config";
import { followerPage } from "../../core/fanout";
import { isPullSourceById } from "../../core/users";
import { log } from "../../core/log";
import { mapPool } from "../../core/pool";
import { readSession } from "../../core/d1";
import type { Job, JobQueue } from "./jobs";


export async function runJobBatch(env: Env, config: Config, authorId: string, jobs: JobQueue, job: Job): Promise<void> {
  const started = Date.now();
  // The bookmark of the post's write (user-feed/effects.ts): the batch reads from a replica that
  // has it, and every delivery carries it, so no follower's next page reads one that does not.
  const { requestId, bookmark = null } = job.payload as { requestId?: string; bookmark?: string | null };
  const db = readSession(env.DB, bookmark);
  if (job.kind === "outbox") {
    const { post } = job.payload as { post: Post };
    await env.CELEBRITY_FEED.getByName(authorId).append(post, bookmark);
    jobs.finish(job.id);
    log("info", "fanout batch", { requestId, authorId, jobId: job.id, kind: job.kind, postId: job.postId, delivered: 1, durationMs: Date.now() - started });
    return;
  }
  const payload = job.payload as { post?: Post; postId?: string };
  if (job.kind !== "push" && job.batches === 0 && (await isPullSourceById(db, authorId, config.celebrityThreshold))) {
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
  const { followers, views } = await followerPage(db, config, authorId, friendsOnly, job.cursor, job.kind === "retract" ? null : job.postId);
  if (job.kind === "retract" && job.batches === 0) await env.CELEBRITY_FEED.getByName(authorId).remove(job.postId);
  const results = await mapPool(followers, DELIVERY_CONCURRENCY, (followerId) => {
    const feed = env.USER_FEED.getByName(followerId);
    if (job.kind === "push") return feed.deliver([{ postId: job.postId, authorId }], views.get(followerId), bookmark);
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

