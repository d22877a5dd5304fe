/**
 * One batch of a fan-out job. Followers are read from D1 a page at a time, online ones first
 * (core/fanout.ts: two passes in id order; the job's cursor is the pass and the last follower
 * handled). Only followers active within the activity window get pushes (inactive ones rebuild
 * their timeline when they return), friends-only posts go to friends only, and deliveries run
 * with an adaptive bound (core/adaptive-limit.ts, at most DELIVERY_CONCURRENCY) so a big
 * fan-out never has more objects live than the platform allows and a crowded runtime gets
 * fewer deliveries in flight rather than a longer queue in front of interactive requests.
 */
import type { Post } from "../../schema/api";
import { DELIVERY_CONCURRENCY, FANOUT_URGENT_AFTER_MS, type Config } from "../../core/config";
import type { AdaptiveLimit } from "../../core/adaptive-limit";
import { followerBatch, formatFanoutCursor, parseFanoutCursor } from "../../core/fanout";
import { ONLINE_CLOCK_MARGIN_MS } from "../../core/presence";
import { isPullSourceById } from "../../core/users";
import { log } from "../../core/log";
import { mapAdaptive } from "../../core/pool";
import { newerBookmark, readSession } from "../../core/d1";
import type { Job, JobQueue } from "./jobs";


export async function runJobBatch(env: Env, config: Config, authorId: string, jobs: JobQueue, job: Job, limit: AdaptiveLimit): Promise<void> {
  const started = Date.now();
  // The bookmark of the post's write (user-feed/effects.ts): the batch reads from a replica that
  // has it, and every delivery carries it, so no follower's next page reads one that does not.
  // Each batch also reads from at least what the batch before it read (`readBookmark`): with
  // replicas, a later batch on an older copy could see a presence write undone and so skip a
  // follower between the two passes (core/presence.ts relies on reads that only move forward).
  const { requestId, bookmark = null, readBookmark = null } = job.payload as { requestId?: string; bookmark?: string | null; readBookmark?: string | null };
  const db = readSession(env.DB, newerBookmark(bookmark, readBookmark));
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
  const cursor = parseFanoutCursor(job.cursor);
  // The job's T for "online first" (core/presence.ts): fixed for the whole job, before it began.
  const onlineAt = job.createdAt - ONLINE_CLOCK_MARGIN_MS;
  const { followers, views, next } = await followerBatch(db, config, authorId, friendsOnly, cursor, onlineAt, job.kind === "retract" ? null : job.postId);
  if (job.kind === "retract" && job.batches === 0) await env.CELEBRITY_FEED.getByName(authorId).remove(job.postId);
  // Interactive work first, but not past the consistency bound: a late job stops backing off.
  // Asked at each launch, not once per batch: a slow batch crosses the deadline mid-way.
  const urgent = () => Date.now() - job.createdAt > FANOUT_URGENT_AFTER_MS;
  const results = await mapAdaptive(followers, limit, (followerId) => {
    const feed = env.USER_FEED.getByName(followerId);
    if (job.kind === "push") return feed.deliver([{ postId: job.postId, authorId }], views.get(followerId), bookmark);
    if (job.kind === "retract") return feed.retract(job.postId);
    const view = views.get(followerId);
    return view ? feed.postEdited(view).then(() => 1) : Promise.resolve(0);
  }, { atLeast: () => (urgent() ? DELIVERY_CONCURRENCY : 1) });
  const delivered = results.reduce<number>((sum, n) => sum + (n ?? 0), 0);
  if (next === null) jobs.finish(job.id);
  else jobs.saveProgress(job.id, formatFanoutCursor(next), delivered, { ...(job.payload as object), readBookmark: newerBookmark(readBookmark, db.getBookmark()) });
  log("info", "fanout batch", {
    requestId,
    authorId,
    jobId: job.id,
    kind: job.kind,
    postId: job.postId,
    pass: cursor.pass,
    recipients: followers.length,
    delivered,
    inFlightLimit: limit.current,
    urgent: urgent(),
    done: next === null,
    durationMs: Date.now() - started,
  });
}

