/**
 * Online followers first (core/fanout.ts, core/presence.ts), with 10 followers in batches of 4:
 *
 * - a socket's connect writes the user's presence to D1 and the last close ends it;
 * - a job delivers to followers online at its T first, across a page boundary (the online ones
 *   are not all in the first page by id), then to the rest, and its cursor stays exact while
 *   followers go online, offline and back mid-job: every follower has the post once, and only a
 *   follower who reconnected after its delivery is called twice (the insert ignores it);
 * - a job saved before the passes existed (a bare follower id as cursor) finishes in id order.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runJobBatch } from "../../../durable-objects/user-feed/fanout";
import { newDeliveryLimit, readConfig } from "../../../core/config";
import { markOffline, markOnline, ONLINE_TTL_MS } from "../../../core/presence";
import { Client, drainFanout, inUserFeed, signup, signupMany, timelineIds } from "../helpers";
import { socketsClosedAfterEach } from "../socket-helpers";

const live = socketsClosedAfterEach();

async function presence(userId: string): Promise<{ online_since: number; online_until: number }> {
  return (await env.DB.prepare("SELECT online_since, online_until FROM users WHERE id = ?").bind(userId).first())!;
}

/** Online since a minute ago (before any job's T), as a connect then would have written it. */
async function onlineEarlier(userId: string): Promise<void> {
  const since = Date.now() - 60_000;
  await env.DB.prepare("UPDATE users SET online_since = ?2, online_until = ?3 WHERE id = ?1").bind(userId, since, since + ONLINE_TTL_MS).run();
}

async function seqOf(userId: string): Promise<number> {
  return (await env.USER_FEED.getByName(userId).inspect()).timeline.newestSeq;
}

async function worldOf10(prefix: string): Promise<{ author: Client; fanIds: string[] }> {
  const author = await signup();
  const fans = await signupMany(10, prefix);
  for (const fan of fans) await fan.follow(author.user.username);
  return { author, fanIds: fans.map((f) => f.user.id).sort() };
}

describe("presence in D1", () => {
  it("a connect marks the user online (since now, for ONLINE_TTL_MS); the last close ends it", async () => {
    const user = await signup();
    expect(await presence(user.user.id)).toEqual({ online_since: 0, online_until: 0 });
    const before = Date.now();
    const first = await live(user);
    const second = await live(user);
    let p = { online_since: 0, online_until: 0 };
    for (let i = 0; i < 50 && p.online_until === 0; i++) (p = await presence(user.user.id)), await new Promise((r) => setTimeout(r, 20));
    expect(p.online_since).toBeGreaterThanOrEqual(before);
    expect(p.online_until).toBeGreaterThanOrEqual(p.online_since + ONLINE_TTL_MS);
    const since = p.online_since;
    first.close();
    await first.closedWith();
    await new Promise((r) => setTimeout(r, 100));
    expect((await presence(user.user.id)).online_until).toBeGreaterThan(Date.now()); // one tab still open
    second.close();
    await second.closedWith();
    for (let i = 0; i < 50 && (await presence(user.user.id)).online_until > Date.now(); i++) await new Promise((r) => setTimeout(r, 20));
    const ended = await presence(user.user.id);
    expect(ended.online_until).toBeLessThanOrEqual(Date.now());
    expect(ended.online_since).toBe(since);
  });
});

describe("fan-out, online followers first (10 followers, batches of 4)", () => {
  it("delivers to the online ones first across a page boundary; the cursor stays exact as followers come and go", async () => {
    const { author, fanIds } = await worldOf10("on");
    const f = (i: number) => fanIds[i];
    // Online at the job's start: 1, 4, 6, 8, 9 (more than a page, and most beyond the first page by id).
    for (const i of [1, 4, 6, 8, 9]) await onlineEarlier(f(i));
    const config = readConfig(env);
    const limit = newDeliveryLimit();
    const has = async (postId: string) => Promise.all(fanIds.map(async (id) => (await timelineIds(id)).includes(postId)));
    const which = (flags: boolean[]) => flags.flatMap((x, i) => (x ? [i] : []));
    const seqStart = await Promise.all(fanIds.map(seqOf));

    let postId = "";
    const cursors: string[] = [];
    const reached: number[][] = [];
    await inUserFeed(author.user.id, async (instance, state) => {
      // The author's own alarm is held back: the test runs the batches, changing presence between them.
      await state.blockConcurrencyWhile(async () => {
        const res = await instance.mutate({ kind: "createPost", body: { content: "online first", privacy: "public" } }, null);
        if (!res.ok) throw new Error(JSON.stringify(res.error));
        postId = JSON.parse(res.json).post.id;
        const batch = async () => {
          const job = instance.jobs.list().find((j) => j.postId === postId);
          if (!job) return false;
          await runJobBatch(env, config, author.user.id, instance.jobs, job, limit);
          cursors.push(instance.jobs.list().find((j) => j.postId === postId)?.cursor ?? "done");
          reached.push(which(await has(postId)));
          return true;
        };
        await batch();
        // 9 goes offline (it was online at T: still first); 2 comes online now (after T: second pass).
        await markOffline(env.DB, f(9), Date.now());
        await markOnline(env.DB, f(2), Date.now());
        await batch();
        // 8, already delivered, disconnects and reconnects: a new presence, after T, so the second
        // pass reaches it again (one repeated call, no second copy). 5 comes online: second pass.
        await markOffline(env.DB, f(8), Date.now() - 1);
        await markOnline(env.DB, f(8), Date.now());
        await markOnline(env.DB, f(5), Date.now());
        while (await batch());
      });
    });
    expect(reached[0]).toEqual([1, 4, 6, 8]); // the first four online, by id
    expect(cursors[0]).toBe(`online:${f(8)}`);
    expect(reached[1]).toEqual([0, 1, 2, 3, 4, 6, 8, 9]); // the last online one, then the batch filled from the rest
    expect(cursors[1]).toBe(`rest:${f(3)}`);
    expect(reached.at(-1)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(cursors.at(-1)).toBe("done");
    expect(cursors.length).toBe(3);
    const seqEnd = await Promise.all(fanIds.map(seqOf));
    for (const [i, id] of fanIds.entries()) {
      expect((await timelineIds(id)).filter((x) => x === postId), `follower ${i}`).toHaveLength(1);
      expect(seqEnd[i] - seqStart[i], `follower ${i}: one insert`).toBe(1);
    }
    await drainFanout(author.user.id);
  });

  it("a job saved with a bare follower id as cursor (before the passes) finishes in plain id order", async () => {
    const { author, fanIds } = await worldOf10("lg");
    for (const i of [0, 7]) await onlineEarlier(fanIds[i]);
    let postId = "";
    await inUserFeed(author.user.id, async (instance, state) => {
      await state.blockConcurrencyWhile(async () => {
        const res = await instance.mutate({ kind: "createPost", body: { content: "legacy cursor", privacy: "public" } }, null);
        if (!res.ok) throw new Error(JSON.stringify(res.error));
        postId = JSON.parse(res.json).post.id;
        state.storage.sql.exec("UPDATE jobs SET cursor = ? WHERE post_id = ?", fanIds[3], postId);
        const job = instance.jobs.list().find((j) => j.postId === postId)!;
        await runJobBatch(env, readConfig(env), author.user.id, instance.jobs, job, newDeliveryLimit());
        expect(instance.jobs.list().find((j) => j.postId === postId)?.cursor).toBe(fanIds[7]);
      });
    });
    await drainFanout(author.user.id);
    for (const [i, id] of fanIds.entries()) expect((await timelineIds(id)).includes(postId), `follower ${i}`).toBe(i > 3);
  });
});
