/**
 * The durable fan-out job, with a push fan-out of several batches: this project sets
 * CELEBRITY_THRESHOLD=1000 so 10 followers are pushed to in batches of FANOUT_BATCH_SIZE=4.
 *
 * - Resumed after an interrupted alarm: one batch runs, its progress save is "lost" (the job's
 *   cursor rewound in the object's SQL storage), the object is evicted (in-memory state gone),
 *   then the alarm drains the job: every follower holds the post exactly once.
 * - A failing delivery (one follower's object cannot write its timeline) keeps the job, with the
 *   error and a backoff; once the follower recovers, the retry completes without duplicates.
 */
import { isBookmark, newerBookmark } from "../../../core/d1";
import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runJobBatch } from "../../../durable-objects/user-feed/fanout";
import { TIMELINE_SCHEMA } from "../../../durable-objects/user-feed/timeline";
import { newDeliveryLimit, readConfig } from "../../../core/config";
import { Client, drainFanout, inUserFeed, signup, signupMany, timelineIds } from "../helpers";

async function followAll(fans: Client[], author: Client): Promise<void> {
  for (const fan of fans) await fan.follow(author.user.username);
}

async function seqOf(userId: string): Promise<number> {
  return (await env.USER_FEED.getByName(userId).inspect()).timeline.newestSeq;
}

describe("fan-out job, 10 followers in batches of 4 (push path)", () => {
  it("resumes after an interrupted alarm (lost progress save, evicted object) and delivers exactly once", async () => {
    const author = await signup();
    const fans = await signupMany(10, "rs");
    await followAll(fans, author);
    const fanIds = fans.map((f) => f.user.id).sort(); // the job pages followers in id order
    const config = readConfig(env);
    expect(config.fanoutBatchSize).toBe(4);

    let postId = "";
    let jobId = 0;
    // Inside the author's object, with other events (its own alarm included) held back: write the
    // post exactly as the worker would, run one batch, then lose that batch's progress save.
    await inUserFeed(author.user.id, async (instance, state) => {
      await state.blockConcurrencyWhile(async () => {
        const res = await instance.mutate({ kind: "createPost", body: { content: "resume me", privacy: "public" } }, null);
        if (!res.ok) throw new Error(`post failed: ${JSON.stringify(res.error)}`);
        postId = JSON.parse(res.json).post.id;
        const job = instance.jobs.list().find((j) => j.postId === postId);
        expect(job?.kind).toBe("push");
        expect(job?.cursor).toBe("");
        jobId = job!.id;

        await runJobBatch(env, config, author.user.id, instance.jobs, job!, newDeliveryLimit());
        const saved = instance.jobs.list().find((j) => j.id === jobId)!;
        // nobody is online: the online pass is empty and the batch is filled from the second pass
        expect(saved).toMatchObject({ cursor: `rest:${fanIds[3]}`, batches: 1, delivered: 4 });
        // The next batch reads from at least what this one read (replicas: reads only move forward),
        // which is no older than the post's own write.
        const { bookmark, readBookmark } = saved.payload as { bookmark: string; readBookmark: string };
        expect(isBookmark(readBookmark)).toBe(true);
        expect(newerBookmark(bookmark, readBookmark)).toBe(readBookmark);
        for (const [i, id] of fanIds.entries()) {
          const newest = (await env.USER_FEED.getByName(id).inspect()).timeline.newest.map((e: { postId: string }) => e.postId);
          expect(newest.includes(postId), `follower ${i}`).toBe(i < 4);
        }

        // The alarm "crashed" before its progress save reached storage: the cursor is back at the start.
        state.storage.sql.exec("UPDATE jobs SET cursor = '', delivered = 0, batches = 0 WHERE id = ?", jobId);
      });
    });
    const seqBefore = await Promise.all(fanIds.map(seqOf));

    // A restart loses everything in memory; the job is in storage.
    await evictDurableObject(env.USER_FEED.getByName(author.user.id));
    const pending = (await env.USER_FEED.getByName(author.user.id).inspect()).jobs.filter((j: { postId: string }) => j.postId === postId);
    // (the alarm may already have picked it up again after the eviction; either way it is not lost)
    expect(pending.length <= 1).toBe(true);

    await drainFanout(author.user.id);
    const seqAfter = await Promise.all(fanIds.map(seqOf));
    for (const [i, id] of fanIds.entries()) {
      const timeline = await timelineIds(id);
      expect(timeline.filter((x) => x === postId), `follower ${i}`).toHaveLength(1);
      // the redelivered first batch inserted nothing new; the rest got exactly one insert
      expect(seqAfter[i] - seqBefore[i], `follower ${i}`).toBe(i < 4 ? 0 : 1);
    }
    for (const fan of fans) {
      const feed = await fan.wholeFeed("latest", 3);
      expect(feed.map((p) => p.id)).toEqual([postId]);
    }
  });

  it("a failing delivery keeps the job (error recorded, backoff) and the retry completes without duplicates", async () => {
    const author = await signup();
    const fans = await signupMany(10, "fd");
    await followAll(fans, author);
    const fanIds = fans.map((f) => f.user.id).sort();
    const victim = fanIds[5]; // in the second batch

    // The victim's object cannot write its timeline: every delivery to it throws.
    await inUserFeed(victim, (_instance, state) => void state.storage.sql.exec("DROP TABLE timeline"));

    const post = await author.createPost("through a failure");
    const stub = env.USER_FEED.getByName(author.user.id);
    let job: any;
    for (let i = 0; i < 50; i++) {
      job = (await stub.inspect()).jobs.find((j: { postId: string }) => j.postId === post.id);
      if (!job || job.attempts > 0) break;
      await runDurableObjectAlarm(stub);
    }
    expect(job, "the job must survive the failure").toBeDefined();
    expect(job.attempts).toBeGreaterThanOrEqual(1);
    expect(job.lastError).toMatch(/no such table/i);
    expect(job.nextRunAt).toBeGreaterThan(job.createdAt); // backed off, not dropped
    expect(job.cursor).toBe(`rest:${fanIds[3]}`); // the first batch's progress was saved
    for (const id of fanIds.slice(0, 4)) expect(await timelineIds(id)).toContain(post.id);

    // The follower recovers; time passes (the job becomes due); the alarm finishes the job.
    await inUserFeed(victim, (_instance, state) => void state.storage.sql.exec(TIMELINE_SCHEMA));
    await inUserFeed(author.user.id, (_instance, state) => void state.storage.sql.exec("UPDATE jobs SET next_run_at = 0"));
    await drainFanout(author.user.id);
    for (const [i, id] of fanIds.entries()) {
      expect((await timelineIds(id)).filter((x) => x === post.id), `follower ${i}`).toHaveLength(1);
    }
    for (const fan of fans) expect((await fan.wholeFeed("latest", 3)).map((p) => p.id)).toEqual([post.id]);
  });

  it("delete reaches every follower's timeline through the same batched job", async () => {
    const author = await signup();
    const fans = await signupMany(9, "dj");
    await followAll(fans, author);
    const keep = await author.createPost("keep");
    const gone = await author.createPost("gone");
    await drainFanout(author.user.id);
    for (const fan of fans) expect(await timelineIds(fan.user.id)).toEqual([gone.id, keep.id]);
    expect((await author.del(`/api/v1/posts/${gone.id}`)).status).toBe(200);
    await drainFanout(author.user.id);
    for (const fan of fans) expect(await timelineIds(fan.user.id)).toEqual([keep.id]);
  });
});
